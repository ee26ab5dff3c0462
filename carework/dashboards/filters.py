"""One way of working across the dashboards: the same filters on every page, carried in the
page's address so a view can be bookmarked and sent, and carried by the links between pages.

The filters are a date range (whole months, for the figures counted per period: revenue, KPIs,
comments) and customer filters (the handbook's group, the RFM segment, the province and a
channel the customer bought through) that choose which customers every figure, table, chart
and export describes. Customer states (group, risk) are always as of the base's day.

The page's address holds them as a query string (``?from=2026-01&to=2026-06&group=vip``).
The filter bar writes it into an element with the class ``carework-view-state``; carework's
Voila template copies it to the address bar (``history.replaceState``). A page opened with a
query applies it (:func:`follow_url`).

>>> ViewFilters.from_query("group=vip&from=2026-01&to=2026-03").query()
'from=2026-01&to=2026-03&group=vip'
"""

from __future__ import annotations

import contextlib
import html
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from urllib.parse import parse_qsl, urlencode

import ipywidgets as w
import pandas as pd

from carework.customer_base import CustomerBase
from carework.i18n import fmt_period, get_language, label, t
from carework.settings import GROUPS

ALL = "__all__"
CUSTOMER_FILTERS = ("group", "segment", "province", "channel")
PAGES = (("home", "00_home.ipynb"), ("segmentation", "01_segmentation.ipynb"),
         ("churn", "02_churn.ipynb"), ("survey_kpis", "03_survey_kpis.ipynb"))
STATE_CLASS = "carework-view-state"


@dataclass(frozen=True)
class ViewFilters:
    """What a view shows: months ``start``–``end`` (first day of the first month, last day of
    the last; ``None`` = from the beginning / up to the as-of day) and the customers of one
    ``group``, RFM ``segment``, ``province`` and ``channel`` (``ALL`` = any)."""

    start: pd.Timestamp | None = None
    end: pd.Timestamp | None = None
    group: str = ALL
    segment: str = ALL
    province: str = ALL
    channel: str = ALL

    # ----------------------------------------------------------------------------- address
    def query(self) -> str:
        """The query string of the filters that are set (``from``/``to`` as ``yyyy-mm``)."""
        pairs = []
        if self.start is not None:
            pairs.append(("from", self.start.strftime("%Y-%m")))
        if self.end is not None:
            pairs.append(("to", self.end.strftime("%Y-%m")))
        pairs += [(name, getattr(self, name)) for name in CUSTOMER_FILTERS
                  if getattr(self, name) != ALL]
        return urlencode(pairs)

    @classmethod
    def from_query(cls, query: str | None) -> ViewFilters:
        """The filters in a query string; unknown names and unreadable months are ignored (an
        old bookmark still opens, on the filters it can still mean)."""
        values: dict[str, object] = {}
        for name, value in parse_qsl((query or "").lstrip("?")):
            if name in ("from", "to"):
                month = pd.Period(value, freq="M") if _is_month(value) else None
                if month is not None:
                    values["start" if name == "from" else "end"] = (
                        month.start_time if name == "from" else month.end_time.normalize())
            elif name in CUSTOMER_FILTERS and value:
                values[name] = value
        return cls(**values)

    @property
    def customers_filtered(self) -> bool:
        return any(getattr(self, name) != ALL for name in CUSTOMER_FILTERS)

    # ----------------------------------------------------------------------------- meaning
    def customers(self, base: CustomerBase) -> pd.Index:
        """The ids of the base's customers these filters keep (all when none is set)."""
        table = base.table
        keep = pd.Series(True, index=table.index)
        if self.group != ALL:
            keep &= table["rule_group"] == self.group
        if self.segment != ALL:
            keep &= rfm_segments(base).reindex(table.index) == self.segment
        if self.province != ALL:
            keep &= table["province"] == self.province if "province" in table else False
        if self.channel != ALL:
            column = f"share_{self.channel}"
            keep &= table[column] > 0 if column in table else False
        return table.index[keep.to_numpy(dtype=bool)]

    def within(self, frame: pd.DataFrame, column: str) -> pd.DataFrame:
        """The rows of ``frame`` whose ``column`` falls in the date range."""
        keep = pd.Series(True, index=frame.index)
        if self.start is not None:
            keep &= frame[column] >= self.start
        if self.end is not None:
            keep &= frame[column] < self.end + pd.Timedelta(days=1)
        return frame[keep]

    def describe(self) -> dict[str, str]:
        """Each filter's name and value in words (for covers, titles): "all" when unset."""
        out = {t("filter.months"): (
            f"{_month(self.start) if self.start is not None else '…'} – "
            f"{_month(self.end) if self.end is not None else '…'}"
            if self.start is not None or self.end is not None else t("dash.all"))}
        for name in CUSTOMER_FILTERS:
            value = getattr(self, name)
            out[t(f"filter.{name}")] = t("dash.all") if value == ALL else _word(name, value)
        return out


def _month(month: pd.Timestamp) -> str:
    return fmt_period(month.strftime("%Y-%m"), "month")


def _is_month(text: str) -> bool:
    try:
        pd.Period(text, freq="M")
    except (ValueError, TypeError):
        return False
    return len(text) == 7 and text[4] == "-"


def _word(name: str, value: str) -> str:
    prefix = {"group": "group", "segment": "rfm", "province": None, "channel": "value"}[name]
    return value if prefix is None else label(value, prefix)


def base_segmentation(base: CustomerBase):  # noqa: ANN201 — a segments.Segmentation
    """The base's segmentation with the default clustering, computed once per base and read
    by the segmentation dashboard and the RFM segment filter alike (its notes and findings are
    words: one per language)."""
    from carework import segments
    from carework.cache import derived

    return derived(base, "segments", lambda: segments.segment(base), k="auto", features=(),
                   lang=get_language())


def rfm_segments(base: CustomerBase) -> pd.Series:
    """Each customer's RFM segment, from the base's segmentation."""
    return base_segmentation(base).table["rfm_segment"]


def filter_data(base: CustomerBase, filters: ViewFilters):  # noqa: ANN201 — a Dataset
    """The base's data restricted to the filtered customers (every table) and, for dated
    tables, to the date range: what period figures (KPIs, revenue, comments) are counted on."""
    from carework.explore import SNAPSHOT_DATES

    data = base.data
    ids = filters.customers(base) if filters.customers_filtered else None
    tables = {}
    for name, frame in data.tables.items():
        if ids is not None and "customer_id" in frame:
            frame = frame[frame["customer_id"].isin(ids)]
        column = SNAPSHOT_DATES.get(name)
        if name != "customers" and column in frame and (filters.start or filters.end):
            frame = filters.within(frame, column)
        tables[name] = frame.reset_index(drop=True)
    return replace(data, **tables)


def restricted(base: CustomerBase, filters: ViewFilters) -> CustomerBase:
    """The base seen through the filters' customers (the months are not applied): its table,
    profile, summary and data hold only those customers, for figures computed from a whole
    base (the home page's headline). The facts are the base's own, not recomputed."""
    if not filters.customers_filtered:
        return base
    ids = filters.customers(base)
    return replace(base, data=filter_data(base, replace(filters, start=None, end=None)),
                   table=base.table.loc[ids], profile=base.profile.loc[ids],
                   summary=base.summary.loc[ids], derived={}, cache_key="", _scores={})


# ------------------------------------------------------------------------------------ widget

def _months(base: CustomerBase) -> list[pd.Timestamp]:
    first = base.gate.data_start.to_period("M")
    last = base.as_of.to_period("M")
    return [p.start_time for p in pd.period_range(first, last, freq="M")]


class FilterBar(w.VBox):
    """The filters every dashboard shows on top, the links to the other dashboards carrying
    them, and the page's address kept in step (see the module docstring).

    ``value`` is the :class:`ViewFilters` shown; ``on_change(callback)`` calls
    ``callback(filters)`` after each change (one call for a change made by :meth:`set`).
    """

    def __init__(self, base: CustomerBase, page: str, *, months: bool = True,
                 filters: ViewFilters | None = None) -> None:
        self.base, self.page = base, page
        self._callbacks: list[Callable[[ViewFilters], None]] = []
        self._quiet = False
        table = base.table
        style = {"description_width": "initial"}
        self.month_options = _months(base)
        self.months = w.SelectionRangeSlider(
            options=[(_month(m), m) for m in self.month_options],
            index=(0, len(self.month_options) - 1), description=t("filter.months"),
            continuous_update=False, style=style, layout=w.Layout(width="420px"))
        self.months.layout.display = None if months and len(self.month_options) > 1 else "none"
        self.group = _dropdown("group", [g for g in GROUPS if (table["rule_group"] == g).any()],
                               style)
        from carework.segments.rfm_scores import SEGMENTS

        self.segment = _dropdown("segment", list(SEGMENTS), style)
        provinces = (table["province"].dropna().value_counts().index.tolist()
                     if "province" in table else [])
        self.province = _dropdown("province", provinces, style)
        channels = [c.removeprefix("share_") for c in table.columns if c.startswith("share_")]
        self.channel = _dropdown("channel", channels, style)
        for name, values in (("province", provinces), ("channel", channels)):
            if not values:
                getattr(self, name).layout.display = "none"
        self.reset = w.Button(description=t("filter.reset"), icon="times",
                              layout=w.Layout(width="auto"))
        self.links = w.HTML()
        self.state = w.HTML()
        self.state.add_class("carework-view-state-box")
        controls = w.HBox([self.months, self.group, self.segment, self.province, self.channel,
                           self.reset], layout=w.Layout(flex_flow="row wrap", grid_gap="4px 12px"))
        super().__init__([self.links, controls, self.state])
        self.add_class("carework-filters")
        for widget in (self.months, self.group, self.segment, self.province, self.channel):
            widget.observe(lambda _change: self._changed(), names="value")
        self.reset.on_click(lambda _button: self.set(ViewFilters()))
        if filters is not None:
            self.set(filters)
        self._show_state()

    @property
    def value(self) -> ViewFilters:
        low, high = self.months.index
        start = self.month_options[low] if low > 0 else None
        end = (self.month_options[high] + pd.offsets.MonthEnd(0)
               if high < len(self.month_options) - 1 else None)
        return ViewFilters(start=start, end=end, group=self.group.value,
                           segment=self.segment.value, province=self.province.value,
                           channel=self.channel.value)

    def set(self, filters: ViewFilters) -> None:
        """Show ``filters`` (values the data does not have are left at "all")."""
        self._quiet = True
        try:
            self.months.index = self._month_index(filters)
            for name in CUSTOMER_FILTERS:
                widget = getattr(self, name)
                value = getattr(filters, name)
                allowed = [v for _, v in widget.options]
                widget.value = value if value in allowed else ALL
        finally:
            self._quiet = False
        self._changed()

    def _month_index(self, filters: ViewFilters) -> tuple[int, int]:
        months = pd.DatetimeIndex(self.month_options)
        low = 0 if filters.start is None else int(months.searchsorted(filters.start))
        high = (len(months) - 1 if filters.end is None
                else int(months.searchsorted(filters.end, side="right")) - 1)
        low = min(max(low, 0), len(months) - 1)
        high = min(max(high, low), len(months) - 1)
        return low, high

    def on_change(self, callback: Callable[[ViewFilters], None]) -> None:
        self._callbacks.append(callback)

    def _changed(self) -> None:
        if self._quiet:
            return
        self._show_state()
        filters = self.value
        for callback in self._callbacks:
            callback(filters)

    def _show_state(self) -> None:
        query = self.value.query()
        self.state.value = (f"<span class='{STATE_CLASS}' "
                            f"data-query='{html.escape(query, quote=True)}'></span>")
        self.links.value = nav_links(self.page, query)


def _dropdown(name: str, values: Sequence[str], style: dict) -> w.Dropdown:
    options = [(t("dash.all"), ALL)] + [(_word(name, v), v) for v in values]
    return w.Dropdown(options=options, value=ALL, description=t(f"filter.{name}"), style=style,
                      layout=w.Layout(width="auto", max_width="100%"))


def filter_bar(base: CustomerBase | None, page: str, *, months: bool = True
               ) -> FilterBar | None:
    """The filter bar of dashboard ``page`` (``None`` when the data could not be used)."""
    return None if base is None else FilterBar(base, page, months=months)


def page(bar: FilterBar | None, content: w.Widget | dict[str, w.Widget]) -> w.Widget:
    """A dashboard page: the filter bar on top of ``content`` (a widget, or tabs given as
    ``{i18n key: widget}``)."""
    if isinstance(content, dict):
        from carework.dashboards.calls import tabs

        content = tabs(content)
    return content if bar is None else w.VBox([bar, content])


def nav_links(page: str, query: str = "") -> str:
    """Links to every dashboard carrying ``query``, the current ``page`` in bold."""
    suffix = f"?{html.escape(query, quote=True)}" if query else ""
    items = []
    for key, notebook in PAGES:
        name = html.escape(t(f"nav.{key}"))
        items.append(f"<b>{name}</b>" if key == page else
                     f"<a href='{notebook}{suffix}' class='carework-nav-{key}'>{name}</a>")
    return ("<nav class='carework-nav' style='display:flex;flex-wrap:wrap;gap:4px 16px;"
            "margin:2px 0 6px'>" + "".join(items) + "</nav>")


def page_query() -> str:
    """The query string the page was opened with ("" outside Voila).

    Voila puts it in a kernel's environment (``QUERY_STRING``) when the kernel starts for the
    visit; a preheated kernel (``VOILA_PREHEAT``) started before anyone asked, so this waits
    for Voila to send it the visitor's request, on the websocket Voila's own
    ``wait_for_request`` reads. Read here without importing Voila's server modules (1.5 s of
    imports in every kernel, JupyterLab's and CI's included).
    """
    if os.environ.get("VOILA_PREHEAT") != "True":
        return os.environ.get("QUERY_STRING", "")
    request = _preheated_request()
    os.environ.update(request)
    return request.get("QUERY_STRING", "")


def _preheated_request() -> dict[str, str]:
    """The visitor's request info Voila hands a preheated kernel (empty if it cannot)."""
    import asyncio
    import json
    import threading

    import websockets
    from websockets.exceptions import WebSocketException

    env = os.environ
    base = env.get("VOILA_WS_BASE_URL") or env.get("VOILA_SERVER_URL", "/")
    url = (f"{env.get('VOILA_WS_PROTOCOL', 'ws')}://{env.get('VOILA_APP_IP', '127.0.0.1')}:"
           f"{env.get('VOILA_APP_PORT', '8866')}{base}voila/query/"
           f"{env.get('VOILA_KERNEL_ID', '')}")
    found: dict[str, str] = {}

    async def receive() -> None:
        async with websockets.connect(url, open_timeout=5) as socket:
            found.update(json.loads(await socket.recv()))

    def run() -> None:  # the kernel's own event loop is busy running this cell
        with contextlib.suppress(OSError, TimeoutError, ValueError, WebSocketException):
            asyncio.run(receive())

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join()
    return {k: str(v) for k, v in found.items()}


def follow_url(bar: FilterBar | None) -> None:
    """Apply the filters in the page's address to the page's filter ``bar``: the last cell of
    every dashboard notebook (outside Voila, nothing to do)."""
    if bar is None:
        return
    query = page_query()
    if query:
        bar.set(ViewFilters.from_query(query))


__all__ = ["ALL", "FilterBar", "ViewFilters", "filter_bar", "filter_data", "base_segmentation",
           "follow_url", "nav_links", "page", "page_query", "restricted", "rfm_segments"]
