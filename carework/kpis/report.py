"""Every KPI table of one period length, for the dashboard and the ``carework kpis`` workbook.

:func:`kpi_report` returns a :class:`KpiReport`: the overview per period (NPS, CSAT, customer
retention and churn, FRT, ATHT), the survey and ticket KPIs per group, the customer flows, the
root causes of complaints and the drivers of NPS. Tables whose data is missing are left out
and the reason is kept in ``notes``.

A report holds numbers and codes, not words: it may be computed once and shown in either
language (the dashboards keep it per customer base). ``notes`` is therefore rendered when read,
in the current language: the as-of line and warnings from the base's gate, and each problem in
the words of the language it is read in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from carework.errors import DataError
from carework.i18n import LANGUAGES, get_language, language, t
from carework.io import Dataset
from carework.kpis.drivers import Drivers, survey_experience
from carework.kpis.flows import ACTIVE_DAYS, customer_flows
from carework.kpis.scores import min_answers_of
from carework.kpis.tables import (
    DIMENSIONS,
    LINK_DAYS,
    customer_dimensions,
    survey_kpis,
    ticket_kpis,
)

if TYPE_CHECKING:
    from carework.customer_base import CustomerBase
    from carework.gate import Gate

OVERVIEW_COLUMNS = [
    "period", "period_label", "partial", "nps", "nps_low", "nps_high", "nps_n",
    "nps_too_few", "nps_change", "nps_significant", "nps_untested", "csat", "csat_low",
    "csat_high", "csat_n", "csat_too_few", "csat_change", "csat_significant", "csat_untested",
    "cs", "ce", "cn", "retention_rate", "churn_rate", "lost_rate", "crr_undefined", "tickets",
    "tickets_too_few", "frt_median_h", "frt_p90_h", "atht_mean_h", "atht_median_h",
    "atht_p90_h", "reopened_share", "open"]


@dataclass
class KpiReport:
    """The KPI tables of one period length (see the module docstring).

    Attributes
    ----------
    gate : the customer base's gate when the report was built from one (its as-of line and
        warnings head the notes).
    problems : each problem met, as ``{language: text}``.
    """

    period: str
    overview: pd.DataFrame
    surveys: dict[str, pd.DataFrame] = field(default_factory=dict)
    tickets: dict[str, pd.DataFrame] = field(default_factory=dict)
    flows: pd.DataFrame | None = None
    experience: pd.DataFrame | None = None
    root_causes: pd.DataFrame | None = None
    drivers: Drivers | None = None
    gate: Gate | None = None
    problems: list[dict[str, str]] = field(default_factory=list)
    settings: dict[str, object] = field(default_factory=dict)

    @property
    def notes(self) -> list[str]:
        """What a reader should know, in the current language: the as-of line, the gate's
        warnings, then the tables left out and why."""
        head = [self.gate.label(), *self.gate.warnings()] if self.gate is not None else []
        return head + [texts[get_language()] for texts in self.problems]


def _problem(error: DataError, again: Callable[[], object]) -> dict[str, str]:
    """``error``'s text in every language: ``again`` (the call that raised it) is run once
    more in each other language to word it there (such calls fail early, on a check)."""
    first = str(error)
    texts = {get_language(): first}
    for lang in LANGUAGES:
        if lang not in texts:
            with language(lang):
                try:
                    again()
                except DataError as exc:
                    texts[lang] = str(exc)
                else:  # cannot happen for a check; keep the words we have
                    texts[lang] = first
    return texts


def _labels_used(data: Dataset) -> dict[str, str] | None:
    """The note "labels.csv: N labels teach the model, M set aside (why)", in every language;
    ``None`` without a labels file."""
    from carework.i18n import fmt_number
    from carework.text.readings import labels_of

    labels = labels_of(data)
    if labels is None or labels.path is None:
        return None
    reasons = labels.rejects["reason"].value_counts()
    texts = {}
    for lang in LANGUAGES:
        with language(lang):
            why = ", ".join(f"{t(f'labels.reject.{r}')} {fmt_number(n)}"
                            for r, n in reasons.items())
            texts[lang] = t("kpi.note.labels", used=fmt_number(len(labels.frame)),
                            read=fmt_number(labels.read),
                            aside=fmt_number(len(labels.rejects)), why=why or "—")
    return texts


def _comments_not_read(data: Dataset) -> dict[str, str] | None:
    """The note "N of M comments not read (why)", in every language; ``None`` when every
    comment was read (or there are none)."""
    from carework.i18n import fmt_number
    from carework.text.readings import abstained, comment_readings

    if data.surveys is None or "comment" not in data.surveys:
        return None
    readings = comment_readings(data)
    counts = abstained(readings)
    unread = int(counts["count"].sum())
    if not unread:
        return None
    texts = {}
    for lang in LANGUAGES:
        with language(lang):
            why = ", ".join(f"{t(f'unread.{r}')} {fmt_number(c)}"
                            for r, c in zip(counts["reason"], counts["count"], strict=True) if c)
            texts[lang] = t("kpi.note.comments_not_read", unread=fmt_number(unread),
                            total=fmt_number(len(readings)), why=why)
    return texts


def _words(key: str) -> dict[str, str]:
    return {lang: t(key, lang=lang) for lang in LANGUAGES}


def root_causes(data: Dataset) -> pd.DataFrame:
    """Complaints by root cause, most frequent first (a Pareto table).

    Two sources side by side: survey comments as read once per dataset
    (:func:`carework.text.readings.comment_readings`; only comments that complain, each
    counted once under its primary topic, or its factor when no topic is clear) and ticket
    categories. One row per (source, topic): ``source`` (``comments``/``tickets``), ``topic``,
    ``factor``, ``count``, ``share`` and ``cumulative_share`` (% within the source) and, for
    comments, ``nps_mean`` of the answers that wrote them. Comments the classifier could not
    read are not in the table: :func:`carework.text.readings.abstained` counts them.
    """
    from carework.text import root_cause
    from carework.text.readings import comment_readings, model_of

    parts = []
    if data.surveys is not None and "comment" in data.surveys:
        found = comment_readings(data)
        found = found[~found["factor"].isin(["other", "unknown"])].copy()
        found["topic"] = found["topic"].fillna(found["factor"])
        agg = {"count": ("factor", "size")}
        if "nps" in found:
            agg["nps_mean"] = ("nps", "mean")
        table = found.groupby(["topic", "factor"]).agg(**agg).reset_index()
        parts.append(table.assign(source="comments"))
    if data.tickets is not None and "category" in data.tickets:
        topic_factor = data.settings.text.taxonomy().topic_factor
        cats = data.tickets["category"].dropna().astype(str)
        counts = cats.value_counts().rename_axis("topic").rename("count").reset_index()
        mapped = counts["topic"].map(topic_factor)
        unknown = mapped.isna()
        if unknown.any():
            mapped[unknown] = root_cause(counts.loc[unknown, "topic"].tolist(), model_of(data))
        parts.append(counts.assign(factor=mapped, source="tickets"))
    if not parts:
        return pd.DataFrame(columns=["source", "topic", "factor", "count", "share",
                                     "cumulative_share", "nps_mean"])
    table = pd.concat(parts, ignore_index=True)
    table = table.sort_values(["source", "count"], ascending=[True, False])
    total = table.groupby("source")["count"].transform("sum")
    table["share"] = 100 * table["count"] / total
    table["cumulative_share"] = table.groupby("source")["share"].cumsum()
    if "nps_mean" not in table:
        table["nps_mean"] = float("nan")
    return table[["source", "topic", "factor", "count", "share", "cumulative_share",
                  "nps_mean"]].reset_index(drop=True)


def kpi_report(data: Dataset | CustomerBase, period: str = "month", *,
               active_days: int = ACTIVE_DAYS, satisfied_min: int = 4,
               link_days: float = LINK_DAYS, dims: pd.DataFrame | None = None,
               min_answers: int | None = None) -> KpiReport:
    """All KPI tables per ``period`` (``"week"``, ``"month"``, ``"quarter"``) of a customer
    base's data (up to its as-of date; its rule groups break the tables down), or of loaded
    data; ``dims`` is :func:`customer_dimensions` when the caller already has it;
    ``min_answers`` defaults to the data's ``[kpis] min_answers``."""
    from carework.customer_base import CustomerBase

    min_answers = min_answers_of(data, min_answers)
    problems: list[dict[str, str]] = []
    gate = None
    if isinstance(data, CustomerBase):
        dims = customer_dimensions(data) if dims is None else dims
        gate = data.gate
        data = data.data
    elif dims is None:
        dims = customer_dimensions(data)
    surveys: dict[str, pd.DataFrame] = {}
    tickets: dict[str, pd.DataFrame] = {}
    for by in (None, *DIMENSIONS):
        key = by or "all"
        for store, build, needs in ((surveys, survey_kpis, data.surveys),
                                    (tickets, ticket_kpis, data.tickets)):
            if needs is None or not len(needs):
                continue
            kwargs = {"satisfied_min": satisfied_min, "link_days": link_days} \
                if build is survey_kpis else {}

            def run(build=build, by=by, kwargs=kwargs) -> pd.DataFrame:  # noqa: ANN001
                return build(data, period, by, dims=dims, min_answers=min_answers, **kwargs)

            try:
                store[key] = run()
            except DataError as exc:
                problems.append(_problem(exc, run))
    flows = customer_flows(data.transactions, period, active_days=active_days) \
        if len(data.transactions) else None
    overview = _overview(surveys.get("all"), tickets.get("all"), flows)
    experience = drivers = None
    if data.surveys is not None and len(data.surveys):
        experience = survey_experience(data, link_days)
        has_nps = "nps" in experience and experience["nps"].notna().any()

        def fit() -> Drivers:
            return Drivers("nps" if has_nps else "csat", link_days=link_days,
                           min_answers=min_answers).fit(experience)

        try:
            drivers = fit()
        except DataError as exc:
            problems.append(_problem(exc, fit))
    for note in (_labels_used(data), _comments_not_read(data)):
        if note is not None:
            problems.append(note)
    if data.surveys is None:
        problems.append(_words("kpi.note.no_surveys"))
    if data.tickets is None:
        problems.append(_words("kpi.note.no_tickets"))
    return KpiReport(period=period, overview=overview, surveys=surveys, tickets=tickets,
                     flows=flows, experience=experience,
                     root_causes=root_causes(data), drivers=drivers, gate=gate,
                     problems=problems,
                     settings={"period": period, "active_days": active_days,
                               "satisfied_min": satisfied_min, "link_days": link_days,
                               "min_answers": min_answers})


def _overview(surveys: pd.DataFrame | None, tickets: pd.DataFrame | None,
              flows: pd.DataFrame | None) -> pd.DataFrame:
    keys = ["period", "period_label"]
    frames = []
    if surveys is not None:
        frames.append(surveys.drop(columns=["group"]))
    if tickets is not None:
        frames.append(tickets.drop(columns=["group"]))
    if flows is not None:
        frames.append(flows.drop(columns=["warming_up"]))
    if not frames:
        return pd.DataFrame(columns=OVERVIEW_COLUMNS)
    out = frames[0]
    for frame in frames[1:]:
        both = [c for c in frame.columns if c in out.columns and c not in keys]
        merged = out.merge(frame, on=keys, how="outer", suffixes=("", "_other"))
        for column in both:  # "partial": the period is partial for any source
            merged[column] = merged[column].fillna(False).astype(bool) | \
                merged.pop(f"{column}_other").fillna(False).astype(bool)
        out = merged
    out = out.sort_values("period").reset_index(drop=True)
    return out[[c for c in OVERVIEW_COLUMNS if c in out.columns]]
