"""Reading a table out of a shop's workbook (carework.readers.excel): visible sheets only, the
header under title lines or over two rows, one sheet a month, total rows, formulas without stored
values, repeated headers and Excel row numbers."""

from __future__ import annotations

import re
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from carework.readers import excel
from carework.readers.excel import SheetTable, WorkbookError, read_table, sheet_names
from carework.vntext import slug

NAMES = {"ma_kh", "customer_id", "ngay_mua", "so_tien", "amount", "ten", "ho_ten", "so_luong"}
HEADER = ["Ngày mua", "Mã KH", "Tên", "Số tiền"]
DAY = datetime(2026, 9, 1)


def is_header(cells: list[str]) -> int:
    return sum(slug(cell) in NAMES for cell in cells)


def book(path: Path, sheets: dict[str, list[list[object]]], *,
         states: dict[str, str] | None = None, merges: dict[str, list[str]] | None = None) -> Path:
    """Write a workbook: one sheet per entry, rows as given (``None`` for an empty cell)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        ws = workbook.create_sheet(name)
        for number, row in enumerate(rows, start=1):
            for column, value in enumerate(row, start=1):
                if value is not None:
                    ws.cell(number, column, value)
        for cells in (merges or {}).get(name, []):
            ws.merge_cells(cells)
        ws.sheet_state = (states or {}).get(name, "visible")
    workbook.save(path)
    return path


def patch(path: Path, member: str, change) -> None:
    """Rewrite one part of the workbook's archive (what openpyxl cannot write: stored formula
    values, shared formulas, a workbook without a visible sheet)."""
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info.filename) for info in archive.infolist()}
    parts[member] = change(parts[member].decode()).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def store_values(path: Path, values: dict[str, object], member="xl/worksheets/sheet1.xml") -> None:
    """Store the calculated value of formula cells, as Excel does when it saves."""
    def change(xml: str) -> str:
        for ref, value in values.items():
            xml, count = re.subn(rf'(<c r="{ref}"[^>]*>\s*<f>[^<]*</f>)\s*<v\s*/>',
                                 rf"\g<1><v>{value}</v>", xml)
            assert count == 1, ref
        return xml
    patch(path, member, change)


def sales(day: int, *rows: tuple[str, str, int]) -> list[list[object]]:
    return [[datetime(2026, 9, day), kh, name, amount] for kh, name, amount in rows]


def test_a_hidden_first_sheet_is_skipped(tmp_path):
    path = book(tmp_path / "b.xlsx", {
        "Cũ": [HEADER, *sales(1, ("KH9", "Cũ", 1))],
        "Tháng 9": [HEADER, *sales(2, ("KH1", "An", 100), ("KH2", "Bình", 200))],
    }, states={"Cũ": "hidden"})
    table = read_table(path, is_header=is_header)
    assert table.sheets == ("Tháng 9",)
    assert table.hidden_sheets == ["Cũ"]
    assert list(table.frame["Mã KH"]) == ["KH1", "KH2"]
    assert "sheet" not in table.frame.columns
    assert sheet_names(path) == ["Tháng 9"]
    assert sheet_names(path, visible_only=False) == ["Cũ", "Tháng 9"]


def test_a_very_hidden_sheet_is_skipped_unless_named(tmp_path):
    path = book(tmp_path / "b.xlsx", {
        "Data": [HEADER, *sales(1, ("KH1", "An", 100))],
        "Raw": [HEADER, *sales(1, ("KH7", "Bảy", 7))],
    }, states={"Raw": "veryHidden"})
    table = read_table(path, is_header=is_header)
    assert table.sheets == ("Data",) and table.hidden_sheets == ["Raw"]
    named = read_table(path, sheet="Raw", is_header=is_header)
    assert named.sheets == ("Raw",) and list(named.frame["Mã KH"]) == ["KH7"]
    with pytest.raises(WorkbookError) as caught:
        read_table(path, sheet="Nope", is_header=is_header)
    assert caught.value.key == "err.excel_no_sheet"


def test_a_workbook_without_a_visible_sheet(tmp_path):
    path = book(tmp_path / "b.xlsx", {"A": [HEADER, *sales(1, ("KH1", "An", 1))]})
    patch(path, "xl/workbook.xml", lambda xml: xml.replace('state="visible" r:id',
                                                           'state="hidden" r:id'))
    assert sheet_names(path) == []
    with pytest.raises(WorkbookError) as caught:
        read_table(path, is_header=is_header)
    assert caught.value.key == "err.excel_no_visible_sheet"


def test_title_rows_above_the_header(tmp_path):
    path = book(tmp_path / "b.xlsx", {"T9": [
        ["Cửa hàng Hoa Mai"],
        ["BÁO CÁO DOANH THU THÁNG 9"],
        [],
        ["Ngày lập: 30/09/2026"],
        HEADER,
        *sales(1, ("KH1", "An", 100), ("KH2", "Bình", 200)),
    ]})
    table = read_table(path, is_header=is_header)
    assert table.header_row == 5
    assert list(table.frame.columns) == HEADER
    assert list(table.frame.index) == [6, 7]
    assert table.frame.loc[6, "Ngày mua"] == DAY


def test_no_header_in_the_first_rows(tmp_path):
    path = book(tmp_path / "b.xlsx", {"T9": [["Cửa hàng"], *[[f"dòng {i}"] for i in range(40)],
                                             HEADER]})
    with pytest.raises(WorkbookError) as caught:
        read_table(path, is_header=is_header)
    assert caught.value.key == "err.excel_no_header"
    assert caught.value.params["sheet"] == "T9"


def test_a_two_row_merged_header(tmp_path):
    path = book(tmp_path / "b.xlsx", {"T9": [
        ["BÁO CÁO BÁN HÀNG"],
        [],
        ["Ngày mua", "STT", "Khách hàng", None, "Số tiền", "Liên hệ", None],
        [None, None, "Mã KH", "Tên", None, "SĐT", None],
        [DAY, 1, "KH1", "An", 100, "0901", "Q1"],
        [DAY, 2, "KH2", "Bình", 200, "0902", "Q3"],
    ]}, merges={"T9": ["A3:A4", "B3:B4", "C3:D3", "E3:E4", "F3:G3", "A1:G1"]})
    table = read_table(path, is_header=is_header)
    # G has no sub-header: it takes the text merged over it
    assert list(table.frame.columns) == ["Ngày mua", "STT", "Mã KH", "Tên", "Số tiền", "SĐT",
                                         "Liên hệ"]
    assert table.header_row == 4
    assert list(table.frame.index) == [5, 6]
    assert list(table.frame["Tên"]) == ["An", "Bình"]


def test_a_two_row_header_without_merged_cells(tmp_path):
    path = book(tmp_path / "b.xlsx", {"T9": [
        ["Ngày mua", "Khách hàng", None, "Số tiền"],
        [None, "Mã KH", "Họ tên", None],
        [DAY, "KH1", "An", 100],
    ]})
    table = read_table(path, is_header=is_header)
    assert list(table.frame.columns) == ["Ngày mua", "Mã KH", "Họ tên", "Số tiền"]
    assert list(table.frame.index) == [3]


def test_monthly_sheets_are_stacked_and_a_notes_sheet_ignored(tmp_path):
    path = book(tmp_path / "b.xlsx", {
        "T7": [HEADER, *sales(1, ("KH1", "An", 100))],
        "T8": [["Tháng 8"], HEADER, *sales(2, ("KH2", "Bình", 200), ("KH3", "Chi", 300))],
        "Ghi chú": [["Mã KH là mã khách hàng"], ["Số tiền tính bằng đồng"]],
        "Tháng 9-2026": [["Ngày mua", "Mã kh", "Tên", "Số tiền", "Ghi chú"],
                         [DAY, "KH4", "Dung", 400, "giao nhanh"]],
        "Tổng hợp": [["Ngày mua", "Số tiền"], [DAY, 1000]],
    })
    table = read_table(path, is_header=is_header)
    assert table.sheets == ("T7", "T8", "Tháng 9-2026")
    assert table.ignored_sheets == ["Ghi chú", "Tổng hợp"]
    frame = table.frame
    assert list(frame.columns) == [*HEADER, "Ghi chú", "sheet"]
    assert list(frame["sheet"]) == ["T7", "T8", "T8", "Tháng 9-2026"]
    assert list(frame.index) == [2, 3, 4, 2]  # each row's row on its own sheet
    assert list(frame["Mã KH"]) == ["KH1", "KH2", "KH3", "KH4"]
    assert list(frame["Ghi chú"]) == [None, None, None, "giao nhanh"]
    assert sum(frame["Số tiền"]) == 1000


def test_the_first_sheet_with_a_header_sets_the_table(tmp_path):
    path = book(tmp_path / "b.xlsx", {
        "Hướng dẫn": [["Nhập mỗi đơn hàng trên một dòng"]],
        "T8": [HEADER, *sales(1, ("KH1", "An", 100))],
        "T9": [HEADER, *sales(2, ("KH2", "Bình", 200))],
    })
    table = read_table(path, is_header=is_header)
    assert table.sheets == ("T8", "T9") and table.ignored_sheets == ["Hướng dẫn"]
    assert list(table.frame["sheet"]) == ["T8", "T9"]
    only = read_table(path, sheet="T9", is_header=is_header)
    assert only.sheets == ("T9",) and "sheet" not in only.frame.columns


def test_totals_and_subtotals_are_left_out(tmp_path):
    rows = [
        ["BÁO CÁO DOANH THU"],
        HEADER,                                             # row 2
        *sales(1, ("KH1", "An", 100), ("KH2", "Bình", 200)),  # rows 3-4
        ["Cộng ngày 01/09", None, None, "=SUM(D3:D4)"],       # row 5
        *sales(2, ("KH3", "Công ty Hoa Sen", 300)),         # row 6: a company, not a total
        [datetime(2026, 9, 2), None, "Tống Văn Minh", 50],    # row 7: a walk-in customer
        ["Cộng ngày 02/09", None, None, "=SUM(D6:D7)"],       # row 8
        [None, None, "Tổng cộng:", 650],                      # row 9, typed in
        [None, "TOTAL", None, "=SUBTOTAL(9,D3:D8)"],          # row 10
    ]
    path = book(tmp_path / "b.xlsx", {"T9": rows})
    store_values(path, {"D5": 300, "D8": 350, "D10": 650})
    table = read_table(path, is_header=is_header)
    assert list(table.frame.index) == [3, 4, 6, 7]
    assert sum(table.frame["Số tiền"]) == 650  # not three times the sales
    assert [(row, sheet) for row, sheet, _ in table.total_rows] == [
        (5, "T9"), (8, "T9"), (9, "T9"), (10, "T9")]
    assert table.total_rows[0][2] == "Cộng ngày 01/09 | 300"
    assert table.total_rows[2][2] == "Tổng cộng: | 650"
    assert table.formula_cells == []


def test_a_total_found_by_its_formula_alone(tmp_path):
    path = book(tmp_path / "b.xlsx", {"T9": [
        HEADER, *sales(1, ("KH1", "An", 100), ("KH2", "Bình", 200)),
        [None, None, None, "=SUM(D2:D3)"],  # an unlabelled sum without stored value
    ]})
    table = read_table(path, is_header=is_header)
    assert list(table.frame.index) == [2, 3]
    assert table.total_rows == [(4, "T9", "=SUM(D2:D3)")]
    assert table.formula_cells == []


def test_a_running_total_column_is_data(tmp_path):
    path = book(tmp_path / "b.xlsx", {"T9": [
        [*HEADER, "Lũy kế"],
        [DAY, "KH1", "An", 100, "=SUM($D$2:D2)"],
        [DAY, "KH2", "Bình", 200, "=SUM($D$2:D3)"],
        [DAY, "KH3", "Chi", 300, "=D4*1"],
    ]})
    store_values(path, {"E2": 100, "E3": 300, "E4": 300})
    table = read_table(path, is_header=is_header)
    assert list(table.frame.index) == [2, 3, 4]
    assert list(table.frame["Lũy kế"]) == [100, 300, 300]
    assert table.total_rows == [] and table.formula_cells == []


def test_formulas_without_stored_values(tmp_path):
    path = book(tmp_path / "b.xlsx", {"T9": [
        [*HEADER, "Số lượng"],
        [DAY, "KH1", "An", "=E2*2", 3],    # written by a program that does not calculate
        [DAY, "KH2", "Bình", "=E3*2", 4],
        [DAY, "KH3", "Chi", 500, 5],
    ]})
    store_values(path, {"D3": 8})
    table = read_table(path, is_header=is_header)
    assert list(table.frame.index) == [2, 3, 4]
    assert list(table.frame["Số tiền"]) == [None, 8, 500]
    assert table.formula_cells == [(2, "T9", "Số tiền")]


def test_a_column_of_formulas_only_is_refused(tmp_path):
    path = book(tmp_path / "b.xlsx", {"T9": [
        HEADER,
        [DAY, "KH1", "An", "=100*2"],
        [DAY, "KH2", "Bình", "=100*3"],
        [],
        [DAY, "KH3", "Chi", "=100*4"],
    ]})
    with pytest.raises(WorkbookError) as caught:
        read_table(path, is_header=is_header)
    assert caught.value.key == "err.excel_formulas_only"
    assert caught.value.params["sheet"] == "T9"
    assert caught.value.params["column"] == "Số tiền"


def test_shared_formulas_and_calculated_empty_strings(tmp_path):
    path = book(tmp_path / "b.xlsx", {"T9": [
        [*HEADER, "Ghi chú"],
        [DAY, "KH1", "An", 100, "=IF(D2>150,\"lớn\",\"\")"],
        [DAY, "KH2", "Bình", 200, "=IF(D3>150,\"lớn\",\"\")"],
        [None, None, None, "=SUM(D2:D3)", None],
    ]})

    def as_excel_saves(xml: str) -> str:
        # E2 holds a calculated "", E3 shares E2's formula; D4 is a shared SUM stored with 300
        xml = re.sub(r'<c r="E2"[^>]*>\s*<f>([^<]*)</f>\s*<v\s*/>',
                     r'<c r="E2" t="str"><f t="shared" ref="E2:E3" si="0">\1</f><v></v>', xml)
        xml = re.sub(r'<c r="E3"[^>]*>\s*<f>[^<]*</f>\s*<v\s*/>',
                     r'<c r="E3" t="str"><f t="shared" si="0"/><v>lớn</v>', xml)
        return re.sub(r'(<c r="D4"[^>]*>)\s*<f>([^<]*)</f>\s*<v\s*/>',
                      r'\1<f t="shared" ref="D4" si="1">\2</f><v>300</v>', xml)

    patch(path, "xl/worksheets/sheet1.xml", as_excel_saves)
    table = read_table(path, is_header=is_header)
    assert list(table.frame.index) == [2, 3]
    assert list(table.frame["Ghi chú"]) == [None, "lớn"]  # "" calculated: stored, not missing
    assert table.formula_cells == []
    assert table.total_rows == [(4, "T9", "300")]


def test_the_sheet_xml_scanned_in_small_pieces(tmp_path, monkeypatch):
    # Excel names parts relative to the workbook; a big sheet is scanned chunk by chunk
    monkeypatch.setattr(excel, "_CHUNK", 37)
    path = book(tmp_path / "b.xlsx", {"Ghi chú": [["x"]], "T9": [
        ["Ngày mua", "Khách hàng", None, "Số tiền"],
        [None, "Mã KH", "Tên", None],
        *sales(1, ("KH1", "An", 100), ("KH2", "Bình", 200)),
        [None, None, None, "=SUM(D3:D4)"],
        [DAY, "KH3", "Chi", "=D3*3"],
    ]}, merges={"T9": ["B1:C1", "A1:A2", "D1:D2"]})
    patch(path, "xl/_rels/workbook.xml.rels",
          lambda xml: xml.replace('Target="/xl/worksheets/', 'Target="worksheets/'))
    store_values(path, {"D5": 300}, member="xl/worksheets/sheet2.xml")
    table = read_table(path, is_header=is_header)
    assert list(table.frame.columns) == ["Ngày mua", "Mã KH", "Tên", "Số tiền"]
    assert table.total_rows == [(5, "T9", "300")]
    assert table.formula_cells == [(6, "T9", "Số tiền")]
    with zipfile.ZipFile(path) as archive:
        assert excel._scan_sheet(archive, "xl/worksheets/sheet2.xml").merges == [
            (1, 1, 1, 2), (2, 1, 3, 1), (4, 1, 4, 2)]


def test_a_repeated_header_inside_the_data(tmp_path):
    path = book(tmp_path / "b.xlsx", {"T9": [
        HEADER,
        *sales(1, ("KH1", "An", 100)),
        [],
        ["  ngày mua ", "MÃ KH", "Tên", "Số tiền"],  # a second export pasted below
        *sales(2, ("KH2", "Bình", 200)),
    ]})
    table = read_table(path, is_header=is_header)
    assert table.repeated_headers == [(4, "T9")]
    assert list(table.frame.index) == [2, 5]


def test_excel_row_numbers_values_and_empty_columns(tmp_path):
    path = book(tmp_path / "b.xlsx", {"T9": [
        ["Danh sách"],
        [*HEADER, "Giảm", "Đã gọi", None, None],
        [DAY, "  KH1 ", "An", 100, 0.5, True],
        [],
        [None, "   ", None],  # blank text only: an empty row
        [datetime(2026, 9, 3, 14, 30), "KH2", "Bình", 200, None, False, None, "lạc"],
        [None, None, None, None, None, None, None, None, None],
    ]})
    table = read_table(path, is_header=is_header)
    frame = table.frame
    assert isinstance(table, SheetTable)
    assert list(frame.index) == [3, 6]
    assert list(frame.columns) == [*HEADER, "Giảm", "Đã gọi", "Unnamed: H"]
    assert all(str(dtype) == "object" for dtype in frame.dtypes)
    assert frame.loc[3].tolist() == [DAY, "KH1", "An", 100, 0.5, True, None]
    assert frame.loc[6, "Ngày mua"] == datetime(2026, 9, 3, 14, 30)
    assert frame.loc[6, "Đã gọi"] is False
    assert frame.loc[6, "Unnamed: H"] == "lạc"
    assert type(frame.loc[3, "Số tiền"]) is int


def test_the_error_message_and_its_parameters():
    error = WorkbookError("err.excel_no_header", sheet="T9", rows=30)
    assert error.key == "err.excel_no_header"
    assert error.params == {"sheet": "T9", "rows": 30}
    assert str(error)
