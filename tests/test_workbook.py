"""Manager-ready workbooks (carework.workbook): a cover, translated headers, typed and formatted
cells in the reader's language and currency, no formula, valid sheet names."""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from carework.i18n import currency, get_currency, get_language, label, language, t
from carework.workbook import Cover, ExportSheet, header, manager_workbook, sheet_titles

AS_OF = pd.Timestamp("2026-09-29")
CREATED = dt.datetime(2026, 9, 30, 8, 15)
INJECTED = ['=HYPERLINK("http://x","ok")', "+1", "@x", "-2+3", "  =1+1", "\t=1+1"]


def scores() -> pd.DataFrame:
    """A small churn-score table with every kind of column."""
    return pd.DataFrame({
        "customer_id": ["K001", "K002", "K003", "K004"],
        "name": ["Nguyễn Văn An", "Trần Thị Bình", None, "Lê Hoa"],
        "rule_group": ["vip", "regular", "online", "vip"],
        "risk_band": ["high", "low", None, "medium"],
        "churn_risk": [0.8234, 0.1, np.nan, 0.5],
        "value_at_risk": [1_250_000.0, 30_500.5, np.nan, 0.0],
        "orders": [12, 1, 0, 3],
        "expected_next_purchase": pd.to_datetime(["2026-10-01", None, "2026-11-15",
                                                  "2027-01-02"]),
        "last_contact": pd.to_datetime(["2026-09-01 09:30", "2026-08-15 14:45", None,
                                        "2026-09-28 16:00"]),
        "do_not_call": [False, True, False, False],
    })


def churn_sheet(frame: pd.DataFrame | None = None, title: str = "Khách hàng rủi ro",
                note: str = "Khách có nguy cơ rời bỏ cao nhất") -> ExportSheet:
    return ExportSheet(title, scores() if frame is None else frame,
                       money=["value_at_risk"], percent=["churn_risk"],
                       translate=["rule_group", "risk_band"], note=note)


def cover(**changes: object) -> Cover:
    fields = dict(title="Rời bỏ và giá trị khách hàng", as_of=AS_OF,
                  data_start=pd.Timestamp("2024-01-01"), data_end=pd.Timestamp("2026-09-29"),
                  filters={"Tỉnh/thành": "Hà Nội", "Kênh mua": "Trực tuyến"},
                  source="/home/lan/Documents/du-lieu-cua-hang")
    fields.update(changes)
    return Cover(**fields)  # type: ignore[arg-type]


def book(sheets: list[ExportSheet] | None = None, cover_: Cover | None = None, **kwargs):  # noqa: ANN201
    payload = manager_workbook([churn_sheet()] if sheets is None else sheets,
                               cover_ or cover(), created_at=CREATED, **kwargs)
    assert isinstance(payload, bytes)
    return load_workbook(io.BytesIO(payload))


def cover_rows(workbook) -> dict[str, tuple]:  # noqa: ANN001
    """The cover's rows by the text in their first cell."""
    return {row[0]: row[1:] for row in workbook.worksheets[0].iter_rows(values_only=True)
            if row and row[0] is not None}


def column(sheet, code_header: str) -> list:  # noqa: ANN001
    """The cells under the header ``code_header``."""
    heads = [c.value for c in sheet[1]]
    j = heads.index(code_header) + 1
    return [row[0] for row in sheet.iter_rows(min_row=2, min_col=j, max_col=j)]


# --- the cover --------------------------------------------------------------------------------

def test_the_cover_comes_first_and_says_what_the_figures_are():
    wb = book(lang="vi", currency="VND")
    assert wb.sheetnames == ["Thông tin", "Khách hàng rủi ro"]
    cover_sheet = wb.worksheets[0]
    assert cover_sheet["A1"].value == "Rời bỏ và giá trị khách hàng" and cover_sheet["A1"].font.b
    rows = cover_rows(wb)
    assert rows["Số liệu tính đến ngày"][0] == dt.datetime(2026, 9, 29)
    assert rows["Dữ liệu từ ngày"][0] == dt.datetime(2024, 1, 1)
    assert rows["Dữ liệu đến ngày"][0] == dt.datetime(2026, 9, 29)
    assert rows["Nguồn dữ liệu"][0] == "du-lieu-cua-hang"  # the folder's name, not the path
    assert rows["Đơn vị tiền tệ"][0] == "VND"
    assert rows["Thời điểm tạo file"][0] == CREATED
    assert rows["Tỉnh/thành"][0] == "Hà Nội" and rows["Kênh mua"][0] == "Trực tuyến"
    # one row per data sheet: its name, its rows, its note
    assert rows["Trang"][:2] == ("Số dòng", "Ghi chú")
    assert rows["Khách hàng rủi ro"][:2] == (4, "Khách có nguy cơ rời bỏ cao nhất")
    dates = {c[0].value: c[1] for c in cover_sheet.iter_rows() if isinstance(c[1].value,
                                                                              dt.datetime)}
    assert dates["Số liệu tính đến ngày"].number_format == "dd/mm/yyyy"
    assert dates["Thời điểm tạo file"].number_format == "dd/mm/yyyy hh:mm"
    assert all(cell.is_date for cell in dates.values())
    paths = [v for row in cover_sheet.iter_rows(values_only=True) for v in row
             if isinstance(v, str) and "/home/" in v]
    assert paths == []


def test_the_cover_links_to_each_sheet_and_counts_its_rows():
    wb = book([churn_sheet(), churn_sheet(scores().head(2), "Top 2", "")], lang="en")
    links = {c.value: c for c in wb.worksheets[0]["A"] if c.hyperlink is not None}
    assert set(links) == {"Khách hàng rủi ro", "Top 2"}
    assert links["Top 2"].hyperlink.location == "'Top 2'!A1"
    rows = cover_rows(wb)
    assert rows["Top 2"][0] == 2 and rows["Khách hàng rủi ro"][0] == 4
    assert rows["Sheet"][:2] == ("Rows", "Note")


@pytest.mark.parametrize(("lang", "sheet", "everything", "as_of", "created"), [
    ("vi", "Thông tin", "Tất cả", "Số liệu tính đến ngày", "Thời điểm tạo file"),
    ("en", "About", "All", "Data as of", "Created at"),
])
def test_a_cover_without_filters_says_all(lang, sheet, everything, as_of, created):
    wb = book(cover_=cover(filters={}, data_start=None, data_end=None, source=""), lang=lang)
    assert wb.sheetnames[0] == sheet
    rows = cover_rows(wb)
    assert rows[t("export.cover.filters", lang=lang)][0] == everything
    assert rows[as_of][0] == dt.datetime(2026, 9, 29)
    assert rows[created][0] == CREATED
    assert rows[t("export.cover.data_from", lang=lang)][0] == "—"  # not known
    assert t("export.cover.source", lang=lang) not in rows  # no source given: no row


def test_the_created_time_is_now_by_default():
    before = dt.datetime.now().replace(microsecond=0)
    payload = manager_workbook([churn_sheet()], cover())
    rows = cover_rows(load_workbook(io.BytesIO(payload)))
    shown = rows[t("export.cover.created")][0]
    assert before <= shown <= dt.datetime.now() + dt.timedelta(seconds=1)


# --- headers and codes -------------------------------------------------------------------------

@pytest.mark.parametrize(("lang", "expected"), [
    ("vi", ["Mã KH", "Họ tên", "Nhóm khách", "Mức nguy cơ", "Nguy cơ rời bỏ",
            "Giá trị có nguy cơ mất", "Đơn", "Ngày mua tiếp dự kiến", "Lần liên hệ gần nhất",
            "Không gọi"]),
    ("en", ["Customer", "Name", "Customer group", "Risk band", "Churn risk", "Value at risk",
            "Orders", "Expected next purchase", "Last contact", "Do not call"]),
])
def test_headers_are_translated_bold_and_filterable(lang, expected):
    sheet = book(lang=lang).worksheets[1]
    heads = [c.value for c in sheet[1]]
    assert heads == expected
    assert heads == [header_in(lang, code) for code in scores().columns]
    assert all(c.font.b for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:J5"


def header_in(lang: str, code: str) -> str:
    with language(lang):
        return header(code)


def test_a_header_falls_back_on_the_column_label_then_the_code():
    with language("en"):
        assert header("purchased_at") == t("col.purchased_at") == "Purchased at"
        assert header("customer_id") == t("head.customer_id")  # head. wins over col.
        assert header("no_such_column") == "no_such_column"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_codes_are_written_as_words(lang):
    sheet = book(lang=lang).worksheets[1]
    with language(lang):
        groups = [label(g, "group") for g in scores()["rule_group"]]
        bands = [label(b, "risk_band") for b in ["high", "low"]]
    assert [c.value for c in column(sheet, header_in(lang, "rule_group"))] == groups
    shown = [c.value for c in column(sheet, header_in(lang, "risk_band"))]
    assert shown[:2] == bands and shown[2] is None and shown[3] != "medium"
    assert "vip" not in groups and groups[0] == (
        "Khách VIP" if lang == "vi" else "VIP")


def test_a_mapping_chooses_the_label_prefix_and_unknown_codes_stay():
    frame = pd.DataFrame({"kind": ["online", "walk_in", "martian"],
                          "band": ["high", "low", "low"], "group": ["vip", "store", "x"]})
    sheet = book([ExportSheet("x", frame, translate={"kind": "value", "band": "risk_band",
                                                     "group": "group"})],
                 lang="en").worksheets[1]
    assert [c.value for c in column(sheet, "kind")] == ["Online", "Walk-in", "martian"]
    # a code the prefix does not know is looked up as a plain value, then kept as it is
    assert [c.value for c in column(sheet, "Group")] == ["VIP", "Store", "x"]
    assert [c.value for c in column(sheet, "band")] == [
        t("risk_band.high", lang="en"), t("risk_band.low", lang="en"),
        t("risk_band.low", lang="en")]


# --- values and formats ------------------------------------------------------------------------

@pytest.mark.parametrize(("lang", "code", "money", "date", "stamp"), [
    ("vi", "VND", '#,##0 "₫"', "dd/mm/yyyy", "dd/mm/yyyy hh:mm"),
    ("en", "VND", '"₫"#,##0', "d mmm yyyy", "d mmm yyyy hh:mm"),
    ("en", "GBP", '"£"#,##0.00', "d mmm yyyy", "d mmm yyyy hh:mm"),
    ("vi", "GBP", '#,##0.00 "£"', "dd/mm/yyyy", "dd/mm/yyyy hh:mm"),
    ("en", "USD", '"$"#,##0.00', "d mmm yyyy", "d mmm yyyy hh:mm"),
    ("en", "EUR", '"€"#,##0.00', "d mmm yyyy", "d mmm yyyy hh:mm"),
])
def test_number_formats_follow_language_and_currency(lang, code, money, date, stamp):
    wb = book(lang=lang, currency=code)
    sheet = wb.worksheets[1]

    def formats(code_: str) -> set[str]:
        return {c.number_format for c in column(sheet, header_in(lang, code_))
                if c.value is not None}

    assert formats("value_at_risk") == {money}
    assert formats("churn_risk") == {"0.0%"}
    assert formats("orders") == {"#,##0"}
    assert formats("expected_next_purchase") == {date}
    assert formats("last_contact") == {stamp}
    assert cover_rows(wb)[t("export.cover.currency", lang=lang)][0] == code


def test_the_currency_and_language_default_to_the_current_ones_and_are_restored():
    before = (get_language(), get_currency())
    with language("en"), currency("GBP"):
        wb = book()
        assert (get_language(), get_currency()) == ("en", "GBP")
    assert wb.sheetnames[0] == "About"
    assert column(wb.worksheets[1], "Value at risk")[0].number_format == '"£"#,##0.00'
    book(lang="en", currency="USD")
    assert (get_language(), get_currency()) == before
    with pytest.raises(ValueError, match="ISO 4217"):
        manager_workbook([churn_sheet()], cover(), currency="pounds")


def test_numbers_stay_numbers_dates_are_dates_and_missing_is_empty():
    sheet = book(lang="vi").worksheets[1]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 4
    first = rows[0]
    assert first[:4] == ("K001", "Nguyễn Văn An", "Khách VIP", "Cao (đã rời xa)")
    assert first[4] == pytest.approx(0.8234) and isinstance(first[4], float)
    assert first[5] == 1_250_000 and isinstance(first[5], int | float)
    assert first[6] == 12 and isinstance(first[6], int)
    assert first[7] == dt.datetime(2026, 10, 1)
    assert first[8] == dt.datetime(2026, 9, 1, 9, 30)
    assert first[9] is False
    assert rows[1][5] == pytest.approx(30_500.5) and rows[1][9] is True
    third = rows[2]
    assert third[1] is None and third[3] is None and third[4] is None and third[5] is None
    assert rows[1][7] is None and third[8] is None
    cells = {c.coordinate: c for row in sheet.iter_rows(min_row=2) for c in row}
    assert cells["E2"].data_type == "n" and cells["F2"].data_type == "n"
    assert cells["H2"].is_date and cells["I2"].is_date


def test_every_row_keeps_its_own_values():
    n = 3000
    frame = pd.DataFrame({"amount": np.arange(n) * 1000.5, "share": np.linspace(0, 1, n),
                          "day": pd.date_range("2020-01-01", periods=n, freq="D"),
                          "who": [f"K{i}" for i in range(n)]})
    sheet = book([ExportSheet("x", frame, money=["amount"], percent=["share"])],
                 lang="en", currency="GBP").worksheets[1]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == n
    for i in (0, 1, 1234, n - 1):
        assert rows[i][0] == pytest.approx(i * 1000.5) and rows[i][3] == f"K{i}"
        assert rows[i][1] == pytest.approx(frame["share"][i])
        assert rows[i][2] == frame["day"][i].to_pydatetime()
    assert {c.number_format for c in column(sheet, "Amount")} == {'"£"#,##0.00'}


def test_tricky_values_are_kept_or_emptied_not_crashing():
    frame = pd.DataFrame({
        "amount": [np.inf, -np.inf, 1.5, pd.NA],
        "count": pd.array([1, None, 3, 4], dtype="Int64"),
        "stamp": pd.to_datetime(["2026-09-01 10:00", "2026-09-02 00:00", None, None]
                                ).tz_localize("Asia/Ho_Chi_Minh"),
        "day": [dt.date(2026, 1, 2), None, dt.date(2026, 3, 4), dt.date(2026, 5, 6)],
        "text": ["bell\x07here", "#N/A", "ok", 12],
        "period": pd.period_range("2026-01", periods=4, freq="M"),
    })
    sheet = book([ExportSheet("x", frame, money=["amount"])], lang="en").worksheets[1]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == [None, None, 1.5, None]
    assert [r[1] for r in rows] == [1, None, 3, 4]
    assert rows[0][2] == dt.datetime(2026, 9, 1, 10, 0)  # the data's own wall-clock time
    assert [r[3] for r in rows] == [dt.datetime(2026, 1, 2), None, dt.datetime(2026, 3, 4),
                                    dt.datetime(2026, 5, 6)]
    assert [r[4] for r in rows] == ["bellhere", "#N/A", "ok", "12"]
    assert sheet["E3"].data_type == "s"  # "#N/A" typed in the data is text, not an error
    assert [r[5] for r in rows] == ["2026-01", "2026-02", "2026-03", "2026-04"]
    assert sheet["D2"].number_format == "d mmm yyyy"


def test_a_named_index_is_written_first_and_an_unnamed_one_is_not():
    frame = scores().set_index("customer_id")
    named = book([ExportSheet("a", frame)], lang="en").worksheets[1]
    assert named["A1"].value == "Customer" and named["A2"].value == "K001"
    plain = book([ExportSheet("a", frame.reset_index(drop=True))], lang="en").worksheets[1]
    assert plain["A1"].value == "Name" and plain.max_column == 9


def test_formula_like_text_is_stored_as_text_with_the_quote_prefix():
    frame = pd.DataFrame({"free_text": INJECTED, "=cmd": range(len(INJECTED))})
    wb = book([ExportSheet("x", frame, note="=note")],
              cover(filters={"Tỉnh/thành": "=1+1"}, title="+title"), lang="vi")
    formulas = [c.coordinate for ws in wb for row in ws.iter_rows() for c in row
                if c.data_type == "f"]
    assert formulas == []
    sheet = wb.worksheets[1]
    cells = column(sheet, "free_text")
    assert [c.value for c in cells] == INJECTED
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)
    assert sheet["B1"].value == "=cmd" and sheet["B1"].quotePrefix  # a header too
    assert [c.value for c in column(sheet, "=cmd")] == list(range(len(INJECTED)))
    cover_cells = {c.value: c for row in wb.worksheets[0].iter_rows() for c in row}
    assert all(cover_cells[v].quotePrefix for v in ("=1+1", "+title", "=note"))
    assert not cover_cells["Tỉnh/thành"].quotePrefix


def test_column_widths_fit_the_contents():
    frame = pd.DataFrame({"comment": ["ngắn", "x" * 45], "n": [1, 2],
                          "essay": ["y" * 500, "z"]})
    sheet = book([ExportSheet("x", frame)], lang="vi").worksheets[1]
    widths = {k: d.width for k, d in sheet.column_dimensions.items()}
    assert widths["A"] >= 45 and 8 <= widths["B"] <= 15 and widths["C"] == 60


# --- sheet names -------------------------------------------------------------------------------

def test_sheet_titles_are_made_valid_and_unique():
    titles = ["Doanh thu: 2026/09 [Q3]*?", "Khách hàng có nguy cơ rời bỏ trong 90 ngày tới",
              "Khách hàng có nguy cơ rời bỏ trong 90 ngày tới nữa", "Nhóm", "nhóm", "NHÓM",
              "", "'Trích dẫn'", "Thông tin", "History"]
    with language("vi"):
        names = sheet_titles(titles, taken=["Thông tin"])
    assert names[0] == "Doanh thu- 2026-09 -Q3---"
    assert names[1] == "Khách hàng có nguy cơ rời bỏ tr" and len(names[1]) == 31
    assert names[2] == "Khách hàng có nguy cơ rời b (2)" and len(names[2]) == 31
    assert names[3:6] == ["Nhóm", "nhóm (2)", "NHÓM (3)"]
    assert names[6] == "Trang 7" and names[7] == "Trích dẫn"
    assert names[8] == "Thông tin (2)" and names[9] == "History (2)"
    assert len({n.casefold() for n in names}) == len(names)
    assert all(not set(n) & set("[]:*?/\\") and 0 < len(n) <= 31 for n in names)


def test_the_workbook_uses_the_valid_names_everywhere():
    titles = ["Nhóm/Phân khúc", "Nhóm/Phân khúc", "x" * 40, "Thông tin"]
    wb = book([churn_sheet(title=title) for title in titles], lang="vi")
    assert wb.sheetnames == ["Thông tin", "Nhóm-Phân khúc", "Nhóm-Phân khúc (2)", "x" * 31,
                             "Thông tin (2)"]
    rows = cover_rows(wb)
    assert all(rows[name][0] == 4 for name in wb.sheetnames[1:])


def test_an_empty_frame_gives_a_sheet_with_headers_only():
    empty = scores().iloc[0:0]
    wb = book([churn_sheet(empty)], lang="en")
    sheet = wb.worksheets[1]
    assert [c.value for c in sheet[1]][:3] == ["Customer", "Name", "Customer group"]
    assert sheet.max_row == 1 and sheet.auto_filter.ref == "A1:J1"
    assert cover_rows(wb)["Khách hàng rủi ro"][0] == 0
    no_columns = book([ExportSheet("nothing", pd.DataFrame())], lang="en").worksheets[1]
    assert no_columns.title == "nothing" and no_columns["A1"].value is None


def test_the_same_inputs_give_the_same_cells():
    def cells(wb) -> list:  # noqa: ANN001
        return [(ws.title, c.coordinate, c.value, c.number_format, c.quotePrefix)
                for ws in wb for row in ws.iter_rows() for c in row]

    sheets = [churn_sheet(), ExportSheet("inj", pd.DataFrame({"name": INJECTED}))]
    assert cells(book(sheets, lang="vi")) == cells(book(sheets, lang="vi"))
    assert cells(book(sheets, lang="vi")) != cells(book(sheets, lang="en"))
