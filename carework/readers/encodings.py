"""Decode a shop's export file to Unicode text, or stop and say which encodings it could be.

Vietnamese shops export CSV and text files in many encodings. :func:`decode_bytes` reads them in
this order and returns NFC text with the encoding it found:

``utf-16``
    A UTF-16 byte order mark, or Excel's "Unicode Text" without one (found by the NUL bytes at
    the odd positions, little-endian, or at the even ones, big-endian).
``utf-8`` / ``utf-8-sig``
    Valid UTF-8, without or with a byte order mark. ASCII-only data is ``utf-8``. A file whose
    last character was cut off mid-sequence is still UTF-8; the cut character becomes U+FFFD.
``utf-8-double``
    UTF-8 whose bytes were once read as cp1252 (or Latin-1) and written out again as UTF-8:
    "Nguyá»…n" for "Nguyễn". The tell-tales are the cp1252/Latin-1 spellings of the UTF-8 bytes
    of the Vietnamese letters ("Ã¡", "á»…", "Ä‘" ...). The file (or, when that fails, each line
    showing a tell-tale) is encoded back with cp1252 (Latin-1 for U+0080-U+009F) and decoded
    as UTF-8. The repair is kept only when it is certain: no U+FFFD, a share of valid words
    (see below) of at least 0.9 in the repaired lines, and at least 0.3 more than before,
    where a word holding a tell-tale counts as invalid. Correct Vietnamese UTF-8 is never
    "repaired": it holds letters (ư, ơ, ễ ...) that cp1252 cannot encode, and a line that cannot
    be encoded back, or does not give valid UTF-8, is left alone.
``tcvn3``
    TCVN 5712:1993, the "ABC" table of the .VnTime fonts: one byte a letter ("NguyÔn V¨n" when
    read as cp1252). It is read two ways and the one that scores better is kept: the full
    table, whose toned capitals sit in 0x80-0x9F and in twelve C0 control positions, and the
    way Windows programs use the fonts, with cp1252's quotes and dashes in 0x80-0x9F. Text
    typed in capitals with the .VnTimeH fonts uses the lower-case codes; a word that is
    otherwise upper-case (at least two capitals, no ASCII small letter) is therefore written in
    capitals ("KH¸CH" -> "KHÁCH"). ASCII-only data whose words hold the C0 capitals ("NG\\x02"
    for "NGỤ") is TCVN3 when the rule below says so for certain, UTF-8 otherwise.
``vni``
    VNI-Windows: an ASCII base letter followed by a mark byte ("Nguyeãn Vaên", "ñ" for đ).
``cp1258``
    Windows-1258: precomposed letters plus combining tone marks, composed to NFC.
``mixed-utf8-cp1258`` / ``mixed-utf8-tcvn3`` / ``mixed-utf8-vni``
    Some lines valid UTF-8 and others not (two exports concatenated): the UTF-8 lines are read
    as UTF-8 and all the others with one legacy encoding, chosen from them alone. A line that
    is valid UTF-8 only by accident (its UTF-8 reading holds unlikely characters such as "Ǩ" and
    its legacy reading scores better) goes with the legacy lines.

How the legacy encoding is chosen
---------------------------------
Bytes that are not UTF-8 are scored in every legacy encoding. The evidence is the *words* that
hold a non-ASCII byte (runs of bytes between ASCII spaces, digits and punctuation; ASCII words
read the same in every encoding and carry none), taken from the first 2,000 lines that hold
one. Each word, decoded, is

* valid: each of its letter runs is a Vietnamese syllable: an optional initial consonant
  (b, c, ch, d, đ, g, gh, gi, h, k, kh, l, m, n, ng, ngh, nh, p, ph, qu, r, s, t, th, tr, v, x),
  a vowel nucleus from the Vietnamese set (a, ă, â, ..., oa, uyê, ươi ...), a final
  (c, ch, k, m, n, ng, nh, p, t) where the nucleus allows or needs one, at most one tone mark
  and on a vowel, only the acute or dot-below tone before a final c/ch/k/p/t, and lower,
  Title or UPPER case. Runs are split at a dash, ’, … or no-break space between two letters
  ("Rịa–Vũng"); quotes, dashes, °, € and ₫ may open or close the word;
* invalid: anything else: a letter that is not Vietnamese ("ð", "ö", "Ĥ̀"), a symbol ("¨",
  "µ", "«", "·"), a control character or U+FFFD, punctuation inside the word ("kh“ng"), a
  capital inside a small-letter word ("NguyÔn");
* neutral: no non-ASCII letter, only punctuation such as "–" or "“" around ASCII letters.

An encoding's share is valid / (valid + invalid). The best encoding is *certain* when its share
is at least ``CERTAIN_SHARE`` (0.9), it has at least one valid word, and every other encoding's
share is at least ``MARGIN`` (0.3) lower. An encoding with no valid or invalid word at all
(only neutral ones) stays possible. When the best is not certain, :class:`EncodingUnclear` is
raised naming the best guess, the encodings still possible and an example decoded the guessed
way. So a file whose non-ASCII bytes sit in a single word decodes when that word is Vietnamese
in one encoding and not Vietnamese in the others, and stops when two encodings both make a
Vietnamese word of it (VNI "Phơ" is cp1258 "Phô" and TCVN3 "Phụ").

Examples
--------
>>> decode_bytes("Hà Nội".encode("utf-8")).text
'Hà Nội'
>>> result = decode_bytes(b"Nguy\\xd4n V\\xa8n, Tr\\xc7n Th\\xde H\\xad\\xacng")
>>> result.text, result.encoding
('Nguyễn Văn, Trần Thị Hương', 'tcvn3')
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from carework.readers import legacy_tables

__all__ = ["CERTAIN_SHARE", "MARGIN", "Decoded", "EncodingUnclear", "decode_bytes"]

#: Least share of valid Vietnamese words for a legacy encoding (or a repair) to be certain.
CERTAIN_SHARE = 0.9
#: Least lead of the best encoding's share over every other encoding's.
MARGIN = 0.3
#: Lines (those holding a non-ASCII byte) scored to choose a legacy encoding.
SAMPLE_LINES = 2000
#: Longest example of :class:`EncodingUnclear`.
EXAMPLE_CHARS = 40

#: Legacy encodings in order of preference when their scores tie.
LEGACY = ("cp1258", "tcvn3", "vni")
#: The ways each legacy encoding is read. TCVN3 has two: the full TCVN 5712 table (toned
#: capitals in 0x80-0x9F) and the .VnTime fonts' use of it (cp1252 punctuation there); the one
#: that scores better is used.
_DECODERS = {"cp1258": ("cp1258",), "tcvn3": ("tcvn3", "tcvn3-cp1252"), "vni": ("vni",)}


@dataclass(frozen=True)
class Decoded:
    """Text decoded from bytes.

    Attributes
    ----------
    text : the text, NFC-normalised.
    encoding : what was found: ``"utf-8"``, ``"utf-8-sig"``, ``"utf-16"``, ``"cp1258"``,
        ``"tcvn3"``, ``"vni"``, ``"utf-8-double"`` or ``"mixed-utf8-<legacy>"``.
    converted_lines : lines that needed conversion: 0 for UTF-8 and UTF-16; the lines holding a
        non-ASCII byte for a legacy encoding; the repaired lines for ``utf-8-double``; the
        non-UTF-8 lines of a mixed file.
    """

    text: str
    encoding: str
    converted_lines: int


class EncodingUnclear(Exception):
    """The bytes could be several encodings and none is certain.

    Parameters
    ----------
    guess : the best-guess encoding.
    candidates : the encodings that remain possible, best first (the guess among them).
    example : up to 40 characters of the text decoded the best-guess way, around a word the
        candidates read differently.
    """

    def __init__(self, guess: str, candidates: tuple[str, ...], example: str):
        self.guess = guess
        self.candidates = tuple(candidates)
        self.example = example
        super().__init__(
            f"the encoding is unclear: it could be {' or '.join(self.candidates)}; best guess "
            f"{guess}, which reads {example!r}"
        )


# --------------------------------------------------------------------------------------------
# Letters and syllables
# --------------------------------------------------------------------------------------------

_TCVN3_MAP = legacy_tables.tcvn3_table()
_TCVN3_CP1252_MAP = legacy_tables.tcvn3_cp1252_table()
_VNI_MAP = legacy_tables.vni_table()
_CP1258_MAP = legacy_tables.cp1258_table()
_DOUBLE_MAP = legacy_tables.cp1252_latin1_encoding_map()

#: The 134 non-ASCII Vietnamese letters.
_VN_LETTERS = frozenset(ch for ch in _TCVN3_MAP if ch.isalpha() and not ch.isascii())
_VN_LOWER = frozenset(ch for ch in _VN_LETTERS if ch.islower())
_VN_UPPER = frozenset(ch for ch in _VN_LETTERS if ch.isupper())
assert len(_VN_LOWER) == len(_VN_UPPER) == 67

_TONE_MARKS = {"\u0300": "grave", "\u0301": "acute", "\u0303": "tilde", "\u0309": "hook",
               "\u0323": "dot"}
_SHAPE_MARKS = {"\u0302": "aeo", "\u0306": "a", "\u031b": "ou"}  # circumflex, breve, horn
_VOWELS = frozenset("aeiouy")
_STOP_TONES = frozenset({"acute", "dot"})

_INITIALS = ("ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr",
             "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x")
#: Nuclei that end the syllable (they end in a glide or are ia/ua/ưa).
_OPEN_NUCLEI = ("iêu", "yêu", "oai", "oay", "oao", "oeo", "uây", "uôi", "ươi", "ươu", "uyu",
                "uya", "ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iu", "oi", "ôi",
                "ơi", "ua", "ui", "ưa", "ưi", "ưu")
#: Nuclei that need a final consonant.
_CLOSED_NUCLEI = ("uyê", "iê", "yê", "uô", "ươ", "uâ", "oă", "ă", "â")
#: Nuclei with or without a final consonant.
_FREE_NUCLEI = ("oa", "oe", "oo", "uê", "uơ", "uy", "a", "e", "ê", "i", "o", "ô", "ơ", "u",
                "ư", "y")
_FINALS = ("ch", "ng", "nh", "c", "k", "m", "n", "p", "t")
_STOP_FINALS = frozenset({"c", "ch", "k", "p", "t"})


def _alternatives(options: Iterable[str]) -> str:
    return "|".join(sorted(options, key=len, reverse=True))


_SYLLABLE = re.compile(
    f"(?:{_alternatives(_INITIALS)})?"
    f"(?:(?:{_alternatives(_OPEN_NUCLEI)})"
    f"|(?:{_alternatives(_CLOSED_NUCLEI)})(?P<final>{_alternatives(_FINALS)})"
    f"|(?:{_alternatives(_FREE_NUCLEI)})(?P<free_final>{_alternatives(_FINALS)})?)"
)

#: Punctuation that may stand between two letters of a token ("Rịa–Vũng", "vậy…thì").
_JOINERS = "\u00a0\u2013\u2014\u2019\u2026"
#: Punctuation that may open a token ("“Huế", "• giao") ...
_OPENERS = "\u00a0\u2013\u2014\u2018\u201a\u201c\u201d\u201e\u2022"
#: ... or close it ("Huế”", "30°", "5€", "250.000₫"). Guillemets are left out: "»" is also the
#: middle of every double-encoded 3-byte Vietnamese letter ("á»…").
_CLOSERS = "\u00a0\u2013\u2014\u2019\u201d\u2026\u00b0\u20ac\u20ab"
_PUNCTUATION = frozenset(_JOINERS + _OPENERS + _CLOSERS)

_NEUTRAL, _VALID, _INVALID = 0, 1, 2


def _is_syllable(word: str) -> bool:
    """Whether ``word`` (NFC, letters only) is one Vietnamese syllable."""
    if not (word.islower() or word.isupper() or (word[0].isupper() and word[1:].islower())):
        return False
    tone = None
    shaped: set[int] = set()
    base_index = -1
    base = ""
    bare = []
    for char in unicodedata.normalize("NFD", word.lower()):
        if char in _TONE_MARKS:
            if tone is not None or base not in _VOWELS:
                return False
            tone = _TONE_MARKS[char]
        elif char in _SHAPE_MARKS:
            if base not in _SHAPE_MARKS[char] or base_index in shaped:
                return False
            shaped.add(base_index)
            bare.append(char)
        elif "a" <= char <= "z" or char == "đ":
            base = char
            base_index += 1
            bare.append(char)
        else:
            return False
    match = _SYLLABLE.fullmatch(unicodedata.normalize("NFC", "".join(bare)))
    if match is None:
        return False
    final = match.group("final") or match.group("free_final")
    return not (final in _STOP_FINALS and tone not in _STOP_TONES)


@lru_cache(maxsize=65536)
def _verdict(token: str) -> int:
    """Whether a decoded token (text between ASCII separators) reads as Vietnamese.

    Returns ``_VALID`` when every run of non-ASCII letters is a syllable, ``_INVALID`` when
    anything in it cannot be Vietnamese, ``_NEUTRAL`` when it holds no non-ASCII letter.
    """
    token = unicodedata.normalize("NFC", token).lstrip(_OPENERS).rstrip(_CLOSERS)
    runs: list[str] = []
    start = 0
    for index, char in enumerate(token):
        if char in _PUNCTUATION:
            if not (char in _JOINERS and 0 < index < len(token) - 1
                    and token[index - 1].isalpha() and token[index + 1].isalpha()):
                return _INVALID
            runs.append(token[start:index])
            start = index + 1
    runs.append(token[start:])
    vietnamese = False
    for run in runs:
        if not run:
            continue
        if run.isascii():
            if not run.isalpha():
                return _INVALID  # control characters
            continue
        if not _is_syllable(run):
            return _INVALID
        vietnamese = True
    return _VALID if vietnamese else _NEUTRAL


# --------------------------------------------------------------------------------------------
# Decoding
# --------------------------------------------------------------------------------------------


def _nfc(text: str) -> str:
    if unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


_UPPER_CLASS = "A-Z" + "".join(sorted(_VN_UPPER))
_LOWER_VN_CLASS = "".join(sorted(_VN_LOWER))
#: A small Vietnamese letter before a capital, or after two: where a .VnTimeH word can be.
_CASE_SUSPECT = re.compile(
    f"[{_LOWER_VN_CLASS}][{_UPPER_CLASS}]|[{_UPPER_CLASS}]{{2}}[{_LOWER_VN_CLASS}]"
)


def _capitalise_vntimeh(text: str) -> str:
    """Upper-case the words typed with a .VnTimeH font ("KHáCH" -> "KHÁCH").

    A word is changed when it has at least two capitals and its only small letters are
    non-ASCII Vietnamese ones, which TCVN3 text can hold only because the upper-case font
    shares the lower-case codes.
    """
    pieces: list[str] = []
    position = 0
    for match in _CASE_SUSPECT.finditer(text):
        start, end = match.span()
        if start < position:
            continue
        while start > position and text[start - 1].isalpha():
            start -= 1
        while end < len(text) and text[end].isalpha():
            end += 1
        word = text[start:end]
        capitals = sum(char.isupper() for char in word)
        if capitals >= 2 and all(char.isupper() or char in _VN_LOWER for char in word):
            pieces += [text[position:start], word.upper()]
            position = end
    if not pieces:
        return text
    pieces.append(text[position:])
    return "".join(pieces)


def _decode_legacy(data: bytes, decoder: str) -> str:
    """Decode with one legacy decoder (see ``_DECODERS``), to NFC."""
    if decoder.startswith("tcvn3"):
        table = _TCVN3_MAP if decoder == "tcvn3" else _TCVN3_CP1252_MAP
        return _capitalise_vntimeh(_nfc(codecs.charmap_decode(data, "strict", table)[0]))
    table = _VNI_MAP if decoder == "vni" else _CP1258_MAP
    # Marks as separate characters are the rule here: normalise without checking first.
    return unicodedata.normalize("NFC", codecs.charmap_decode(data, "strict", table)[0])


# --------------------------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------------------------

_TCVN3_LOW_BYTES = bytes(sorted(legacy_tables.TCVN3_LOW))
_SEPARATORS = bytes(b for b in range(128)
                    if not chr(b).isalpha() and b not in legacy_tables.TCVN3_LOW)
_SEPARATOR_CLASS = "".join(f"\\x{b:02x}" for b in _SEPARATORS)
_BYTE_TOKEN = re.compile(f"[^{_SEPARATOR_CLASS}]+".encode())
_STR_TOKEN = re.compile(f"[^{_SEPARATOR_CLASS}]+")
_EVIDENCE = re.compile(b"[\\x80-\\xff" + re.escape(_TCVN3_LOW_BYTES) + b"]")
#: A TCVN3 capital in a C0 control position, inside a word ("NG\x02" for "NGỤ").
_TCVN3_LOW_CLASS = "".join(f"\\x{byte:02x}" for byte in _TCVN3_LOW_BYTES)
_TCVN3_CAPITAL_IN_WORD = re.compile(f"[A-Za-z][{_TCVN3_LOW_CLASS}]|[{_TCVN3_LOW_CLASS}][A-Za-z]")


@dataclass
class _Score:
    valid: int = 0
    invalid: int = 0

    @property
    def share(self) -> float | None:
        """valid / (valid + invalid), or None without evidence."""
        total = self.valid + self.invalid
        return self.valid / total if total else None

    def add(self, verdict: int, count: int = 1) -> None:
        if verdict == _VALID:
            self.valid += count
        elif verdict == _INVALID:
            self.invalid += count


def _byte_tokens(lines: Iterable[bytes]) -> Counter[bytes]:
    """The words holding a non-ASCII byte, counted."""
    tokens: Counter[bytes] = Counter()
    for line in lines:
        tokens.update(token for token in _BYTE_TOKEN.findall(line) if _EVIDENCE.search(token))
    return tokens


def _score_text(lines: Iterable[str], suspect: re.Pattern[str] | None = None) -> _Score:
    """Score decoded lines by their words holding a non-ASCII character.

    A word in which ``suspect`` matches counts as invalid.
    """
    score = _Score()
    for line in lines:
        if line.isascii():
            continue
        for token in _STR_TOKEN.findall(line):
            if not token.isascii():
                bad = suspect is not None and suspect.search(token) is not None
                score.add(_INVALID if bad else _verdict(token))
    return score


@dataclass
class _Choice:
    best: str  # the encoding
    decoder: str  # how to read it (a key of _DECODERS' values)
    certain: bool
    remaining: tuple[str, ...]
    example_token: bytes | None


def _choose(lines: list[bytes]) -> _Choice:
    """Score ``lines`` in every legacy encoding and apply the decision rule."""
    tokens = _byte_tokens(lines)
    decoders = [decoder for variants in _DECODERS.values() for decoder in variants]
    scores = {decoder: _Score() for decoder in decoders}
    readings: dict[bytes, dict[str, str]] = {}
    for token, count in tokens.items():
        readings[token] = {decoder: _decode_legacy(token, decoder) for decoder in decoders}
        for decoder, text in readings[token].items():
            scores[decoder].add(_verdict(text), count)

    def rank(decoder: str) -> tuple[float, int]:
        return -(scores[decoder].share or 0.0), -scores[decoder].valid

    # Each encoding is read its best way; then the encodings are ranked.
    chosen = {encoding: min(variants, key=rank) for encoding, variants in _DECODERS.items()}
    ranked = sorted(LEGACY, key=lambda encoding: (*rank(chosen[encoding]), LEGACY.index(encoding)))
    best = ranked[0]
    best_share = scores[chosen[best]].share
    remaining = tuple(
        encoding for encoding in ranked
        if encoding == best or best_share is None or scores[chosen[encoding]].share is None
        or best_share - scores[chosen[encoding]].share < MARGIN - 1e-9
    )
    certain = (best_share is not None and best_share >= CERTAIN_SHARE
               and scores[chosen[best]].valid > 0 and remaining == (best,))
    example = next((token for token in tokens
                    if len({readings[token][chosen[encoding]] for encoding in remaining}) > 1),
                   next(iter(tokens), None))
    return _Choice(best, chosen[best], certain, remaining, example)


def _example(lines: list[bytes], token: bytes | None, decoder: str) -> str:
    """Up to ``EXAMPLE_CHARS`` characters around ``token``, decoded with ``decoder``."""
    line = next((line for line in lines if token is not None and token in line),
                lines[0] if lines else b"")
    text = _decode_legacy(line, decoder).strip()
    word = _decode_legacy(token, decoder) if token is not None else ""
    centre = max(text.find(word), 0) + len(word) // 2
    start = max(0, min(centre - EXAMPLE_CHARS // 2, len(text) - EXAMPLE_CHARS))
    return text[start:start + EXAMPLE_CHARS]


# --------------------------------------------------------------------------------------------
# UTF-16 and double-encoded UTF-8
# --------------------------------------------------------------------------------------------


def _utf16_without_bom(data: bytes) -> str | None:
    """``"utf-16-le"``/``"utf-16-be"`` when NUL bytes fill one byte position of the pairs."""
    sample = data[:8192]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even = sample[0:pairs * 2:2].count(0) / pairs
    odd = sample[1:pairs * 2:2].count(0) / pairs
    if odd >= 0.2 and even <= odd / 4:
        return "utf-16-le"
    if even >= 0.2 and odd <= even / 4:
        return "utf-16-be"
    return None


_CP1252 = legacy_tables.cp1252_table()


def _decode_utf16(data: bytes, codec: str) -> str | None:
    """Decode UTF-16 to NFC; a last odd byte (a cut file) becomes U+FFFD. None if invalid."""
    even = len(data) - len(data) % 2
    try:
        text = data[:even].decode(codec)
    except UnicodeDecodeError:
        return None
    return _nfc(text + "\ufffd" * (len(data) % 2))


def _mojibake_pattern(char: str) -> str:
    """A pattern for ``char``'s UTF-8 bytes read as cp1252 or as Latin-1 ("ễ" -> "á»…")."""
    pattern = ""
    for byte in char.encode("utf-8"):
        spellings = {_CP1252[byte], chr(byte)} if 0x80 <= byte < 0xA0 else {_CP1252[byte]}
        pattern += "[" + "".join(re.escape(s) for s in sorted(spellings)) + "]"
    return pattern


#: The double-encoded spellings of the Vietnamese letters and tone marks.
_TELLTALE = re.compile("|".join(sorted(
    (_mojibake_pattern(char) for char in _VN_LETTERS | set(_TONE_MARKS)), key=len, reverse=True
)))


def _repair_line(line: str) -> str | None:
    """``line`` encoded back with cp1252/Latin-1 and read as UTF-8, or None if it cannot be."""
    try:
        return codecs.charmap_encode(line, "strict", _DOUBLE_MAP)[0].decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None


def _repair_double(text: str) -> tuple[str, int] | None:
    """Undo double encoding line by line when certain: (repaired text, repaired lines)."""
    if _TELLTALE.search(text) is None:
        return None
    lines = text.split("\n")
    whole = _repair_line(text)
    if whole is not None and "\ufffd" not in whole:  # the usual case: the whole file
        repaired = {index: fixed for index, (line, fixed)
                    in enumerate(zip(lines, whole.split("\n"), strict=True)) if line != fixed}
    else:  # double-encoded lines among correct ones
        repaired = {}
        for index, line in enumerate(lines):
            if _TELLTALE.search(line):
                fixed = _repair_line(line)
                if fixed is not None and fixed != line and "\ufffd" not in fixed:
                    repaired[index] = fixed
    if not repaired:
        return None
    sample = list(repaired)[:SAMPLE_LINES]
    before = _score_text((lines[index] for index in sample), suspect=_TELLTALE)
    after = _score_text(repaired[index] for index in sample)
    if after.share is None or after.share < CERTAIN_SHARE:
        return None
    if before.share is not None and after.share - before.share < MARGIN - 1e-9:
        return None
    for index, fixed in repaired.items():
        lines[index] = fixed
    return _nfc("\n".join(lines)), len(repaired)


# --------------------------------------------------------------------------------------------
# Legacy and mixed files
# --------------------------------------------------------------------------------------------

# Bytes that are not UTF-8 are decoded with ``surrogateescape``: each becomes a lone surrogate,
# and ``.encode("utf-8", "surrogateescape")`` gives the bytes back unchanged.
_OK = "[^\\n\udc80-\udcff]"  # a character of a line that is UTF-8
_LEGACY_LINE = "[^\\n\udc80-\udcff]*[\udc80-\udcff][^\\n]*"
#: Consecutive lines that are not UTF-8.
_LEGACY_BLOCK = re.compile(f"^{_LEGACY_LINE}(?:\\n{_LEGACY_LINE})*", re.MULTILINE)
#: A line that is UTF-8 and not ASCII.
_UTF8_LINE = re.compile(f"^{_OK}*[^\\x00-\\x7f\udc80-\udcff]{_OK}*$", re.MULTILINE)
#: A UTF-8 line holding a character that legacy bytes read as UTF-8 by accident would give
#: (below U+0800 and neither Vietnamese nor common punctuation), or U+FFFD.
_PLAUSIBLE = "".join(sorted(_VN_LETTERS | set(_TONE_MARKS) | _PUNCTUATION))
_IMPLAUSIBLE_LINE = re.compile(
    f"^{_OK}*(?:[^\\x00-\\x7f\\u0800-\\U0010ffff{re.escape(_PLAUSIBLE)}]|\ufffd){_OK}*$",
    re.MULTILINE,
)
_UTF8_CHAR = re.compile("[^\\x00-\\x7f\udc80-\udcff]")
_NON_ASCII_LINE = re.compile(b"[\\x80-\\xff][^\\n]*")


def _line_span(text: str, position: int) -> tuple[int, int]:
    """The (start, end) of the line of ``text`` holding ``position``, without its newline."""
    end = text.find("\n", position)
    return text.rfind("\n", 0, position) + 1, len(text) if end < 0 else end


def _net(score: _Score) -> int:
    return score.valid - score.invalid


def _decode_non_utf8(data: bytes) -> Decoded:
    """Decode bytes that are not valid UTF-8: one legacy encoding, or UTF-8 mixed with one."""
    text = data.decode("utf-8", "surrogateescape")

    def raw(span: tuple[int, int]) -> bytes:
        return text[span[0]:span[1]].encode("utf-8", "surrogateescape")

    sample: list[bytes] = []
    for block in _LEGACY_BLOCK.finditer(text):
        sample += raw(block.span()).split(b"\n")[:SAMPLE_LINES - len(sample)]
        if len(sample) >= SAMPLE_LINES:
            break
    choice = _choose(sample)
    moved: list[tuple[int, int]] = []
    utf8_lines = 0
    if _UTF8_CHAR.search(text):
        # A legacy line may be valid UTF-8 by accident; it then reads as unlikely characters.
        moved = [line.span() for line in _IMPLAUSIBLE_LINE.finditer(text)
                 if _net(_score_text([_decode_legacy(raw(line.span()), choice.decoder)]))
                 > _net(_score_text([line.group()]))]
        utf8_lines = len(_UTF8_LINE.findall(text)) - len(moved)
    prefix = "mixed-utf8-" if utf8_lines else ""
    if not choice.certain:
        raise EncodingUnclear(prefix + choice.best,
                              tuple(prefix + encoding for encoding in choice.remaining),
                              _example(sample, choice.example_token, choice.decoder))
    converted = len(_NON_ASCII_LINE.findall(data)) - utf8_lines
    capitals: list[tuple[int, int]] = []
    if choice.best == "tcvn3":  # ASCII lines whose only capitals with marks are in C0
        capitals = [span for span in sorted({_line_span(text, match.start())
                                             for match in _TCVN3_CAPITAL_IN_WORD.finditer(text)})
                    if text[span[0]:span[1]].isascii()]
        converted += len(capitals)
    if not utf8_lines:
        return Decoded(_decode_legacy(data, choice.decoder), choice.best, converted)
    spans = moved + capitals + [block.span() for block in _LEGACY_BLOCK.finditer(text)]
    pieces: list[str] = []
    position = 0
    for start, end in sorted(spans):
        pieces += [text[position:start], _decode_legacy(raw((start, end)), choice.decoder)]
        position = end
    pieces.append(text[position:])
    return Decoded(_nfc("".join(pieces)), prefix + choice.best, converted)


def _ascii_or_tcvn3_capitals(text: str, encoding: str) -> Decoded:
    """ASCII text, unless control characters inside its words are TCVN3 capitals for certain."""
    if _TCVN3_CAPITAL_IN_WORD.search(text) is None:
        return Decoded(text, encoding, 0)
    lines = [line for line in text.split("\n") if _TCVN3_CAPITAL_IN_WORD.search(line)]
    choice = _choose([line.encode("ascii") for line in lines[:SAMPLE_LINES]])
    if not (choice.certain and choice.best == "tcvn3"):
        return Decoded(text, encoding, 0)
    return Decoded(_decode_legacy(text.encode("ascii"), choice.decoder), "tcvn3", len(lines))


def decode_bytes(data: bytes) -> Decoded:
    """Decode a file's bytes to NFC text, finding its encoding.

    Parameters
    ----------
    data : the whole file.

    Returns
    -------
    Decoded
        The text, the encoding found and how many lines needed conversion.

    Raises
    ------
    EncodingUnclear
        When the bytes are not UTF-8 or UTF-16 and no legacy Vietnamese encoding is certain
        (see the module docstring for the rule).

    Examples
    --------
    >>> decode_bytes(b"Nguye\\xe3n Va\\xean").text
    'Nguyễn Văn'
    """
    if not isinstance(data, bytes):
        data = bytes(data)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        utf16 = _decode_utf16(data, "utf-16")
    else:
        bomless = _utf16_without_bom(data)
        utf16 = _decode_utf16(data, bomless) if bomless is not None else None
    if utf16 is not None:
        return Decoded(utf16, "utf-16", 0)
    encoding, body = "utf-8", data
    if data.startswith(codecs.BOM_UTF8):
        encoding, body = "utf-8-sig", data[len(codecs.BOM_UTF8):]
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        # A UTF-8 file cut off inside its last character is still UTF-8.
        cut = error.end == len(body) and error.reason == "unexpected end of data"
        if not cut or body[:error.start].isascii():
            return _decode_non_utf8(body)
        text = body[:error.start].decode("utf-8") + "\ufffd"
    if text.isascii():
        return _ascii_or_tcvn3_capitals(text, encoding)
    repaired = _repair_double(text)
    if repaired is not None:
        return Decoded(repaired[0], "utf-8-double", repaired[1])
    return Decoded(_nfc(text), encoding, 0)
