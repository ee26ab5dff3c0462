"""Survey comments: Vietnamese with and without diacritics, slang, more among detractors."""

from __future__ import annotations

import unicodedata

from carework.sample import SampleData


def test_comments_mix_diacritics_and_slang(default: SampleData) -> None:
    comments = default.surveys["comment"].dropna()
    share = len(comments) / len(default.surveys)
    assert 0.3 <= share <= 0.5

    def plain(text: str) -> bool:
        decomposed = unicodedata.normalize("NFD", text)
        return "đ" not in text.lower() and not any(
            unicodedata.category(ch) == "Mn" for ch in decomposed)

    folded = comments.map(plain)
    assert 0.15 <= folded.mean() <= 0.5  # some without diacritics ...
    assert (~folded).sum() > 0.4 * len(comments)  # ... and most with
    slang = comments.str.contains(r"\b(?:ko|k|dc|đc|sp|nv|ship|shipper|ok)\b", case=False)
    assert slang.mean() > 0.1
    assert comments.nunique() > 0.5 * len(comments)
    # Detractors comment more often than promoters.
    has = default.surveys["comment"].notna()
    nps = default.surveys["nps"]
    assert has[nps <= 6].mean() > has[nps >= 9].mean() + 0.15
