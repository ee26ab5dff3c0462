"""decode_bytes: each encoding a Vietnamese shop exports in is read back exactly, or refused.

The legacy encoders below are the inverses of carework's own tables, so a round trip checks the
tables letter by letter as well as the detection.
"""

from __future__ import annotations

import codecs
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carework.readers import legacy_tables
from carework.readers.encodings import Decoded, EncodingUnclear, decode_bytes

# ---------------------------------------------------------------------------------------------
# Realistic data
# ---------------------------------------------------------------------------------------------

ROWS = [
    ("KH001", "Nguyễn Thị Hương", "Hà Nội"),
    ("KH002", "Trần Văn Đức", "Đà Nẵng"),
    ("KH003", "Phạm Quốc Bảo", "Thừa Thiên Huế"),
    ("KH004", "Lê Thị Ngọc Ánh", "TP. HỒ CHÍ MINH"),
    ("KH005", "Hoàng Minh Tuấn", "Bà Rịa-Vũng Tàu"),
    ("KH006", "Võ Thị Thủy", "Cần Thơ"),
    ("KH007", "Đặng Văn Phước", "Đồng Nai"),
    ("KH008", "Bùi Xuân Trường", "Khánh Hòa"),
    ("KH009", "Đỗ Thị Nguyệt", "Quảng Ngãi"),
    ("KH010", "Huỳnh Công Lý", "Kiên Giang"),
    ("KH011", "Ngô Thanh Hải", "Hải Phòng"),
    ("KH012", "Dương Thị Yến", "Bình Dương"),
    ("KH013", "Lý Văn Khoa", "Đắk Lắk"),
    ("KH014", "Phan Thị Diễm", "Sóc Trăng"),
    ("KH015", "Vũ Đình Khôi", "Nghệ An"),
    ("KH016", "Trịnh Thị Loan", "Thanh Hóa"),
    ("KH017", "Hồ Văn Nghĩa", "Bạc Liêu"),
    ("KH018", "Châu Ngọc Quyên", "Hậu Giang"),
    ("KH019", "Mai Thị Tuyết", "Lâm Đồng"),
    ("KH020", "Tạ Quang Việt", "Gia Lai"),
    ("KH021", "ĐINH THỊ HẠNH", "Cà Mau"),
    ("KH022", "Lương Thế Vinh", "Tây Ninh"),
]
COMMENTS = [
    ("KH001", "giao hàng chậm, nhân viên không nhiệt tình"),
    ("KH002", "sản phẩm tốt, đóng gói cẩn thận"),
    ("KH003", "đổi trả hàng lỗi quá lâu"),
    ("KH004", "khuyến mãi hấp dẫn, sẽ ủng hộ tiếp"),
    ("KH005", "Gọi tổng đài không ai nghe máy"),
    ("KH006", "rất hài lòng với dịch vụ"),
]


def csv_text(rows: list[tuple[str, str, str]], newline: str = "\n") -> str:
    lines = ["ma_kh,ho_ten,tinh"] + [",".join(row) for row in rows]
    return newline.join(lines) + newline


CUSTOMERS = csv_text(ROWS)
COMMENTS_CSV = "ma_kh,ghi_chu\n" + "".join(f'{code},"{text}"\n' for code, text in COMMENTS)
VIETNAMESE = {ch for ch in legacy_tables.tcvn3_table() if ch.isalpha() and not ch.isascii()}


# ---------------------------------------------------------------------------------------------
# Encoders: the inverses of the decoding tables
# ---------------------------------------------------------------------------------------------


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _inverse_single(table: str) -> dict[str, bytes]:
    return {char: bytes([byte]) for byte, char in enumerate(table)
            if char in VIETNAMESE and (byte >= 0x80 or byte in legacy_tables.TCVN3_LOW)}


def _tcvn3_inverse() -> dict[str, bytes]:
    return _inverse_single(legacy_tables.tcvn3_table())


def _vni_inverse() -> dict[str, bytes]:
    table = legacy_tables.vni_table()
    inverse: dict[str, bytes] = {}
    for byte, letter in legacy_tables.VNI_LETTERS.items():
        if letter in VIETNAMESE:
            inverse.setdefault(letter, bytes([byte]))
    bases = [(ord(char), char.islower()) for char in "aeiouyAEIOUY"]
    bases += [(byte, table[byte].islower()) for byte in (0xF4, 0xF6, 0xD4, 0xD6)]
    for base, lower in bases:
        for small_mark in legacy_tables.VNI_MARKS:
            mark = small_mark if lower else small_mark - 0x20
            letter = _nfc(table[base] + table[mark])
            if letter in VIETNAMESE:
                inverse.setdefault(letter, bytes([base, mark]))
    return inverse


def _cp1258_inverse() -> dict[str, bytes]:
    table = legacy_tables.cp1258_table()
    inverse = _inverse_single(table)
    tones = [byte for byte, char in enumerate(table) if unicodedata.combining(char)]
    bases = [byte for byte, char in enumerate(table)
             if char in "aeiouyAEIOUY" or char in VIETNAMESE]
    for base in bases:
        for tone in tones:
            letter = _nfc(table[base] + table[tone])
            if letter in VIETNAMESE:
                inverse.setdefault(letter, bytes([base, tone]))
    return inverse


INVERSES = {"tcvn3": _tcvn3_inverse(), "vni": _vni_inverse(), "cp1258": _cp1258_inverse()}
#: Where punctuation (–, “, ”, ₫) goes: VNI keeps cp1252's, Windows-1258 has its own.
PUNCTUATION_CODEC = {"vni": "cp1252", "cp1258": "cp1258"}


def encode(text: str, encoding: str) -> bytes:
    """``text`` in a legacy encoding; ASCII passes through."""
    inverse = INVERSES[encoding]
    out = bytearray()
    for char in text:
        if char.isascii():
            out += char.encode("ascii")
        elif char in inverse:
            out += inverse[char]
        elif encoding in PUNCTUATION_CODEC and not char.isalpha():
            out += char.encode(PUNCTUATION_CODEC[encoding])
        else:
            raise ValueError(f"{char!r} has no {encoding} code")
    return bytes(out)


def double_encode(text: str, via: str = "cp1252") -> bytes:
    """UTF-8 read as cp1252 (or Latin-1) and written out again as UTF-8."""
    raw = text.encode("utf-8")
    if via == "latin-1":
        return raw.decode("latin-1").encode("utf-8")
    return "".join(bytes([b]).decode("cp1252", "ignore") or chr(b) for b in raw).encode("utf-8")


# ---------------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------------


def test_every_table_holds_all_134_letters():
    assert len(VIETNAMESE) == 134
    for encoding, inverse in INVERSES.items():
        assert set(inverse) == VIETNAMESE, encoding


@pytest.mark.parametrize("encoding", ["tcvn3", "vni", "cp1258"])
def test_letters_round_trip_through_the_tables(encoding):
    tables = {"tcvn3": legacy_tables.tcvn3_table(), "vni": legacy_tables.vni_table(),
              "cp1258": legacy_tables.cp1258_table()}
    for letter, code in INVERSES[encoding].items():
        assert _nfc(codecs.charmap_decode(code, "strict", tables[encoding])[0]) == letter


def test_tables_match_the_published_spellings():
    # "Nguyễn Văn" as the guides show it when the bytes are read as cp1252.
    assert encode("Nguyễn Văn", "tcvn3").decode("cp1252") == "NguyÔn V¨n"
    assert encode("Nguyễn Văn", "vni").decode("cp1252") == "Nguyeãn Vaên"
    assert encode("đĐ", "vni").decode("cp1252") == "ñÑ"
    assert encode("Hà Nội", "cp1258") == b"H\xe0 N\xf4\xf2i"


# ---------------------------------------------------------------------------------------------
# Legacy encodings
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["tcvn3", "vni", "cp1258"])
def test_customer_csv_in_each_legacy_encoding(encoding):
    result = decode_bytes(encode(CUSTOMERS, encoding))
    assert result == Decoded(CUSTOMERS, encoding, len(ROWS))


@pytest.mark.parametrize("encoding", ["tcvn3", "vni", "cp1258"])
def test_comments_in_each_legacy_encoding(encoding):
    result = decode_bytes(encode(COMMENTS_CSV, encoding))
    assert (result.text, result.encoding) == (COMMENTS_CSV, encoding)


@pytest.mark.parametrize("encoding", ["vni", "cp1258"])
def test_punctuation_of_the_windows_code_pages(encoding):
    text = "ma_kh,tinh,ghi_chu\nKH005,Bà Rịa–Vũng Tàu,“giao nhanh”\n"
    if encoding == "cp1258":
        text += "KH006,Cần Thơ,giá 250.000₫\n"
    result = decode_bytes(encode(text, encoding))
    assert (result.text, result.encoding) == (text, encoding)


def test_crlf_and_upper_case_capitals():
    text = csv_text(ROWS[:5], newline="\r\n")
    for encoding in ("tcvn3", "vni", "cp1258"):
        assert decode_bytes(encode(text, encoding)).text == text


def test_tcvn3_upper_case_typed_with_vntimeh_fonts():
    # .VnTimeH shows the lower-case codes as capitals: "KHÁCH" is stored as "KH¸CH".
    data = b"DANH S\xb8CH KH\xb8CH H\xb5NG\nNguy\xd4n V\xa8n,H\xb5 N\xe9i\n"
    result = decode_bytes(data)
    assert result == Decoded("DANH SÁCH KHÁCH HÀNG\nNguyễn Văn,Hà Nội\n", "tcvn3", 2)


def test_tcvn3_with_the_quotes_and_dashes_of_windows_programs():
    # Typed with .VnTime in Word: cp1252 quotes and dash at 0x80-0x9F, where VN1 has capitals.
    text = "ma_kh,ghi_chu\nKH001,“giao hàng chậm” – nhân viên không nhiệt tình\n"
    data = encode(text.replace("“", "").replace("”", "").replace("– ", ""), "tcvn3")
    data = data.replace(b"KH001,", b"KH001,\x93").replace(b"m n", b"m\x94 \x96 n")
    assert decode_bytes(data) == Decoded(text, "tcvn3", 1)


def test_ascii_bytes_holding_tcvn3_capitals_in_control_positions():
    # TCVN 5712 puts Ừ, Ứ, Ữ ... at C0 positions: "TRỪ" is the ASCII bytes "TR\x04".
    data = b"ma_kh,ghi_chu\nKH001,TR\x04 C\x11U NG\x06\nKH002,ok\n"
    assert decode_bytes(data) == Decoded("ma_kh,ghi_chu\nKH001,TRỪ CỨU NGỮ\nKH002,ok\n",
                                         "tcvn3", 1)
    # A control character that makes no Vietnamese word of its neighbours stays as it is.
    assert decode_bytes(b"abc\x02xyz\n") == Decoded("abc\x02xyz\n", "utf-8", 0)


def test_one_clear_word_is_enough():
    # Only one word has non-ASCII bytes; TCVN3 makes "Nguyễn" of it, the others "NguyÔn"/"NguyƠn".
    data = b"ma_kh,ho_ten\nKH001,Nguy\xd4n Van A\nKH002,Tran Van B\n"
    result = decode_bytes(data)
    assert result == Decoded("ma_kh,ho_ten\nKH001,Nguyễn Van A\nKH002,Tran Van B\n", "tcvn3", 1)


def test_one_ambiguous_word_stops():
    # VNI "Phơ", cp1258 "Phô" and TCVN3 "Phụ" are all Vietnamese.
    with pytest.raises(EncodingUnclear) as caught:
        decode_bytes(b"ma_kh,ho_ten\nKH001,Ph\xf4 Van A\n")
    error = caught.value
    assert set(error.candidates) == {"cp1258", "tcvn3", "vni"}
    assert error.guess in error.candidates
    assert "Ph" in error.example and len(error.example) <= 40
    assert error.guess in str(error)


def test_random_bytes_stop():
    with pytest.raises(EncodingUnclear) as caught:
        decode_bytes(bytes(range(128, 256)) * 10)
    error = caught.value
    assert error.guess in error.candidates
    assert set(error.candidates) <= {"cp1258", "tcvn3", "vni"}
    assert len(error.example) <= 40


def test_nul_bytes_do_not_crash():
    data = encode("ma_kh,tinh\nKH001,Hà Nội\n", "cp1258").replace(b"\n", b"\x00\n")
    assert decode_bytes(data) == Decoded("ma_kh,tinh\x00\nKH001,Hà Nội\x00\n", "cp1258", 1)


# ---------------------------------------------------------------------------------------------
# Any rows: right or refused, never wrong
# ---------------------------------------------------------------------------------------------


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.sampled_from(ROWS), min_size=1, max_size=30),
       encoding=st.sampled_from(["tcvn3", "vni", "cp1258"]))
def test_legacy_rows_decode_exactly_or_stop(rows, encoding):
    text = csv_text(rows)
    try:
        result = decode_bytes(encode(text, encoding))
    except EncodingUnclear as error:
        assert encoding in error.candidates
        return
    assert (result.text, result.encoding) == (text, encoding)


@settings(max_examples=100, deadline=None)
@given(words=st.lists(st.sampled_from(sorted({w for _, name, province in ROWS
                                              for w in f"{name} {province}".split()})),
                      min_size=1, max_size=3),
       encoding=st.sampled_from(["tcvn3", "vni", "cp1258"]))
def test_a_few_words_decode_exactly_or_stop(words, encoding):
    text = "ma_kh,ho_ten\nKH001," + " ".join(words) + "\n"
    try:
        result = decode_bytes(encode(text, encoding))
    except EncodingUnclear:
        return
    assert result.text == text


# ---------------------------------------------------------------------------------------------
# UTF-8, UTF-16, double encoding, mixed files
# ---------------------------------------------------------------------------------------------


def test_ascii_only_is_utf8():
    assert decode_bytes(b"ma_kh,ho_ten\nKH001,Nguyen Van A\n") == Decoded(
        "ma_kh,ho_ten\nKH001,Nguyen Van A\n", "utf-8", 0)
    assert decode_bytes(b"") == Decoded("", "utf-8", 0)


def test_utf8_with_and_without_bom():
    assert decode_bytes(CUSTOMERS.encode("utf-8")) == Decoded(CUSTOMERS, "utf-8", 0)
    assert decode_bytes(CUSTOMERS.encode("utf-8-sig")) == Decoded(CUSTOMERS, "utf-8-sig", 0)


def test_decomposed_utf8_comes_back_nfc():
    nfd = unicodedata.normalize("NFD", CUSTOMERS)
    assert nfd != CUSTOMERS
    assert decode_bytes(nfd.encode("utf-8")).text == CUSTOMERS


def test_correct_utf8_is_never_repaired():
    text = ("ma_kh,ghi_chu\nKH001,Cửa hàng ÃO DÀI Ngã Ba\nKH002,“rẻ” – giá 100.000₫\n"
            "KH003,NGÃ\u00a0TƯ SỞ\nKH004,Café Ânh Đào\n")
    assert decode_bytes(text.encode("utf-8")) == Decoded(text, "utf-8", 0)


def test_utf8_cut_inside_the_last_character():
    data = CUSTOMERS.encode("utf-8") + "Hà".encode()[:-1]
    result = decode_bytes(data)
    assert result == Decoded(CUSTOMERS + "H\ufffd", "utf-8", 0)


@pytest.mark.parametrize("via", ["cp1252", "latin-1"])
def test_double_encoded_utf8_is_repaired(via):
    data = double_encode(CUSTOMERS, via)
    mojibake = {"cp1252": "Nguyá»…n", "latin-1": "Nguyá»\x85n"}[via]
    assert mojibake in data.decode("utf-8")
    assert decode_bytes(data) == Decoded(CUSTOMERS, "utf-8-double", len(ROWS))


def test_short_double_encoded_line():
    text = "ma_kh,ho_ten\nKH001,Đỗ Thị Huệ\n"
    assert decode_bytes(double_encode(text)) == Decoded(text, "utf-8-double", 1)


def test_double_encoded_lines_among_correct_ones():
    good = csv_text(ROWS[:3])
    bad = "".join(f"{','.join(row)}\n" for row in ROWS[3:8])
    data = good.encode("utf-8") + double_encode(bad)
    assert decode_bytes(data) == Decoded(good + bad, "utf-8-double", 5)


def test_utf16_le_with_bom_tab_separated():
    text = CUSTOMERS.replace(",", "\t")
    assert decode_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le")) == Decoded(
        text, "utf-16", 0)
    assert decode_bytes(text.encode("utf-16")) == Decoded(text, "utf-16", 0)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom(codec):
    text = CUSTOMERS.replace(",", "\t")
    assert decode_bytes(text.encode(codec)) == Decoded(text, "utf-16", 0)


@pytest.mark.parametrize("legacy", ["cp1258", "tcvn3", "vni"])
def test_mixed_utf8_and_legacy_lines(legacy):
    first = csv_text(ROWS[:8])
    second = "".join(f"{','.join(row)}\n" for row in ROWS[8:])
    data = first.encode("utf-8") + encode(second, legacy)
    result = decode_bytes(data)
    assert result == Decoded(first + second, f"mixed-utf8-{legacy}", len(ROWS) - 8)


def test_mixed_file_that_is_unclear_names_the_mixed_encodings():
    data = CUSTOMERS.encode("utf-8") + b"KH099,Ph\xf4,Ha Noi\n"
    with pytest.raises(EncodingUnclear) as caught:
        decode_bytes(data)
    assert caught.value.guess.startswith("mixed-utf8-")
    assert all(name.startswith("mixed-utf8-") for name in caught.value.candidates)


def test_thirty_megabytes_of_utf8():
    data = CUSTOMERS.encode("utf-8") * (30_000_000 // len(CUSTOMERS.encode("utf-8")) + 1)
    assert len(data) > 30_000_000
    result = decode_bytes(data)
    assert result.encoding == "utf-8"
    assert len(result.text) == len(data.decode("utf-8"))
