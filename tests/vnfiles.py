"""Files written the way Vietnamese users' tools write them."""

from __future__ import annotations

import unicodedata


def cp1258(text: str) -> bytes:
    """Encode as Windows does: letters it lacks become a base letter plus a combining tone."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            base, *marks = unicodedata.normalize("NFD", ch)
            for mark in marks:  # fold into the base the one mark Windows-1258 has precomposed
                composed = unicodedata.normalize("NFC", base + mark)
                if len(composed) == 1 and composed.encode("cp1258", "ignore"):
                    base = composed
                    marks.remove(mark)
                    break
            out += (base + "".join(marks)).encode("cp1258")
    return bytes(out)
