"""The care team teaches the comment model: label the comments it is least sure of, then
retrain and see what the labels bring.

:class:`LabellingPanel` lists the survey comments the model read with the lowest confidence
(comments it could not read at all, and comments already in ``labels.csv``, are left out),
each with the model's reading in words, a choice of the right reading and a Save button that
writes the label to ``labels.csv`` in the data folder
(:func:`carework.text.labels.record_label`). "Retrain and measure" cross-validates the model
on the business's labels (macro-F1 before and after,
:func:`carework.text.labels.cross_validated`) and builds the business's model
(:func:`carework.text.labels.business_classifier`), which the dashboards read on their next
load. The panel computes nothing itself; its Python state (``listed``, ``rows``, ``count``,
``measured``, ``trained``, ``message``) is kept for tests.
"""

from __future__ import annotations

import html
import os
from dataclasses import dataclass
from pathlib import Path

import ipywidgets as w
import pandas as pd

from carework.customer_base import CustomerBase
from carework.dashboards.common import as_base
from carework.dashboards.filters import FilterBar, ViewFilters
from carework.errors import DataError
from carework.i18n import MISSING, fmt_decimal, fmt_number, fmt_percent, get_language, label, t
from carework.io import Dataset
from carework.text.labels import (
    LABELS_FILE,
    business_classifier,
    cross_validated,
    read_labels,
    record_label,
)
from carework.text.readings import comment_readings
from carework.text.taxonomy import FACTORS, NOT_COMPLAINT, UNKNOWN, Taxonomy

__all__ = ["MIN_LABELS", "LabellingPanel", "labelling_panel", "writable"]

MIN_LABELS = 10
"""Labels needed before "Retrain and measure" measures (fewer say how many more)."""

NO_COMPLAINT = ("praise", "neutral")
UNCLEAR = "complaint"
"""The choices besides the topics: what :func:`record_label` takes as ``factor``."""

MESSAGE_CLASS = "carework-labelling-message"


def writable(folder: str | os.PathLike[str] | None) -> bool:
    """Whether ``labels.csv`` can be written in ``folder`` (an existing folder this process
    may create files in, whose labels file, if any, it may replace)."""
    if folder is None:
        return False
    path = Path(folder)
    if not path.is_dir():
        return False
    labels = path / LABELS_FILE
    return os.access(path, os.W_OK | os.X_OK) and (not labels.exists()
                                                   or os.access(labels, os.W_OK))


def _one_line(exc: BaseException) -> str:
    """An exception as one line a user can read (never a traceback)."""
    text = " ".join(str(exc).split())
    return text or type(exc).__name__


@dataclass
class LabelRow:
    """One listed comment: its widgets and whether its label was saved."""

    comment: str
    survey_id: str | None
    confidence: float
    choice: w.Dropdown
    save: w.Button
    box: w.Box
    done: bool = False


class LabellingPanel(w.VBox):
    """See the module docstring.

    Parameters
    ----------
    base : CustomerBase
        Its ``data`` gives the comments, the settings (taxonomy, ``[text] labels_weight``) and
        the data folder.
    filter_bar : FilterBar, optional
        Only the comments of the customers and months it keeps are listed.
    folder : path-like, optional
        Where ``labels.csv`` is; default the data's folder (``base.data.source`` when it is a
        folder).
    shown : int
        How many comments are listed.
    folds : int
        The folds of the cross-validation.
    """

    def __init__(self, base: CustomerBase, filter_bar: FilterBar | None = None,
                 folder: str | os.PathLike[str] | None = None, shown: int = 10,
                 folds: int = 5) -> None:
        self.base, self.filter_bar = base, filter_bar
        self.data = data = base.data
        self.shown, self.folds = int(shown), int(folds)
        if folder is None and data.source and Path(data.source).is_dir():
            folder = data.source
        self.folder = Path(folder) if folder is not None else None
        self.can_save = writable(self.folder)
        self.taxonomy: Taxonomy = data.settings.text.taxonomy()
        self.readings = comment_readings(data)
        self.listed = pd.DataFrame()
        self.rows: list[LabelRow] = []
        self.count = 0
        self.measured: dict[str, float] | None = None
        self.trained = None
        self.message = ""
        self._labelled: set[str] = set()

        heading = w.HTML(f"<h4 style='margin:8px 0 2px'>{html.escape(t('label.title'))}</h4>")
        self.intro = w.HTML()
        self.warning = w.HTML()
        self.list_box = w.VBox()
        self.counter = w.HTML()
        self.retrain_button = w.Button(description=t("label.retrain"), icon="refresh",
                                       layout=w.Layout(width="auto"))
        self.status = w.HTML()
        self.status.add_class(MESSAGE_CLASS)
        super().__init__([heading, self.intro, self.warning, self.list_box,
                          w.HBox([self.retrain_button, self.counter],
                                 layout=w.Layout(flex_flow="row wrap", grid_gap="4px 12px",
                                                 align_items="center")),
                          self.status])
        self.add_class("carework-labelling")
        self.retrain_button.on_click(lambda _button: self.retrain())
        if filter_bar is not None:
            filter_bar.on_change(lambda _filters: self.relist())
        self._show_folder()
        self._read_labelled()
        self.relist()

    # ----------------------------------------------------------------------------- state
    @property
    def filters(self) -> ViewFilters:
        return self.filter_bar.value if self.filter_bar is not None else ViewFilters()

    def _show_folder(self) -> None:
        if self.can_save:
            self.warning.value = ""
            return
        problem = (t("label.read_only", folder=str(self.folder)) if self.folder is not None
                   else t("label.no_folder"))
        self.warning.value = (
            f"<div class='carework-labelling-read-only' style='border:1px solid #f0ad4e;"
            f"background:#fcf8e3;padding:6px 10px;border-radius:4px'>⚠ {html.escape(problem)}"
            f"<br>{html.escape(t('label.fix_folder'))}</div>")

    def _read_labelled(self) -> None:
        """The comments already labelled, and the counter."""
        if self.folder is None:
            self._set_count(0)
            return
        try:
            labels = read_labels(self.folder, self.data.surveys, self.taxonomy)
        except DataError as exc:
            self._say(t("label.failed", problem=_one_line(exc)))
            self._set_count(0)
            return
        self._labelled = {str(c).strip() for c in labels.frame["comment"]}
        self._set_count(labels.read)

    def _set_count(self, n: int) -> None:
        self.count = int(n)
        self.counter.value = (f"<span class='carework-labelling-count' style='color:#555'>"
                              f"{html.escape(t('label.count', n=fmt_number(self.count)))}"
                              f"</span>")

    def _say(self, text: str) -> None:
        self.message = text
        self.status.value = f"<p style='color:#333;margin:4px 0'>{html.escape(text)}</p>"

    # ----------------------------------------------------------------------------- list
    def least_sure(self) -> pd.DataFrame:
        """The comments to list: read, not labelled, kept by the filters, each text once,
        the lowest confidence first (at most ``shown``)."""
        frame = self.readings
        if not len(frame):
            return frame
        filters = self.filters
        if filters.customers_filtered:
            frame = frame[frame["customer_id"].isin(filters.customers(self.base))]
        frame = filters.within(frame, "answered_at")
        text = frame["comment"].astype(str).str.strip()
        keep = (frame["factor"] != UNKNOWN) & frame["confidence"].notna() & (text != "") \
            & ~text.isin(self._labelled)
        frame = frame[keep].assign(_text=text[keep])
        frame = frame.sort_values("confidence", kind="stable").drop_duplicates("_text")
        return frame.drop(columns="_text").head(self.shown)

    def relist(self) -> None:
        """List the comments the model is least sure of (see :meth:`least_sure`)."""
        self.listed = self.least_sure()
        options = self._choices()
        rows = []
        for rec in self.listed.to_dict("records"):
            rows.append(self._row(rec, options))
        self.rows = rows
        self.list_box.children = tuple(r.box for r in rows)
        self.intro.value = (f"<p style='color:#555;margin:2px 0'>"
                            f"{html.escape(t('label.intro', shown=fmt_number(len(rows))))}</p>"
                            if rows else
                            f"<p><i>{html.escape(t('label.none_left'))}</i></p>")

    def _topic_name(self, code: object) -> str:
        """A topic's name: the business's taxonomy's (its own topics too), else the i18n
        label."""
        if isinstance(code, str) and code in self.taxonomy.topics:
            return self.taxonomy.name(code, get_language())
        return label(code)

    def _choices(self) -> list[tuple[str, str | None]]:
        """The readings a comment can be given: no complaint (praise, neutral), each topic as
        "factor — topic", a complaint whose cause is unclear."""
        options: list[tuple[str, str | None]] = [(t("label.choose"), None)]
        options += [(t(f"label.choice.{c}"), c) for c in NO_COMPLAINT]
        for factor in FACTORS:
            name = label(factor, "factor")
            name = name[:1].upper() + name[1:]  # a factor's name starts a choice
            options += [(f"{name} — {self._topic_name(code)}", code)
                        for code in self.taxonomy.topics_of(factor)]
        options.append((t("label.choice.complaint"), UNCLEAR))
        return options

    def _reading(self, rec: dict) -> str:
        """The model's reading in words."""
        factor = rec.get("factor")
        if factor == NOT_COMPLAINT:
            sentiment = rec.get("sentiment")
            words = t(f"label.choice.{sentiment if sentiment in NO_COMPLAINT else 'neutral'}")
        else:
            words = label(factor, "factor")
            topic = rec.get("topic")
            if isinstance(topic, str) and topic:
                words = f"{words} — {self._topic_name(topic)}"
        confidence = rec.get("confidence")
        return t("label.reading", reading=words,
                 confidence=MISSING if confidence is None else fmt_percent(confidence))

    def _row(self, rec: dict, options: list[tuple[str, str | None]]) -> LabelRow:
        comment = str(rec["comment"])
        survey_id = rec.get("survey_id")
        survey_id = None if survey_id is None or pd.isna(survey_id) else str(survey_id)
        text = w.HTML(f"<div style='max-width:640px'><div>{html.escape(comment)}</div>"
                      f"<div style='color:#777;font-size:12px'>"
                      f"{html.escape(self._reading(rec))}</div></div>",
                      layout=w.Layout(flex="1 1 360px"))
        choice = w.Dropdown(options=options, value=None,
                            layout=w.Layout(width="auto", max_width="100%"))
        save = w.Button(description=t("label.save"), icon="save", disabled=True,
                        layout=w.Layout(width="auto"))
        box = w.HBox([text, choice, save],
                     layout=w.Layout(flex_flow="row wrap", grid_gap="4px 12px",
                                     align_items="center", border_bottom="1px solid #eee",
                                     padding="4px 0"))
        box.add_class("carework-labelling-row")
        row = LabelRow(comment, survey_id, float(rec["confidence"]), choice, save, box)
        choice.observe(lambda _change: self._enable(row), names="value")
        save.on_click(lambda _button: self.save(row))
        return row

    def _enable(self, row: LabelRow) -> None:
        row.save.disabled = row.done or not self.can_save or row.choice.value is None

    # ----------------------------------------------------------------------------- save
    def label_of(self, choice: str) -> tuple[str, str | None]:
        """``(factor, topic)`` for :func:`record_label` of a choice."""
        if choice in self.taxonomy.topics:
            return self.taxonomy.factor_of(choice), choice
        return choice, None

    def save(self, row: LabelRow) -> None:
        """Write the label chosen for ``row`` to ``labels.csv`` and mark the row done."""
        if row.done or not self.can_save or row.choice.value is None:
            return
        factor, topic = self.label_of(row.choice.value)
        try:
            count = record_label(self.folder, row.comment, factor, topic,
                                 comment_id=row.survey_id)
        except Exception as exc:  # noqa: BLE001 — shown as one line, never a traceback
            self._say(t("label.failed", problem=_one_line(exc)))
            return
        row.done = True
        row.choice.disabled = row.save.disabled = True
        row.save.description, row.save.icon = t("label.saved"), "check"
        row.save.button_style = "success"
        self._labelled.add(row.comment.strip())
        self._set_count(count)

    # ----------------------------------------------------------------------------- retrain
    def retrain(self) -> None:
        """Measure what the labels bring (when there are enough) and build the business's
        model; every problem is shown as one line."""
        self.measured = None
        if self.folder is None:
            self._say(t("label.no_folder"))
            return
        self._say(t("label.training"))
        self.retrain_button.disabled = True
        try:
            self._retrain()
        except Exception as exc:  # noqa: BLE001 — shown as one line, never a traceback
            self._say(t("label.failed", problem=_one_line(exc)))
        finally:
            self.retrain_button.disabled = False

    def _retrain(self) -> None:
        settings, surveys = self.data.settings, self.data.surveys
        labels = read_labels(self.folder, surveys, self.taxonomy)
        n = len(labels.frame)
        minimum = max(MIN_LABELS, self.folds)
        set_aside = (" " + t("label.set_aside", n=fmt_number(len(labels.rejects)))
                     if len(labels.rejects) else "")
        if n < minimum:
            self._say(t("label.need_more", more=fmt_number(minimum - n), n=fmt_number(n),
                        minimum=fmt_number(minimum)) + set_aside)
            return
        result = cross_validated(labels, self.taxonomy, settings.text.labels_weight,
                                 folds=self.folds)
        measured = t("label.measured", n=fmt_number(result["n"]),
                     before=fmt_decimal(result["before"], 2),
                     after=fmt_decimal(result["after"], 2),
                     folds=fmt_number(result["folds"]))
        self.measured = result
        self.trained = business_classifier(self.folder, settings, surveys)
        self._say(f"{measured}.{set_aside} {t('label.trained')}")


def labelling_panel(base: CustomerBase | Dataset | None,
                    filter_bar: FilterBar | None = None) -> w.Widget:
    """The panel that teaches the comment model (empty when the data could not be loaded or
    has no survey comments)."""
    if base is None:
        return w.HTML()
    base = as_base(base)
    surveys = base.data.surveys
    if surveys is None or "comment" not in surveys:
        return w.HTML(html.escape(t("dash.no_table", table=t("table.surveys"))))
    return LabellingPanel(base, filter_bar)
