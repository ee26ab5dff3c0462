"""The key-phrase baseline: the topic whose aliases a comment names most gives its factor.

It learns nothing; it is what :class:`carework.text.RootCauseClassifier` is measured against
(``benchmarks/eval_root_cause.py``). The phrases are the taxonomy's aliases.

Examples
--------
>>> KeywordClassifier().predict(["giao hàng chậm", "cảm ơn shop"]).tolist()
['convenience', 'other']
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np

from carework.text.taxonomy import NOT_COMPLAINT, Taxonomy, default_taxonomy
from carework.vntext import fold

__all__ = ["KeywordClassifier"]

_ABBREVIATIONS = {r"\bnv\b": "nhan vien", r"\bk\b": "khong", r"\bko\b": "khong",
                  r"\bkh\b": "khong", r"\bdc\b": "duoc", r"\bsp\b": "san pham",
                  r"\bbh\b": "bao hanh", r"\btt\b": "thanh toan"}


def _keyword_normalise(comment: str) -> str:
    """The baseline's own normalisation (unchanged from the keyword-only version)."""
    text = " " + re.sub(r"[^0-9a-z]+", " ", fold(comment)) + " "
    for pattern, full in _ABBREVIATIONS.items():
        text = re.sub(pattern, full, text)
    return text.replace("nhan vien", "nhan vien nv")  # "nv ..." phrases match both spellings


class KeywordClassifier:
    """See the module docstring."""

    def __init__(self, taxonomy: Taxonomy | None = None) -> None:
        self.taxonomy = taxonomy

    def get_params(self, deep: bool = True) -> dict[str, object]:
        return {"taxonomy": self.taxonomy}

    def fit(self, texts: Iterable[object] | None = None,
            labels: Iterable[object] | None = None) -> KeywordClassifier:
        """Do nothing and return ``self``."""
        return self

    def predict_topic(self, texts: Iterable[object]) -> list[str | None]:
        """The topic with most alias hits per comment (``None`` when there is none)."""
        aliases = (self.taxonomy or default_taxonomy()).aliases()
        out: list[str | None] = []
        for comment in texts:
            if not isinstance(comment, str) or not comment.strip():
                out.append(None)
                continue
            text = _keyword_normalise(comment)
            hits = {name: sum(f" {phrase} " in text for phrase in phrases)
                    for name, phrases in aliases.items()}
            best = max(hits, key=hits.__getitem__)
            out.append(best if hits[best] else None)
        return out

    def predict(self, texts: Iterable[object]) -> np.ndarray:
        """The factor of each comment (``other`` when no alias is named)."""
        tax = self.taxonomy or default_taxonomy()
        return np.array([tax.factor_of(t) if t else NOT_COMPLAINT
                         for t in self.predict_topic(texts)], dtype=object)
