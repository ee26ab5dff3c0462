"""The canonical tables of a carework data folder.

A data folder holds up to five tables (``transactions`` is the only one required). Each
table has canonical English column names; users' files may use Vietnamese or English
aliases, matched after accent folding and lower-casing (``"Mã KH"`` → ``ma_kh`` →
``customer_id``). Category values are normalised the same way (``"Cửa hàng"`` → ``store``).

The schema is data, not code: :mod:`carework.io` reads it to find files, rename columns,
parse values and decide which rows to set aside.

Examples
--------
>>> TABLES["transactions"].required_columns
('customer_id', 'purchased_at', 'amount')
>>> TABLES["transactions"].canonical_name("Ngày mua")
'purchased_at'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from carework.vntext import slug

_SCALE_SUFFIX = re.compile(r"(?:_(?:thang|tu|scale|on|tren))?(?:_\d+){1,2}"
                           r"(?:_(?:diem|sao|stars?|points?))?$")

Kind = Literal["id", "text", "phone", "datetime", "date", "money", "score", "bool", "category"]


@dataclass(frozen=True)
class Column:
    """One canonical column.

    Parameters
    ----------
    name : canonical name.
    kind : how values are parsed: ``id`` (trimmed text key), ``text``, ``phone`` (text, leading
        zero kept), ``datetime``/``date``, ``money`` (VND amounts, Vietnamese or English
        separators), ``score`` (integer in ``bounds``), ``bool``, ``category`` (``values``).
    required : the table is unusable without it.
    aliases : other header spellings (already slugged: lower case, no accents, ``_``).
    values : for ``category``: slugged synonym → canonical value. Unknown values are kept as
        their slug.
    bounds : for ``score``: inclusive (low, high).
    """

    name: str
    kind: Kind
    required: bool = False
    aliases: tuple[str, ...] = ()
    values: Mapping[str, str] = field(default_factory=dict)
    bounds: tuple[int, int] | None = None


@dataclass(frozen=True)
class Table:
    """One canonical table: its file names, its columns and its unique key."""

    name: str
    columns: tuple[Column, ...]
    file_stems: tuple[str, ...]
    key: str | None = None
    required: bool = False

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    def canonical_name(self, header: str) -> str | None:
        """The canonical column a user's header stands for, or ``None``.

        A scale written after a score's name counts for nothing: ``"Điểm giới thiệu (0-10)"`` is
        ``diem_gioi_thieu``, ``"Mức độ hài lòng (1–5 sao)"`` is ``muc_do_hai_long``.
        """
        key = slug(header)
        for col in self.columns:
            if key == col.name or key in col.aliases:
                return col.name
        bare = _SCALE_SUFFIX.sub("", key)
        for col in self.columns:
            if col.kind == "score" and (bare == col.name or bare in col.aliases):
                return col.name
        return None


CHANNELS = {
    "store": "store", "cua_hang": "store", "tai_cua_hang": "store", "offline": "store",
    "shop": "store", "truc_tiep": "store", "chi_nhanh": "store",
    "online": "online", "truc_tuyen": "online", "web": "online", "website": "online",
    "app": "online", "ung_dung": "online", "san_tmdt": "online", "shopee": "online",
    "lazada": "online", "tiki": "online", "facebook": "online", "zalo": "online",
    "phone": "phone", "dien_thoai": "phone", "hotline": "phone", "tong_dai": "phone",
    "telesale": "phone", "goi_dien": "phone",
}

SERVICE_CHANNELS = {
    "phone": "phone", "dien_thoai": "phone", "hotline": "phone", "tong_dai": "phone",
    "goi_dien": "phone", "call": "phone",
    "email": "email", "e_mail": "email", "thu": "email", "mail": "email",
    "sms": "sms", "tin_nhan": "sms", "nhan_tin": "sms",
    "social": "social", "mang_xa_hoi": "social", "facebook": "social", "zalo": "social",
    "messenger": "social", "fanpage": "social", "tiktok": "social",
    "store": "store", "cua_hang": "store", "tai_cua_hang": "store", "truc_tiep": "store",
    "web": "web", "website": "web", "chat": "web", "app": "web",
}

GENDERS = {
    "male": "male", "m": "male", "nam": "male", "trai": "male",
    "female": "female", "f": "female", "nu": "female", "gai": "female",
    "other": "other", "khac": "other",
}

INCOME_BANDS = {
    "budget": "budget", "low": "budget", "thap": "budget", "binh_dan": "budget",
    "mid": "mid", "middle": "mid", "medium": "mid", "trung_binh": "mid", "kha": "mid",
    "premium": "premium", "high": "premium", "cao": "premium", "cao_cap": "premium",
}

ACQUISITION_SOURCES = {
    "referral": "referral", "gioi_thieu": "referral", "nguoi_quen_gioi_thieu": "referral",
    "khach_gioi_thieu": "referral",
    "friend_family": "friend_family", "ban_be": "friend_family", "gia_dinh": "friend_family",
    "nguoi_than": "friend_family", "ban_be_gia_dinh": "friend_family",
    "ban_be_nguoi_than": "friend_family", "nguoi_quen": "friend_family",
    "ads": "ads", "quang_cao": "ads", "advertising": "ads", "facebook_ads": "ads",
    "walk_in": "walk_in", "vang_lai": "walk_in", "khach_vang_lai": "walk_in",
    "tu_den": "walk_in", "qua_duong": "walk_in",
    "online": "online", "truc_tuyen": "online", "website": "online", "mang_xa_hoi": "online",
}

TICKET_STATUSES = {
    "open": "open", "mo": "open", "dang_mo": "open", "moi": "open", "new": "open",
    "pending": "open", "dang_xu_ly": "open", "in_progress": "open", "cho_xu_ly": "open",
    "chua_xu_ly": "open", "tiep_nhan": "open", "da_tiep_nhan": "open", "on_hold": "open",
    "waiting": "open", "assigned": "open", "processing": "open", "dang_cho": "open",
    "resolved": "resolved", "da_xu_ly": "resolved", "da_giai_quyet": "resolved",
    "closed": "resolved", "dong": "resolved", "da_dong": "resolved", "hoan_thanh": "resolved",
    "da_hoan_thanh": "resolved", "xong": "resolved", "da_xong": "resolved", "done": "resolved",
    "solved": "resolved", "fixed": "resolved", "completed": "resolved",
    "cancelled": "cancelled", "canceled": "cancelled", "huy": "cancelled",
    "da_huy": "cancelled", "huy_bo": "cancelled", "void": "cancelled",
    "duplicate": "cancelled", "trung": "cancelled", "trung_lap": "cancelled",
    "reopened": "reopened", "mo_lai": "reopened",
}
"""Ticket statuses: ``open`` (not handled yet, in progress, waiting), ``resolved`` (handled,
closed), ``cancelled`` (withdrawn, duplicate: closed without handling) and ``reopened``
(resolved, reopened, then resolved again: ``resolved_at`` is the final resolution)."""

CONTACT_OUTCOMES = {
    "reached": "reached", "da_lien_he": "reached", "thanh_cong": "reached",
    "nghe_may": "reached", "answered": "reached",
    "no_answer": "no_answer", "khong_nghe_may": "no_answer", "khong_bat_may": "no_answer",
    "callback": "callback", "goi_lai": "callback", "hen_goi_lai": "callback",
    "declined": "declined", "tu_choi": "declined", "refused": "declined",
    "wrong_number": "wrong_number", "sai_so": "wrong_number",
}

_CUSTOMER_ID = Column(
    "customer_id", "id", required=True,
    aliases=("ma_kh", "makh", "ma_khach_hang", "ma_khach", "id_khach_hang", "khach_hang_id",
             "customerid", "customer_no", "customer_code", "client_id", "id_kh"),
)

TRANSACTIONS = Table(
    "transactions",
    required=True,
    file_stems=("transactions", "transaction", "giao_dich", "don_hang", "orders", "hoa_don",
                "ban_hang", "sales", "purchases"),
    columns=(
        _CUSTOMER_ID,
        Column("purchased_at", "datetime", required=True,
               aliases=("ngay_mua", "ngay_mua_hang", "ngay_giao_dich", "thoi_gian_mua",
                        "ngay_ban", "ngay_dat_hang", "ngay", "purchase_date", "order_date",
                        "transaction_date", "date", "purchased_on")),
        Column("amount", "money", required=True,
               aliases=("so_tien", "thanh_tien", "tong_tien", "gia_tri", "doanh_thu", "tien",
                        "tong_cong", "total", "revenue", "value", "amount_vnd", "sales_amount")),
        Column("order_id", "id",
               aliases=("ma_don", "ma_don_hang", "ma_hoa_don", "so_hoa_don", "so_don",
                        "invoice_id", "invoice", "order", "order_no")),
        Column("cancels_order_id", "id",
               aliases=("ma_don_goc", "don_goc", "hoa_don_goc", "ma_hoa_don_goc", "tra_cho_don",
                        "original_order_id", "original_order", "original_invoice",
                        "cancels_order", "return_of")),
        Column("channel", "category", aliases=("kenh", "kenh_ban", "kenh_mua", "kenh_ban_hang"),
               values=CHANNELS),
        Column("product_category", "text",
               aliases=("danh_muc", "nhom_hang", "nganh_hang", "loai_san_pham", "loai_hang",
                        "category", "product_type")),
        Column("store", "text", aliases=("cua_hang", "chi_nhanh", "diem_ban", "branch", "shop")),
    ),
)

CUSTOMERS = Table(
    "customers",
    key="customer_id",
    file_stems=("customers", "customer", "khach_hang", "danh_sach_khach_hang", "clients"),
    columns=(
        _CUSTOMER_ID,
        Column("name", "text", aliases=("ten", "ho_ten", "ho_va_ten", "ten_khach_hang", "ten_kh",
                                        "full_name", "customer_name")),
        Column("phone", "phone", aliases=("so_dien_thoai", "sdt", "dien_thoai", "dt", "so_dt",
                                          "di_dong", "mobile", "phone_number", "tel")),
        Column("email", "text", aliases=("e_mail", "thu_dien_tu", "mail")),
        Column("gender", "category", aliases=("gioi_tinh", "sex"), values=GENDERS),
        Column("birth_date", "date", aliases=("ngay_sinh", "sinh_nhat", "birthday", "dob",
                                              "date_of_birth")),
        Column("province", "text", aliases=("tinh", "tinh_thanh", "tinh_thanh_pho", "thanh_pho",
                                            "khu_vuc", "city", "region")),
        Column("occupation", "text", aliases=("nghe_nghiep", "nghe", "job")),
        Column("income_band", "category", aliases=("thu_nhap", "muc_thu_nhap", "income"),
               values=INCOME_BANDS),
        Column("acquisition_source", "category",
               aliases=("nguon", "nguon_khach", "nguon_khach_hang", "kenh_tiep_can", "source",
                        "referral_source"),
               values=ACQUISITION_SOURCES),
        Column("signup_at", "date", aliases=("ngay_dang_ky", "ngay_tham_gia", "ngay_tao",
                                             "signup_date", "joined_at", "created_at")),
        Column("do_not_call", "bool", aliases=("khong_goi", "khong_lien_he", "khong_goi_dien",
                                               "dnc")),
    ),
)

SURVEYS = Table(
    "surveys",
    file_stems=("surveys", "survey", "khao_sat", "danh_gia", "phan_hoi", "feedback"),
    columns=(
        _CUSTOMER_ID,
        Column("answered_at", "datetime", required=True,
               aliases=("ngay_tra_loi", "ngay_khao_sat", "ngay_danh_gia", "thoi_gian_tra_loi",
                        "ngay", "date", "survey_date", "responded_at", "submitted_at")),
        Column("nps", "score", bounds=(0, 10),
               aliases=("diem_nps", "diem_gioi_thieu", "muc_do_gioi_thieu", "recommend",
                        "likelihood_to_recommend")),
        Column("csat", "score", bounds=(1, 5),
               aliases=("diem_hai_long", "muc_do_hai_long", "hai_long", "satisfaction")),
        Column("comment", "text", aliases=("nhan_xet", "y_kien", "binh_luan", "gop_y",
                                           "noi_dung", "feedback", "comments")),
        Column("channel", "category", aliases=("kenh", "kenh_khao_sat"), values=SERVICE_CHANNELS),
    ),
)

TICKETS = Table(
    "tickets",
    key="ticket_id",
    file_stems=("tickets", "ticket", "phieu_ho_tro", "yeu_cau_ho_tro", "khieu_nai", "complaints",
                "cases"),
    columns=(
        Column("ticket_id", "id", required=True,
               aliases=("ma_phieu", "ma_yeu_cau", "ma_khieu_nai", "so_phieu", "ticket",
                        "case_id", "ticket_no")),
        _CUSTOMER_ID,
        Column("opened_at", "datetime", required=True,
               aliases=("ngay_mo", "ngay_tiep_nhan", "thoi_gian_tiep_nhan", "ngay_tao",
                        "thoi_gian_mo", "created_at", "opened", "open_date")),
        Column("first_response_at", "datetime",
               aliases=("phan_hoi_dau", "thoi_gian_phan_hoi", "thoi_gian_phan_hoi_dau",
                        "ngay_phan_hoi", "responded_at", "first_response")),
        Column("resolved_at", "datetime",
               aliases=("ngay_xu_ly_xong", "thoi_gian_giai_quyet", "thoi_gian_xu_ly_xong",
                        "ngay_dong", "ngay_hoan_thanh", "closed_at", "resolved")),
        Column("channel", "category", aliases=("kenh", "kenh_tiep_nhan"), values=SERVICE_CHANNELS),
        Column("category", "text", aliases=("loai", "phan_loai", "loai_khieu_nai", "van_de",
                                            "chu_de", "topic", "issue_type")),
        Column("agent", "text", aliases=("nhan_vien", "nv", "nv_phu_trach", "nguoi_xu_ly",
                                         "staff", "assignee")),
        Column("status", "category", aliases=("trang_thai", "tinh_trang", "state"),
               values=TICKET_STATUSES),
    ),
)

CONTACTS = Table(
    "contacts",
    file_stems=("contacts", "contact", "lien_he", "lich_su_lien_he", "cuoc_goi", "calls",
                "call_log"),
    columns=(
        _CUSTOMER_ID,
        Column("contacted_at", "datetime", required=True,
               aliases=("ngay_goi", "ngay_lien_he", "thoi_gian_lien_he", "thoi_gian_goi",
                        "ngay", "date", "called_at", "call_at", "contact_date")),
        Column("channel", "category", aliases=("kenh", "hinh_thuc"), values=SERVICE_CHANNELS),
        Column("agent", "text", aliases=("nhan_vien", "nv", "nguoi_goi", "staff", "caller")),
        Column("outcome", "category", aliases=("ket_qua", "result"), values=CONTACT_OUTCOMES),
    ),
)

TABLES: dict[str, Table] = {
    t.name: t for t in (TRANSACTIONS, CUSTOMERS, SURVEYS, TICKETS, CONTACTS)
}
"""Every canonical table by name, in loading order."""

TRUE_WORDS = frozenset({"1", "true", "yes", "y", "x", "co", "dung", "t", "v"})
FALSE_WORDS = frozenset({"0", "false", "no", "n", "khong", "sai", "f", ""})
