"""Vietnamese accent folding that keeps case (for e-mail addresses and unaccented comments)."""

from __future__ import annotations

import unicodedata

__all__ = ["fold_keep_case"]


def _build_fold_table() -> dict[int, str]:
    table: dict[int, str] = {ord("đ"): "d", ord("Đ"): "D"}
    for code in range(0xC0, 0x1EFA):
        ch = chr(code)
        base = "".join(c for c in unicodedata.normalize("NFD", ch)
                       if unicodedata.category(c) != "Mn")
        if base != ch and len(base) == 1 and base.isascii():
            table[code] = base
    return table


_FOLD = _build_fold_table()


def fold_keep_case(text: str) -> str:
    """Remove Vietnamese diacritics, keep case (``"Đẹp"`` → ``"Dep"``).

    >>> fold_keep_case("Đẹp quá")
    'Dep qua'
    """
    return unicodedata.normalize("NFC", text).translate(_FOLD)
