"""Comments as the classifier reads them: folded, shorthand expanded, letters squeezed.

Customers write the way they type on a phone: with or without diacritics, in teen code and
abbreviations (``k``/``ko``/``hok`` → ``khong``, ``nv`` → ``nhan vien``, ``ship`` → ``giao
hang``), with stretched letters (``chammm``) and emoji. :func:`normalise` folds all of that into
plain lower-case ASCII words, the same for every way of writing one thing; emoji become the
words ``emopos`` and ``emoneg``.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Iterable

__all__ = ["LAUGHTER", "SHORTHAND", "fold_many", "normalise", "normalise_many", "squeeze"]

_SHORTHAND: dict[str, str] = {
    # negation
    "k": "khong", "ko": "khong", "kh": "khong", "kg": "khong", "khg": "khong", "hok": "khong",
    "hk": "khong", "khum": "khong", "hem": "khong", "kp": "khong phai", "kbh": "khong bao gio",
    "not": "khong", "no": "khong",
    # common words
    "dc": "duoc", "dk": "duoc", "dduoc": "duoc", "j": "gi", "ji": "gi", "z": "vay",
    "zay": "vay", "dzay": "vay", "r": "roi", "rui": "roi", "wa": "qua", "qa": "qua",
    "bik": "biet", "bit": "biet", "bjet": "biet", "thui": "thoi", "lun": "luon", "vs": "voi",
    "trc": "truoc", "cx": "cung", "cug": "cung", "mk": "minh", "mik": "minh", "ng": "nguoi",
    "ns": "noi", "nhiu": "nhieu", "lm": "lam", "ntn": "nhu the nao", "hnay": "hom nay",
    "mn": "moi nguoi", "tl": "tra loi", "rep": "tra loi", "sdt": "so dien thoai",
    "oke": "ok", "okie": "ok", "oki": "ok", "okela": "ok", "okay": "ok",
    "tks": "cam on", "thanks": "cam on", "thank": "cam on", "thanx": "cam on", "camon": "cam on",
    # shop vocabulary
    "nv": "nhan vien", "nvien": "nhan vien", "nhanvien": "nhan vien", "staff": "nhan vien",
    "sp": "san pham", "sanpham": "san pham", "ship": "giao hang", "shiper": "nguoi giao hang",
    "shipper": "nguoi giao hang", "delivery": "giao hang", "bh": "bao hanh",
    "warranty": "bao hanh", "tt": "thanh toan", "payment": "thanh toan", "ck": "chuyen khoan",
    "refund": "hoan tien", "price": "gia", "expensive": "dat", "broken": "hong",
    "quality": "chat luong", "late": "tre", "slow": "cham", "rude": "tho lo", "ad": "shop",
    "admin": "shop", "cskh": "cham soc khach hang",
}
"""Folded shorthand → folded Vietnamese (applied per word, after stretched letters are
squeezed)."""

_LETTER = re.compile(r"[^\W\d_]")
_SQUEEZE = re.compile(r"([a-z0-9])\1+")
_ASCII_LETTERS = frozenset(string.ascii_lowercase)


_EMOJI_POSITIVE = "👍👌👏🙏💯❤♥💕💖💗😍🥰😘😊☺🙂😀😁😃😄😆🤗✨🌟⭐🎉"
_EMOJI_NEGATIVE = "👎😡😠🤬😤😭😢😞😔🙁☹😒😩😫💔🤮🤢😓😥😰😣😖"
_EMOTICONS = {":))": " emopos ", ":)": " emopos ", ":d": " emopos ", "<3": " emopos ",
              ":((": " emoneg ", ":(": " emoneg ", "-_-": " emoneg "}


class _FoldTable(dict[int, str]):
    """``str.translate`` table, filled on demand: letters lose their diacritics (``đ`` → ``d``),
    combining marks vanish, digits become ``0``, ``?`` stays a word of its own, praising and
    complaining emoji become the words ``emopos`` and ``emoneg``, newlines stay and anything
    else is a space."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        if ch == "\n":
            out = "\n"
        elif ch == "?":
            out = " ? "
        elif ch in _EMOJI_POSITIVE:
            out = " emopos "
        elif ch in _EMOJI_NEGATIVE:
            out = " emoneg "
        elif ch.isdigit():
            out = "0"
        elif unicodedata.combining(ch):
            out = ""
        else:
            base = "".join(c for c in unicodedata.normalize("NFD", ch)
                           if not unicodedata.combining(c)).lower().replace("đ", "d")
            out = base if base and set(base) <= _ASCII_LETTERS else " "
        self[code] = out
        return out


class _WordTable(dict[str, str]):
    """Folded word → normalised word(s): stretched letters squeezed, shorthand expanded."""

    def __missing__(self, word: str) -> str:
        if _LAUGHTER.match(word):
            out = "haha"  # "kkk", "hehehe", "hihi": laughter ("kkk" is not "không")
            self[word] = out
            return out
        squeezed = _SQUEEZE.sub(r"\1", word)
        out = _SHORTHAND_SQUEEZED.get(squeezed, squeezed)
        if len(self) < 200_000:  # a bound, for processes that read endless new words
            self[word] = out
        return out


_LAUGHTER = re.compile(r"^(?:k{2,}|(?:h[aeiou]){2,}h?)$")
_SHORTHAND_SQUEEZED = {_SQUEEZE.sub(r"\1", k): v for k, v in _SHORTHAND.items()}
_FOLD = _FoldTable()
_WORDS = _WordTable()


def _is_text(comment: object) -> bool:
    """A string with at least one letter (so emoji, digits and punctuation alone are not)."""
    return isinstance(comment, str) and _LETTER.search(comment) is not None


def fold_many(comments: Iterable[object]) -> list[str]:
    """Each comment folded — lower case, no diacritics, digits ``0``, emoji as ``emopos`` /
    ``emoneg``, anything else a space — in one ``translate`` over all of them; ``""`` for
    anything that is not a string with a letter."""
    texts = [(c.replace("\n", " ") if "\n" in c else c) if _is_text(c) else ""
             for c in comments]  # one line per comment
    if not texts:
        return []
    joined = "\n".join(texts).lower()
    for emoticon, word in _EMOTICONS.items():
        if emoticon in joined:
            joined = joined.replace(emoticon, word)
    return joined.translate(_FOLD).split("\n")


def normalise_many(comments: Iterable[object], folded: list[str] | None = None) -> list[str]:
    """:func:`normalise` of many comments at once (:func:`fold_many`, then a table lookup per
    word); ``folded`` is their :func:`fold_many` when the caller has it already."""
    word = _WORDS.__getitem__
    lines = fold_many(comments) if folded is None else folded
    return [" ".join(map(word, line.split())) for line in lines]


def normalise(comment: object) -> str:
    """The comment as the classifier reads it: folded, shorthand expanded, letters squeezed.

    Parameters
    ----------
    comment : object
        A comment; anything that is not a string with at least one letter gives ``""``.

    Returns
    -------
    str
        Space-separated lower-case ASCII words; runs of digits become ``0``.

    Examples
    --------
    >>> normalise("Nv trả lời cộc lốc, ship chậmmmm quá!! 👎")
    'nhan vien tra loi coc loc giao hang cham qua emoneg'
    >>> normalise("hok dc 2 ngày đã hư")
    'khong duoc 0 ngay da hu'
    """
    return normalise_many([comment])[0]




def squeeze(word: str) -> str:
    """A folded word with stretched letters squeezed (``chammm`` → ``cham``)."""
    return _SQUEEZE.sub(r"\1", word)


SHORTHAND = _SHORTHAND_SQUEEZED
"""Folded, squeezed shorthand → what it stands for (``ko`` → ``khong``)."""


LAUGHTER = _LAUGHTER
"""Folded words of laughter (``kkk``, ``hehe``, ``hihihi``), read as ``haha``."""
