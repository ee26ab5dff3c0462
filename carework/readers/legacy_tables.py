"""Byte tables of the legacy Vietnamese encodings that :mod:`carework.readers.encodings` reads.

Each table is complete for the 134 Vietnamese letters (67 lower-case, 67 upper-case) the
encoding can express. ASCII bytes map to themselves in every table, except the twelve TCVN3
control-code positions noted below.

Sources
-------
TCVN3 (TCVN 5712:1993, the "ABC" table of the .VnTime fonts)
    The code points are those of the TCVN 5712:1993 VN1 table as shipped with libX11
    (``xc/lib/X11/lcUniConv/tcvn.h``, XFree86, read in the copy kept by fcitx/xcb-imdkit at
    ``src/xlibi18n/lcUniConv/tcvn.h``; glibc's TCVN5712-1 charmap has the same table). VN3,
    the subset the .VnTime fonts implement, is the lower-case letters in 0xA8-0xFE plus
    Ă Â Ê Ô Ơ Ư Đ in 0xA1-0xA7; VN1 adds the 60 toned capitals in the positions VN3 leaves free
    (0x80-0x9F, gaps in 0xAF-0xFF and twelve C0 control positions). The 74 VN3 positions were
    checked against the .VnTime codec of Jean Christophe André (myguidingstar-zz/B2Uconverter,
    ``include/encodings/vntime_tcvn.py``) and, programmatically, against the TCVN3 column of
    duydev/vietnamese-conversion (``src/charsets.ts``): all agree. :func:`tcvn3_cp1252_table`
    is the table as the fonts are used in Windows programs, with cp1252's punctuation in
    0x80-0x9F instead of the VN1 capitals (André's codec shows those positions so).
VNI-Windows
    From the VNI codec notes of Jean Christophe André (myguidingstar-zz/B2Uconverter,
    ``include/encodings/vni.py``, "created from information found at
    vnisoft.com/english/vnichar.htm") checked letter by letter against the VNI column of
    duydev/vietnamese-conversion (``src/charsets.ts``): all 134 agree. A VNI letter is an ASCII
    base letter followed by a mark byte; the mark bytes for capitals are those for small letters
    minus 0x20. The table below gives each mark byte as the Unicode combining marks it stands
    for, so that NFC composition turns base + mark into the precomposed letter.
Windows-1258
    Python's ``cp1258`` codec (Microsoft's table); its nine undefined bytes are kept as the
    Latin-1 control characters of the same value.
"""

from __future__ import annotations

# --------------------------------------------------------------------------------------------
# TCVN3 / TCVN 5712:1993
# --------------------------------------------------------------------------------------------

#: Bytes 0x80-0xFF. 0xA0 is NO-BREAK SPACE; 0xB0-0xB4 are the five combining tone marks
#: (grave, hook, tilde, acute, dot below) that VN1 defines for composing by hand.
TCVN3_HIGH = (
    "ÀẢÃÁẠẶẬÈẺẼÉẸỆÌỈĨ"  # 0x80-0x8F  (VN1 capitals)
    "ÍỊÒỎÕÓỌỘỜỞỠỚỢÙỦŨ"  # 0x90-0x9F  (VN1 capitals)
    "\u00a0ĂÂÊÔƠƯĐăâêôơưđẰ"  # 0xA0-0xAF
    "\u0300\u0309\u0303\u0301\u0323àảãáạẲằẳẵắẴ"  # 0xB0-0xBF
    "ẮẦẨẪẤỀặầẩẫấậèỂẻẽ"  # 0xC0-0xCF
    "éẹềểễếệìỉỄẾỒĩíịò"  # 0xD0-0xDF
    "Ổỏõóọồổỗốộờởỡớợù"  # 0xE0-0xEF
    "ỖủũúụừửữứựỳỷỹýỵỐ"  # 0xF0-0xFF
)

#: The C0 control positions VN1 uses for twelve more capitals.
TCVN3_LOW = {
    0x01: "Ú", 0x02: "Ụ", 0x04: "Ừ", 0x05: "Ử", 0x06: "Ữ",
    0x11: "Ứ", 0x12: "Ự", 0x13: "Ỳ", 0x14: "Ỷ", 0x15: "Ỹ", 0x16: "Ý", 0x17: "Ỵ",
}

# --------------------------------------------------------------------------------------------
# VNI-Windows
# --------------------------------------------------------------------------------------------

_GRAVE, _ACUTE, _TILDE, _HOOK, _DOT = "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"
_CIRCUMFLEX, _BREVE = "\u0302", "\u0306"

#: Mark bytes for small letters (``aù`` = á, ``aâ`` = â, ``aá`` = ấ ...). The byte for a capital
#: is 0x20 lower (``AÙ`` = Á).
VNI_MARKS = {
    0xE0: _CIRCUMFLEX + _GRAVE,  # à  ầ ề ồ
    0xE1: _CIRCUMFLEX + _ACUTE,  # á  ấ ế ố
    0xE2: _CIRCUMFLEX,  # â  â ê ô
    0xE3: _CIRCUMFLEX + _TILDE,  # ã  ẫ ễ ỗ
    0xE4: _CIRCUMFLEX + _DOT,  # ä  ậ ệ ộ
    0xE5: _CIRCUMFLEX + _HOOK,  # å  ẩ ể ổ
    0xE8: _BREVE + _GRAVE,  # è  ằ
    0xE9: _BREVE + _ACUTE,  # é  ắ
    0xEA: _BREVE,  # ê  ă
    0xEB: _BREVE + _DOT,  # ë  ặ
    0xEF: _DOT,  # ï  ạ ẹ ọ ợ ụ ự
    0xF5: _TILDE,  # õ  ã ẽ õ ỡ ũ ữ ỹ
    0xF8: _GRAVE,  # ø  à è ò ờ ù ừ ỳ
    0xF9: _ACUTE,  # ù  á é ó ớ ú ứ ý
    0xFA: _BREVE + _HOOK,  # ú  ẳ
    0xFB: _HOOK,  # û  ả ẻ ỏ ở ủ ử ỷ
    0xFC: _BREVE + _TILDE,  # ü  ẵ
}

#: Bytes that are letters on their own (the i-family, ỵ, đ, ơ, ư, and capitals); ơ and ư take a
#: tone mark byte after them like a base letter (``ôù`` = ớ, ``öø`` = ừ).
VNI_LETTERS = {
    0xE6: "ỉ", 0xEC: "ì", 0xED: "í", 0xEE: "ỵ", 0xF1: "đ", 0xF2: "ị", 0xF3: "ĩ", 0xF4: "ơ",
    0xF6: "ư",
    0xC6: "Ỉ", 0xCC: "Ì", 0xCD: "Í", 0xCE: "Ỵ", 0xD1: "Đ", 0xD2: "Ị", 0xD3: "Ĩ", 0xD4: "Ơ",
    0xD6: "Ư",
    # VNI's own non-Vietnamese letters and the alternative ỵ positions seen in use (André).
    0xD0: "Ï", 0xF0: "ï", 0xDD: "Î", 0xFD: "î", 0x9F: "Ỵ", 0xFF: "ỵ",
}


def _single_byte_table(codec: str) -> list[str]:
    """Decode every byte with ``codec``; undefined bytes become the Latin-1 character."""
    table = []
    for byte in range(256):
        try:
            table.append(bytes([byte]).decode(codec))
        except UnicodeDecodeError:
            table.append(chr(byte))
    return table


def tcvn3_table() -> str:
    """The 256-character decoding table of TCVN3 (for :func:`codecs.charmap_decode`)."""
    table = [chr(byte) for byte in range(128)] + list(TCVN3_HIGH)
    for byte, letter in TCVN3_LOW.items():
        table[byte] = letter
    return "".join(table)


def tcvn3_cp1252_table() -> str:
    """TCVN3 as the .VnTime fonts are used in Windows programs: VN3 with cp1252 in 0x80-0x9F.

    The fonts hold no toned capitals (those are typed with the .VnTimeH fonts), so text typed
    in Word or Excel may carry cp1252's quotes and dashes (‘ ’ “ ” – — …) at 0x80-0x9F, where
    VN1 has capitals. The twelve C0 positions stay control characters.
    """
    table = list(tcvn3_table())
    cp1252 = _single_byte_table("cp1252")
    for byte in [*TCVN3_LOW, *range(0x80, 0xA0)]:
        table[byte] = cp1252[byte]
    return "".join(table)


def vni_table() -> dict[int, str]:
    """The VNI-Windows decoding map: byte -> letter, combining marks or cp1252 character."""
    table = dict(enumerate(_single_byte_table("cp1252")))
    for byte, marks in VNI_MARKS.items():
        table[byte] = marks
        table[byte - 0x20] = marks
    table.update(VNI_LETTERS)
    return table


def cp1258_table() -> str:
    """The 256-character decoding table of Windows-1258 (tone marks as combining characters)."""
    return "".join(_single_byte_table("cp1258"))


def cp1252_table() -> str:
    """The 256-character decoding table of cp1252, Latin-1 for its five undefined bytes."""
    return "".join(_single_byte_table("cp1252"))


def cp1252_latin1_encoding_map() -> dict[int, int]:
    """An encoding map for cp1252 that falls back to Latin-1 for U+0080-U+009F.

    Used to undo double encoding: text that went UTF-8 -> cp1252 (or Latin-1) -> UTF-8 is turned
    back into its first bytes with this map (for :func:`codecs.charmap_encode`).
    """
    mapping = {code: code for code in range(0x80, 0xA0)}
    mapping.update({ord(char): byte for byte, char in enumerate(cp1252_table())})
    return mapping
