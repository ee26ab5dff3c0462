"""Words only at the edges: a table computed once is shown in either language, and what is
shown in English holds no Vietnamese label (and the other way round).

The scan takes every label of the i18n table, cut at its ``{placeholders}`` into literal
pieces, and looks for the other language's pieces in the rendered dashboards (every text,
description, option and title of their widgets) and in the exported files, after removing
the data's own values (customer names, comments, product categories: data is not a label).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import ipywidgets as w
import pytest
from openpyxl import load_workbook

import carework
from carework import calls, dashboards
from carework.calls.sheet import write_sheet
from carework.customer_base import build_base
from carework.i18n import MESSAGES, language

VIETNAMESE = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]",
                        re.IGNORECASE)


def pieces(lang: str) -> set[str]:
    """Literal pieces of the labels of ``lang`` that cannot be mistaken for the other's."""
    other = "en" if lang == "vi" else "vi"
    theirs = {entry[other] for entry in MESSAGES.values()}
    out = set()
    for entry in MESSAGES.values():
        if entry[lang] in theirs:
            continue  # the same in both languages (NPS, Email, …)
        for piece in re.split(r"\{[^}]*\}", entry[lang]):
            piece = piece.strip(" :;,.()–—-·\n")
            if len(piece) < 8:
                continue
            if lang == "vi" and not VIETNAMESE.search(piece):
                continue
            if lang == "en" and (VIETNAMESE.search(piece) or not re.search(r"[a-z]{4}", piece)):
                continue
            if any(piece in text for text in theirs):
                continue
            out.add(piece)
    return out


def widget_texts(widget: w.Widget) -> Iterator[str]:
    for attribute in ("value", "description", "placeholder", "tooltip"):
        value = getattr(widget, attribute, None)
        if isinstance(value, str):
            yield value
    for option in getattr(widget, "options", ()) or ():
        yield option[0] if isinstance(option, tuple) else str(option)
    for title in getattr(widget, "titles", ()) or ():
        yield str(title)
    for child in getattr(widget, "children", ()) or ():
        if isinstance(child, w.Widget):
            yield from widget_texts(child)


def workbook_texts(path) -> Iterator[str]:
    book = load_workbook(path, read_only=True)
    for sheet in book.worksheets:
        yield sheet.title
        for row in sheet.iter_rows(values_only=True):
            yield from (str(v) for v in row if isinstance(v, str))


@pytest.fixture(scope="module")
def base() -> object:
    with language("vi"):
        return build_base(carework.load("data/sample"))


@pytest.fixture(scope="module")
def data_values(base) -> list[str]:
    data = base.data
    values: set[str] = set()
    for frame, columns in ((data.customers, ("name", "province", "email")),
                           (data.surveys, ("comment",)),
                           (data.tickets, ("agent", "category")),
                           (data.transactions, ("product_category", "store"))):
        for column in columns:
            if frame is not None and column in frame:
                values |= {str(v).strip() for v in frame[column].dropna().unique()}
    return sorted((v for v in values if len(v) >= 3), key=len, reverse=True)


def rendered(base, lang: str, tmp_path) -> str:
    """Everything the dashboards and exports show, in ``lang``, from the same base."""
    texts: list[str] = []
    with language(lang):
        for make in (dashboards.segmentation_dashboard, dashboards.churn_dashboard,
                     dashboards.call_list_dashboard, dashboards.kpi_dashboard):
            texts += widget_texts(make(base))
        texts += widget_texts(dashboards.common.as_of_banner(base))
        sheet = calls.plan(base, agents=3, per_agent=10)
        texts += workbook_texts(write_sheet(sheet, tmp_path / f"calls_{lang}.xlsx"))
    return "\n".join(texts)


def without_data(text: str, values: list[str]) -> str:
    for value in values:
        text = text.replace(value, " ")
    return text


@pytest.mark.parametrize("lang, other", [("en", "vi"), ("vi", "en")])
def test_no_label_of_the_other_language_is_shown(base, data_values, tmp_path, lang, other):
    text = without_data(rendered(base, lang, tmp_path), data_values)
    found = sorted(piece for piece in pieces(other) if piece in text)
    assert not found, f"{other} labels shown in {lang}: {found[:10]}"


def test_a_computed_list_is_relabelled_without_being_computed_again(base, tmp_path):
    with language("vi"):
        sheet = calls.plan(base, agents=3, per_agent=10)
    for lang, word in (("vi", "Sự cố đang mở"), ("en", "Open incident")):
        with language(lang):
            shown = calls.labelled(sheet)
        assert word in set(shown["reason"]) and "open_incident" in set(sheet["reason"])
    assert set(sheet["reason"]) <= set(calls.REASONS)  # the table itself keeps its codes


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_scan_sees_the_labels_of_the_language_shown(base, data_values, tmp_path, lang):
    text = without_data(rendered(base, lang, tmp_path), data_values)
    own = [piece for piece in pieces(lang) if piece in text]
    assert len(own) >= 40  # the scan reads real pages and sheets, in their own words
