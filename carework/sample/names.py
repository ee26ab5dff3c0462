"""Vietnamese names, mobile numbers and e-mail addresses of the simulated customers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd

from carework.sample.draws import choice, weights
from carework.sample.folding import fold_keep_case

__all__ = ["NameParts", "draw_emails", "draw_names", "draw_phones"]

FAMILY = (
    ("Nguyễn", 38), ("Trần", 11), ("Lê", 9.5), ("Phạm", 7), ("Hoàng", 3), ("Huỳnh", 3),
    ("Phan", 4.5), ("Vũ", 2.5), ("Võ", 2.5), ("Đặng", 2), ("Bùi", 2), ("Đỗ", 1.4),
    ("Hồ", 1.3), ("Ngô", 1.3), ("Dương", 1), ("Lý", 0.5), ("Trương", 1), ("Đinh", 0.8),
    ("Mai", 0.6), ("Lâm", 0.6), ("Tô", 0.4), ("Cao", 0.5), ("Lương", 0.5), ("Hà", 0.6),
)
"""Family names and their weights (shares in the population, in %)."""
MIDDLE = (
    ("Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Hoàng", "Công", "Gia", "Tuấn", "Xuân"),
    ("Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Mai", "Bảo", "Phương", "Kim", "Hồng"),
)
"""Middle names: male, female."""
MIDDLE2 = ("Ngọc", "Thu", "Minh", "Bảo", "Kim", "Thanh", "Hoài", "Diệu", "Khánh")
"""Second middle names (some four-word names)."""
GIVEN = (
    ("Anh", "Bảo", "Cường", "Dũng", "Duy", "Đạt", "Hải", "Hiếu", "Hoàng", "Hùng", "Huy",
     "Khoa", "Khánh", "Long", "Minh", "Nam", "Phong", "Phúc", "Quân", "Quang", "Sơn", "Tâm",
     "Thắng", "Thành", "Tiến", "Trung", "Tuấn", "Việt", "Vinh", "Vũ", "Lộc", "Nhân"),
    ("An", "Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Hương",
     "Huyền", "Lan", "Linh", "Loan", "Ly", "Mai", "My", "Nga", "Ngân", "Ngọc", "Nhung",
     "Oanh", "Phương", "Quỳnh", "Thảo", "Thu", "Trang", "Tuyết", "Vy", "Yến", "Trâm"),
)
"""Given names: male, female."""
PHONE_PREFIXES = (
    "032", "033", "034", "035", "036", "037", "038", "039", "086", "096", "097", "098",
    "070", "076", "077", "078", "079", "089", "090", "093",
    "081", "082", "083", "084", "085", "088", "091", "094", "056", "058", "059", "099",
)
"""Vietnamese mobile prefixes (Viettel, MobiFone, VinaPhone, Vietnamobile, Gmobile)."""
EMAIL_DOMAINS = (("gmail.com", 72), ("yahoo.com", 9), ("outlook.com", 6), ("hotmail.com", 5),
                 ("icloud.com", 4), ("fpt.vn", 2), ("vnn.vn", 2))
"""E-mail domains and their weights."""


class NameParts(NamedTuple):
    """The drawn name of each customer and the indices of its parts (for e-mail addresses)."""

    name: np.ndarray
    family: np.ndarray
    middle: np.ndarray
    given: np.ndarray
    female: np.ndarray


def draw_names(rng: np.random.Generator, female: np.ndarray) -> NameParts:
    """Full names (family, middle, [second middle,] given) matching each customer's gender."""
    n = female.size
    fam_idx = choice(rng, n, weights(FAMILY))
    family = np.array([f for f, _ in FAMILY], dtype=object)[fam_idx]
    g = female.astype(np.int64)  # 0 male, 1 female
    mid_idx = rng.integers(0, len(MIDDLE[0]), n)
    giv_idx = rng.integers(0, len(GIVEN[0]), n)
    two_mid = rng.random(n) < np.where(female, 0.14, 0.06)
    mid2_idx = rng.integers(0, len(MIDDLE2), n)
    middle = np.where(g == 1, np.array(MIDDLE[1], dtype=object)[mid_idx],
                      np.array(MIDDLE[0], dtype=object)[mid_idx])
    given = np.where(g == 1, np.array(GIVEN[1], dtype=object)[giv_idx],
                     np.array(GIVEN[0], dtype=object)[giv_idx])
    mid2 = np.array(MIDDLE2, dtype=object)[mid2_idx]
    name = np.array([f"{a} {b} {c} {d}" if two else f"{a} {b} {d}"
                     for a, b, c, d, two in zip(family.tolist(), middle.tolist(),
                                                mid2.tolist(), given.tolist(),
                                                two_mid.tolist(), strict=True)], dtype=object)
    return NameParts(name, fam_idx, mid_idx, giv_idx, g)


def draw_phones(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` distinct 10-digit mobile numbers (text with the leading 0)."""
    numbers = rng.choice(len(PHONE_PREFIXES) * 10_000_000, size=n, replace=False)
    prefixes = np.array(PHONE_PREFIXES, dtype=object)[numbers // 10_000_000]
    return np.array([f"{p}{x:07d}" for p, x in zip(prefixes.tolist(),
                                                    (numbers % 10_000_000).tolist(),
                                                    strict=True)], dtype=object)


def _ascii_of(words: Sequence[str]) -> np.ndarray:
    return np.array([fold_keep_case(w).lower() for w in words], dtype=object)


def draw_emails(rng: np.random.Generator, parts: NameParts, age: np.ndarray,
                end: pd.Timestamp) -> np.ndarray:
    """E-mail addresses from the folded name (four common styles), made unique."""
    n = parts.name.size
    style = rng.integers(0, 4, n)
    digits = rng.integers(1, 1000, n)
    yy = (end.year - np.floor(age).astype(np.int64)) % 100
    domain = np.array([d for d, _ in EMAIL_DOMAINS], dtype=object)[
        choice(rng, n, weights(EMAIL_DOMAINS))]

    g = parts.female
    fam_a = _ascii_of([f for f, _ in FAMILY])[parts.family]
    mid_a = np.where(g == 1, _ascii_of(MIDDLE[1])[parts.middle],
                     _ascii_of(MIDDLE[0])[parts.middle])
    giv_a = np.where(g == 1, _ascii_of(GIVEN[1])[parts.given], _ascii_of(GIVEN[0])[parts.given])
    emails = []
    for fa, mi, gi, s, dg, y, dom in zip(fam_a.tolist(), mid_a.tolist(), giv_a.tolist(),
                                         style.tolist(), digits.tolist(), yy.tolist(),
                                         domain.tolist(), strict=True):
        if s == 0:
            local = f"{gi}{fa}{y:02d}"
        elif s == 1:
            local = f"{gi}.{fa}"
        elif s == 2:
            local = f"{fa}{gi}{dg}"
        else:
            local = f"{gi}{fa[0]}{mi[0]}{y:02d}"
        emails.append(f"{local}@{dom}")
    email = pd.Series(emails, dtype=object)
    dup = email.groupby(email).cumcount().to_numpy()
    return np.array([e if k == 0 else e.replace("@", f"{k + 1}@")
                     for e, k in zip(emails, dup.tolist(), strict=True)], dtype=object)
