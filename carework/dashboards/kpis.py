"""The dashboard of notebook 03_survey_kpis: how satisfied customers are, whether it is
changing, what they complain about and what would move the score.

Controls: period length (week / month / quarter), the period shown, the breakdown group and
the activity window that defines "a customer". Tabs: KPI cards and trends with 95% bands,
breakdown tables, the agent table, the root-cause Pareto chart, the driver quadrant and a
comment browser with filters. The Python state the widgets show is kept on the dashboard
(``report``, ``headline``, ``breakdown``, ``agents``, ``comments_shown``) for tests.
"""

from __future__ import annotations

import html
from dataclasses import replace

import ipywidgets as w
import pandas as pd

from carework.cache import derived
from carework.customer_base import CustomerBase
from carework.dashboards.common import as_base, ready, show_figure, table_html
from carework.dashboards.drilldown import DrillDown
from carework.dashboards.exports import sheet, workbook_button
from carework.dashboards.filters import FilterBar, ViewFilters, filter_data
from carework.i18n import (
    MISSING,
    fmt_date,
    fmt_decimal,
    fmt_number,
    fmt_percent,
    fmt_period,
    fmt_undefined,
    get_language,
    label,
    t,
)
from carework.io import Dataset
from carework.kpis import plots
from carework.kpis.report import KpiReport, kpi_report
from carework.kpis.scores import DETRACTOR_MAX, PROMOTER_MIN
from carework.kpis.tables import DIMENSIONS, customer_dimensions
from carework.text.readings import abstained, model_of
from carework.vntext import fold

SHOWN_COMMENTS = 50
ALL = "__all__"
NPS_GROUPS = ("detractor", "passive", "promoter")


def _nps_group(score: object) -> str | None:
    if pd.isna(score):
        return None
    return ("promoter" if score >= PROMOTER_MIN else "detractor" if score <= DETRACTOR_MAX
            else "passive")


def comment_table(data: Dataset) -> pd.DataFrame:
    """The survey comments with their root cause, topic and NPS group, newest first."""
    from carework.text.readings import comment_readings

    if data.surveys is None or "comment" not in data.surveys:
        return pd.DataFrame(columns=["answered_at", "nps", "csat", "comment", "factor",
                                     "topic", "reason", "nps_group", "folded"])
    frame = comment_readings(data).copy()
    texts = frame["comment"].astype(str).tolist()
    frame["nps_group"] = frame["nps"].map(_nps_group) if "nps" in frame else None
    frame["folded"] = [fold(x) for x in texts]
    return frame.sort_values("answered_at", ascending=False).reset_index(drop=True)


def filter_comments(comments: pd.DataFrame, *, factor: str = ALL, nps_group: str = ALL,
                    search: str = "") -> pd.DataFrame:
    """Comments of one root-cause factor and NPS group containing ``search`` (matched with or
    without diacritics)."""
    keep = pd.Series(True, index=comments.index)
    if factor != ALL:
        keep &= comments["factor"] == factor
    if nps_group != ALL:
        keep &= comments["nps_group"] == nps_group
    words = fold(search).split()
    for word in words:
        keep &= comments["folded"].str.contains(word, regex=False)
    return comments[keep]


def _signed(value: float) -> str:
    if pd.isna(value):
        return MISSING
    arrow = "▲" if value > 0 else "▼" if value < 0 else "="
    return f"{arrow} {fmt_decimal(abs(value))}"


def _card(title: str, value: str, detail: str, warn: str = "") -> str:
    warn_html = (f"<div style='color:#b9770e;font-size:11px'>⚠ {html.escape(warn)}</div>"
                 if warn else "")
    return (f"<div style='padding:8px 14px;border:1px solid #ddd;border-radius:6px;"
            f"min-width:150px'><div style='color:#666;font-size:12px'>{html.escape(title)}</div>"
            f"<div style='font-size:22px;font-weight:600'>{html.escape(value)}</div>"
            f"<div style='color:#555;font-size:11px'>{html.escape(detail)}</div>{warn_html}"
            f"</div>")


class KpiDashboard(w.VBox):
    """See the module docstring."""

    def __init__(self, base: CustomerBase, filter_bar: FilterBar | None = None) -> None:
        self.base = base
        self.filter_bar = filter_bar
        self.data = data = base.data
        self._reports: dict[tuple[str, int], KpiReport] = {}
        self._dims = customer_dimensions(base)
        self.model = model_of(data)
        self.comments = derived(base, "comments", lambda: comment_table(data),
                                model=self.model.identity)
        style = {"description_width": "initial"}
        self.period = w.Dropdown(options=[(t(f"kpiui.period.{p}"), p)
                                          for p in ("week", "month", "quarter")],
                                 value="month", description=t("kpiui.period"), style=style)
        self.shown = w.Dropdown(description=t("kpiui.shown"), style=style)
        self.group = w.Dropdown(options=[(t(f"kpiui.by.{d}"), d) for d in DIMENSIONS],
                                value="channel", description=t("kpiui.group"), style=style)
        self.active_days = w.IntSlider(value=90, min=30, max=365, step=15, style=style,
                                       description=t("kpiui.active_days"),
                                       continuous_update=False,
                                       layout=w.Layout(width="760px"))
        self.cards = w.HTML()
        self.trend = w.Output()
        self.breakdown_html = w.HTML()
        self.agents_html = w.HTML()
        self.source = w.ToggleButtons(options=[(t("kpiui.source.comments"), "comments"),
                                               (t("kpiui.source.tickets"), "tickets")],
                                      value="comments")
        self.pareto = w.Output()
        self.pareto_html = w.HTML()
        self.quadrant = w.Output()
        self.drivers_html = w.HTML()
        self.factor = w.Dropdown(options=[(t("dash.all"), ALL)]
                                 + [(label(f, "factor"), f) for f in
                                    ("product", "convenience", "people", "other", "unknown")],
                                 value=ALL, description=t("kpiui.factor"), style=style)
        self.nps_group = w.Dropdown(options=[(t("dash.all"), ALL)]
                                    + [(t(f"nps.{g}"), g) for g in NPS_GROUPS],
                                    value=ALL, description=t("kpiui.nps_group"), style=style)
        self.search = w.Text(description=t("kpiui.search"), style=style,
                             continuous_update=False, placeholder=t("kpiui.search_hint"))
        self.comments_html = w.HTML()
        self.notes = w.HTML()
        self.drill = DrillDown(base, filter_bar)
        self.download = workbook_button(base, filter_bar, "title.survey_kpis",
                                        self._export_sheets, extra=self._export_settings)
        self.headline: dict[str, float] = {}
        self.breakdown: dict[str, pd.DataFrame] = {}
        self.agents = pd.DataFrame()
        self.comments_shown = pd.DataFrame()

        tabs = w.Tab(children=[
            w.VBox([self.cards, self.trend]),
            self.breakdown_html,
            self.agents_html,
            w.VBox([self.source, self.pareto, self.pareto_html]),
            w.VBox([w.HTML(f"<p style='color:#555'>{html.escape(t('kpiui.drivers_note'))}"
                           f"</p>"), self.quadrant, self.drivers_html]),
            w.VBox([w.HBox([self.factor, self.nps_group, self.search]),
                    self.comments_html]),
        ])
        for i, key in enumerate(("overview", "breakdown", "agents", "root_causes", "drivers",
                                 "comments")):
            tabs.set_title(i, t(f"kpiui.tab.{key}"))
        self.tabs = tabs
        super().__init__([w.HBox([self.period, self.shown, self.group],
                                 layout=w.Layout(flex_flow="row wrap")),
                          self.active_days, tabs, self.drill, self.download, self.notes])
        self.period.observe(lambda _c: self._rebuild(), names="value")
        self.active_days.observe(lambda _c: self._rebuild(), names="value")
        self._quiet = False
        self.shown.observe(lambda _c: None if self._quiet else self._show_period(),
                           names="value")
        self.group.observe(lambda _c: self._show_period(), names="value")
        self.source.observe(lambda _c: self._show_root_causes(), names="value")
        for widget in (self.factor, self.nps_group, self.search):
            widget.observe(lambda _c: self._show_comments(), names="value")
        if filter_bar is not None:
            filter_bar.on_change(lambda _filters: (self._rebuild(), self._show_comments()))
        self._rebuild()
        self._show_comments()
        ready(self)

    # ----------------------------------------------------------------------------- state
    @property
    def filters(self) -> ViewFilters:
        return self.filter_bar.value if self.filter_bar is not None else ViewFilters()

    @property
    def report(self) -> KpiReport:
        """The KPI report of the customers the filters keep, over every period (the months
        chosen select which periods are shown; a period's flows need the one before)."""
        customers = replace(self.filters, start=None, end=None)
        key = (self.period.value, int(self.active_days.value), customers.query())
        if key not in self._reports:
            data = (filter_data(self.base, customers) if customers.customers_filtered
                    else self.data)
            self._reports[key] = derived(
                self.base, "kpis", lambda: kpi_report(data, key[0], active_days=key[1],
                                                      dims=self._dims),
                period=key[0], active_days=key[1], customers=key[2],
                model=self.model.identity, lang=get_language())  # its notes are words
        return self._reports[key]

    def _in_range(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The rows of the periods that start within the months chosen."""
        return self.filters.within(frame, "period")

    def _rebuild(self) -> None:
        report = self.report
        overview = self._in_range(report.overview)
        labels = overview["period_label"].tolist()
        complete = overview.loc[~overview["partial"], "period_label"].tolist()
        period = report.period
        options = [(fmt_period(lab, period)
                    + (f" ({t('kpiui.partial')})" if lab not in complete else ""), lab)
                   for lab in reversed(labels)]
        default = complete[-1] if complete else (labels[-1] if labels else None)
        self._quiet = True  # the options change fires the observer: show once, below
        try:
            self.shown.options = options
            self.shown.value = default
        finally:
            self._quiet = False
        self._show_period()
        self._show_trends()
        self._show_root_causes()
        self._show_drivers()
        notes = report.notes
        self.notes.value = "".join(f"<p style='color:#888'>• {html.escape(n)}</p>"
                                   for n in notes)

    # ----------------------------------------------------------------------------- views
    def _show_period(self) -> None:
        report, shown = self.report, self.shown.value
        rows = report.overview[report.overview["period_label"] == shown]
        row = rows.iloc[0] if len(rows) else pd.Series(dtype=object)
        self.headline = {k: float(row[k]) for k in row.index
                         if pd.api.types.is_number(row[k]) and not pd.api.types.is_bool(row[k])}
        self.cards.value = self._cards_html(report, shown, row)
        self._show_breakdown()
        self._set_drill_choices()
        self.download.invalidate()

    # ----------------------------------------------------------------------------- lists
    def _answers_shown(self) -> pd.DataFrame:
        """The survey answers of the period shown, with the customers' breakdown groups."""
        surveys = self.data.surveys
        overview = self.report.overview
        rows = overview.index[overview["period_label"] == self.shown.value]
        if surveys is None or not len(rows):
            return pd.DataFrame(columns=["customer_id"])
        position = overview.index.get_loc(rows[0])
        start = overview["period"].iloc[position]
        end = (overview["period"].iloc[position + 1] if position + 1 < len(overview)
               else pd.Timestamp.max)
        answers = surveys[(surveys["answered_at"] >= start) & (surveys["answered_at"] < end)]
        return answers.merge(self._dims, left_on="customer_id", right_index=True, how="left",
                             suffixes=("", "_customer"))

    def _set_drill_choices(self) -> None:
        """The customers who answered in the period shown: per NPS group and per value of the
        breakdown chosen."""
        answers = self._answers_shown()
        period = fmt_period(self.shown.value, self.period.value)
        choices = {}
        if "nps" in answers:
            groups = answers["nps"].map(_nps_group)
            for code in NPS_GROUPS:
                choices[t("drill.nps_group", name=t(f"nps.{code}"), period=period)] = \
                    pd.Index(answers.loc[groups == code, "customer_id"].unique())
        by = self.group.value
        if by in answers:
            for value, rows in answers.groupby(by, observed=True):
                name = label(value, "group") if by == "rule_group" else str(value)
                choices[t("drill.answered", period=period, name=name)] = \
                    pd.Index(rows["customer_id"].unique())
        self.drill.set_choices(choices)

    def _export_sheets(self) -> list:
        """What the dashboard shows: the periods, the breakdown of the period shown, the
        agents, the root causes and the drivers."""
        report = self.report
        out = [sheet("kpiui.sheet.periods", self._in_range(report.overview).drop(
            columns=["period"], errors="ignore"))]
        for key, frame in (("kpiui.sheet.surveys_by", self.breakdown.get("surveys")),
                           ("kpiui.sheet.tickets_by", self.breakdown.get("tickets")),
                           ("kpiui.sheet.agents", self.agents)):
            if frame is not None and len(frame):
                out.append(sheet(key, frame.drop(columns=["period"], errors="ignore")))
        if report.root_causes is not None:
            out.append(sheet("kpiui.sheet.root_causes", report.root_causes,
                             translate={"factor": "factor", "topic": "value"}))
        if report.drivers is not None:
            out.append(sheet("kpiui.sheet.drivers", report.drivers.table_,
                             translate={"quadrant": "quadrant"}))
        return out

    def _export_settings(self) -> dict[str, str]:
        return {t("kpiui.period"): t(f"kpiui.period.{self.period.value}"),
                t("kpiui.shown"): fmt_period(self.shown.value, self.period.value),
                t("kpiui.group"): t(f"kpiui.by.{self.group.value}"),
                t("kpiui.active_days"): fmt_number(self.active_days.value)}

    def _change(self, group: pd.DataFrame, shown: str, kpi: str
                ) -> tuple[float, bool, str | None]:
        """The change against the previous period, whether it is more than noise, and why it
        was not tested (``None`` when it was)."""
        rows = group[group["period_label"] == shown]
        if not len(rows):
            return float("nan"), False, None
        untested = rows[f"{kpi}_untested"].iloc[0] if f"{kpi}_untested" in rows else None
        return (float(rows[f"{kpi}_change"].iloc[0]), bool(rows[f"{kpi}_significant"].iloc[0]),
                None if untested is None or pd.isna(untested) else str(untested))

    def _cards_html(self, report: KpiReport, shown: str, row: pd.Series) -> str:
        def g(key: str) -> float:
            value = row.get(key, float("nan"))
            return float(value) if value is not None and not pd.isna(value) else float("nan")

        items = []
        surveys = report.surveys.get("all")
        for kpi in ("nps", "csat"):
            if surveys is None:
                continue
            diff, significant, untested = self._change(surveys, shown, kpi)
            detail = t("kpiui.card_interval", low=fmt_decimal(g(f"{kpi}_low")),
                       high=fmt_decimal(g(f"{kpi}_high")), n=fmt_number(g(f"{kpi}_n")))
            change = t("kpiui.card_change", change=_signed(diff)) + (
                f" ({t('kpiui.significant')})" if significant else
                f" ({fmt_undefined(untested)})" if untested else
                f" ({t('kpiui.noise')})" if not pd.isna(diff) else "")
            warn = t("kpiui.too_few") if bool(row.get(f"{kpi}_too_few", False)) else ""
            items.append(_card(t(f"kpiui.card.{kpi}"), fmt_decimal(g(kpi)),
                               f"{detail} · {change}", warn))
        if "retention_rate" in row:
            undefined = row.get("crr_undefined")
            undefined = None if undefined is None or pd.isna(undefined) else str(undefined)

            def rate(key: str) -> str:  # stored in percent points
                return fmt_undefined(undefined) if undefined else fmt_percent(g(key) / 100, 1)

            items.append(_card(t("kpiui.card.retention"), rate("retention_rate"),
                               t("kpiui.card_flows", cs=fmt_number(g("cs")),
                                 ce=fmt_number(g("ce")), cn=fmt_number(g("cn")))))
            items.append(_card(t("kpiui.card.churn"), rate("churn_rate"),
                               t("kpiui.card_lost", lost=rate("lost_rate"))))
        if "frt_median_h" in row:
            items.append(_card(t("kpiui.card.frt"), f"{fmt_decimal(g('frt_median_h'))} h",
                               t("kpiui.card_p90", p90=fmt_decimal(g("frt_p90_h")),
                                 n=fmt_number(g("tickets")))))
            items.append(_card(t("kpiui.card.atht"), f"{fmt_decimal(g('atht_mean_h'))} h",
                               t("kpiui.card_atht", median=fmt_decimal(g("atht_median_h")),
                                 p90=fmt_decimal(g("atht_p90_h")))))
        period = (f"<p><b>{html.escape(t('kpiui.shown'))}: "
                  f"{html.escape(fmt_period(shown, report.period))}</b></p>")
        return period + ("<div style='display:flex;flex-wrap:wrap;gap:8px'>" + "".join(items)
                         + "</div>")

    def _show_trends(self) -> None:
        show_figure(self.trend, plots.kpi_trends(self._in_range(self.report.overview)))

    def _group_rows(self, table: pd.DataFrame | None) -> pd.DataFrame:
        if table is None:
            return pd.DataFrame()
        return table[table["period_label"] == self.shown.value]

    def _show_breakdown(self) -> None:
        by = self.group.value
        report = self.report
        surveys = self._group_rows(report.surveys.get(by))
        tickets = self._group_rows(report.tickets.get(by))
        self.breakdown = {"surveys": surveys, "tickets": tickets}
        note = t("kpiui.breakdown_note", minimum=fmt_number(report.settings["min_answers"]))
        parts = [f"<h4>{html.escape(t('kpiui.surveys_by', by=t(f'kpiui.by.{by}')))}</h4>",
                 _survey_table(surveys),
                 f"<h4>{html.escape(t('kpiui.tickets_by', by=t(f'kpiui.by.{by}')))}</h4>",
                 _ticket_table(tickets),
                 f"<p style='color:#777'>{html.escape(note)}</p>"]
        self.breakdown_html.value = "".join(parts)
        agents = self._group_rows(report.tickets.get("agent"))
        answers = self._group_rows(report.surveys.get("agent"))
        if len(agents) and len(answers):
            agents = agents.merge(answers[["group", "nps", "nps_low", "nps_high", "nps_n"]],
                                  on="group", how="left").sort_values("frt_median_h")
        self.agents = agents
        self.agents_html.value = (_ticket_table(agents, with_nps=True,
                                                minimum=report.settings["min_answers"])
                                  + f"<p style='color:#777'>"
                                    f"{html.escape(t('kpiui.agents_note'))}</p>")

    def _show_root_causes(self) -> None:
        table = self.report.root_causes
        if table is None:
            return
        show_figure(self.pareto, plots.pareto(table, self.source.value))
        rows = table[table["source"] == self.source.value]
        self.pareto_html.value = self._abstained_note() + table_html(
            rows, ["topic", "factor", "count", "share", "cumulative_share", "nps_mean"],
            {"factor": lambda v: label(v, "factor"), "share": fmt_decimal,
             "cumulative_share": fmt_decimal, "nps_mean": fmt_decimal,
             "count": fmt_number}, ("topic",))

    def _abstained_note(self) -> str:
        """How many of the comments behind the Pareto were not read, and why (comments
        only)."""
        if self.source.value != "comments" or not len(self.comments):
            return ""
        comments = self.comments
        if self.filters.customers_filtered:
            comments = comments[comments["customer_id"].isin(self.filters.customers(self.base))]
        counts = abstained(comments)
        unread = int(counts["count"].sum())
        why = ", ".join(f"{t(f'unread.{r}')} {fmt_number(c)}"
                        for r, c in zip(counts["reason"], counts["count"], strict=True) if c)
        text = t("kpiui.abstained", share=fmt_percent(unread / len(comments)) if len(comments)
                 else MISSING, unread=fmt_number(unread), total=fmt_number(len(comments)),
                 why=why or t("kpiui.abstained_none"))
        return (f"<p class='carework-abstained' style='color:#555'>"
                f"{html.escape(text)}</p>")

    def _show_drivers(self) -> None:
        drivers = self.report.drivers
        if drivers is None:
            self.drivers_html.value = f"<i>{html.escape(t('kpiui.no_drivers'))}</i>"
            return
        show_figure(self.quadrant, plots.driver_quadrant(drivers.table_))
        table = drivers.table_.reset_index()
        table["interval"] = [f"[{fmt_decimal(lo)}; {fmt_decimal(hi)}]"
                             for lo, hi in zip(table["low"], table["high"], strict=True)]
        self.drivers_html.value = table_html(
            table, ["driver", "effect", "interval", "cases", "performance", "points_lost",
                    "quadrant"],
            {"driver": lambda v: label(v, "driver"), "effect": fmt_decimal,
             "performance": fmt_decimal, "points_lost": fmt_decimal,
             "quadrant": lambda v: label(v, "quadrant"), "cases": fmt_number})
        note = t("kpiui.drivers_baseline", n=fmt_number(drivers.n_),
                 baseline=fmt_decimal(drivers.baseline_))
        self.drivers_html.value += f"<p style='color:#555'>{html.escape(note)}</p>"

    def _show_comments(self) -> None:
        comments = self.comments
        filters = self.filters
        if filters.customers_filtered:
            comments = comments[comments["customer_id"].isin(filters.customers(self.base))]
        comments = filters.within(comments, "answered_at")
        found = filter_comments(comments, factor=self.factor.value,
                                nps_group=self.nps_group.value, search=self.search.value)
        self.comments_shown = found.head(SHOWN_COMMENTS)
        head = html.escape(t("kpiui.comments_found", found=fmt_number(len(found)),
                             shown=min(len(found), SHOWN_COMMENTS)))
        shown = [c for c in ("answered_at", "nps", "csat", "factor", "topic", "comment")
                 if c in self.comments_shown]  # a survey may have one score, or neither
        self.comments_html.value = f"<p>{head}</p>" + table_html(
            self.comments_shown, shown,
            {"answered_at": fmt_date,
             "factor": lambda v: label(v, "factor"),
             "topic": lambda v: "" if v is None or pd.isna(v) else label(v)})


def _flag(value: float, too_few: bool) -> str:
    text = fmt_decimal(value)
    return f"{text} ⚠" if too_few else text


def _survey_table(rows: pd.DataFrame) -> str:
    if not len(rows):
        return f"<i>{html.escape(t('dash.empty'))}</i>"
    shown = rows.assign(
        nps_text=[_flag(v, f) for v, f in zip(rows["nps"], rows["nps_too_few"], strict=True)],
        nps_ci=[f"[{fmt_decimal(lo)}; {fmt_decimal(hi)}]"
                for lo, hi in zip(rows["nps_low"], rows["nps_high"], strict=True)],
        nps_delta=[_signed(d) + (" *" if s else "")
                   for d, s in zip(rows["nps_change"], rows["nps_significant"], strict=True)],
        csat_text=[_flag(v, f) for v, f in zip(rows["csat"], rows["csat_too_few"],
                                                strict=True)],
        csat_delta=[_signed(d) + (" *" if s else "")
                    for d, s in zip(rows["csat_change"], rows["csat_significant"],
                                    strict=True)],
        group=rows["group"].map(lambda g: t("kpiui.no_group") if g is None else g))
    return table_html(shown, ["group", "nps_n", "nps_text", "nps_ci", "nps_delta", "csat_n",
                              "csat_text", "csat_delta"], {"nps_n": fmt_number,
                                                          "csat_n": fmt_number}, ("group",))


def _ticket_table(rows: pd.DataFrame, with_nps: bool = False, minimum: int = 30) -> str:
    if not len(rows):
        return f"<i>{html.escape(t('dash.empty'))}</i>"
    columns = ["group", "tickets", "frt_median_h", "frt_p90_h", "atht_mean_h",
               "atht_median_h", "atht_p90_h", "reopened_share", "open"]
    formats = {c: fmt_decimal for c in columns[2:8]}
    formats.update(tickets=fmt_number, open=fmt_number)
    if with_nps and "nps" in rows:
        rows = rows.assign(nps_ci=[
            MISSING if pd.isna(v) else
            f"{fmt_decimal(v)} [{fmt_decimal(lo)}; {fmt_decimal(hi)}]"
            + (" ⚠" if n < minimum else "")
            for v, lo, hi, n in zip(rows["nps"], rows["nps_low"], rows["nps_high"],
                                    rows["nps_n"].fillna(0), strict=True)])
        columns.append("nps_ci")
    return table_html(rows, columns, formats, ("group",))


def kpi_dashboard(base: CustomerBase | Dataset | None,
                  filter_bar: FilterBar | None = None) -> w.Widget:
    """The survey and care KPI dashboard of a customer base's data (empty when the data could
    not be loaded), for the customers and months ``filter_bar`` keeps (all without one)."""
    if base is None:
        return w.HTML()
    base = as_base(base)
    if base.data.surveys is None and base.data.tickets is None:
        return ready(w.VBox([w.HTML(html.escape(t("dash.no_table",
                                                  table=t("table.surveys"))))]))
    return KpiDashboard(base, filter_bar)
