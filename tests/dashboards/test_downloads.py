"""The export button (carework.dashboards.downloads): nothing is built or carried by the page
until it is pressed; a press builds once and offers a link; a data problem is one line."""

from __future__ import annotations

import base64
import io
import re

import ipywidgets as w
import pandas as pd
import pytest
from openpyxl import load_workbook

from carework.dashboards.downloads import (
    CLASS,
    ExportButton,
    export_name,
    file_size,
    mime_type,
)
from carework.errors import DataError, ModelError
from carework.i18n import language, t

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Builder:
    """A build function that counts its calls and records what the button showed meanwhile."""

    def __init__(self, name: str = "khach-hang_2026-09-29.xlsx",
                 payload: bytes = b"PK\x03\x04" + bytes(2000),
                 error: BaseException | None = None) -> None:
        self.name, self.payload, self.error = name, payload, error
        self.calls = 0
        self.seen: list[tuple[bool, str]] = []
        self.button: ExportButton | None = None

    def __call__(self) -> tuple[str, bytes]:
        self.calls += 1
        assert self.button is not None
        self.seen.append((self.button.button.disabled, self.button.status.value))
        if self.error is not None:
            raise self.error
        return self.name, self.payload


def make(builder: Builder, **kwargs: str) -> ExportButton:
    button = ExportButton(builder, **kwargs)
    builder.button = button
    return button


def page_html(widget: w.Widget) -> str:
    """Every HTML value inside ``widget``: what the page carries."""
    if isinstance(widget, w.HTML):
        return widget.value
    return "".join(page_html(child) for child in getattr(widget, "children", ()))


def test_nothing_is_built_before_the_button_is_pressed():
    builder = Builder()
    button = make(builder)
    assert builder.calls == 0
    assert button.payload is None and button.file_name is None
    assert "data:" not in page_html(button) and "base64" not in page_html(button)
    assert CLASS in button._dom_classes
    assert button.button.description == t("export.button") and not button.button.disabled


def test_a_press_builds_once_and_shows_the_link():
    builder = Builder()
    button = make(builder)
    with language("vi"):
        button.button.click()
    assert builder.calls == 1
    # while building: the button is disabled and says so
    assert builder.seen == [(True, f"<i>{t('export.building', lang='vi')}</i>")]
    assert not button.button.disabled and button.status.value == ""
    assert button.file_name == builder.name and button.payload == builder.payload
    html = page_html(button)
    found = re.findall(r'<a download="([^"]+)" href="data:([^;]+);base64,([A-Za-z0-9+/=]+)">'
                       r"([^<]+)</a>", html)
    assert len(found) == 1
    name, mime, encoded, text = found[0]
    assert (name, mime) == (builder.name, XLSX)
    assert base64.b64decode(encoded) == builder.payload
    assert text == f"Tải về {builder.name} (2 KB)"


def test_invalidate_drops_the_link_and_the_next_press_builds_afresh():
    builder = Builder()
    button = make(builder)
    button.button.click()
    button.invalidate()
    assert button.payload is None and button.file_name is None
    assert "data:" not in page_html(button) and builder.calls == 1
    builder.payload = b"a,b\r\n1,2\r\n"
    builder.name = "bang-diem_2026-09-29.csv"
    button.button.click()
    assert builder.calls == 2 and button.payload == b"a,b\r\n1,2\r\n"
    assert 'href="data:text/csv;base64,' in page_html(button)


@pytest.mark.parametrize("error", [
    DataError("no survey in the data", file="surveys.csv", fix="add a surveys file"),
    ModelError("the model could not be fitted:\nnot enough repeat buyers"),
])
def test_a_data_or_model_problem_is_shown_as_one_line(error):
    button = make(Builder(error=error))
    button.button.click()
    shown = button.status.value
    assert " ".join(str(error).split()) in shown and "\n" not in shown
    assert "Traceback" not in shown and "carework-export-error" in shown
    assert button.payload is None and "data:" not in page_html(button)
    assert not button.button.disabled


def test_a_bug_in_the_build_propagates_and_leaves_the_button_usable():
    builder = Builder(error=ZeroDivisionError("bug"))
    button = make(builder)
    with pytest.raises(ZeroDivisionError):
        button.export()
    assert not button.button.disabled and button.status.value == ""
    assert button.payload is None


def test_another_label_key_names_the_button():
    with language("en"):
        button = ExportButton(Builder(), label_key="export.button_csv")
    assert button.button.description == "Build the CSV file"


def test_file_names_are_ascii_slugs_with_the_iso_day():
    day = pd.Timestamp("2026-09-29 17:45")
    assert export_name("Khách hàng rủi ro", day, "xlsx") == "khach-hang-rui-ro_2026-09-29.xlsx"
    assert export_name("Đánh giá & Góp ý", day, ".csv") == "danh-gia-gop-y_2026-09-29.csv"
    assert export_name("Customers at risk", day, ".XLSX") == "customers-at-risk_2026-09-29.XLSX"
    assert export_name("", day, "csv") == "carework_2026-09-29.csv"
    assert export_name("客户", day, "csv").isascii()


def test_mime_types_and_sizes():
    assert mime_type("a.xlsx") == XLSX and mime_type("a.csv") == "text/csv"
    assert mime_type("a.bin") == "application/octet-stream"
    with language("vi"):
        assert (file_size(12), file_size(2048), file_size(5_347_738)) == ("12 B", "2 KB",
                                                                          "5,1 MB")
    with language("en"):
        assert (file_size(1_234_567), file_size(1_300_000_000)) == ("1.2 MB", "1,239.8 MB")


def test_a_real_workbook_round_trips_through_the_link(data):
    from carework.customer_base import build_base
    from carework.workbook import Cover, ExportSheet, manager_workbook

    base = build_base(data)
    table = base.table[["rule_group", "spend", "last_contact"]].head(50)
    start, end = data.transactions["purchased_at"].agg(["min", "max"])

    def build() -> tuple[str, bytes]:
        sheet = ExportSheet(t("title.churn"), table, money=["spend"], translate=["rule_group"])
        cover = Cover(t("title.churn"), base.as_of, start, end, {})
        return export_name("Khách hàng rủi ro", base.as_of, "xlsx"), manager_workbook(
            [sheet], cover)

    button = ExportButton(build)
    with language("vi"):
        button.button.click()
    encoded = re.search(r"base64,([A-Za-z0-9+/=]+)", page_html(button)).group(1)
    book = load_workbook(io.BytesIO(base64.b64decode(encoded)))
    sheet = book.worksheets[1]
    assert sheet.max_row == 51 and sheet["A1"].value == "Mã KH"  # the named index first
    assert sheet["B2"].value == t(f"group.{table['rule_group'].iloc[0]}", lang="vi")
    assert button.file_name == f"khach-hang-rui-ro_{base.as_of:%Y-%m-%d}.xlsx"
