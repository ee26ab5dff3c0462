"""Building blocks shared by the dashboards: loading with a readable error, cards, tables."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress

import ipywidgets as w
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display
from matplotlib.figure import Figure

from carework.customer_base import CustomerBase, build_base
from carework.errors import DataError, ModelError
from carework.i18n import fmt_number, label, t
from carework.io import Dataset, load

__all__ = ["fmt_number"]  # re-exported: it lives in carework.i18n

READY = "carework-ready"
ERROR = "carework-error"


def load_data(source: str | None = None) -> Dataset | None:
    """Load the data folder (``CAREWORK_DATA`` or ``data/sample``) for a dashboard.

    A data problem is displayed as a message box (the loader's own words: file, column, fix)
    and ``None`` is returned, so a dashboard never shows a traceback.
    """
    try:
        return load(source)
    except DataError as exc:
        display(error_box(str(exc)))
        return None


def load_base(source: str | None = None) -> CustomerBase | None:
    """The customer base of the data folder (``CAREWORK_DATA`` or ``data/sample``) for a
    dashboard, as of ``CAREWORK_AS_OF``, the folder's ``as_of`` or the data's last purchase
    day, and a banner saying which day the figures describe, with the gate's warnings.

    The base comes from the results cache (:mod:`carework.cache`) when this data, these
    settings and this code built it before: every dashboard and every visit reads the same
    customers, computed once. The folder's ``[display]`` settings choose the currency, and the
    language unless ``CAREWORK_LANG`` does. A data problem is displayed as a message box (file,
    column, fix) and ``None`` is returned, so a dashboard never shows a traceback.
    """
    from pathlib import Path

    from carework.cache import cached_base
    from carework.io import default_folder, read_settings

    folder = Path(source) if source is not None else default_folder()
    if folder.is_dir():  # messages in the folder's language from the start
        with suppress(DataError):
            read_settings(folder).display.apply()
    try:
        base = cached_base(source)
    except (DataError, ModelError) as exc:
        display(error_box(str(exc)))
        return None
    base.settings.display.apply()
    display(as_of_banner(base))
    return base


@contextmanager
def explained() -> Iterator[None]:
    """For an analyst's cell that needs what the data may lack (surveys, tickets, phones): a
    data or model problem is shown as its one-line message, not raised as a traceback.

    >>> with explained():                                             # doctest: +SKIP
    ...     kpis.survey_kpis(data, "quarter")
    """
    try:
        yield
    except (DataError, ModelError) as exc:
        display(error_box(str(exc)))


def as_base(data: CustomerBase | Dataset) -> CustomerBase:
    """A dashboard's input as a customer base: built (once, here) when it is loaded data."""
    return data if isinstance(data, CustomerBase) else build_base(data)


def as_of_banner(base: CustomerBase) -> w.HTML:
    """The day the figures describe, the warnings every figure carries (stale data, missing or
    forced scores, customers without CLV), and what loading the data found (rows set aside,
    returns netted, customers that do not join: :func:`carework.findings.data_findings`)."""
    from carework.findings import data_findings

    lines = [f"<b>{html.escape(base.gate.label())}</b>"]
    lines += [f"⚠ {html.escape(line)}" for line in base.gate.warnings() + base.notes]
    warned = len(lines) > 1
    found = data_findings(base.data)
    if found:
        lines.append("<span class='carework-findings'>" + "<br>".join(
            f"ⓘ {html.escape(line)}" for line in found) + "</span>")
    style = ("border:1px solid #f0ad4e;background:#fcf8e3" if warned else
             "border:1px solid #ddd;background:#f7f7f7")
    box = w.HTML(f"<div style='{style};padding:6px 10px;border-radius:4px'>"
                 + "<br>".join(lines) + "</div>")
    box.add_class("carework-as-of")
    return box


def title(key: str) -> None:
    """Display a dashboard's heading (``title.<key>`` in the i18n table)."""
    display(w.HTML(f"<h2 style='margin:4px 0'>{html.escape(t('title.' + key))}</h2>"))


def error_box(message: str) -> w.HTML:
    box = w.HTML(f"<div style='border:1px solid #d9534f;background:#fdf2f2;padding:10px;"
                 f"border-radius:4px'><b>{html.escape(t('dash.data_problem'))}</b><br>"
                 f"{html.escape(message)}</div>")
    box.add_class(ERROR)
    return box


def cards(values: Mapping[str, str],
          params: Mapping[str, Mapping[str, object]] | None = None) -> w.HBox:
    """A row of headline numbers: ``{i18n key: formatted value}``; ``params`` fills a title's
    placeholders (``{"churn.high_risk": {"threshold": "80%"}}``)."""
    params = params or {}

    def title(key: str) -> str:
        return t(key, **params.get(key, {}))

    items = [w.HTML(f"<div style='padding:8px 16px;border:1px solid #ddd;border-radius:6px;"
                    f"min-width:110px'><div style='color:#666;font-size:12px'>"
                    f"{html.escape(title(key))}</div><div style='font-size:22px;"
                    f"font-weight:600'>{html.escape(value)}</div></div>")
             for key, value in values.items()]
    return w.HBox(items, layout=w.Layout(flex_flow="row wrap", grid_gap="8px"))


def table_html(frame: pd.DataFrame, columns: Sequence[str],
               formats: Mapping[str, Callable[[object], str]] | None = None,
               translate: Sequence[str] = ()) -> str:
    """An HTML table of ``columns`` with i18n headers (``head.<column>``, else
    ``col.<column>``: the same headers as the Excel exports)."""
    if frame.empty:
        return f"<i>{html.escape(t('dash.empty'))}</i>"
    formats = formats or {}
    from carework.workbook import header

    head = "".join(f"<th style='text-align:left;padding:2px 10px'>{html.escape(header(c))}"
                   f"</th>" for c in columns)
    body = []
    for rec in frame[list(columns)].itertuples(index=False):
        cells = []
        for column, value in zip(columns, rec, strict=True):
            text = formats[column](value) if column in formats else (
                label(value) if column in translate else ("" if pd.isna(value) else str(value)))
            cells.append(f"<td style='padding:2px 10px'>{html.escape(text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def show_figure(out: w.Output, fig: Figure) -> None:
    """Replace ``out``'s content with ``fig`` and release the figure."""
    out.clear_output(wait=True)
    with out:
        display(fig)
    plt.close(fig)


def dropdown(key: str, values: Sequence[str], all_value: str) -> w.Dropdown:
    """A filter dropdown labelled from i18n, with an 'All' entry first."""
    options = [(t("dash.all"), all_value)] + [(label(v), v) for v in values]
    return w.Dropdown(options=options, value=all_value, description=t(key),
                      style={"description_width": "initial"})


def ready(root: w.Box) -> w.Box:
    root.add_class(READY)
    return root
