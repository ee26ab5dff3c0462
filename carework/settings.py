"""Every setting a user may change, in one object read from the data folder's ``carework.toml``.

:class:`Settings` holds what the data cannot say by itself (the date order, headers carework
does not recognise, the as-of date) and every threshold the workbench uses, in sections:

================  ============================================================================
section           what it sets
================  ============================================================================
``[segments]``    the handbook's rule groups (:class:`SegmentRules`)
``[churn]``       horizon, risk bands, CLV discount, readiness thresholds (:class:`ChurnSettings`)
``[calls]``       the call list's cool-down, windows, reasons (:class:`CallRules`)
``[incidents]``   when an open ticket is stale (:class:`IncidentSettings`)
``[kpis]``        the fewest answers a score or a change is read from (:class:`KpiSettings`)
``[reading]``     implausible amounts, the returns window (:class:`ReadingSettings`)
``[display]``     currency and language (:class:`DisplaySettings`)
``[dashboards]``  the dashboard server: idle kernels, warm kernels (:class:`DashboardSettings`)
``[text]``        comment reading: the business's topics, thresholds (:class:`TextSettings`)
================  ============================================================================

A setting that is unknown, of the wrong type or makes no sense is a :class:`carework.DataError`
naming it, with the fix. Every default is documented on its class; a folder without
``carework.toml`` gets them all.

Examples
--------
>>> s = Settings.from_mapping({"churn": {"risk_bands": [0.4, 0.7]}})
>>> s.churn.risk_band(0.55), s.churn.risk_band(0.9)
('medium', 'high')
>>> s.segments.vip_top_share
0.05
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from carework.errors import DataError, data_error
from carework.i18n import t

T = TypeVar("T")
CONFIG_FILE = "carework.toml"
GROUPS = ("acquaintance", "regular", "occasional", "online", "vip")
RISK_BANDS = ("low", "medium", "high")
CHURN_MODELS = ("bgnbd", "pnbd", "mbgnbd")
LANGUAGES = ("vi", "en")


Must = str | tuple[str, Mapping[str, object]]
"""What a setting must be: a message key (``settings.must.*``), or a key and its parameters."""


def _what(what: str) -> str:
    """The settings named in a message: a key (``settings.what.*``) in the current language, or
    a TOML section (``[churn]``) as it is written."""
    return t(what) if what.startswith("settings.what.") else what


def refuse_nonsense(what: str, checks: Iterable[tuple[str, Any, bool, Must]]) -> None:
    """Raise for the first ``(name, value, ok, must)`` that is not ``ok``.

    ``what`` names the settings (a ``settings.what.*`` key or a ``[section]``); ``must`` says
    what the value must be (a ``settings.must.*`` key, or ``(key, params)``).
    """
    for name, value, ok, must in checks:
        if not ok:
            key, params = (must, {}) if isinstance(must, str) else must
            raise data_error("err.settings.nonsense", column=name, what=_what(what), name=name,
                             value=repr(value), must=t(key, **params))


def from_mapping(cls: type[T], values: Mapping[str, Any], what: str, source: str = "") -> T:
    """A settings dataclass ``cls`` from its defaults overridden by ``values``, each converted to
    its default's type (a tuple from a list)."""
    file = source or None
    known = sorted(f.name for f in fields(cls))  # type: ignore[arg-type]
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise data_error("err.settings.unknown", fix=MOVED.get(unknown[0]), file=file,
                         column=unknown[0], what=_what(what), name=repr(unknown[0]),
                         known=", ".join(known))
    typed: dict[str, Any] = {}
    for name, value in values.items():
        default = getattr(cls, name)
        try:
            if isinstance(default, tuple):
                if isinstance(value, str) or not isinstance(value, list | tuple):
                    raise TypeError
                kind = type(default[0]) if default else str
                typed[name] = tuple(kind(v) for v in value)
            elif isinstance(default, str):
                if not isinstance(value, str):
                    raise TypeError
                typed[name] = value
            elif isinstance(value, bool | list | dict | str) or (
                    isinstance(default, int) and value != int(value)):
                raise TypeError
            else:
                typed[name] = type(default)(value)
        except (TypeError, ValueError):
            raise data_error("err.settings.wrong_type", file=file, column=name,
                             what=_what(what), name=name, value=repr(value),
                             default=repr(default)) from None
    try:
        return cls(**typed)
    except DataError as exc:
        raise DataError(exc.problem, file=file, column=exc.column, fix=exc.fix) from None


MOVED = {name: f"fix.settings.moved.{name}"
         for name in ("lapsed_churn_risk", "at_risk_min", "lapsed_risk", "horizon_days")}
"""Settings that moved to another section: the key of the message saying where they live now."""


# ------------------------------------------------------------------------------- sections

@dataclass(frozen=True)
class SegmentRules:
    """Thresholds of the handbook's rule groups (``[segments]``).

    Attributes
    ----------
    vip_top_share : VIP = the top spenders, this share of the buyers (by spend over
        ``vip_lookback_days``). Default 0.05.
    vip_lookback_days : the spend that counts for VIP (0 = all history). Default 365.
    regular_max_gap_days : regular = buys at least every this many days on average ...
    regular_min_orders : ... with at least this many purchase-days ...
    regular_max_recency_days : ... and has bought within this many days.
    online_min_share : online = at least this share of their purchases online.
    acquaintance_sources : acquisition sources that make an acquaintance.
    loyal_min_orders : purchase-days from which a customer counts as loyal.
    lapsed_days : without churn scores, lapsed = no purchase for this many days (with scores,
        lapsed = the ``high`` churn-risk band of ``[churn] risk_bands``).
    age_band_edges : the handbook's age bands: <15, 15–22, 22–50, >50.
    precedence : order in which a customer's matching groups pick the primary one.
    """

    vip_top_share: float = 0.05
    vip_lookback_days: float = 365.0
    regular_max_gap_days: float = 30.0
    regular_min_orders: int = 3
    regular_max_recency_days: float = 90.0
    online_min_share: float = 0.5
    acquaintance_sources: tuple[str, ...] = ("referral", "friend_family")
    loyal_min_orders: int = 5
    lapsed_days: float = 180.0
    age_band_edges: tuple[float, ...] = (15.0, 22.0, 50.0)
    precedence: tuple[str, ...] = ("vip", "regular", "acquaintance", "online", "occasional")

    def __post_init__(self) -> None:
        edges = self.age_band_edges
        refuse_nonsense("settings.what.segments", [
            ("vip_top_share", self.vip_top_share, 0 < self.vip_top_share <= 0.5,
             "settings.must.vip_share"),
            ("vip_lookback_days", self.vip_lookback_days, self.vip_lookback_days >= 0,
             "settings.must.days_or_all"),
            ("regular_max_gap_days", self.regular_max_gap_days,
             self.regular_max_gap_days > 0, "settings.must.days_positive"),
            ("regular_min_orders", self.regular_min_orders, self.regular_min_orders >= 2,
             "settings.must.two_days_gap"),
            ("regular_max_recency_days", self.regular_max_recency_days,
             self.regular_max_recency_days > 0, "settings.must.days_positive"),
            ("online_min_share", self.online_min_share, 0 < self.online_min_share <= 1,
             "settings.must.share"),
            ("loyal_min_orders", self.loyal_min_orders, self.loyal_min_orders >= 2,
             "settings.must.two_days"),
            ("lapsed_days", self.lapsed_days, self.lapsed_days > 0,
             "settings.must.days_positive"),
            ("age_band_edges", edges, len(edges) == 3 and list(edges) == sorted(set(edges))
             and edges[0] > 0, "settings.must.age_edges"),
            ("precedence", self.precedence, sorted(self.precedence) == sorted(GROUPS),
             ("settings.must.each_once", {"groups": ", ".join(GROUPS)})),
        ])

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any], source: str = "") -> SegmentRules:
        """Defaults overridden by ``values`` (e.g. a ``[segments]`` TOML table)."""
        return from_mapping(cls, values, "settings.what.segments", source)

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> SegmentRules:
        """Read a TOML file: the settings at the top level or under ``[segments]``."""
        raw = _read_toml(Path(path), missing_ok=False)
        return cls.from_mapping(raw.get("segments", raw), str(path))

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ChurnSettings:
    """Churn risk, CLV and when the data can support them (``[churn]``).

    Attributes
    ----------
    horizon_days : the horizon of churn risk ("no purchase within this many days"), expected
        purchases and predicted CLV, everywhere. Default 90.
    risk_bands : churn-risk cut-offs of the bands ``low`` < first ≤ ``medium`` < second ≤
        ``high``. ``high`` is "lapsed" in the purchase stages and "win back" on the call list;
        ``medium`` is "at risk". Default [0.5, 0.8].
    model : the repeat-buying model: ``bgnbd``, ``pnbd`` or ``mbgnbd``.
    annual_discount : yearly discount rate of predicted CLV. Default 0.10.
    interval_level : coverage of the churn-risk interval. Default 0.9.
    min_buyers, min_history_days, min_repeat_buyers : below these the models are not fitted
        (unless forced): fewer buyers give loose estimates, a shorter history cannot separate
        "slow" from "gone", and the model learns buying rates from people who came back
        (customers with 3+ purchase-days).
    max_days_uncovered : an as-of date more than this many days after the data's last
        purchase is refused (unless forced): the data cannot say what happened in between.
    stale_after_days : data whose last purchase is more than this many days before today is
        flagged on every figure (the figures describe customers as of the data's end).
    penalizer, spend_penalizer : L2 penalties of the repeat-buying and the spend model fits
        (lifetimes' ``penalizer_coef``); 0 fits the data as it is. Raise them (0.001, 0.01) when
        a fit is refused as running off to extremes. ``--penalizer`` sets the first.
    """

    horizon_days: int = 90
    risk_bands: tuple[float, ...] = (0.5, 0.8)
    model: str = "bgnbd"
    annual_discount: float = 0.10
    interval_level: float = 0.9
    min_buyers: int = 500
    min_history_days: int = 180
    min_repeat_buyers: int = 50
    max_days_uncovered: int = 30
    stale_after_days: int = 30
    penalizer: float = 0.0
    spend_penalizer: float = 0.0

    def __post_init__(self) -> None:
        bands = self.risk_bands
        refuse_nonsense("settings.what.churn", [
            ("horizon_days", self.horizon_days, 0 < self.horizon_days <= 3650,
             "settings.must.horizon"),
            ("risk_bands", bands, len(bands) == 2 and 0 < bands[0] < bands[1] < 1,
             "settings.must.risk_bands"),
            ("model", self.model, self.model in CHURN_MODELS,
             ("settings.must.one_of", {"choices": ", ".join(CHURN_MODELS)})),
            ("annual_discount", self.annual_discount, -1 < self.annual_discount < 1,
             "settings.must.yearly_rate"),
            ("interval_level", self.interval_level, 0.5 <= self.interval_level < 1,
             "settings.must.coverage"),
            ("min_buyers", self.min_buyers, self.min_buyers >= 10, "settings.must.min_buyers"),
            ("min_history_days", self.min_history_days, self.min_history_days >= 0,
             "settings.must.zero_or_more"),
            ("min_repeat_buyers", self.min_repeat_buyers, self.min_repeat_buyers >= 1,
             "settings.must.at_least_one"),
            ("max_days_uncovered", self.max_days_uncovered, self.max_days_uncovered >= 0,
             "settings.must.days_zero_or_more"),
            ("stale_after_days", self.stale_after_days, self.stale_after_days >= 1,
             "settings.must.at_least_one_day"),
            ("penalizer", self.penalizer, 0 <= self.penalizer <= 10, "settings.must.penalizer"),
            ("spend_penalizer", self.spend_penalizer, 0 <= self.spend_penalizer <= 10,
             "settings.must.penalizer"),
        ])

    def risk_band(self, risk: float) -> str | None:
        """The band of one churn risk (``None`` when unknown)."""
        if risk is None or np.isnan(risk):
            return None
        low, high = self.risk_bands
        return "high" if risk >= high else "medium" if risk >= low else "low"

    def risk_bands_of(self, risk: pd.Series) -> pd.Series:
        """The band of every churn risk (missing where the risk is)."""
        low, high = self.risk_bands
        band = np.select([risk >= high, risk >= low], ["high", "medium"], "low")
        return pd.Series(band, index=risk.index, dtype=object).where(risk.notna())


@dataclass(frozen=True)
class CallRules:
    """Thresholds of the call list (``[calls]``; defaults from the handbook).

    Attributes
    ----------
    cooldown_days : never call anyone contacted in the last this many days.
    closed_loop_days : a detractor (NPS 0–6) or dissatisfied rating (CSAT 1–2) this recent, not
        contacted since, is called right after the open incidents.
    follow_up_days : the purchase this many days ago gets a follow-up call (± ``follow_up_slack``).
    follow_up_slack : days either side of ``follow_up_days``.
    birthday_days : birthdays within this many days from the date (the week ahead).
    welcome_days : a first purchase this recent gets a welcome call.
    win_back_top_share : lapsed customers among this top share by past spend are worth winning
        back.
    win_back_rate : share of a lapsed customer's yearly spend a win-back call is expected to
        bring back (an assumption the backtest checks, not a measured fact).
    min_per_reason : after the urgent calls, every other reason with callable customers gets
        at least its best this many onto the list (so a birthday or a one-week follow-up is
        not crowded out by bigger sums), as far as capacity allows.
    max_reason_share : no reason (other than open incidents and unhappy customers, which are
        urgent) fills more than this share of the list while others are eligible.
    windows : the only hours for care calls.
    """

    cooldown_days: int = 7
    closed_loop_days: int = 14
    follow_up_days: int = 7
    follow_up_slack: int = 1
    birthday_days: int = 7
    welcome_days: int = 7
    win_back_top_share: float = 0.2
    win_back_rate: float = 0.1
    min_per_reason: int = 2
    max_reason_share: float = 0.5
    windows: tuple[str, ...] = ("09:00–11:00", "14:30–16:30")

    def __post_init__(self) -> None:
        refuse_nonsense("settings.what.calls", [
            ("cooldown_days", self.cooldown_days, self.cooldown_days >= 0,
             "settings.must.days_zero_or_more"),
            ("closed_loop_days", self.closed_loop_days, self.closed_loop_days > 0,
             "settings.must.days_positive"),
            ("follow_up_days", self.follow_up_days, self.follow_up_days > self.follow_up_slack
             >= 0, "settings.must.more_than_slack"),
            ("birthday_days", self.birthday_days, self.birthday_days > 0,
             "settings.must.days_positive"),
            ("welcome_days", self.welcome_days, self.welcome_days > 0,
             "settings.must.days_positive"),
            ("win_back_top_share", self.win_back_top_share, 0 < self.win_back_top_share <= 1,
             "settings.must.share_positive"),
            ("win_back_rate", self.win_back_rate, 0 < self.win_back_rate <= 1,
             "settings.must.share_positive"),
            ("min_per_reason", self.min_per_reason, self.min_per_reason >= 0,
             "settings.must.zero_or_more"),
            ("max_reason_share", self.max_reason_share, 0 < self.max_reason_share <= 1,
             "settings.must.share"),
            ("windows", self.windows, len(self.windows) >= 1 and all(
                _window_ok(w) for w in self.windows), "settings.must.windows"),
        ])

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> CallRules:
        """Defaults overridden by ``values`` (e.g. keyword arguments of ``plan``)."""
        return from_mapping(cls, values, "settings.what.calls")

    def replace(self, **changes: Any) -> CallRules:
        """These rules with ``changes`` (checked like the settings file)."""
        return CallRules.from_mapping({**asdict(self), **changes})


def _window_ok(window: str) -> bool:
    parts = window.replace("–", "-").split("-")
    if len(parts) != 2:
        return False
    try:
        start, end = (pd.Timestamp(f"2000-01-01 {p.strip()}") for p in parts)
    except ValueError:
        return False
    return start < end


@dataclass(frozen=True)
class IncidentSettings:
    """Open tickets (``[incidents]``).

    Attributes
    ----------
    stale_days : a ticket still open this many days after it was opened is a data-quality item
        (most likely closed without the export saying so), not a call. Default 60.
    """

    stale_days: int = 60

    def __post_init__(self) -> None:
        refuse_nonsense("settings.what.incidents", [
            ("stale_days", self.stale_days, self.stale_days >= 1,
             "settings.must.at_least_one_day")])


@dataclass(frozen=True)
class KpiSettings:
    """Survey and service KPIs (``[kpis]``).

    Attributes
    ----------
    min_answers : a period's (or a group's) NPS, CSAT or ticket figures from fewer answers
        (tickets) are flagged ``*_too_few``, and a change between two periods is tested (its
        p-value, ``*_significant``, the star on charts and tables) only when both have at
        least this many; below it the change is shown untested, with the reason. Also the
        fewest survey answers the drivers are read from. Default 30.
    """

    min_answers: int = 30

    def __post_init__(self) -> None:
        refuse_nonsense("settings.what.kpis", [
            ("min_answers", self.min_answers, self.min_answers >= 1,
             "settings.must.at_least_one")])


@dataclass(frozen=True)
class ReadingSettings:
    """How the loader reads amounts and returns (``[reading]``).

    Attributes
    ----------
    max_amount : one purchase worth this much or more is set aside as implausible (a typo, an
        order number in the amount column, Excel's 1e20). Default 10^12.
    returns_window_days : a return or cancellation is netted against the same customer's
        purchases at most this many days before it. Default 365 (a wholesale customer may return
        goods months later; any earlier purchase nets spend better than none).
    """

    max_amount: float = 1e12
    returns_window_days: int = 365

    def __post_init__(self) -> None:
        refuse_nonsense("settings.what.reading", [
            ("max_amount", self.max_amount, self.max_amount > 0,
             "settings.must.positive_amount"),
            ("returns_window_days", self.returns_window_days, self.returns_window_days >= 1,
             "settings.must.at_least_one_day")])


@dataclass(frozen=True)
class DisplaySettings:
    """How figures are shown (``[display]``).

    Attributes
    ----------
    currency : ISO 4217 code of the shop's money: VND (default), USD, GBP, EUR, BRL, …
    language : ``vi`` (default) or ``en``; ``--lang`` and ``CAREWORK_LANG`` override it.
    """

    currency: str = "VND"
    language: str = "vi"

    def __post_init__(self) -> None:
        refuse_nonsense("settings.what.display", [
            ("currency", self.currency, _known_currency(self.currency),
             "settings.must.currency"),
            ("language", self.language, self.language in LANGUAGES,
             ("settings.must.one_of", {"choices": ", ".join(LANGUAGES)})),
        ])

    def apply(self, language_chosen: bool = False) -> None:
        """Show money in this currency and, unless the language was chosen already
        (``--lang``, ``CAREWORK_LANG``), words in this language."""
        from carework.i18n import set_currency, set_language

        set_currency(self.currency)
        if not language_chosen and not os.environ.get("CAREWORK_LANG"):
            set_language(self.language)


def _known_currency(code: str) -> bool:
    from babel.numbers import list_currencies

    return code in list_currencies()


@dataclass(frozen=True)
class DashboardSettings:
    """The dashboard server, ``carework dashboards`` (``[dashboards]``).

    Attributes
    ----------
    cull_idle_minutes : a dashboard's kernel (its Python process, about 400 MB) is stopped after
        this many minutes with no tab open on it (a tab that closed normally stops it at once);
        0 = never. Default 20.
    cull_interval_seconds : how often idle kernels are looked for. Default 60.
    pool_size : kernels per dashboard kept running the notebook ahead of the next visitors (a
        dashboard opens in under 2 s instead of 8–14 s; each costs its memory, about 400 MB,
        all day); 0 = none. Default 2: with one, the page opened again right after (a reopen,
        a second visitor) waits 8–12 s for the replacement to run the notebook; with two it
        opens in 1.0–1.7 s (benchmarks/RESULTS.md). Set 1 on a server short of memory.
    cache_megabytes : the results cache (:mod:`carework.cache`) is kept under this size by
        deleting the least recently used results. Default 2000.
    """

    cull_idle_minutes: float = 20.0
    cull_interval_seconds: int = 60
    pool_size: int = 2
    cache_megabytes: float = 2000.0

    def __post_init__(self) -> None:
        refuse_nonsense("settings.what.dashboards", [
            ("cull_idle_minutes", self.cull_idle_minutes, 0 <= self.cull_idle_minutes <= 10080,
             "settings.must.cull_minutes"),
            ("cull_interval_seconds", self.cull_interval_seconds,
             1 <= self.cull_interval_seconds <= 3600, "settings.must.cull_interval"),
            ("pool_size", self.pool_size, 0 <= self.pool_size <= 8, "settings.must.pool_size"),
            ("cache_megabytes", self.cache_megabytes, self.cache_megabytes > 0,
             "settings.must.positive_amount"),
        ])

    @property
    def cull_idle_seconds(self) -> int:
        """``cull_idle_minutes`` in whole seconds (at least 1 unless 0: never)."""
        return max(round(self.cull_idle_minutes * 60), 1) if self.cull_idle_minutes else 0


@dataclass(frozen=True)
class TextSettings:
    """How survey comments are read (``[text]``).

    Attributes
    ----------
    complaint_threshold : a comment is a complaint when the classifier gives ``complaint`` at
        least this probability. Default 0.5.
    secondary_share : a complaint names a second (third) factor when that factor has at least
        this share of the factor probability. Default 0.3.
    labels_weight : weight of one of the business's own labels (``labels.csv`` in the data
        folder) against one comment of the shipped training corpus when the business's model
        is trained. Default 3.
    topics : the business's topics: ``[text.topics.<code>]`` with ``factor``, ``vi``, ``en``
        and ``aliases`` adds a topic or changes one (see :mod:`carework.text.taxonomy`).
    factors : ``[text.factors.<factor>]`` with ``vi``/``en`` renames a factor.
    """

    complaint_threshold: float = 0.5
    secondary_share: float = 0.3
    labels_weight: float = 3.0
    topics: Mapping[str, Any] = field(default_factory=dict)
    factors: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        refuse_nonsense("settings.what.text", [
            ("complaint_threshold", self.complaint_threshold,
             0 < self.complaint_threshold < 1, "settings.must.share"),
            ("secondary_share", self.secondary_share, 0 < self.secondary_share <= 1,
             "settings.must.share"),
            ("labels_weight", self.labels_weight, 0 < self.labels_weight <= 100,
             "settings.must.labels_weight"),
        ])
        if self.topics or self.factors:
            self.taxonomy()

    def taxonomy(self) -> Any:
        """The default taxonomy with this business's topics (a :class:`DataError` naming the
        topic when one makes no sense)."""
        from carework.text.taxonomy import taxonomy_with

        try:
            return taxonomy_with({"topics": self.topics, "factors": self.factors})
        except ValueError as exc:
            raise data_error("err.settings.taxonomy", column="text.topics",
                             problem=str(exc)) from None


# ------------------------------------------------------------------------------- the object

SECTIONS: dict[str, type] = {"segments": SegmentRules, "churn": ChurnSettings,
                             "calls": CallRules, "incidents": IncidentSettings,
                             "kpis": KpiSettings,
                             "reading": ReadingSettings, "display": DisplaySettings,
                             "dashboards": DashboardSettings, "text": TextSettings}


@dataclass(frozen=True)
class Settings:
    """Every setting of one data folder (see the module docstring).

    Attributes
    ----------
    dayfirst : how to read ``a/b/yyyy`` dates the data cannot decide (``None``: ask).
    columns : per table, your header → canonical column.
    as_of : the date every figure is computed as of (``None``: the data's last purchase day).
    segments, churn, calls, incidents, kpis, reading, display, dashboards, text : the
        sections.
    source : the file the settings came from (empty for defaults).
    """

    dayfirst: bool | None = None
    columns: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    as_of: pd.Timestamp | None = None
    segments: SegmentRules = field(default_factory=SegmentRules)
    churn: ChurnSettings = field(default_factory=ChurnSettings)
    calls: CallRules = field(default_factory=CallRules)
    incidents: IncidentSettings = field(default_factory=IncidentSettings)
    kpis: KpiSettings = field(default_factory=KpiSettings)
    reading: ReadingSettings = field(default_factory=ReadingSettings)
    display: DisplaySettings = field(default_factory=DisplaySettings)
    dashboards: DashboardSettings = field(default_factory=DashboardSettings)
    text: TextSettings = field(default_factory=TextSettings)
    source: str = ""

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any], source: str = "") -> Settings:
        """Settings from a parsed ``carework.toml`` (unknown keys and nonsense refused)."""
        from carework.schema import TABLES

        file = source or None
        allowed = {"dayfirst", "as_of", "columns", *SECTIONS}
        unknown = sorted(set(raw) - allowed)
        if unknown:
            raise data_error("err.settings.unknown_key", file=file, column=unknown[0],
                             name=repr(unknown[0]), known=", ".join(sorted(allowed)))
        dayfirst = raw.get("dayfirst")
        if dayfirst is not None and not isinstance(dayfirst, bool):
            raise data_error("err.settings.dayfirst", file=file, column="dayfirst",
                             value=repr(dayfirst))
        as_of = _as_of(raw.get("as_of"), file)
        columns = raw.get("columns", {})
        if not isinstance(columns, Mapping):
            raise data_error("err.settings.columns", file=file, column="columns")
        for table, mapping in columns.items():
            if table not in TABLES or not isinstance(mapping, Mapping):
                raise data_error("err.settings.columns_table", file=file,
                                 column=f"columns.{table}", table=table,
                                 known=", ".join(TABLES))
            for header, canonical in mapping.items():
                if canonical not in TABLES[table].column_names:
                    raise data_error("err.settings.columns_column", file=file,
                                     column=f"columns.{table}", table=table,
                                     header=repr(header), canonical=repr(canonical),
                                     known=", ".join(TABLES[table].column_names))
        sections = {}
        for name, kind in SECTIONS.items():
            values = raw.get(name, {})
            if not isinstance(values, Mapping):
                raise data_error("err.settings.section", file=file, column=name, name=name)
            tables = {k: values[k] for k in ("topics", "factors")
                      if name == "text" and k in values}
            for key, table in tables.items():
                if not isinstance(table, Mapping):
                    raise data_error("err.settings.section", file=file, column=f"text.{key}",
                                     name=f"text.{key}")
            plain = {k: v for k, v in values.items() if k not in tables}
            section = from_mapping(kind, plain, f"[{name}]", source)
            if tables:
                from dataclasses import replace as _replace
                try:
                    section = _replace(section, **tables)
                except DataError as exc:
                    raise DataError(exc.problem, file=file, column=exc.column,
                                    fix=exc.fix) from None
            sections[name] = section
        return cls(dayfirst=dayfirst, columns=columns, as_of=as_of, source=source, **sections)

    @classmethod
    def read(cls, folder: str | os.PathLike[str] | None) -> Settings:
        """The settings of a data folder: its ``carework.toml``, else every default."""
        if folder is None:
            return cls()
        path = Path(folder)
        path = path / CONFIG_FILE if path.is_dir() else path.with_name(CONFIG_FILE)
        if not path.is_file():
            return cls()
        return cls.from_mapping(_read_toml(path, missing_ok=True), str(path))

    def replace(self, **changes: Any) -> Settings:
        """A copy with ``changes``: top-level fields, or ``"section.name"`` keys
        (``settings.replace(**{"churn.horizon_days": 30})``)."""
        from dataclasses import replace as _replace

        top = {k: v for k, v in changes.items() if "." not in k}
        nested: dict[str, dict[str, Any]] = {}
        for key, value in changes.items():
            if "." in key:
                section, name = key.split(".", 1)
                nested.setdefault(section, {})[name] = value
        for section, values in nested.items():
            if section not in SECTIONS:
                raise KeyError(section)
            current = asdict(getattr(self, section))
            top[section] = from_mapping(SECTIONS[section], current | values, f"[{section}]")
        return _replace(self, **top)

    def fingerprint(self) -> str:
        """A short stable text that changes with any setting (for caches)."""
        import hashlib

        text = repr((self.dayfirst, sorted((k, sorted(v.items()))
                                           for k, v in self.columns.items()), self.as_of,
                     *(asdict(getattr(self, name)) for name in SECTIONS)))
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def _as_of(value: object, file: str | None) -> pd.Timestamp | None:
    if value is None:
        return None
    try:
        day = pd.Timestamp(value)
    except (TypeError, ValueError):
        day = pd.NaT
    if pd.isna(day) or isinstance(value, bool):
        raise data_error("err.settings.as_of", file=file, column="as_of", value=repr(value))
    return day.normalize()


def _read_toml(path: Path, missing_ok: bool) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        if missing_ok:
            return {}
        raise data_error("err.settings.no_file", file=str(path)) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise data_error("err.settings.unreadable", file=str(path), detail=str(exc)) from None


__all__ = ["CONFIG_FILE", "CallRules", "ChurnSettings", "DashboardSettings", "DisplaySettings",
           "IncidentSettings", "KpiSettings", "SegmentRules", "Settings", "from_mapping",
           "refuse_nonsense"]
