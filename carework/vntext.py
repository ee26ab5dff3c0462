"""Small Vietnamese text utilities: accent folding and identifier slugs.

Examples
--------
>>> fold("Ngày mua")
'ngay mua'
>>> slug("Mã KH")
'ma_kh'
"""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Lower-case ``text`` and remove Vietnamese diacritics (``đ``/``Đ`` become ``d``)."""
    decomposed = unicodedata.normalize("NFD", str(text))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return stripped.replace("đ", "d").replace("Đ", "D").lower()


def slug(text: str) -> str:
    """Fold ``text`` and join its alphanumeric runs with ``_``: ``"Số tiền"`` → ``"so_tien"``."""
    return _NON_ALNUM.sub("_", fold(text)).strip("_")
