"""Can the classifier read a comment? Vietnamese, English as a second language, or abstain.

A comment is read when it is Vietnamese (with or without diacritics, in teen code) or English
(foreign customers write to Vietnamese shops). Otherwise the classifier abstains, with a
reason code instead of a guess:

``foreign_language``
    Written in another script (Chinese, Korean, Thai, Russian, …) or in Latin letters whose
    words are neither Vietnamese nor English (French, Indonesian, …).
``too_short``
    Fewer than two letters (``"k"``, ``"a"``), or punctuation alone (``"?"``, ``"..."``).
``unreadable``
    Keyboard mashing, encoding damage (``"Giao hÃ ng"``, ``"h?ng"``), codes and addresses only.

Comments without any letter are read as no complaint when they are missing, empty or emoji
only; punctuation alone is ``too_short``, digits (a phone number, an order code) ``unreadable``.

Examples
--------
>>> reasons(["giao hàng chậm quá", "giao hang cham qua", "The agent was rude", "配送太慢了",
...          "asdfgh qwrtzx", "k", "Livraison très lente", "", None])
[None, None, None, 'foreign_language', 'unreadable', 'too_short', 'foreign_language', None, None]
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from functools import cache
from importlib import resources

from carework.text.normalise import LAUGHTER, SHORTHAND, fold_many, squeeze

__all__ = ["REASONS", "reasons", "vietnamese_syllable"]

REASONS = ("foreign_language", "too_short", "unreadable")
"""Why a comment was not read (the codes of :func:`reasons`)."""

_SYLLABLE = re.compile(
    r"^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?"
    r"([aeiouy]{1,3})"
    r"(ch|ng|nh|[cmnpt])?$")
_VOWELS = frozenset("aeiouy")
_MOJIBAKE = re.compile(  # UTF-8 read as cp1252/latin-1, replacement characters, "h?ng"
    "Ã[\u00a0-\u00bf]|[a-z]Ã |áº|á»|Æ°|Æ¡|Ä‘|â€")
_LOST = re.compile("[?\ufffd]")  # "Giao h?ng ch?m": letters lost as "?" or "�"


READ_SHARE = 0.55
"""A comment is read when its words score at least this on average (see :func:`reasons`)."""


def vietnamese_syllable(word: str) -> bool:
    """Whether a folded word has the shape of a Vietnamese syllable (onset, vowels, coda).

    >>> [vietnamese_syllable(w) for w in ("nguyen", "khong", "asdfgh", "lente")]
    [True, True, False, False]
    """
    return _SYLLABLE.match(word) is not None


@cache
def english_words() -> frozenset[str]:
    """Common English words (function words and the words of customer reviews)."""
    source = (resources.files(__package__) / "english_words.txt").read_text(encoding="utf-8")
    return frozenset(w for line in source.splitlines() if not line.startswith("#")
                     for w in line.split())


_LETTERS = re.compile(r"[^\W\d_]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")
_NOT_LATIN = re.compile(r"[^\W\d_A-Za-z\u00c0-\u024f\u1e00-\u1eff]")
_VIETNAMESE = re.compile(
    "[ăâđêôơưĂÂĐÊÔƠƯáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
    "ÁÀẢÃẠẤẦẨẪẬẮẰẲẴẶÉÈẺẼẸẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌỐỒỔỖỘỚỜỞỠỢÚÙỦŨỤỨỪỬỮỰÝỲỶỸỴ]")
_VIETNAMESE_ONLY = re.compile(  # letters no other language written in Latin letters uses
    "[ăơưđạảẹẻịỉọỏụủỵỷấầẩẫậắằẳẵặếềểễệốồổỗộớờởỡợứừửữựĂƠƯĐẠẢẸẺỊỈỌỎỤỦỴỶẤẦẨẪẬẮẰẲẴẶẾỀỂỄỆỐỒỔỖỘỚỜỞỠỢỨỪỬỮỰ]")
_LINKS = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+", re.IGNORECASE)
_EMOJI = re.compile("[\U0001F300-\U0001FAFF\u2600-\u27BF\u2B50\u2764]|:\\)|:\\(|<3")


def _pronounceable(word: str) -> bool:
    """A word with a vowel and no run of four consonants (keyboard mashing has neither)."""
    run = 0
    seen_vowel = False
    for ch in word:
        if ch in _VOWELS:
            seen_vowel, run = True, 0
        else:
            run += 1
            if run >= 4:
                return False
    return seen_vowel


class _WordScore(dict[str, float]):
    """Folded word → how Vietnamese-or-English it is: 1 for a known word, 0.5 for the shape
    of a Vietnamese syllable, else 0; computed once per distinct word."""

    def __init__(self, vocabulary: Collection[str]) -> None:
        super().__init__()
        self.vocabulary = vocabulary
        self.english = english_words()

    def __missing__(self, word: str) -> float:
        short = squeeze(word)
        stretched = len(short) == 1 and len(word) > 2  # "jjjjjjj" is not "j"
        if (word in self.vocabulary or word in self.english or LAUGHTER.match(word)
                or not stretched and (short in self.vocabulary or short in SHORTHAND
                                      or short in self.english)):
            score = 1.0
        elif vietnamese_syllable(word) or not stretched and vietnamese_syllable(short):
            score = 0.5
        else:
            score = 0.0
        self[word] = score
        return score


def _reason(comment: str, folded: str, score: _WordScore) -> str | None:
    if not folded:  # no letter at all
        if not comment.strip() or _EMOJI.search(comment):
            return None  # nothing written, or emoji only: no complaint, not an abstention
        return "unreadable" if any(ch.isdigit() for ch in comment) else "too_short"
    if _NOT_LATIN.search(comment):
        latin = len(_LATIN.findall(comment))
        if len(_LETTERS.findall(comment)) - latin > latin:
            return "foreign_language"
    if _MOJIBAKE.search(comment):
        return "unreadable"
    if len(_VIETNAMESE_ONLY.findall(comment, 0, 400)) >= 3:
        return None  # three letters that only Vietnamese writes: read it
    if _LOST.search(comment) and not _VIETNAMESE.search(comment):
        spoken = [w for w in comment.split() if _LETTERS.search(w)]
        lost = sum(1 for i, w in enumerate(spoken)
                   if _LOST.search(w.rstrip("?!.,"))  # "h?ng", "??t"
                   or i < len(spoken) - 1 and _LOST.search(w) and len(w.strip("?!.,")) <= 3)
        if (lost >= 2 or lost == len(spoken)) and lost >= 0.3 * len(spoken):
            return "unreadable"  # every letter with a diacritic became "?" (not "shop?ko")
    if _LINKS.search(comment):
        folded = fold_many([_LINKS.sub(" ", comment)])[0]
    codes = [w for w in folded.split() if len(w) >= 8 and "0" in w and not w.isdigit()]
    if codes:  # order numbers, base64: letters and digits mixed in one long word
        folded = " ".join(w for w in folded.split() if w not in codes) + " 0"
    words = folded.replace("0", " 0 ").split()  # "thit0k" (thịt45k): "thit", "0", "k"
    alpha = [w for w in words if w.isalpha() and w not in ("emopos", "emoneg")]
    letters = sum(map(len, alpha))
    if letters < 2:
        return "unreadable" if "0" in words else "too_short"
    marks = 0.25 if _VIETNAMESE.search(comment) else 0.0
    known = sum(score[w] + (marks if score[w] == 0.5 else 0.0) for w in alpha)
    if known / len(alpha) >= READ_SHARE:
        return None
    if sum(map(_pronounceable, alpha)) / len(alpha) < 0.6:
        return "unreadable"
    return "foreign_language"


def reasons(comments: Iterable[object], vocabulary: Collection[str] | None = None,
            folded: list[str] | None = None) -> list[str | None]:
    """Per comment why it cannot be read, or ``None`` when it can.

    Parameters
    ----------
    comments : iterable of object
        Comments as written.
    vocabulary : collection of str, optional
        Folded words the classifier knows (its training vocabulary; by default the shipped
        model's). A known word, a common
        English word or a shorthand scores 1, a word with the shape of a Vietnamese syllable
        0.5 (0.75 when the comment has diacritics), anything else 0; the comment is read when
        its words score :data:`READ_SHARE` on average.
    folded : list of str, optional
        The comments' :func:`carework.text.normalise.fold_many`, when the caller has it.

    Returns
    -------
    list of str or None
        One of :data:`REASONS` or ``None`` per comment.
    """
    comments = comments if isinstance(comments, list) else list(comments)
    if vocabulary is None:
        from carework.text import default_classifier

        vocabulary = default_classifier().vocabulary_
    folded = fold_many(comments) if folded is None else folded
    seen: dict[str, str | None] = {}
    score = _WordScore(vocabulary)
    out: list[str | None] = []
    for comment, fold in zip(comments, folded, strict=True):
        if isinstance(comment, str):
            if comment not in seen:
                seen[comment] = _reason(comment, fold, score)
            out.append(seen[comment])
        else:
            out.append(None)
    return out
