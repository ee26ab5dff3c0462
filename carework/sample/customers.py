"""The customers table: sign-up, persona, demographics, geography and contact details."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from carework.sample.calendar import Calendar
from carework.sample.columns import text
from carework.sample.draws import choice, pick, weights
from carework.sample.names import draw_emails, draw_names, draw_phones
from carework.sample.personas import (
    ACQ_MIX,
    ACQUISITION,
    INCOME,
    INCOME_MIX,
    PROSPECT,
    PROVINCE_MIX,
    SHARE,
)

__all__ = ["HANOI", "HCMC", "OCCUPATIONS", "OTHER_PROVINCES", "frame", "simulate"]

HCMC, HANOI = "TP Hồ Chí Minh", "Hà Nội"
"""The two cities with the chain's stores."""
OTHER_PROVINCES = (  # name, weight, nearest chain city (0 = HCMC, 1 = Hà Nội, -1 = either)
    ("Đà Nẵng", 10, -1), ("Cần Thơ", 8, 0), ("Hải Phòng", 8, 1), ("Bình Dương", 9, 0),
    ("Đồng Nai", 8, 0), ("Khánh Hòa", 5, 0), ("Bà Rịa - Vũng Tàu", 5, 0), ("Long An", 5, 0),
    ("Bắc Ninh", 6, 1), ("Quảng Ninh", 5, 1), ("Nghệ An", 5, 1), ("Thừa Thiên Huế", 4, -1),
    ("Lâm Đồng", 4, 0), ("Thanh Hóa", 5, 1), ("Tiền Giang", 4, 0), ("Bình Định", 3, -1),
)
OCCUPATIONS = (
    ("Nhân viên văn phòng", 20), ("Kinh doanh tự do", 12), ("Công nhân", 9), ("Giáo viên", 6),
    ("Nội trợ", 7), ("Kỹ sư", 6), ("Nhân viên bán hàng", 7), ("Công chức", 5), ("Kế toán", 5),
    ("Lập trình viên", 4), ("Tài xế", 4), ("Y tá", 2), ("Bác sĩ", 2), ("Chủ doanh nghiệp", 3),
    ("Quản lý", 3), ("Sinh viên", 5),
)
"""Occupations (Vietnamese) and their weights; age overrides students, pupils, retirees."""
VIP_JOBS = ("Chủ doanh nghiệp", "Bác sĩ", "Kinh doanh tự do", "Quản lý")


def simulate(rng: np.random.Generator, n: int, cal: Calendar,
             end: pd.Timestamp) -> dict[str, np.ndarray]:
    """Draw ``n`` customers, numbered in sign-up order; arrays keyed by attribute."""
    days = cal.days
    u = rng.random(n)
    early = rng.random(n) < 0.3
    signup = np.sort(np.where(early, np.floor(u * min(90, days)), np.floor(u * days)))
    signup = signup.astype(np.int64)

    persona = choice(rng, n, SHARE)
    pattern = np.zeros(n, dtype=np.int64)
    pattern[(persona == 1) & (rng.random(n) < 0.25)] = 1  # slowed_regular
    pattern[(persona == 3) & (rng.random(n) < 0.20)] = 2  # fading_big_spender
    prospect = rng.random(n) < PROSPECT[persona]
    prospect &= pattern == 0

    female = rng.random(n) < np.select([persona == 3, persona == 4], [0.62, 0.55], 0.58)
    age_mean = np.array([37.0, 36.0, 38.0, 27.0, 43.0])[persona]
    age_sd = np.array([11.0, 10.0, 13.0, 6.0, 9.0])[persona]
    age = rng.normal(age_mean, age_sd)
    young = (age < 16) & (rng.random(n) < 0.8)  # few children: most redraws land at 16-30
    age = np.clip(np.where(young, rng.uniform(16, 30, n), age), 12.0, 75.5)
    birth_days = np.floor(age * 365.25).astype(np.int64)
    birth_missing = rng.random(n) < 0.06

    names = draw_names(rng, female)

    region = pick(rng, PROVINCE_MIX, persona)  # 0 HCMC, 1 Hà Nội, 2 elsewhere
    other = choice(rng, n, weights(OTHER_PROVINCES))
    other_names = np.array([p[0] for p in OTHER_PROVINCES], dtype=object)
    province = np.where(region == 0, HCMC, np.where(region == 1, HANOI, other_names[other]))
    near = np.array([p[2] for p in OTHER_PROVINCES])[other]
    near = np.where(near < 0, (rng.random(n) < 0.5).astype(np.int64), near)
    city = np.where(region < 2, region, near)  # the chain city whose stores they use

    jobs = np.array([j for j, _ in OCCUPATIONS], dtype=object)
    occupation = jobs[choice(rng, n, weights(OCCUPATIONS))]
    vip_job = np.array(VIP_JOBS, dtype=object)[rng.integers(0, len(VIP_JOBS), n)]
    r = rng.random(n)
    occupation = np.where((persona == 4) & (r < 0.5), vip_job, occupation)
    occupation = np.where((age >= 18) & (age < 23) & (r < 0.7), "Sinh viên", occupation)
    occupation = np.where(age < 18, "Học sinh", occupation)
    occupation = np.where((age >= 60) & (r < 0.7), "Hưu trí", occupation)
    occupation = np.where((occupation == "Sinh viên") & (age >= 27), "Nhân viên văn phòng",
                          occupation)
    occupation_missing = rng.random(n) < 0.08

    income_table = np.vstack([INCOME_MIX, [0.10, 0.50, 0.40]])
    income = pick(rng, income_table, np.where(pattern == 2, 5, persona))
    income = np.where((age < 22) & (income == 2), 1, income)
    source = pick(rng, ACQ_MIX, persona)

    phone = draw_phones(rng, n)
    phone_missing = rng.random(n) < 0.04
    has_email = rng.random(n) < np.where(persona == 3, 0.75, 0.45)
    email = draw_emails(rng, names, age, end)

    do_not_call = rng.random(n) < 0.03
    return {
        "signup": signup, "persona": persona, "pattern": pattern, "prospect": prospect,
        "female": female, "age": age, "birth_days": birth_days, "birth_missing": birth_missing,
        "name": names.name, "province": province, "region": region, "city": city,
        "occupation": occupation, "occupation_missing": occupation_missing, "income": income,
        "source": source, "phone": phone, "phone_missing": phone_missing, "email": email,
        "has_email": has_email, "do_not_call": do_not_call,
    }


def frame(c: dict[str, np.ndarray], cid: pa.Array, start: pd.Timestamp,
          end: pd.Timestamp) -> pd.DataFrame:
    """The customers table of the simulated customers ``c`` (ids ``cid``)."""
    n = c["persona"].size
    end_day = np.datetime64(end.normalize().to_datetime64(), "D")
    birth = (end_day - c["birth_days"].astype("timedelta64[D]")).astype("datetime64[us]")
    birth[c["birth_missing"]] = np.datetime64("NaT")
    signup = (np.datetime64(start.to_datetime64(), "D")
              + c["signup"].astype("timedelta64[D]")).astype("datetime64[us]")
    return pd.DataFrame({
        "customer_id": text(np.arange(n), cid),
        "name": pd.array(c["name"], dtype="str"),
        "phone": pd.array(np.where(c["phone_missing"], None, c["phone"]), dtype="str"),
        "email": pd.array(np.where(c["has_email"], c["email"], None), dtype="str"),
        "gender": text(c["female"].astype(np.int64), ("male", "female")),
        "birth_date": birth,
        "province": pd.array(c["province"], dtype="str"),
        "occupation": pd.array(np.where(c["occupation_missing"], None, c["occupation"]),
                               dtype="str"),
        "income_band": text(c["income"], INCOME),
        "acquisition_source": text(c["source"], ACQUISITION),
        "signup_at": signup,
        "do_not_call": c["do_not_call"],
    })
