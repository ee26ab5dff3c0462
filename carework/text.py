"""Complaint text: the root-cause factor of a comment (product, convenience, people, other).

The handbook sorts complaint causes into three factors — product (quality, design, packaging,
range, price, warranty), convenience (delivery, payment, location, opening hours) and people
(staff attitude and skills). :func:`root_cause` reads a comment the way customers write it — with
or without diacritics, abbreviated (``nv``, ``ship``, ``k``), mixed with English — by matching
accent-folded key phrases per topic; the topic with most matches gives the factor, and a comment
that names none is ``other``. Everything runs offline.

Examples
--------
>>> root_cause(["Giao hàng quá chậm", "nv noi chuyen coc loc", "hàng bị vỡ", "cảm ơn"])
['convenience', 'people', 'product', 'other']
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from carework.vntext import fold

FACTORS = ("product", "convenience", "people", "other")

TOPIC_FACTOR: dict[str, str] = {
    "product_quality": "product",
    "product_design": "product",
    "packaging": "product",
    "product_range": "product",
    "price": "product",
    "warranty": "product",
    "delivery": "convenience",
    "payment": "convenience",
    "store_location": "convenience",
    "opening_hours": "convenience",
    "staff_attitude": "people",
    "staff_skills": "people",
}
"""Complaint topic (the canonical ticket categories) → the handbook's root-cause factor."""

KEY_PHRASES: dict[str, tuple[str, ...]] = {
    "product_quality": ("chat luong", "hong", "bi be", "be vo", "vo", "nut", "hang loi", "bi loi",
                        "kem chat", "hu", "hu hong", "khong dung duoc", "khong chay",
                        "quality", "broken", "defect", "rach", "phai dem doi", "khong hoat dong",
                        "het han", "moc", "hang gia", "fake", "dung tam"),
    "product_design": ("mau ma", "thiet ke", "kieu dang", "xau", "khong dep", "design",
                       "kich co", "size", "mau sac"),
    "packaging": ("dong goi", "bao bi", "goi hang", "mop", "packaging", "bop meo"),
    "product_range": ("het hang", "khong co hang", "it mau", "chung loai", "it lua chon",
                      "khong co size", "out of stock", "thieu hang", "khong du hang",
                      "mat hang"),
    "price": ("gia cao", "gia dat", "dat hon", "price", "expensive", "tang gia", "chat chem",
              "dat qua", "gia hoi cao"),
    "warranty": ("bao hanh", "doi tra", "hau mai", "warranty", "sua chua", "tra hang",
                 "doi hang"),
    "delivery": ("giao hang", "giao cham", "ship", "van chuyen", "giao tre", "giao nham",
                 "delivery", "shipper", "cham tre", "chua nhan", "giao thieu", "don hang cham",
                 "that lac", "delay", "giao sai", "tong dai", "hen goi lai"),
    "payment": ("thanh toan", "tru tien", "hoan tien", "chuyen khoan", "quet the",
                "payment", "refund", "tien thua", "hoa don", "vi dien tu", "momo", "hai lan"),
    "store_location": ("kho tim", "bang hieu", "dia chi", "cho dau xe", "gui xe",
                       "location", "kho thay", "dau xe", "bat tien", "xa", "de xe"),
    "opening_hours": ("gio mo cua", "dong cua", "mo cua", "gio lam viec", "dong som",
                      "mo tre", "opening"),
    "staff_attitude": ("thai do", "coc loc", "kho chiu", "bat lich su", "to tieng", "gat",
                       "khong ai de y", "lam lo", "nhat gung", "khong them", "khong tra loi",
                       "khong ai tu van", "de y",
                       "tho o", "bam dien thoai", "khong nhiet tinh", "rude", "attitude",
                       "thai do nv", "nv kho chiu", "thieu ton trong", "phot lo"),
    "staff_skills": ("tu van sai", "tu van khong dung", "khong biet", "huong dan sai",
                     "nghiep vu", "khong nam", "lung tung", "skill", "tu van", "giai thich sai",
                     "long ngong", "khong hieu",
                     "xu ly cham", "khong ro"),
}
"""Accent-folded key phrases per topic, matched as whole words."""

_ABBREVIATIONS = {r"\bnv\b": "nhan vien", r"\bk\b": "khong", r"\bko\b": "khong",
                  r"\bkh\b": "khong", r"\bdc\b": "duoc", r"\bsp\b": "san pham",
                  r"\bbh\b": "bao hanh", r"\btt\b": "thanh toan"}


def _normalise(comment: str) -> str:
    text = " " + re.sub(r"[^0-9a-z]+", " ", fold(comment)) + " "
    for pattern, full in _ABBREVIATIONS.items():
        text = re.sub(pattern, full, text)
    return text.replace("nhan vien", "nhan vien nv")  # "nv ..." phrases match both spellings


def topic(comments: Iterable[object]) -> list[str | None]:
    """The complaint topic of each comment (``None`` when it names none)."""
    out: list[str | None] = []
    for comment in comments:
        if not isinstance(comment, str) or not comment.strip():
            out.append(None)
            continue
        text = _normalise(comment)
        hits = {name: sum(f" {phrase.strip()} " in text for phrase in phrases)
                for name, phrases in KEY_PHRASES.items()}
        best = max(hits, key=hits.get)
        out.append(best if hits[best] else None)
    return out


def root_cause(comments: Iterable[object]) -> list[str]:
    """The root-cause factor of each comment: ``product``, ``convenience``, ``people`` or
    ``other``."""
    return [TOPIC_FACTOR[name] if name else "other" for name in topic(comments)]
