"""Train a comment model: the shipped one, or a business's own with its labels.

``python -m carework.text.train`` rebuilds ``carework/text/model/default.npz`` from the
corpus (``carework/text/corpus/*.csv``) and the taxonomy's aliases; a test checks that the
shipped file is what this gives, so the corpus and the model never drift apart.

Examples
--------
>>> frame = training_frame()
>>> sorted(frame["source"].str.split(":").str[0].unique())
['alias', 'clause', 'corpus']
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from carework.text.corpus import corpus_fingerprint, labels_of, load_corpus
from carework.text.model import RootCauseClassifier, clauses_of
from carework.text.taxonomy import Taxonomy, default_taxonomy

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ALIAS_WEIGHT", "DEFAULT_PARAMS", "MODEL_PATH", "train", "training_frame"]

ALIAS_WEIGHT = 0.5
"""Weight of a taxonomy alias as a training example (a short complaint about its topic)."""

CLAUSE_WEIGHT = 0.3
"""Weight of one clause of a corpus comment that does not complain, as an example of its own:
every clause of praise or of a neutral remark is itself no complaint (a descriptive fragment,
"Giá 100gr là 42k", is no complaint; without these, the corpus's short texts are mostly
complaints)."""

DEFAULT_PARAMS: dict[str, Any] = {}
"""Parameters of the shipped model (the classifier's defaults; chosen by cross-validation on
the corpus, see ``benchmarks/eval_root_cause.py``)."""

MODEL_PATH = Path(__file__).with_name("model") / "default.npz"
"""Where the shipped model lives."""


def training_frame(taxonomy: Taxonomy | None = None, extra: pd.DataFrame | None = None,
                   extra_weight: float = 3.0) -> pd.DataFrame:
    """What a model learns from: the corpus, the taxonomy's aliases and ``extra`` rows.

    Parameters
    ----------
    taxonomy : Taxonomy, optional
        Whose aliases become short complaints about their topic (the default taxonomy).
    extra : pandas.DataFrame, optional
        More labelled comments, columns ``comment`` and ``label`` (a business's own labels,
        :func:`carework.text.labels.read_labels`).
    extra_weight : float
        Weight of an ``extra`` row against a corpus row.

    Returns
    -------
    pandas.DataFrame
        ``comment``, ``label``, ``weight`` and ``source`` (``corpus:<file>``, ``clause`` (a
        clause of a comment that does not complain, :data:`CLAUSE_WEIGHT`), ``alias``,
        ``labels``).
    """
    import pandas as pd

    tax = taxonomy or default_taxonomy()
    corpus = load_corpus(taxonomy=tax)
    parts = [pd.DataFrame({"comment": corpus["comment"], "label": labels_of(corpus),
                           "weight": 1.0, "source": "corpus:" + corpus["source"]})]
    calm = corpus[corpus["sentiment"] != "complaint"]
    clauses = [(part.strip(), sentiment) for text, sentiment in
               zip(calm["comment"], calm["sentiment"], strict=True)
               for part in clauses_of(text) if len(part.split()) >= 2]
    if clauses:
        parts.append(pd.DataFrame({"comment": [c for c, _ in clauses],
                                   "label": [s for _, s in clauses],
                                   "weight": CLAUSE_WEIGHT, "source": "clause"}))
    aliases = [(alias, code) for code, names in tax.aliases().items() for alias in names]
    parts.append(pd.DataFrame({"comment": [a for a, _ in aliases],
                               "label": [c for _, c in aliases],
                               "weight": ALIAS_WEIGHT, "source": "alias"}))
    if extra is not None and len(extra):
        parts.append(pd.DataFrame({"comment": extra["comment"].to_numpy(),
                                   "label": extra["label"].to_numpy(),
                                   "weight": extra_weight, "source": "labels"}))
    return pd.concat(parts, ignore_index=True)


def train(taxonomy: Taxonomy | None = None, extra: pd.DataFrame | None = None,
          extra_weight: float = 3.0, **params: Any) -> RootCauseClassifier:
    """A model fitted on :func:`training_frame` (parameters: :data:`DEFAULT_PARAMS` and
    ``params``)."""
    tax = taxonomy or default_taxonomy()
    frame = training_frame(tax, extra, extra_weight)
    clf = RootCauseClassifier(**{**DEFAULT_PARAMS, **params},
                              taxonomy=None if tax is default_taxonomy() else tax)
    clf.fit(frame["comment"].tolist(), frame["label"].tolist(), frame["weight"].to_numpy())
    clf.meta_.update(corpus=corpus_fingerprint(),
                     labels=int((frame["source"] == "labels").sum()))
    return clf


def main(argv: list[str] | None = None) -> int:
    """Rebuild the shipped model (``--out`` to write it elsewhere)."""
    parser = argparse.ArgumentParser(prog="python -m carework.text.train",
                                     description="Train the shipped comment model.")
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    args = parser.parse_args(argv)
    clf = train()
    clf.meta_["trained_at"] = "shipped"  # the file's bytes depend on the corpus alone
    path = clf.save(args.out)
    print(f"{path}: {clf.meta_['rows']} comments ({clf.meta_['complaints']} complaints), "
          f"corpus {clf.meta_['corpus']}, {round(path.stat().st_size / 1e6, 1)} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
