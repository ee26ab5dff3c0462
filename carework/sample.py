"""Deterministic synthetic sample data for carework.

:func:`generate` simulates a Vietnamese retail business (two cities' stores plus an online
shop, money in VND) with five hidden customer personas, a buy-till-you-die purchase process,
Tết seasonality, complaint tickets, post-purchase surveys with free-text comments and a call
history. :func:`write` saves the five canonical tables as CSV plus a ``README.md`` data
dictionary. The same seed gives byte-identical files.

Hidden structure (kept in :attr:`SampleData.truth` and :attr:`SampleData.survey_truth`,
never written to the data folder):

* Personas: ``acquaintance``, ``regular``, ``occasional``, ``online``, ``vip`` (the care
  handbook's five groups), plus two cross-cutting patterns clustering should find:
  ``slowed_regular`` (a regular whose purchase rate drops to a third or a quarter part-way)
  and ``fading_big_spender`` (an online customer with 3.5x larger baskets whose activity
  fades).
* Purchases follow BG/NBD: a first purchase at (or soon after) sign-up, then repeat
  purchases at rate ``lambda`` per ordinary day (Gamma across customers; ``regular``
  customers have Gamma-shaped, i.e. regular, gaps instead of exponential ones), and after
  each repeat purchase the customer drops out with probability ``p_dropout`` (Beta).
  Calendar effects (Tết, weekdays) enter through a time change, so they multiply the rate.
* Basket values are Gamma-Gamma: each customer has a mean spend (inverse-Gamma across
  customers, independent of frequency); each basket is Gamma around it.
* Survey scores depend on a latent customer satisfaction and on the experience of a ticket
  linked to the purchase (see :data:`SCORE_EFFECTS`).

Examples
--------
>>> data = generate(customers=200, seed=1)
>>> sorted(data.tables())
['contacts', 'customers', 'surveys', 'tickets', 'transactions']
>>> data.customers["customer_id"].iloc[0]
'KH000001'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import cycle
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from carework.schema import TABLES
from carework.text import TOPIC_FACTOR

__all__ = [
    "CATEGORIES",
    "PERSONAS",
    "SCORE_EFFECTS",
    "TICKET_TOPICS",
    "SampleData",
    "generate",
    "write",
]

# --------------------------------------------------------------------------------------
# Parameters of the simulated business (module constants so the README can quote them)
# --------------------------------------------------------------------------------------

PERSONAS = ("acquaintance", "regular", "occasional", "online", "vip")
"""The hidden personas, the care handbook's five rule-based groups."""

_SHARE = np.array([0.22, 0.18, 0.30, 0.25, 0.05])
_LAM_MEAN = np.array([1 / 45, 1 / 16, 1 / 200, 1 / 55, 1 / 30])  # repeat purchases per day
_LAM_SHAPE = np.array([3.0, 5.0, 0.7, 1.2, 2.5])  # Gamma shape (r) of lambda across customers
_GAP_SHAPE = np.array([1.0, 3.5, 1.0, 1.0, 1.0])  # shape of inter-purchase gaps (1 = Poisson)
_DROP_A = np.array([1.0, 1.2, 1.5, 1.2, 1.0])  # p_dropout ~ Beta(a, b)
_DROP_B = np.array([40.0, 40.0, 4.0, 10.0, 35.0])
_SPEND = np.array([380e3, 300e3, 450e3, 350e3, 2.4e6])  # mean basket (VND)
_SAT = np.array([0.5, 0.3, -0.2, -0.4, 0.3])  # satisfaction shift (NPS points)
_PROSPECT = np.array([0.05, 0.03, 0.08, 0.17, 0.0])  # share who sign up and never buy
_SPEND_Q = 3.0  # inverse-Gamma shape of mean spend across customers
_SPEND_P = 3.0  # Gamma shape of a basket around the customer's mean

CHANNELS = ("store", "online", "phone")
_CHANNEL_MIX = np.array([  # per persona: store, online, phone
    [0.72, 0.13, 0.15],
    [0.70, 0.22, 0.08],
    [0.85, 0.12, 0.03],
    [0.08, 0.88, 0.04],
    [0.58, 0.22, 0.20],
])

CATEGORIES = ("Mỹ phẩm", "Thời trang", "Gia dụng", "Thực phẩm", "Mẹ và bé", "Điện tử")
"""Product categories (Vietnamese, as a shop's export would write them)."""
_CAT_PRICE = np.array([0.9, 1.1, 1.3, 0.55, 0.9, 2.0])
_CAT_PREF = np.array([  # female, male
    [0.28, 0.24, 0.12, 0.14, 0.14, 0.08],
    [0.08, 0.22, 0.14, 0.18, 0.06, 0.32],
])

_HCMC, _HANOI = "TP Hồ Chí Minh", "Hà Nội"
_OTHER_PROVINCES = (  # name, weight, nearest chain city (0 = HCMC, 1 = Hà Nội, -1 = either)
    ("Đà Nẵng", 10, -1), ("Cần Thơ", 8, 0), ("Hải Phòng", 8, 1), ("Bình Dương", 9, 0),
    ("Đồng Nai", 8, 0), ("Khánh Hòa", 5, 0), ("Bà Rịa - Vũng Tàu", 5, 0), ("Long An", 5, 0),
    ("Bắc Ninh", 6, 1), ("Quảng Ninh", 5, 1), ("Nghệ An", 5, 1), ("Thừa Thiên Huế", 4, -1),
    ("Lâm Đồng", 4, 0), ("Thanh Hóa", 5, 1), ("Tiền Giang", 4, 0), ("Bình Định", 3, -1),
)
_PROVINCE_MIX = np.array([  # per persona: HCMC, Hà Nội, elsewhere
    [0.56, 0.36, 0.08],
    [0.56, 0.36, 0.08],
    [0.15, 0.12, 0.73],
    [0.40, 0.28, 0.32],
    [0.56, 0.36, 0.08],
])
_STORES = (
    (("CH Quận 1", 1.4), ("CH Quận 3", 1.0), ("CH Quận 7", 1.1), ("CH Bình Thạnh", 0.9),
     ("CH Thủ Đức", 0.8)),
    (("CH Cầu Giấy", 1.3), ("CH Hoàn Kiếm", 1.1), ("CH Đống Đa", 1.0), ("CH Hà Đông", 0.8)),
)

ACQUISITION = ("referral", "friend_family", "ads", "walk_in", "online")
_ACQ_MIX = np.array([
    [0.40, 0.60, 0.00, 0.00, 0.00],
    [0.20, 0.10, 0.20, 0.40, 0.10],
    [0.04, 0.04, 0.10, 0.80, 0.02],
    [0.05, 0.00, 0.40, 0.00, 0.55],
    [0.40, 0.20, 0.10, 0.25, 0.05],
])
INCOME = ("budget", "mid", "premium")
_INCOME_MIX = np.array([
    [0.35, 0.50, 0.15],
    [0.35, 0.50, 0.15],
    [0.40, 0.48, 0.12],
    [0.45, 0.45, 0.10],
    [0.00, 0.25, 0.75],
])
_INCOME_SPEND = np.array([0.85, 1.0, 1.3])

# Tết: ~2-3x the rate in the 3 weeks before, a dip in the holiday week.
_TET = ("2020-01-25", "2021-02-12", "2022-02-01", "2023-01-22", "2024-02-10", "2025-01-29",
        "2026-02-17", "2027-02-06", "2028-01-26", "2029-02-13", "2030-02-03")
_WEEKDAY = np.array([0.85, 0.85, 0.9, 0.95, 1.05, 1.2, 1.2])  # Mon..Sun, mean 1
_HOURS = np.arange(8, 22)  # purchases happen 08:00-21:59
_HOUR_PROFILE = np.array([  # store, online, phone: weight per hour 8..21
    [2, 3, 4, 5, 5, 4, 4, 4, 5, 6, 7, 8, 7, 4],
    [2, 2, 3, 3, 4, 3, 3, 3, 4, 5, 7, 9, 10, 9],
    [3, 5, 6, 6, 4, 5, 6, 6, 5, 4, 3, 2, 1, 1],
], dtype=float)

TICKET_TOPICS = TOPIC_FACTOR
"""Ticket category (complaint topic) → the handbook's root-cause factor (from carework.text)."""
_TOPICS = tuple(TICKET_TOPICS)
_FACTORS = ("product", "convenience", "people")
_TOPIC_FACTOR = np.array([_FACTORS.index(TICKET_TOPICS[t]) for t in _TOPICS])
_TOPIC_MIX = np.array([  # per purchase channel (store, online, phone), topics in _TOPICS order
    [0.18, 0.07, 0.03, 0.10, 0.10, 0.07, 0.02, 0.08, 0.04, 0.05, 0.16, 0.10],
    [0.18, 0.06, 0.10, 0.04, 0.06, 0.04, 0.30, 0.10, 0.00, 0.00, 0.06, 0.06],
    [0.16, 0.05, 0.05, 0.05, 0.08, 0.08, 0.20, 0.08, 0.00, 0.00, 0.12, 0.13],
])
_TOPIC_DELAY_H = np.array([96, 30, 30, 3, 6, 400, 60, 2, 1, 2, 2, 4], dtype=float)
_TOPIC_HANDLE_H = np.array([50, 24, 20, 12, 6, 160, 36, 8, 6, 4, 14, 12], dtype=float)
TICKET_CHANNELS = ("phone", "email", "sms", "social", "store")
_TICKET_CHANNEL_MIX = np.array([  # per purchase channel
    [0.35, 0.05, 0.05, 0.10, 0.45],
    [0.30, 0.25, 0.05, 0.35, 0.05],
    [0.70, 0.10, 0.10, 0.10, 0.00],
])
_FRT_MEDIAN_MIN = np.array([6.0, 300.0, 120.0, 50.0, 4.0])  # per ticket channel
_TICKET_RATE = 0.055  # base P(ticket | purchase), times channel and customer multipliers
_TICKET_CHANNEL_RATE = np.array([0.8, 1.6, 1.0])
_REOPEN = 0.07
AGENTS = (  # name, speed factor (> 1 = slower), share of work
    ("Nguyễn Thị Hoa", 0.55, 1.2), ("Trần Minh Tuấn", 0.75, 1.1), ("Lê Thu Trang", 0.9, 1.0),
    ("Phạm Quốc Bảo", 1.0, 1.0), ("Võ Thị Ngọc Ánh", 1.0, 1.0), ("Hoàng Văn Nam", 1.2, 1.0),
    ("Đặng Mỹ Linh", 1.4, 0.9), ("Bùi Đức Thắng", 2.2, 0.9), ("Huỳnh Gia Hân", 3.0, 0.8),
)

SCORE_EFFECTS: dict[str, float] = {
    "ticket": -0.5,
    "first_response_4_24h": -0.4,
    "first_response_over_24h": -1.0,
    "handling_over_72h_or_unresolved": -1.5,
    "factor_product": -0.4,
    "factor_convenience": -0.8,
    "factor_people": -1.2,
}
"""Additive effects on the latent NPS (0-10 scale) of a ticket linked to the surveyed purchase.

The first-response effects apply when the first response took 4-24 h, or more than 24 h (or
had not come yet when the customer answered); the handling effect when the ticket took more
than 72 h to resolve or was still unresolved at the answer. CSAT moves :data:`CSAT_PER_NPS`
points per NPS point.
"""
CSAT_PER_NPS = 0.45
_NPS_BASE, _NPS_CUSTOMER_SD, _NPS_ANSWER_SD = 7.9, 1.1, 1.4
_CSAT_BASE, _CSAT_SD = 4.0, 0.45
_SURVEY_RATE, _SURVEY_RATE_TICKET = 0.17, 0.5
SURVEY_CHANNELS = ("sms", "email", "web", "store")
_SURVEY_CHANNEL_MIX = np.array([  # per purchase channel
    [0.40, 0.15, 0.10, 0.35],
    [0.25, 0.35, 0.40, 0.00],
    [0.60, 0.30, 0.10, 0.00],
])

CONTACT_CHANNELS = ("phone", "sms", "email")
OUTCOMES = ("reached", "no_answer", "callback", "declined")

# --------------------------------------------------------------------------------------
# Names and other Vietnamese vocabulary
# --------------------------------------------------------------------------------------

_FAMILY = (
    ("Nguyễn", 38), ("Trần", 11), ("Lê", 9.5), ("Phạm", 7), ("Hoàng", 3), ("Huỳnh", 3),
    ("Phan", 4.5), ("Vũ", 2.5), ("Võ", 2.5), ("Đặng", 2), ("Bùi", 2), ("Đỗ", 1.4),
    ("Hồ", 1.3), ("Ngô", 1.3), ("Dương", 1), ("Lý", 0.5), ("Trương", 1), ("Đinh", 0.8),
    ("Mai", 0.6), ("Lâm", 0.6), ("Tô", 0.4), ("Cao", 0.5), ("Lương", 0.5), ("Hà", 0.6),
)
_MIDDLE = (
    ("Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Hoàng", "Công", "Gia", "Tuấn", "Xuân"),
    ("Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Mai", "Bảo", "Phương", "Kim", "Hồng"),
)
_MIDDLE2 = ("Ngọc", "Thu", "Minh", "Bảo", "Kim", "Thanh", "Hoài", "Diệu", "Khánh")
_GIVEN = (
    ("Anh", "Bảo", "Cường", "Dũng", "Duy", "Đạt", "Hải", "Hiếu", "Hoàng", "Hùng", "Huy",
     "Khoa", "Khánh", "Long", "Minh", "Nam", "Phong", "Phúc", "Quân", "Quang", "Sơn", "Tâm",
     "Thắng", "Thành", "Tiến", "Trung", "Tuấn", "Việt", "Vinh", "Vũ", "Lộc", "Nhân"),
    ("An", "Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Hương",
     "Huyền", "Lan", "Linh", "Loan", "Ly", "Mai", "My", "Nga", "Ngân", "Ngọc", "Nhung",
     "Oanh", "Phương", "Quỳnh", "Thảo", "Thu", "Trang", "Tuyết", "Vy", "Yến", "Trâm"),
)
_OCCUPATIONS = (
    ("Nhân viên văn phòng", 20), ("Kinh doanh tự do", 12), ("Công nhân", 9), ("Giáo viên", 6),
    ("Nội trợ", 7), ("Kỹ sư", 6), ("Nhân viên bán hàng", 7), ("Công chức", 5), ("Kế toán", 5),
    ("Lập trình viên", 4), ("Tài xế", 4), ("Y tá", 2), ("Bác sĩ", 2), ("Chủ doanh nghiệp", 3),
    ("Quản lý", 3), ("Sinh viên", 5),
)
_VIP_JOBS = ("Chủ doanh nghiệp", "Bác sĩ", "Kinh doanh tự do", "Quản lý")
_PHONE_PREFIXES = (
    "032", "033", "034", "035", "036", "037", "038", "039", "086", "096", "097", "098",
    "070", "076", "077", "078", "079", "089", "090", "093",
    "081", "082", "083", "084", "085", "088", "091", "094", "056", "058", "059", "099",
)
_EMAIL_DOMAINS = (("gmail.com", 72), ("yahoo.com", 9), ("outlook.com", 6), ("hotmail.com", 5),
                  ("icloud.com", 4), ("fpt.vn", 2), ("vnn.vn", 2))


@dataclass
class SampleData:
    """A generated data set: the five canonical tables, injected flaws and the hidden truth.

    Attributes
    ----------
    customers, transactions, surveys, tickets, contacts : pandas.DataFrame
        The canonical tables, with exactly the columns of :data:`carework.schema.TABLES`, in
        schema order. Timestamps are ``datetime64[us]`` (dates at midnight), scores are
        nullable ``Int64``, ``do_not_call`` is ``bool``.
    flaws : dict of str to int
        Injected export flaws and their exact counts:
        ``transactions.negative_amount`` (return rows) and ``transactions.duplicate_row``
        (extra verbatim copies of a row).
    truth : pandas.DataFrame
        One row per customer (same order as ``customers``): ``customer_id``, ``persona``,
        ``pattern`` (``none``/``slowed_regular``/``fading_big_spender``), ``prospect``,
        ``lambda`` (repeat purchases per ordinary day), ``gap_shape``, ``p_dropout``,
        ``dropout_at`` (NaT if alive at the end or never bought), ``slowdown_at``,
        ``slowdown_factor``, ``mean_spend`` (VND), ``satisfaction`` (NPS points),
        ``ticket_propensity``, ``first_purchase_at``, ``n_purchases``.
    survey_truth : pandas.DataFrame
        One row per survey (same order as ``surveys``): the linked ``ticket_id`` (if any),
        ``ticket_effect`` (the summed :data:`SCORE_EFFECTS`), ``comment_kind``
        (``none``/``complaint``/``praise``/``neutral``), ``comment_topic`` and
        ``comment_factor`` (the complaint's root cause, empty otherwise), ``folded`` (comment
        written without diacritics) and ``slang`` (abbreviations applied).
    params : dict
        The arguments of :func:`generate`.
    """

    customers: pd.DataFrame
    transactions: pd.DataFrame
    surveys: pd.DataFrame
    tickets: pd.DataFrame
    contacts: pd.DataFrame
    flaws: dict[str, int]
    truth: pd.DataFrame
    survey_truth: pd.DataFrame = field(default_factory=pd.DataFrame)
    params: dict[str, Any] = field(default_factory=dict)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The five canonical tables by name, in :data:`carework.schema.TABLES` order."""
        return {name: getattr(self, name) for name in TABLES}


# --------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------

_DAY = 86_400


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


def _fold_keep_case(text: str) -> str:
    """Remove Vietnamese diacritics, keep case (``"Đẹp"`` → ``"Dep"``)."""
    return unicodedata.normalize("NFC", text).translate(_FOLD)


def _weights(items: Sequence[tuple[Any, ...]], col: int = 1) -> np.ndarray:
    w = np.array([row[col] for row in items], dtype=float)
    return w / w.sum()


def _pick(rng: np.random.Generator, table: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Draw one category per element of ``rows`` from the probability row ``table[rows]``.

    Memory stays O(len(rows)) whatever the number of categories.
    """
    table = np.asarray(table, dtype=float)
    table = table / table.sum(axis=1, keepdims=True)
    u = rng.random(rows.size)
    out = np.zeros(rows.size, dtype=np.int64)
    acc = np.zeros(rows.size)
    for k in range(table.shape[1] - 1):
        acc += table[rows, k]
        out += u >= acc
    return out


def _choice(rng: np.random.Generator, n: int, probs: np.ndarray) -> np.ndarray:
    probs = np.asarray(probs, dtype=float)
    return rng.choice(probs.size, size=n, p=probs / probs.sum())


def _dirichlet_rows(rng: np.random.Generator, means: np.ndarray,
                    concentration: float) -> np.ndarray:
    """Per-row Dirichlet draws with the given mean rows (zero means stay zero)."""
    g = rng.gamma(np.maximum(means * concentration, 1e-9))
    g = np.where(means > 0, g, 0.0)
    return g / g.sum(axis=1, keepdims=True)


def _clock(frac: np.ndarray, profile_rows: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Map a fraction of a day in [0, 1) to seconds after midnight via an hourly profile.

    Monotone in ``frac`` for a given profile, so it is a valid intraday time change.
    """
    cdf = np.cumsum(profile_rows, axis=1)
    cdf = cdf / cdf[:, -1:]
    lower = np.hstack([np.zeros((cdf.shape[0], 1)), cdf[:, :-1]])
    out = np.empty(frac.size, dtype=np.int64)
    for g in range(cdf.shape[0]):
        sel = np.flatnonzero(rows == g)
        f = frac[sel]
        idx = np.minimum(np.searchsorted(cdf[g], f, side="right"), cdf.shape[1] - 1)
        lo, hi = lower[g, idx], cdf[g, idx]
        pos = np.clip((f - lo) / np.maximum(hi - lo, 1e-12), 0.0, 1.0 - 1e-9)
        out[sel] = (_HOURS[0] + idx) * 3600 + np.floor(pos * 3600).astype(np.int64)
    return out


def _timestamps(start: pd.Timestamp, seconds: np.ndarray,
                missing: np.ndarray | None = None) -> np.ndarray:
    out = np.datetime64(start.to_datetime64(), "s") + seconds.astype("timedelta64[s]")
    out = out.astype("datetime64[us]")
    if missing is not None:
        out[missing] = np.datetime64("NaT")
    return out


def _ids(prefix: str, count: int, width: int) -> pa.Array:
    """``count`` sequential ids from 1, zero-padded to ``width`` digits (more if needed)."""
    width = max(width, len(str(count)))
    digits = pc.utf8_lpad(pc.cast(pa.array(np.arange(1, count + 1)), pa.string()), width, "0")
    return pc.binary_join_element_wise(pa.scalar(prefix), digits, "")


def _text(codes: np.ndarray,
          labels: Sequence[str] | pa.Array) -> pd.api.extensions.ExtensionArray:
    """A pandas ``str`` array of ``labels[codes]`` (missing where ``codes`` < 0).

    Built as an Arrow dictionary and cast, which is much faster than object arrays for
    millions of rows.
    """
    codes = np.asarray(codes, dtype=np.int64)
    indices = pa.array(codes, mask=codes < 0)
    if not isinstance(labels, pa.Array):
        labels = pa.array(list(labels), type=pa.string())
    array = pa.DictionaryArray.from_arrays(indices, labels)
    return pd.array(array.cast(pa.string()), dtype="str")


def _segment_last(owner: np.ndarray, value: np.ndarray, n: int, fill: int) -> np.ndarray:
    """Per owner (0..n-1) the maximum of ``value``; ``fill`` where an owner has no rows."""
    out = np.full(n, fill, dtype=value.dtype)
    np.maximum.at(out, owner, value)
    return out


@dataclass(frozen=True)
class _Calendar:
    """Daily purchase-intensity multipliers and their integral (the operational time)."""

    start: pd.Timestamp
    days: int
    season: np.ndarray
    cum: np.ndarray
    weekday0: int

    @classmethod
    def build(cls, start: pd.Timestamp, end: pd.Timestamp) -> _Calendar:
        days = int((end - start).days)
        weekday0 = int(start.day_of_week)
        season = _WEEKDAY[(weekday0 + np.arange(days)) % 7].copy()
        offset = np.arange(days)
        for tet in _TET:
            d = int((pd.Timestamp(tet) - start).days)
            before = (offset >= d - 21) & (offset < d - 1)
            season[before] *= 1.8 + 1.2 * (offset[before] - (d - 21)) / 19
            season[(offset >= d - 1) & (offset <= d + 5)] *= 0.35
            season[(offset > d + 5) & (offset <= d + 9)] *= 0.8
        cum = np.concatenate([[0.0], np.cumsum(season)])
        return cls(start, days, season, cum, weekday0)

    @property
    def total(self) -> float:
        return float(self.cum[-1])

    def op(self, t: np.ndarray) -> np.ndarray:
        d = np.clip(np.floor(t).astype(np.int64), 0, self.days - 1)
        return self.cum[d] + self.season[d] * (t - d)

    def inv(self, op_time: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        d = np.searchsorted(self.cum, op_time, side="right") - 1
        d = np.clip(d, 0, self.days - 1)
        frac = np.clip((op_time - self.cum[d]) / self.season[d], 0.0, 1.0 - 1e-12)
        return d, frac

    def weekday(self, day: np.ndarray) -> np.ndarray:
        return (self.weekday0 + day) % 7


def _renewal(rng: np.random.Generator, rate: np.ndarray, shape: np.ndarray,
             horizon: np.ndarray, cap: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Event times of per-customer renewal processes with Gamma(shape, mean 1/rate) gaps.

    Returns (owner, time) for the events with time <= horizon, at most ``cap`` per owner,
    grouped by owner and increasing within an owner. Vectorised: each round draws a
    generous batch per unfinished owner, rarely more than one round is needed.
    """
    n = rate.size
    owners: list[np.ndarray] = []
    times: list[np.ndarray] = []
    pos = np.zeros(n)
    got = np.zeros(n, dtype=np.int64)
    todo = np.flatnonzero((cap > 0) & (horizon > 0) & (rate > 0))
    while todo.size:
        mu = rate[todo] * (horizon[todo] - pos[todo])
        m = np.ceil(mu + 3.0 * np.sqrt(mu / shape[todo]) + 3.0).astype(np.int64)
        m = np.minimum(m, cap[todo] - got[todo])
        own = np.repeat(todo, m)
        k = shape[own]
        gaps = rng.gamma(k, 1.0 / (k * rate[own]))
        cs = np.cumsum(gaps)
        ends = np.cumsum(m)
        starts = ends - m
        t = pos[own] + cs - np.repeat(cs[starts] - gaps[starts], m)
        ok = t <= horizon[own]
        owners.append(own[ok])
        times.append(t[ok])
        got[todo] += np.add.reduceat(ok.astype(np.int64), starts)
        last = t[ends - 1]
        pos[todo] = last
        todo = todo[(last <= horizon[todo]) & (got[todo] < cap[todo])]
    if not owners:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    owner = np.concatenate(owners)
    time = np.concatenate(times)
    order = np.lexsort((time, owner))
    return owner[order], time[order]


# --------------------------------------------------------------------------------------
# Customers
# --------------------------------------------------------------------------------------


def _customers(rng: np.random.Generator, n: int, cal: _Calendar,
               end: pd.Timestamp) -> dict[str, np.ndarray]:
    days = cal.days
    u = rng.random(n)
    early = rng.random(n) < 0.3
    signup = np.sort(np.where(early, np.floor(u * min(90, days)), np.floor(u * days)))
    signup = signup.astype(np.int64)

    persona = _choice(rng, n, _SHARE)
    pattern = np.zeros(n, dtype=np.int64)
    pattern[(persona == 1) & (rng.random(n) < 0.25)] = 1  # slowed_regular
    pattern[(persona == 3) & (rng.random(n) < 0.20)] = 2  # fading_big_spender
    prospect = rng.random(n) < _PROSPECT[persona]
    prospect &= pattern == 0

    female = rng.random(n) < np.select([persona == 3, persona == 4], [0.62, 0.55], 0.58)
    age_mean = np.array([37.0, 36.0, 38.0, 27.0, 43.0])[persona]
    age_sd = np.array([11.0, 10.0, 13.0, 6.0, 9.0])[persona]
    age = rng.normal(age_mean, age_sd)
    young = (age < 16) & (rng.random(n) < 0.8)  # few children: most redraws land at 16-30
    age = np.clip(np.where(young, rng.uniform(16, 30, n), age), 12.0, 75.5)
    birth_days = np.floor(age * 365.25).astype(np.int64)
    birth_missing = rng.random(n) < 0.06

    fam_idx = _choice(rng, n, _weights(_FAMILY))
    family = np.array([f for f, _ in _FAMILY], dtype=object)[fam_idx]
    g = female.astype(np.int64)  # 0 male, 1 female
    mid_idx = rng.integers(0, len(_MIDDLE[0]), n)
    giv_idx = rng.integers(0, len(_GIVEN[0]), n)
    two_mid = rng.random(n) < np.where(female, 0.14, 0.06)
    mid2_idx = rng.integers(0, len(_MIDDLE2), n)
    middle = np.where(g == 1, np.array(_MIDDLE[1], dtype=object)[mid_idx],
                      np.array(_MIDDLE[0], dtype=object)[mid_idx])
    given = np.where(g == 1, np.array(_GIVEN[1], dtype=object)[giv_idx],
                     np.array(_GIVEN[0], dtype=object)[giv_idx])
    mid2 = np.array(_MIDDLE2, dtype=object)[mid2_idx]
    name = np.array([f"{a} {b} {c} {d}" if two else f"{a} {b} {d}"
                     for a, b, c, d, two in zip(family.tolist(), middle.tolist(),
                                                mid2.tolist(), given.tolist(),
                                                two_mid.tolist(), strict=True)], dtype=object)

    region = _pick(rng, _PROVINCE_MIX, persona)  # 0 HCMC, 1 Hà Nội, 2 elsewhere
    other = _choice(rng, n, _weights(_OTHER_PROVINCES))
    other_names = np.array([p[0] for p in _OTHER_PROVINCES], dtype=object)
    province = np.where(region == 0, _HCMC, np.where(region == 1, _HANOI, other_names[other]))
    near = np.array([p[2] for p in _OTHER_PROVINCES])[other]
    near = np.where(near < 0, (rng.random(n) < 0.5).astype(np.int64), near)
    city = np.where(region < 2, region, near)  # the chain city whose stores they use

    jobs = np.array([j for j, _ in _OCCUPATIONS], dtype=object)
    occupation = jobs[_choice(rng, n, _weights(_OCCUPATIONS))]
    vip_job = np.array(_VIP_JOBS, dtype=object)[rng.integers(0, len(_VIP_JOBS), n)]
    r = rng.random(n)
    occupation = np.where((persona == 4) & (r < 0.5), vip_job, occupation)
    occupation = np.where((age >= 18) & (age < 23) & (r < 0.7), "Sinh viên", occupation)
    occupation = np.where(age < 18, "Học sinh", occupation)
    occupation = np.where((age >= 60) & (r < 0.7), "Hưu trí", occupation)
    occupation = np.where((occupation == "Sinh viên") & (age >= 27), "Nhân viên văn phòng",
                          occupation)
    occupation_missing = rng.random(n) < 0.08

    income_table = np.vstack([_INCOME_MIX, [0.10, 0.50, 0.40]])
    income = _pick(rng, income_table, np.where(pattern == 2, 5, persona))
    income = np.where((age < 22) & (income == 2), 1, income)
    source = _pick(rng, _ACQ_MIX, persona)

    # Phones: distinct 10-digit mobile numbers.
    numbers = rng.choice(len(_PHONE_PREFIXES) * 10_000_000, size=n, replace=False)
    prefixes = np.array(_PHONE_PREFIXES, dtype=object)[numbers // 10_000_000]
    phone = np.array([f"{p}{x:07d}" for p, x in zip(prefixes.tolist(),
                                                     (numbers % 10_000_000).tolist(),
                                                     strict=True)], dtype=object)
    phone_missing = rng.random(n) < 0.04

    # E-mails from the folded name, made unique.
    has_email = rng.random(n) < np.where(persona == 3, 0.75, 0.45)
    style = rng.integers(0, 4, n)
    digits = rng.integers(1, 1000, n)
    yy = (end.year - np.floor(age).astype(np.int64)) % 100
    domain = np.array([d for d, _ in _EMAIL_DOMAINS], dtype=object)[
        _choice(rng, n, _weights(_EMAIL_DOMAINS))]

    def ascii_of(words: Sequence[str]) -> np.ndarray:
        return np.array([_fold_keep_case(w).lower() for w in words], dtype=object)

    fam_a = ascii_of([f for f, _ in _FAMILY])[fam_idx]
    mid_a = np.where(g == 1, ascii_of(_MIDDLE[1])[mid_idx], ascii_of(_MIDDLE[0])[mid_idx])
    giv_a = np.where(g == 1, ascii_of(_GIVEN[1])[giv_idx], ascii_of(_GIVEN[0])[giv_idx])
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
    email = np.array([e if k == 0 else e.replace("@", f"{k + 1}@")
                      for e, k in zip(emails, dup.tolist(), strict=True)], dtype=object)

    do_not_call = rng.random(n) < 0.03
    return {
        "signup": signup, "persona": persona, "pattern": pattern, "prospect": prospect,
        "female": female, "age": age, "birth_days": birth_days, "birth_missing": birth_missing,
        "name": name, "province": province, "region": region, "city": city,
        "occupation": occupation, "occupation_missing": occupation_missing, "income": income,
        "source": source, "phone": phone, "phone_missing": phone_missing, "email": email,
        "has_email": has_email, "do_not_call": do_not_call,
    }


# --------------------------------------------------------------------------------------
# Purchases
# --------------------------------------------------------------------------------------


def _purchases(rng: np.random.Generator, c: dict[str, np.ndarray],
               cal: _Calendar) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    n = c["persona"].size
    persona, pattern = c["persona"], c["pattern"]
    buyer = ~c["prospect"]

    lam = rng.gamma(_LAM_SHAPE[persona], _LAM_MEAN[persona] / _LAM_SHAPE[persona])
    gap_shape = _GAP_SHAPE[persona].copy()
    sat = _SAT[persona] + rng.normal(0.0, _NPS_CUSTOMER_SD, n)
    p = rng.beta(_DROP_A[persona], _DROP_B[persona])
    fade = pattern == 2
    p = np.where(fade, rng.beta(2.0, 6.0, n), p)
    logit = np.log(p / (1 - p)) - 0.35 * (sat - _SAT[persona])  # unhappy customers leave more
    p = np.clip(1 / (1 + np.exp(-logit)), 1e-4, 0.95)

    # First purchase: the sign-up day or soon after.
    delay = np.where(rng.random(n) < 0.7, 0, 1 + rng.geometric(0.15, n))
    first_day = c["signup"] + delay
    first_day = np.where(first_day >= cal.days, c["signup"], first_day)
    first_frac = rng.random(n)
    op0 = cal.op(first_day + first_frac)
    room = np.maximum(cal.total - op0, 0.0)

    # Slow-downs (operational days after the first purchase) and their factors.
    slow_at = np.full(n, np.inf)
    slow_factor = np.ones(n)
    sr = pattern == 1
    slow_at[sr] = rng.uniform(120, 400, sr.sum())
    slow_factor[sr] = rng.uniform(3.0, 4.0, sr.sum())
    slow_at[fade] = rng.uniform(40, 160, fade.sum())
    slow_factor[fade] = rng.uniform(2.0, 3.0, fade.sum())
    slowed = room > slow_at
    horizon = room.copy()
    horizon[slowed] = slow_at[slowed] + (room[slowed] - slow_at[slowed]) / slow_factor[slowed]

    k_repeat = np.where(buyer, rng.geometric(p), 0)
    chunk = 250_000
    own_parts, tau_parts = [], []
    for lo in range(0, n, chunk):
        sl = slice(lo, min(n, lo + chunk))
        o, t = _renewal(rng, lam[sl], gap_shape[sl], horizon[sl], k_repeat[sl])
        own_parts.append(o + lo)
        tau_parts.append(t)
    own_r = np.concatenate(own_parts)
    tau = np.concatenate(tau_parts)
    got = np.bincount(own_r, minlength=n)
    dead = buyer & (got >= k_repeat) & (k_repeat > 0)
    sa = slow_at[own_r]
    late = tau > sa
    tau[late] = sa[late] + (tau[late] - sa[late]) * slow_factor[own_r][late]
    op = np.minimum(op0[own_r] + tau, cal.total - 1e-9)
    day_r, frac_r = cal.inv(op)

    buyers = np.flatnonzero(buyer)
    owner = np.concatenate([buyers, own_r])
    day = np.concatenate([first_day[buyers], day_r])
    frac = np.concatenate([first_frac[buyers], frac_r])

    # Channel, category, store, amount.
    chan_prop = _CHANNEL_MIX[persona].copy()
    chan_prop[fade] = [0.1, 0.85, 0.05]
    chan_prop = _dirichlet_rows(rng, chan_prop, 10.0)
    channel = _pick(rng, chan_prop, owner)
    seconds = day * _DAY + _clock(frac, _HOUR_PROFILE, channel)

    cat_pref = _dirichlet_rows(rng, _CAT_PREF[c["female"].astype(np.int64) ^ 1], 3.0)
    category = _pick(rng, cat_pref, owner)

    home = np.empty(n, dtype=np.int64)
    store_names: list[str] = []
    store_city: list[int] = []
    for ci, stores in enumerate(_STORES):
        store_names += [s for s, _ in stores]
        store_city += [ci] * len(stores)
    store_w = np.array([w for stores in _STORES for _, w in stores])
    store_city_a = np.array(store_city)
    city_table = np.vstack([np.where(store_city_a == ci, store_w, 0.0)
                            for ci in range(len(_STORES))])
    home[:] = _pick(rng, city_table, c["city"])
    loyal_store = np.where(persona == 2, 0.3, 0.8)
    other_store = _pick(rng, city_table, c["city"][owner])
    store = np.where(rng.random(owner.size) < loyal_store[owner], home[owner], other_store)
    store = np.where(channel == 0, store, -1)

    mean_spend = (_SPEND[persona] * np.where(fade, 3.5, 1.0) * _INCOME_SPEND[c["income"]]
                  * (_SPEND_Q - 1) / rng.gamma(_SPEND_Q, 1.0, n))
    norm = cat_pref @ _CAT_PRICE
    raw = (mean_spend[owner] * _CAT_PRICE[category] / norm[owner]
           * rng.gamma(_SPEND_P, 1.0 / _SPEND_P, owner.size))
    amount = np.maximum(np.round(raw / 1000.0), 10).astype(np.int64) * 1000

    order = np.lexsort((owner, seconds))
    rows = {"owner": owner[order], "seconds": seconds[order], "amount": amount[order],
            "channel": channel[order], "category": category[order], "store": store[order]}
    rows["store_names"] = store_names

    last = _segment_last(rows["owner"], rows["seconds"], n, -1)
    first = np.full(n, np.iinfo(np.int64).max)
    np.minimum.at(first, rows["owner"], rows["seconds"])
    truth = {
        "lam": lam, "gap_shape": gap_shape, "p": p, "dead": dead, "last": last,
        "first": first, "n_purchases": np.bincount(rows["owner"], minlength=n),
        "slow_at_op": np.where(np.isfinite(slow_at) & (room > slow_at), op0 + slow_at, np.nan),
        "slow_factor": slow_factor, "mean_spend": mean_spend, "sat": sat,
    }
    return rows, truth


# --------------------------------------------------------------------------------------
# Tickets, surveys, comments, contacts
# --------------------------------------------------------------------------------------


def _into_hours(rng: np.random.Generator, seconds: np.ndarray, lo_h: int,
                hi_h: int) -> np.ndarray:
    """Move times outside [lo_h, hi_h) to the next opening (plus up to 2 h)."""
    sod = seconds % _DAY
    day = seconds // _DAY
    jitter = np.floor(rng.random(seconds.size) * 7200).astype(np.int64)
    early = sod < lo_h * 3600
    late = sod >= hi_h * 3600
    out = np.where(early, day * _DAY + lo_h * 3600 + jitter, seconds)
    return np.where(late, (day + 1) * _DAY + lo_h * 3600 + jitter, out)


def _tickets(rng: np.random.Generator, p: dict[str, np.ndarray], n: int,
             horizon: int) -> tuple[dict[str, np.ndarray], np.ndarray]:
    owner, chan = p["owner"], p["channel"]
    propensity = rng.gamma(2.0, 0.5, n)
    prob = np.clip(_TICKET_RATE * _TICKET_CHANNEL_RATE[chan] * p["ticket_mult"][owner]
                   * propensity[owner], 0, 0.6)
    has = rng.random(owner.size) < prob
    src = np.flatnonzero(has)
    m = src.size
    pch = chan[src]
    topic = _pick(rng, _TOPIC_MIX, pch)
    tch = _pick(rng, _TICKET_CHANNEL_MIX, pch)
    delay = np.exp(rng.normal(np.log(_TOPIC_DELAY_H[topic]), 0.8)) * 3600
    opened = p["seconds"][src] + np.maximum(np.floor(delay), 60).astype(np.int64)
    office = (tch == 0) | (tch == 4)
    opened = np.where(office, _into_hours(rng, opened, 8, 21), opened)
    agent = _choice(rng, m, _weights(AGENTS, 2))
    speed = np.array([a[1] for a in AGENTS])[agent]
    frt = np.exp(rng.normal(np.log(_FRT_MEDIAN_MIN[tch]), 1.1)) * speed * 60
    frt = np.where(frt > 2 * _DAY, 1.5 * _DAY + rng.random(m) * 0.5 * _DAY, frt)
    first = _into_hours(rng, opened + np.maximum(np.floor(frt), 30).astype(np.int64), 8, 22)
    handle = np.exp(rng.normal(np.log(_TOPIC_HANDLE_H[topic]), 0.9)) * speed**0.7 * 3600
    resolved = first + np.maximum(np.floor(handle), 300).astype(np.int64)
    reopened = rng.random(m) < _REOPEN
    extra = np.exp(rng.normal(np.log(48.0), 0.6, m)) * 3600
    resolved = np.where(reopened, resolved + np.floor(extra).astype(np.int64), resolved)
    resolved = _into_hours(rng, resolved, 8, 22)
    age_days = (horizon - opened) / _DAY
    stuck = rng.random(m) < 0.05 + 0.15 * np.exp(-np.maximum(age_days, 0) / 30)

    keep = opened <= horizon
    t = {
        "src": src, "owner": owner[src], "opened": opened, "first": first,
        "resolved": resolved, "channel": tch, "topic": topic, "agent": agent,
        "stuck": stuck, "reopened": reopened,
    }
    t = {k: v[keep] for k, v in t.items()}
    t["first_missing"] = t["first"] > horizon
    t["open"] = t["stuck"] | (t["resolved"] > horizon)
    t["status"] = np.where(t["open"], 0, np.where(t["reopened"], 2, 1))  # open/resolved/re
    order = np.lexsort((t["owner"], t["opened"]))
    t = {k: v[order] for k, v in t.items()}
    return t, propensity


def _surveys(rng: np.random.Generator, p: dict[str, np.ndarray], t: dict[str, np.ndarray],
             sat: np.ndarray, horizon: int) -> dict[str, np.ndarray]:
    n_p = p["owner"].size
    ticket_of = np.full(n_p, -1, dtype=np.int64)
    ticket_of[t["src"]] = np.arange(t["src"].size)
    owner = p["owner"]
    responsiveness = rng.gamma(3.0, 1 / 3.0, sat.size)
    prob = np.where(ticket_of >= 0, _SURVEY_RATE_TICKET,
                    np.clip(_SURVEY_RATE * responsiveness[owner], 0, 0.9))
    src = np.flatnonzero(rng.random(n_p) < prob)
    m = src.size
    tk = ticket_of[src]
    linked = tk >= 0
    tki = np.where(linked, tk, 0)
    answered = p["seconds"][src] + np.floor(
        np.exp(rng.normal(np.log(2.5), 0.6, m)) * _DAY).astype(np.int64)
    after_ticket = t["opened"][tki] + np.floor(
        np.exp(rng.normal(np.log(30.0), 0.8, m)) * 3600).astype(np.int64)
    answered = np.where(linked, np.maximum(answered, after_ticket), answered)
    answered = _into_hours(rng, answered, 7, 23)

    # Ticket experience at the time of the answer.
    frt_h = np.where(t["first"][tki] <= answered,
                     (t["first"][tki] - t["opened"][tki]) / 3600, np.inf)
    done = ~t["stuck"][tki] & (t["resolved"][tki] <= answered)
    long = (t["resolved"][tki] - t["opened"][tki]) > 72 * 3600
    factor = _TOPIC_FACTOR[t["topic"][tki]]
    eff = SCORE_EFFECTS
    factor_eff = np.array([eff["factor_product"], eff["factor_convenience"],
                           eff["factor_people"]])[factor]
    effect = (eff["ticket"]
              + np.where((frt_h > 4) & (frt_h <= 24), eff["first_response_4_24h"], 0.0)
              + np.where(frt_h > 24, eff["first_response_over_24h"], 0.0)
              + np.where(long | ~done, eff["handling_over_72h_or_unresolved"], 0.0)
              + factor_eff)
    effect = np.where(linked, effect, 0.0)

    latent = _NPS_BASE + sat[owner[src]] + rng.normal(0.0, _NPS_ANSWER_SD, m) + effect
    nps = np.clip(np.rint(latent), 0, 10).astype(np.int64)
    csat_lat = _CSAT_BASE + CSAT_PER_NPS * (latent - _NPS_BASE) + rng.normal(0, _CSAT_SD, m)
    csat = np.clip(np.rint(csat_lat), 1, 5).astype(np.int64)
    miss = rng.random(m)
    s = {
        "src": src, "owner": owner[src], "answered": answered, "nps": nps, "csat": csat,
        "nps_missing": miss < 0.04, "csat_missing": (miss >= 0.04) & (miss < 0.08),
        "channel": _pick(rng, _SURVEY_CHANNEL_MIX, p["channel"][src]),
        "ticket": np.where(linked, tk, -1), "effect": effect,
        "slow": linked & ((frt_h > 24) | ~done | long),
    }
    # Comments: more among detractors; complaints name the root cause.
    group = np.where(nps <= 6, 0, np.where(nps <= 8, 1, 2))
    has_comment = rng.random(m) < np.array([0.70, 0.30, 0.35])[group]
    r = rng.random(m)
    kind = np.select(  # 1 complaint, 2 praise, 3 neutral
        [group == 0, group == 1],
        [np.where(r < 0.9, 1, 3), np.where(r < 0.35, 1, np.where(r < 0.8, 3, 2))],
        np.where(r < 0.85, 2, 3))
    kind = np.where(has_comment, kind, 0)
    own_topic = _pick(rng, _TOPIC_MIX, p["channel"][src])
    use_ticket = linked & (rng.random(m) < 0.85)
    s["topic"] = np.where(kind == 1, np.where(use_ticket, t["topic"][tki], own_topic), -1)
    s["kind"] = kind
    s["category"] = p["category"][src]
    keep = answered <= horizon
    s = {k: v[keep] for k, v in s.items()}
    order = np.lexsort((s["owner"], s["answered"]))
    return {k: v[order] for k, v in s.items()}


_PRODUCT_NOUNS = (
    ("kem chống nắng", "son", "sữa rửa mặt", "serum", "nước hoa", "kem dưỡng"),
    ("áo", "quần jean", "váy", "giày", "túi xách", "áo khoác"),
    ("nồi chiên", "chảo", "máy xay", "bộ nồi", "bình giữ nhiệt", "quạt"),
    ("bánh", "trái cây", "sữa", "hạt điều", "cà phê", "đồ khô"),
    ("tã", "sữa bột", "bình sữa", "xe đẩy", "đồ chơi", "khăn ướt"),
    ("tai nghe", "sạc dự phòng", "loa bluetooth", "đồng hồ thông minh", "chuột", "cáp sạc"),
)
_COMPLAINTS: dict[str, tuple[str, ...]] = {
    "product_quality": (
        "{sp} dùng {được vài ngày|chưa được 1 tuần|mới 2 lần} đã {hỏng|hư|bị lỗi}",
        "chất lượng {sp} {kém|tệ|quá tệ}, {không như quảng cáo|không đáng tiền|không giống mô tả}",
        "{sp} nhận về bị {lỗi|trầy xước|bể|rách}, {không dùng được|phải đem đổi|rất bực}",
        "{hàng|đồ} {kém chất lượng|dởm|như hàng chợ} mà giá {không rẻ|cao}",
        "{sp} {bị lỗi|hư} ngay lần đầu dùng, quality {tệ|kém}",
    ),
    "product_design": (
        "{mẫu mã|kiểu dáng} {xấu|không đẹp|lỗi thời}, {không giống hình|nhìn rẻ tiền}",
        "thiết kế {bất tiện|khó dùng|không hợp lý}, {dùng rất mệt|không biết dùng sao}",
        "màu {sp} {khác|không giống} {trên web|hình quảng cáo|lúc xem ở cửa hàng}",
        "{size|kích thước} {không chuẩn|lệch bảng size|quá nhỏ so với mô tả}",
    ),
    "packaging": (
        "đóng gói {sơ sài|cẩu thả|quá ẩu}, {hộp bị móp|hàng bị móp méo|không có chống sốc}",
        "{bao bì|hộp} {rách|bị bẩn|bị ướt} khi nhận",
        "{hàng|đồ} bị {đổ|vỡ|bể} vì đóng gói {không kỹ|kém}",
        "hộp {sp} {móp méo|bẹp dí}, nhìn như hàng {cũ|đã qua sử dụng}",
    ),
    "product_range": (
        "{ít|không nhiều} mẫu để {chọn|lựa chọn}",
        "{hay|thường xuyên} hết hàng, {muốn mua mà không có|hỏi lần nào cũng hết}",
        "{cửa hàng|shop} không có {size|màu} {mình cần|tôi cần}",
        "thiếu {nhiều mặt hàng|hàng mới|mẫu mới}, {phải mua chỗ khác|chán}",
    ),
    "price": (
        "giá {cao hơn|đắt hơn} {chỗ khác|trên sàn|cửa hàng khác} {nhiều|khá nhiều}",
        "giá {đắt quá|hơi chát|không hợp lý} so với chất lượng",
        "tính tiền {sai|nhầm}, giá trên kệ khác {lúc thanh toán|trên hóa đơn}",
        "khuyến mãi {không như quảng cáo|ảo|không áp dụng được}",
    ),
    "warranty": (
        "bảo hành {quá lâu|lâu quá}, {gửi đi cả tháng|gần 3 tuần} {chưa có|vẫn chưa nhận lại}",
        "{không chịu|từ chối} bảo hành, {bắt trả phí|đổ lỗi cho khách}",
        "đổi trả {rất rắc rối|phức tạp|mất thời gian}",
        "{hỏi|liên hệ} bảo hành {mấy lần|nhiều lần} không ai {xử lý|giải quyết}",
    ),
    "delivery": (
        "giao hàng {chậm|quá chậm|trễ}, {đợi|chờ} {cả tuần|5 ngày|gần 1 tuần} "
        "{mới nhận được|mới tới}",
        "người giao hàng {giao trễ hẹn|không gọi trước|thái độ không tốt}",
        "giao {sai hàng|thiếu hàng|nhầm màu}",
        "đơn hàng {bị thất lạc|báo đã giao mà chưa nhận|bị hủy không báo}",
        "ship delay {mấy|vài} ngày, {không ai báo|hỏi thì không biết}",
    ),
    "payment": (
        "thanh toán {bằng thẻ|qua ví|chuyển khoản} {bị lỗi|không được}",
        "{chuyển khoản|thanh toán} rồi mà đơn vẫn báo chưa thanh toán",
        "bị trừ tiền {hai lần|2 lần}, {chưa được hoàn|đợi hoàn mãi}",
        "{không nhận|không hỗ trợ} {thanh toán thẻ|quẹt thẻ|ví điện tử}",
    ),
    "store_location": (
        "cửa hàng {khó tìm|khuất|khó thấy}, {không có chỗ đậu xe|không có bảng hiệu rõ}",
        "chỗ để xe {chật|không có|phải gửi xa}",
        "cửa hàng {xa|ở xa}, đi lại {bất tiện|mất công}",
    ),
    "opening_hours": (
        "cửa hàng đóng cửa {sớm quá|quá sớm}",
        "đến lúc {8h tối|7h30 tối|chủ nhật} {đã đóng cửa|mà đóng cửa}",
        "giờ mở cửa {không đúng như trên mạng|thất thường|không cố định}",
    ),
    "staff_attitude": (
        "nhân viên {thái độ|phục vụ} {khó chịu|không tốt|thiếu tôn trọng khách}",
        "nhân viên {nói chuyện|trả lời} {cộc lốc|nhát gừng|thiếu lịch sự}",
        "{hỏi|nhắn} mà nhân viên {không thèm trả lời|làm lơ|cứ bấm điện thoại}",
        "{đứng|đợi} {lâu|mãi} không ai {tư vấn|hỗ trợ|để ý}",
    ),
    "staff_skills": (
        "nhân viên tư vấn {sai|không đúng|lung tung}",
        "nhân viên {không nắm|không hiểu} {thông tin sản phẩm|chính sách đổi trả|giá}",
        "hỏi gì cũng không biết, phải {chờ|đợi} hỏi quản lý",
        "{tổng đài viên|nhân viên} xử lý {lóng ngóng|chậm chạp|không chuyên nghiệp}",
    ),
}
_HANDLING = (
    "gọi tổng đài {mãi|nhiều lần} không ai {nghe|bắt máy}",
    "khiếu nại {mấy|3|4|5} ngày rồi {vẫn chưa|mà chưa} được giải quyết",
    "phản hồi {quá chậm|chậm quá|rất chậm}",
    "{nhắn|inbox} fanpage {cả ngày|2 ngày} không ai trả lời",
    "hẹn gọi lại mà {không thấy gọi|không gọi}",
    "xử lý khiếu nại {quá lâu|lằng nhằng|không dứt điểm}",
)
_OPENERS = ("thất vọng", "lần này {không hài lòng|rất không hài lòng}", "chán thật", "góp ý",
            "mua {noun} lần này", "nói thật là", "lần đầu gặp chuyện này")
_CLOSERS = ("mong shop {cải thiện|xem lại|khắc phục}", "sẽ không quay lại",
            "{rất|quá} thất vọng", "đề nghị xử lý sớm", "{buồn|tiếc} ghê", "cần xem lại")
_PRAISE = (
    "{sp} {tốt|rất tốt|xịn}, {đúng như mô tả|đáng tiền|dùng thích}",
    "nhân viên {nhiệt tình|dễ thương|vui vẻ|chu đáo}",
    "giao hàng {nhanh|siêu nhanh|đúng hẹn}, đóng gói {cẩn thận|kỹ}",
    "giá {hợp lý|tốt|phải chăng}",
    "tư vấn {rất có tâm|kỹ|nhiệt tình}",
    "sẽ {giới thiệu cho bạn bè|ủng hộ tiếp|quay lại}",
    "mua {nhiều lần|mấy lần} rồi, lần nào cũng {ưng|hài lòng}",
    "cảm ơn {shop|cửa hàng|bạn nhân viên}",
    "{hàng|đồ} chất lượng, {ok|rất ok|tuyệt vời}",
    "cửa hàng {sạch đẹp|gọn gàng|dễ tìm}",
    "{sp} ok, service {tốt|chu đáo}",
)
_NEUTRAL = (
    "{tạm được|tạm ổn|cũng được}",
    "bình thường, không có gì {đặc biệt|để nói}",
    "giá hơi cao nhưng chất lượng {được|ổn}",
    "{ok|ổn}",
    "hàng ổn, giao {hơi lâu|hơi chậm}",
    "không có ý kiến",
    "{sp} {dùng tạm|cũng tạm}, để dùng thêm xem sao",
)
_SLANG = {
    "người giao hàng": ("shipper", "ship"),
    "không": ("k", "ko", "hong", "hok", "ko"),
    "được": ("dc", "đc", "đk"),
    "sản phẩm": ("sp",),
    "nhân viên": ("nv", "nv", "nhân viên"),
    "giao hàng": ("ship", "giao hàng", "giao"),
    "quá": ("wá", "qá", "quá"),
    "cảm ơn": ("thanks", "cám ơn", "tks", "thank you"),
    "gì": ("j",),
    "trả lời": ("rep", "trả lời"),
    "tốt": ("good", "tốt"),
    "bình thường": ("bt", "bình thường", "normal"),
    "nhắn": ("ib", "nhắn", "inbox"),
    "rồi": ("r", "rồi"),
    "khuyến mãi": ("km", "sale"),
    "thanh toán": ("tt", "thanh toán", "payment"),
    "vẫn": ("vẫn", "vân"),
}
_SLANG_RE = re.compile(r"\b(" + "|".join(sorted(_SLANG, key=len, reverse=True)) + r")\b",
                       re.IGNORECASE)
_GROUP_RE = re.compile(r"(\{[^{}]*\})")
_SP, _NOUN = 0, 1  # placeholders in parsed templates: a product word, a product noun
_Segment = str | int | tuple[str, ...]


def _parse(template: str) -> tuple[_Segment, ...]:
    """Split ``"giá {đắt|cao} {sp}"`` into literals, option tuples and placeholders."""
    out: list[_Segment] = []
    for piece in _GROUP_RE.split(template):
        if not piece:
            continue
        if piece == "{sp}":
            out.append(_SP)
        elif piece == "{noun}":
            out.append(_NOUN)
        elif piece.startswith("{") and piece.endswith("}"):
            out.append(tuple(piece[1:-1].split("|")))
        else:
            out.append(piece)
    return tuple(out)


def _parse_all(templates: Sequence[str]) -> tuple[tuple[_Segment, ...], ...]:
    return tuple(_parse(t) for t in templates)


_P_COMPLAINTS = tuple(_parse_all(_COMPLAINTS[t]) for t in _TOPICS)
_P_HANDLING = _parse_all(_HANDLING)
_P_OPENERS = _parse_all(_OPENERS)
_P_CLOSERS = _parse_all(_CLOSERS)
_P_PRAISE = _parse_all(_PRAISE)
_P_NEUTRAL = _parse_all(_NEUTRAL)
_JOINERS = (", ", ". ", " ", "; ", "... ", ", ")
_ENDS = (
    ("", ".", "!", "!!", "...", " :(", ".", ""),  # complaint
    ("", ".", "!", " :)", " ^^", ".", "!!", " <3"),  # praise
    ("", ".", "", "...", "."),  # neutral
)
_SENTENCE_START = re.compile(r"(^|[.!?] )(\w)")
_SPACES = re.compile(r"\s{2,}")


def _fill(segments: tuple[_Segment, ...], u: Any, category: int) -> str:
    out = []
    for seg in segments:
        if isinstance(seg, str):
            out.append(seg)
        elif isinstance(seg, tuple):
            out.append(seg[int(u() * len(seg))])
        elif seg == _SP:
            v = u()
            nouns = _PRODUCT_NOUNS[category]
            out.append("sản phẩm" if v < 0.4 else "hàng" if v < 0.55
                       else nouns[int((v - 0.55) / 0.45 * len(nouns))])
        else:
            nouns = _PRODUCT_NOUNS[category]
            out.append(nouns[int(u() * len(nouns))])
    return "".join(out)


def _pick_fill(options: Sequence[tuple[_Segment, ...]], u: Any, category: int) -> str:
    return _fill(options[int(u() * len(options))], u, category)


def _comment(kind: int, topic: int, slow: bool, category: int, u: Any) -> tuple[
        str, bool, bool]:
    """One survey comment; ``u`` returns the next pre-drawn uniform."""
    parts: list[str] = []
    if kind == 1:
        main = _pick_fill(_P_COMPLAINTS[topic], u, category)
        if u() < 0.3:
            sep = (", ", ": ", ". ")[int(u() * 3)]
            main = _pick_fill(_P_OPENERS, u, category) + sep + main
        parts.append(main)
        if slow and u() < 0.7:
            parts.append(_pick_fill(_P_HANDLING, u, category))
        if u() < 0.45:
            parts.append(_pick_fill(_P_CLOSERS, u, category))
    elif kind == 2:
        k = 1 + int(u() * 2.2)
        first = int(u() * len(_P_PRAISE))
        step = 1 + int(u() * (len(_P_PRAISE) - 1))
        for j in range(k):
            parts.append(_fill(_P_PRAISE[(first + j * step) % len(_P_PRAISE)], u, category))
    else:
        parts.append(_pick_fill(_P_NEUTRAL, u, category))
        if u() < 0.25:
            parts.append(_pick_fill(_P_PRAISE, u, category))
    text = parts[0]
    for part in parts[1:]:
        text += _JOINERS[int(u() * len(_JOINERS))] + part
    slang = u() < 0.35
    if slang:
        def swap(mt: re.Match[str]) -> str:
            options = _SLANG[mt.group(1).lower()]
            return options[int(u() * len(options))]

        text = _SPACES.sub(" ", _SLANG_RE.sub(swap, text))
    v = u()
    if v < 0.5:
        text = text[:1].upper() + text[1:]
    elif v < 0.62:
        text = _SENTENCE_START.sub(lambda mt: mt.group(1) + mt.group(2).upper(), text)
    elif v < 0.65 and kind == 1:
        text = text.upper()
    ends = _ENDS[kind - 1]
    text = text.rstrip(" ,;.") + ends[int(u() * len(ends))]
    folded = u() < 0.3
    if folded:
        text = _fold_keep_case(text)
    return text, folded, slang


def _comments(rng: np.random.Generator, s: dict[str, np.ndarray]) -> tuple[
        list[str | None], np.ndarray, np.ndarray]:
    m = s["kind"].size
    text: list[str | None] = [None] * m
    folded = np.zeros(m, dtype=bool)
    slang = np.zeros(m, dtype=bool)
    idx = np.flatnonzero(s["kind"] > 0)
    kind, topic = s["kind"].tolist(), s["topic"].tolist()
    slow, category = s["slow"].tolist(), s["category"].tolist()
    step = 50_000
    for lo in range(0, idx.size, step):
        part = idx[lo:lo + step].tolist()
        dice = rng.random((len(part), 40)).tolist()
        for i, row in zip(part, dice, strict=True):
            # 40 uniforms cover any comment; cycling keeps it deterministic regardless.
            text[i], folded[i], slang[i] = _comment(kind[i], topic[i], slow[i], category[i],
                                                    cycle(row).__next__)
    return text, folded, slang


def _contacts(rng: np.random.Generator, c: dict[str, np.ndarray], p: dict[str, np.ndarray],
              t: dict[str, np.ndarray], cal: _Calendar, horizon: int,
              mean_spend: np.ndarray) -> dict[str, np.ndarray]:
    n = c["persona"].size
    vip = c["persona"] == 4
    high_value = vip | (mean_spend > np.quantile(mean_spend, 0.9))
    reachable = ~c["do_not_call"] & (~c["phone_missing"] | c["has_email"])

    # Follow-up about a week after a purchase, mostly for high-value customers.
    owner = p["owner"]
    big = p["amount"] > 2_000_000
    prob = np.where(high_value[owner], 0.07, 0.007) * np.where(big, 2.0, 1.0)
    pick = rng.random(owner.size) < prob
    fu_owner = owner[pick]
    fu_day = p["seconds"][pick] // _DAY + rng.integers(5, 10, pick.sum())

    # Ticket follow-ups one to three days after a complaint is opened.
    tpick = rng.random(t["owner"].size) < 0.3
    tk_owner = t["owner"][tpick]
    tk_day = t["opened"][tpick] // _DAY + rng.integers(1, 4, tpick.sum())

    # Birthday greetings for high-value customers (each year in the period).
    bd_owner_l, bd_day_l = [], []
    birth = cal.start.normalize() + pd.Timedelta(days=cal.days)  # the end date
    birth_dates = (np.datetime64(birth.to_datetime64(), "D")
                   - c["birth_days"].astype("timedelta64[D]"))
    bmonth = (birth_dates.astype("datetime64[M]").astype(np.int64) % 12) + 1
    bday = (birth_dates - birth_dates.astype("datetime64[M]")).astype(np.int64) + 1
    bday = np.where((bmonth == 2) & (bday == 29), 28, bday)
    start_day = np.datetime64(cal.start.to_datetime64(), "D")
    first_day = p["first_seconds"] // _DAY
    for year in range(cal.start.year, cal.start.year + cal.days // 365 + 2):
        months = np.datetime64(f"{year:04d}-01", "M") + (bmonth - 1)
        when = (months.astype("datetime64[D]") + (bday - 1) - start_day).astype(np.int64)
        ok = (high_value & ~c["birth_missing"] & (when >= first_day) & (when >= 0)
              & (rng.random(n) < 0.6))
        bd_owner_l.append(np.flatnonzero(ok))
        bd_day_l.append(when[ok])

    who = np.concatenate([fu_owner, tk_owner, *bd_owner_l])
    day = np.concatenate([fu_day, tk_day, *bd_day_l])
    reason = np.concatenate([np.zeros(fu_owner.size, np.int64), np.ones(tk_owner.size, np.int64),
                             np.full(sum(x.size for x in bd_owner_l), 2, np.int64)])
    wd = cal.weekday(day)
    day = day + np.where(wd == 5, 2, np.where(wd == 6, 1, 0))
    k = who.size
    w = rng.random(k)
    window = np.where(w < 0.52, 9 * 3600 + rng.random(k) * 7200,
                      np.where(w < 0.88, 14.5 * 3600 + rng.random(k) * 7200,
                               8 * 3600 + rng.random(k) * 10 * 3600))
    seconds = day * _DAY + np.floor(window).astype(np.int64)
    phone_ok = ~c["phone_missing"][who]
    ch_u = rng.random(k)
    channel = np.where(phone_ok, np.where(ch_u < 0.82, 0, np.where(ch_u < 0.94, 1, 2)), 2)
    channel = np.where((channel == 2) & ~c["has_email"][who], 1, channel)
    outcome = np.where(channel == 0, _choice(rng, k, np.array([0.56, 0.24, 0.12, 0.08])),
                       np.where(rng.random(k) < 0.85, 0, 1))
    agent = _choice(rng, k, _weights(AGENTS, 2))
    keep = reachable[who] & (seconds <= horizon) & (seconds >= 0)
    out = {"owner": who, "seconds": seconds, "channel": channel, "outcome": outcome,
           "agent": agent, "reason": reason}
    out = {key: v[keep] for key, v in out.items()}
    # One call per customer and day at most.
    frame = pd.DataFrame({"o": out["owner"], "d": out["seconds"] // _DAY})
    first = ~frame.duplicated().to_numpy()
    out = {key: v[first] for key, v in out.items()}
    order = np.lexsort((out["owner"], out["seconds"]))
    return {key: v[order] for key, v in out.items()}


# --------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------


def generate(customers: int = 3000, seed: int = 42, *, start: str = "2024-10-01",
             end: str = "2026-09-30", flaws: bool = True) -> SampleData:
    """Generate a deterministic synthetic data set.

    Parameters
    ----------
    customers : int
        Number of customers (about 8 % of them are prospects who never buy).
    seed : int
        Seed of :func:`numpy.random.default_rng`; the same seed gives identical frames.
    start, end : str
        The observation period. Every timestamp ``x`` satisfies ``start <= x <= end`` (``end``
        read as a timestamp, i.e. midnight when a date is given, so the last day with
        activity is the day before ``end``). The period must be at least 60 days long.
    flaws : bool
        Inject realistic export flaws into ``transactions``: return rows (negative amount,
        same customer and order a few days after the purchase) and verbatim duplicate
        lines. Their exact counts go to :attr:`SampleData.flaws`.

    Returns
    -------
    SampleData
        The five canonical tables, the flaws, and the hidden truth.

    Raises
    ------
    ValueError
        If ``customers`` < 1 or the period is shorter than 60 days.
    """
    if int(customers) < 1:
        raise ValueError("customers must be at least 1")
    t0, t1 = pd.Timestamp(start), pd.Timestamp(end)
    t0 = t0.normalize()
    if (t1 - t0).days < 60:
        raise ValueError(f"the period {start} – {end} must span at least 60 days")
    n = int(customers)
    cal = _Calendar.build(t0, t1)
    horizon = int((t1 - t0).total_seconds())
    rng = np.random.default_rng(seed)
    r_cust, r_buy, r_flaw, r_tick, r_surv, r_text, r_cont = rng.spawn(7)

    c = _customers(r_cust, n, cal, t1)
    p, tr = _purchases(r_buy, c, cal)
    p["ticket_mult"] = np.exp(-0.25 * (tr["sat"] - _SAT[c["persona"]]))
    t, propensity = _tickets(r_tick, p, n, horizon)
    p["first_seconds"] = tr["first"]
    s = _surveys(r_surv, p, t, tr["sat"], horizon)
    text, folded, slang = _comments(r_text, s)
    k = _contacts(r_cont, c, p, t, cal, horizon, tr["mean_spend"])

    # ---- customers
    cid = _ids("KH", n, 6)
    all_customers = np.arange(n)
    end_day = np.datetime64(t1.normalize().to_datetime64(), "D")
    birth = (end_day - c["birth_days"].astype("timedelta64[D]")).astype("datetime64[us]")
    birth[c["birth_missing"]] = np.datetime64("NaT")
    signup = (np.datetime64(t0.to_datetime64(), "D")
              + c["signup"].astype("timedelta64[D]")).astype("datetime64[us]")
    customers_df = pd.DataFrame({
        "customer_id": _text(all_customers, cid),
        "name": pd.array(c["name"], dtype="str"),
        "phone": pd.array(np.where(c["phone_missing"], None, c["phone"]), dtype="str"),
        "email": pd.array(np.where(c["has_email"], c["email"], None), dtype="str"),
        "gender": _text(c["female"].astype(np.int64), ("male", "female")),
        "birth_date": birth,
        "province": pd.array(c["province"], dtype="str"),
        "occupation": pd.array(np.where(c["occupation_missing"], None, c["occupation"]),
                               dtype="str"),
        "income_band": _text(c["income"], INCOME),
        "acquisition_source": _text(c["source"], ACQUISITION),
        "signup_at": signup,
        "do_not_call": c["do_not_call"],
    })

    # ---- transactions (+ flaws)
    n_purch = p["owner"].size
    cols = {"owner": p["owner"], "seconds": p["seconds"], "amount": p["amount"],
            "order": np.arange(n_purch), "channel": p["channel"], "category": p["category"],
            "store": p["store"]}
    n_ret = n_dup = 0
    if flaws:
        cols, n_ret, n_dup = _inject_flaws(r_flaw, cols, horizon)
    transactions_df = pd.DataFrame({
        "customer_id": _text(cols["owner"], cid),
        "purchased_at": _timestamps(t0, cols["seconds"]),
        "amount": cols["amount"].astype(np.int64),
        "order_id": _text(cols["order"], _ids("HD", n_purch, 7)),
        "channel": _text(cols["channel"], CHANNELS),
        "product_category": _text(cols["category"], CATEGORIES),
        "store": _text(cols["store"], p["store_names"]),
    })

    # ---- tickets
    m = t["owner"].size
    ticket_ids = _ids("PH", m, 6)
    agents = [a[0] for a in AGENTS]
    tickets_df = pd.DataFrame({
        "ticket_id": _text(np.arange(m), ticket_ids),
        "customer_id": _text(t["owner"], cid),
        "opened_at": _timestamps(t0, t["opened"]),
        "first_response_at": _timestamps(t0, t["first"], t["first_missing"]),
        "resolved_at": _timestamps(t0, t["resolved"], t["open"]),
        "channel": _text(t["channel"], TICKET_CHANNELS),
        "category": _text(t["topic"], _TOPICS),
        "agent": _text(t["agent"], agents),
        "status": _text(t["status"], ("open", "resolved", "reopened")),
    })

    # ---- surveys (s["ticket"] is the row of the linked ticket, or -1)
    surveys_df = pd.DataFrame({
        "customer_id": _text(s["owner"], cid),
        "answered_at": _timestamps(t0, s["answered"]),
        "nps": pd.array(np.where(s["nps_missing"], None, s["nps"]), dtype="Int64"),
        "csat": pd.array(np.where(s["csat_missing"], None, s["csat"]), dtype="Int64"),
        "comment": pd.array(text, dtype="str"),
        "channel": _text(s["channel"], SURVEY_CHANNELS),
    })
    survey_truth = pd.DataFrame({
        "ticket_id": _text(s["ticket"], ticket_ids),
        "ticket_effect": s["effect"],
        "comment_kind": _text(s["kind"], ("none", "complaint", "praise", "neutral")),
        "comment_topic": _text(s["topic"], _TOPICS),
        "comment_factor": _text(np.where(s["topic"] >= 0,
                                         _TOPIC_FACTOR[np.maximum(s["topic"], 0)], -1),
                                _FACTORS),
        "folded": folded,
        "slang": slang,
    })

    # ---- contacts
    contacts_df = pd.DataFrame({
        "customer_id": _text(k["owner"], cid),
        "contacted_at": _timestamps(t0, k["seconds"]),
        "channel": _text(k["channel"], CONTACT_CHANNELS),
        "agent": _text(k["agent"], agents),
        "outcome": _text(k["outcome"], OUTCOMES),
    })

    # ---- truth
    bought = tr["n_purchases"] > 0
    dead = tr["dead"] & bought
    slow_cal = np.full(n, -1, dtype=np.int64)
    has_slow = np.isfinite(tr["slow_at_op"]) & bought
    if has_slow.any():
        d, f = cal.inv(tr["slow_at_op"][has_slow])
        slow_cal[has_slow] = d * _DAY + np.floor(f * _DAY).astype(np.int64)
    slow_cal[dead & (tr["last"] < slow_cal)] = -1  # dropped out before slowing down
    truth = pd.DataFrame({
        "customer_id": _text(all_customers, cid),
        "persona": _text(c["persona"], PERSONAS),
        "pattern": _text(c["pattern"], ("none", "slowed_regular", "fading_big_spender")),
        "prospect": ~bought,
        "lambda": tr["lam"],
        "gap_shape": tr["gap_shape"],
        "p_dropout": tr["p"],
        "dropout_at": _timestamps(t0, np.maximum(tr["last"], 0), ~dead),
        "slowdown_at": _timestamps(t0, np.maximum(slow_cal, 0), slow_cal < 0),
        "slowdown_factor": np.where(slow_cal >= 0, tr["slow_factor"], 1.0),
        "mean_spend": tr["mean_spend"],
        "satisfaction": tr["sat"],
        "ticket_propensity": propensity * p["ticket_mult"],
        "first_purchase_at": _timestamps(t0, np.where(bought, tr["first"], 0), ~bought),
        "n_purchases": tr["n_purchases"],
    })

    frames = {"transactions": transactions_df, "customers": customers_df,
              "surveys": surveys_df, "tickets": tickets_df, "contacts": contacts_df}
    frames = {name: frame[list(TABLES[name].column_names)] for name, frame in frames.items()}
    return SampleData(
        customers=frames["customers"], transactions=frames["transactions"],
        surveys=frames["surveys"], tickets=frames["tickets"], contacts=frames["contacts"],
        flaws={"transactions.negative_amount": n_ret, "transactions.duplicate_row": n_dup},
        truth=truth, survey_truth=survey_truth,
        params={"customers": n, "seed": seed, "start": str(start), "end": str(end),
                "flaws": bool(flaws)},
    )


def _inject_flaws(rng: np.random.Generator, cols: dict[str, np.ndarray],
                  horizon: int) -> tuple[dict[str, np.ndarray], int, int]:
    """Add return rows (~0.5 %) and verbatim duplicate rows (~0.3 %) to the purchases."""
    n_purch = cols["owner"].size
    eligible = np.flatnonzero(cols["seconds"] <= horizon - 11 * _DAY)
    n_ret = int(min(rng.binomial(n_purch, 0.005), eligible.size))
    ret = np.sort(rng.choice(eligible, size=n_ret, replace=False))
    lag = np.floor(np.exp(rng.normal(np.log(3 * _DAY), 0.6, n_ret))).astype(np.int64)
    lag = np.clip(lag, 3600, 10 * _DAY)
    partial = rng.random(n_ret) < 0.35
    share = rng.uniform(0.2, 0.8, n_ret)
    amount = cols["amount"][ret]
    back = np.where(partial, np.maximum(np.round(amount * share / 1000), 1) * 1000, amount)
    returns = {key: v[ret] for key, v in cols.items()}
    returns["seconds"] = _into_hours(rng, returns["seconds"] + lag, 8, 22)
    returns["amount"] = -back.astype(np.int64)
    cols = {key: np.concatenate([cols[key], returns[key]]) for key in cols}
    order = np.lexsort((cols["amount"] < 0, cols["order"], cols["seconds"]))
    cols = {key: v[order] for key, v in cols.items()}
    n_rows = cols["owner"].size
    n_dup = int(rng.binomial(n_rows, 0.003))
    dup = rng.choice(n_rows, size=n_dup, replace=False)
    take = np.sort(np.concatenate([np.arange(n_rows), dup]), kind="stable")
    return {key: v[take] for key, v in cols.items()}, n_ret, n_dup


# --------------------------------------------------------------------------------------
# Writing: CSV files and the README data dictionary
# --------------------------------------------------------------------------------------


def _csv_frame(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The frame as it goes to CSV: ISO dates/timestamps, ``true``/``false`` booleans."""
    out = frame.copy()
    for col in TABLES[name].columns:
        if col.name not in out:
            continue
        values = out[col.name]
        if col.kind in ("date", "datetime"):
            fmt = "%Y-%m-%d" if col.kind == "date" else "%Y-%m-%d %H:%M:%S"
            out[col.name] = values.dt.strftime(fmt)
        elif col.kind == "bool":
            out[col.name] = np.where(values.to_numpy(dtype=bool), "true", "false")
    return out


def write(data: SampleData, folder: str | Path) -> list[Path]:
    """Write the five tables as ``<table>.csv`` plus a ``README.md`` data dictionary.

    Files are UTF-8, comma separated, with the canonical English headers of
    :mod:`carework.schema` in schema order; dates are ``YYYY-MM-DD``, timestamps
    ``YYYY-MM-DD HH:MM:SS``, booleans ``true``/``false``, missing values empty. Existing
    files of the same names are overwritten; other files in ``folder`` are left alone. The
    hidden truth is not written (it would be loaded as data).

    Parameters
    ----------
    data : SampleData
        What :func:`generate` returned.
    folder : str or Path
        Target folder, created if missing.

    Returns
    -------
    list of Path
        The written files: the five CSV files in schema order, then ``README.md``.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, frame in data.tables().items():
        path = folder / f"{name}.csv"
        _csv_frame(name, frame).to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
        paths.append(path)
    readme = folder / "README.md"
    readme.write_text(_readme(data), encoding="utf-8", newline="\n")
    paths.append(readme)
    return paths


_MEANING: dict[str, dict[str, str]] = {
    "transactions": {
        "customer_id": "Customer who bought (→ customers.customer_id).",
        "purchased_at": "Time of the purchase (local time).",
        "amount": "Basket value in VND, a multiple of 1,000; negative on return rows.",
        "order_id": "Order number, unique per purchase; a return row repeats its order's id.",
        "channel": "Where the purchase was made.",
        "product_category": "Main product category of the basket (Vietnamese).",
        "store": "Store of an in-store purchase; empty for online and phone orders.",
    },
    "customers": {
        "customer_id": "Customer code, numbered in sign-up order.",
        "name": "Full Vietnamese name (family, middle, given) with diacritics.",
        "phone": "Mobile number, 10 digits with the leading 0 (text, not a number).",
        "email": "E-mail address, when the customer gave one.",
        "gender": "Gender.",
        "birth_date": "Date of birth.",
        "province": "Province or city of residence.",
        "occupation": "Occupation (Vietnamese).",
        "income_band": "Income band.",
        "acquisition_source": "How the customer first came to the business.",
        "signup_at": "Date the customer was registered (first purchase that day or soon after).",
        "do_not_call": "The customer asked not to be called; never contacted.",
    },
    "surveys": {
        "customer_id": "Customer who answered (→ customers.customer_id).",
        "answered_at": "Time of the answer, a few days after a purchase.",
        "nps": "Likelihood to recommend, 0-10 (promoters 9-10, passives 7-8, detractors 0-6).",
        "csat": "Satisfaction with the purchase, 1-5 (4-5 count as satisfied).",
        "comment": "Free-text comment in Vietnamese (with or without diacritics, with slang).",
        "channel": "How the survey was answered.",
    },
    "tickets": {
        "ticket_id": "Ticket number, in order of opening.",
        "customer_id": "Customer who complained (→ customers.customer_id).",
        "opened_at": "Time the ticket was opened, after the purchase it is about.",
        "first_response_at": "First response by an agent; empty if none yet at the end.",
        "resolved_at": "Final resolution; empty while the ticket is open.",
        "channel": "Channel through which the complaint came in.",
        "category": "Complaint topic; see the topic → root-cause table below.",
        "agent": "Care agent who handled the ticket.",
        "status": "open (not resolved at the end), resolved, or reopened (resolved, reopened "
                  "by the customer, then resolved again; resolved_at is the final resolution).",
    },
    "contacts": {
        "customer_id": "Customer contacted (→ customers.customer_id).",
        "contacted_at": "Time of the call or message.",
        "channel": "phone call, sms or email.",
        "agent": "Care agent who made the contact.",
        "outcome": "Result of the contact.",
    },
}
_KIND_TYPE = {"id": "text (id)", "text": "text", "phone": "text (phone)",
              "datetime": "timestamp", "date": "date", "money": "integer (VND)",
              "score": "integer", "bool": "boolean", "category": "category"}


def _md_values(series: pd.Series, kind: str, limit: int = 20) -> str:
    s = series.dropna()
    if s.empty:
        return "—"
    if kind in ("date", "datetime"):
        fmt = "%Y-%m-%d" if kind == "date" else "%Y-%m-%d %H:%M:%S"
        return f"{s.min().strftime(fmt)} … {s.max().strftime(fmt)}"
    if kind in ("money", "score"):
        return f"{int(s.min()):,} … {int(s.max()):,}"
    if kind == "bool":
        return f"true {int(s.sum()):,}, false {int((~s.astype(bool)).sum()):,}"
    counts = s.astype(str).value_counts()
    if kind in ("id", "phone") or len(counts) > limit:
        return f"{len(counts):,} distinct, e.g. " + ", ".join(f"`{v}`" for v in s.iloc[:3])
    return ", ".join(f"`{v}` {c:,}" for v, c in sorted(counts.items(), key=lambda x: (-x[1], x[0])))


def _readme(data: SampleData) -> str:
    prm = data.params
    tables = data.tables()
    lines = [
        "# carework sample data",
        "",
        "Synthetic customer-care data of a Vietnamese retail business (stores in TP Hồ Chí Minh "
        "and Hà Nội plus an online shop, money in VND). Every name, phone number and e-mail is "
        "made up. This file is generated together with the data; do not edit it by hand.",
        "",
        f"- generator: `carework.sample.generate(customers={prm.get('customers')}, "
        f"seed={prm.get('seed')}, start={prm.get('start')!r}, end={prm.get('end')!r}, "
        f"flaws={prm.get('flaws')})`, written by `carework.sample.write` — the same call gives "
        "byte-identical files",
        f"- period: {prm.get('start')} to {prm.get('end')} (every timestamp is at or before "
        f"{prm.get('end')} 00:00:00, so the last day with activity is the day before)",
        "- format: UTF-8, comma separated, one header row with the canonical column names of "
        "`carework.schema`; dates `YYYY-MM-DD`, timestamps `YYYY-MM-DD HH:MM:SS` (local time, "
        "no zone); booleans `true`/`false`; an empty cell is a missing value",
        "",
        "| table | file | rows |",
        "| --- | --- | ---: |",
    ]
    for name, frame in tables.items():
        lines.append(f"| {name} | `{name}.csv` | {len(frame):,} |")
    lines.append("")
    for name, frame in tables.items():
        lines += [f"## {name}", "", "| column | type | missing | meaning | values |",
                  "| --- | --- | ---: | --- | --- |"]
        for col in TABLES[name].columns:
            series = frame[col.name]
            req = " (required)" if col.required else ""
            values = _md_values(series, col.kind).replace("|", "\\|")
            lines.append(f"| `{col.name}` | {_KIND_TYPE[col.kind]}{req} | "
                         f"{int(series.isna().sum()):,} | {_MEANING[name][col.name]} | "
                         f"{values} |")
        lines.append("")

    flaws = data.flaws
    lines += [
        "## Injected flaws",
        "",
        "A realistic export, not a clean one. Only these flaws are present; everything else "
        "is consistent (every `customer_id` exists in customers, ticket times are ordered, "
        "scores are in range, do-not-call customers are never contacted).",
        "",
        f"- `transactions.negative_amount`: {flaws.get('transactions.negative_amount', 0):,} "
        "return rows — negative amount (the whole basket or part of it), same customer, "
        "order_id, channel, category and store as the purchase, 1 hour to 11 days later "
        "(within opening hours).",
        f"- `transactions.duplicate_row`: {flaws.get('transactions.duplicate_row', 0):,} "
        "extra rows that repeat the line above them verbatim (an export glitch).",
        "",
    ]

    tr = data.truth
    tx = data.transactions
    lines += ["## Hidden structure (what the analyses should find)", "",
              "The per-customer truth stays in `SampleData.truth` (never written here).", ""]
    if len(tr):
        lines += ["Personas (the handbook's five groups, hidden; `acquisition_source`, "
                  "`province`, channel and spend only hint at them):", "",
                  "| persona | share | repeat rate (mean, per day) | gap shape | "
                  "P(drop out) after a repeat (mean) | mean basket (median, VND) | "
                  "usual source | mostly buys |",
                  "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |"]
        for i, persona in enumerate(PERSONAS):
            sub = tr[tr["persona"] == persona]
            if sub.empty:
                continue
            src = ACQUISITION[int(np.argmax(_ACQ_MIX[i]))]
            ch = CHANNELS[int(np.argmax(_CHANNEL_MIX[i]))]
            lines.append(f"| {persona} | {len(sub) / len(tr):.0%} | "
                         f"{sub['lambda'].mean():.4f} (every {1 / sub['lambda'].mean():.0f} "
                         f"days) | {_GAP_SHAPE[i]:g} | {sub['p_dropout'].mean():.3f} | "
                         f"{sub['mean_spend'].median():,.0f} | {src} | {ch} |")
        n_pat = tr["pattern"].value_counts()
        lines += [
            "",
            f"- Purchases follow BG/NBD: first purchase on the sign-up day or soon after "
            f"({tr['prospect'].mean():.0%} of customers are prospects who never bought), "
            "repeat purchases at a Gamma-distributed rate (regulars have Gamma(3.5)-shaped, "
            "i.e. regular, gaps instead of exponential ones), and after each repeat purchase "
            "the customer drops out for good with a Beta-distributed probability "
            f"({tr['dropout_at'].notna().mean():.0%} had dropped out by the end). Unhappy "
            "customers drop out a little more often.",
            f"- Cross-cutting patterns for clustering: {int(n_pat.get('slowed_regular', 0)):,}"
            " `slowed_regular` customers (regulars whose rate falls to a third or a quarter "
            "part-way) and "
            f"{int(n_pat.get('fading_big_spender', 0)):,} `fading_big_spender` customers "
            "(online customers with 3.5x larger baskets, often premium income, whose rate "
            "falls to a half or a third within months and who drop out often).",
            "- Basket values are Gamma-Gamma: a per-customer mean spend (inverse-Gamma, "
            "independent of purchase frequency; VIPs about 6x the others, premium income "
            "1.3x, budget 0.85x), each basket Gamma(3) around it times the category's price "
            "level (Điện tử 2x, Thực phẩm 0.55x).",
        ]
        pos = tx[tx["amount"] > 0]
        if len(pos):
            daily = pos.set_index("purchased_at").resample("D").size()
            ratios = []
            for tet in _TET:
                t = pd.Timestamp(tet)
                pre = daily[t - pd.Timedelta(days=21):t - pd.Timedelta(days=2)]
                hol = daily[t - pd.Timedelta(days=1):t + pd.Timedelta(days=5)]
                ref = pd.concat([daily[t - pd.Timedelta(days=63):t - pd.Timedelta(days=22)],
                                 daily[t + pd.Timedelta(days=14):t + pd.Timedelta(days=56)]])
                if len(pre) == 20 and len(hol) == 7 and len(ref) > 40 and ref.mean() > 0:
                    ratios.append(f"Tết {tet}: {pre.mean() / ref.mean():.1f}x in the 3 weeks "
                                  f"before, {hol.mean() / ref.mean():.1f}x in the holiday week")
            lines.append("- Seasonality: the purchase rate rises from 1.8x to 3x over the 3 "
                         "weeks before Tết and drops to 0.35x in the holiday week (day before "
                         "Tết to day 5), then 0.8x for 4 days; weekends 1.2x, Monday and "
                         "Tuesday 0.85x. Observed daily purchase counts against the 6 weeks "
                         "either side: " + ("; ".join(ratios) if ratios else "—") + ".")
        lines.append("- Purchases happen 08:00-21:59; online orders peak in the evening, "
                     "phone orders in office hours.")
    agents = ", ".join(f"{a} {s:g}x" for a, s, _ in AGENTS)
    topics = ", ".join(f"`{t}` → {f}" for t, f in TICKET_TOPICS.items())
    eff = SCORE_EFFECTS
    lines += [
        f"- Tickets: about {_TICKET_RATE:.1%} of purchases (online 1.6x, in-store 0.8x; "
        "some customers complain far more) lead to a ticket. Categories map to the "
        f"handbook's root-cause factors: {topics}. First response depends on the channel "
        "(median minutes: " + ", ".join(f"{c} {m:g}" for c, m in
                                         zip(TICKET_CHANNELS, _FRT_MEDIAN_MIN, strict=True))
        + ") and the agent (time factor: " + agents + "); agents work 08:00-22:00. "
        "About 5% of tickets get stuck open, more among recent ones (up to 20% in the last weeks).",
        "- Surveys: sent after purchases; about "
        f"{_SURVEY_RATE:.0%} answer, {_SURVEY_RATE_TICKET:.0%} when the purchase led to a "
        "ticket. Scores come from a latent NPS = "
        f"{_NPS_BASE} + customer satisfaction (persona shift + N(0, {_NPS_CUSTOMER_SD})) + "
        f"N(0, {_NPS_ANSWER_SD}) + ticket effects, rounded and clipped to 0-10; CSAT = "
        f"{_CSAT_BASE} + {CSAT_PER_NPS} x (latent NPS − {_NPS_BASE}) + N(0, {_CSAT_SD}), "
        "clipped to 1-5. About 4% miss the NPS and 4% the CSAT (never both).",
        "",
        "| ticket effect on the latent NPS (CSAT: x0.45) | NPS points |",
        "| --- | ---: |",
        f"| a ticket linked to the surveyed purchase | {eff['ticket']:+.1f} |",
        f"| first response took 4-24 h | {eff['first_response_4_24h']:+.1f} |",
        "| first response took more than 24 h, or none yet when answering | "
        f"{eff['first_response_over_24h']:+.1f} |",
        "| handling took more than 72 h, or unresolved when answering | "
        f"{eff['handling_over_72h_or_unresolved']:+.1f} |",
        f"| root cause: product | {eff['factor_product']:+.1f} |",
        f"| root cause: convenience | {eff['factor_convenience']:+.1f} |",
        f"| root cause: people | {eff['factor_people']:+.1f} |",
        "",
        "- Comments: about 70% of detractors, 30% of passives and 35% of promoters write one. "
        "Detractors mostly complain — about the linked ticket's topic (85% of the time) or "
        "else about a topic typical of the purchase channel — sometimes adding a complaint "
        "about slow handling; promoters praise; passives mix neutral remarks and mild "
        "complaints. About 30% are written without diacritics and 35% with slang "
        "(k/ko = không, dc/đc = được, sp = sản phẩm, nv = nhân viên, ship/shipper, ok, "
        "some English), with inconsistent casing and punctuation.",
        "- Contacts: follow-up calls about a week after purchases (mostly VIP and "
        "high-spend customers), ticket follow-ups 1-3 days after a complaint, birthday "
        "greetings for high-value customers; weekdays, mostly 09:00-11:00 and 14:30-16:30; "
        "never to do-not-call customers, at most one per customer and day.",
        "",
    ]
    return "\n".join(lines)
