"""The loader on the committed sample data and on malformed copies of each of its tables."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

import carework
from carework.i18n import language
from carework.schema import TABLES
from tests.vnfiles import cp1258

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"
AS_OF = "2026-11-01"


@pytest.fixture(autouse=True)
def english():
    with language("en"):
        yield


@pytest.fixture(scope="module")
def clean() -> carework.Dataset:
    return carework.load(SAMPLE, as_of=AS_OF)


def copy(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns("*.md"))
    return folder


def raw(folder: Path, table: str) -> pd.DataFrame:
    return pd.read_csv(folder / f"{table}.csv", dtype=str, keep_default_na=False)


def append(folder: Path, table: str, rows: list[dict[str, str]]) -> list[int]:
    """Append rows to a table's CSV; returns their spreadsheet row numbers."""
    frame = raw(folder, table)
    first = len(frame) + 2
    frame = pd.concat([frame, pd.DataFrame(rows).reindex(columns=frame.columns, fill_value="")])
    frame.to_csv(folder / f"{table}.csv", index=False)
    return list(range(first, first + len(rows)))


def test_the_sample_loads_with_only_its_documented_flaws(clean):
    assert set(clean.tables) == set(TABLES)
    counts = clean.reject_reasons()
    assert set(counts["table"]) == {"transactions"}
    rows = counts.set_index("reason")["rows"]
    assert set(rows.index) == {"cancellation", "cancelled_order", "duplicate_row"}
    readme = (SAMPLE / "README.md").read_text(encoding="utf-8")
    # the data dictionary states each flaw's count: every return row is netted against the
    # order it is booked under — a whole basket cancels the order, a part reduces it
    assert f"`transactions.returns`: {rows['cancellation']:,}" in readme
    assert f"`transactions.duplicate_row`: {rows['duplicate_row']:,}" in readme
    assert clean.returns["rule"] == "order_id" and clean.returns["unmatched"] == 0
    reduced = (clean.notes["note"] == "net_of_return").sum()
    assert rows["cancelled_order"] + reduced == rows["cancellation"]
    assert set(clean.notes["note"]) == {"net_of_return"}
    for name, frame in clean.tables.items():
        assert len(frame) + (clean.rejects["table"] == name).sum() == clean.rows_read[name]


def test_a_vietnamese_export_of_the_sample_loads_identically(clean, tmp_path):
    """Windows-1258, semicolons, Vietnamese headers, dd/mm/yyyy, 1.250.000 — same data."""
    folder = tmp_path / "vn"
    folder.mkdir()
    tx = pd.read_csv(SAMPLE / "transactions.csv", dtype=str, keep_default_na=False)
    when = pd.to_datetime(tx["purchased_at"])
    amount = tx["amount"].astype(float)
    sign = amount.map(lambda a: "-" if a < 0 else "")
    vn = pd.DataFrame({
        "Mã KH": tx["customer_id"],
        "Ngày mua": when.dt.strftime("%d/%m/%Y %H:%M:%S"),
        "Thành tiền": sign + amount.abs().map(lambda a: f"{a:,.0f}".replace(",", ".")),
        "Mã đơn": tx["order_id"], "Kênh": tx["channel"], "Nhóm hàng": tx["product_category"],
        "Cửa hàng": tx["store"]})
    (folder / "giao_dich.csv").write_bytes(cp1258(vn.to_csv(index=False, sep=";")))
    loaded = carework.load(folder, as_of=AS_OF)
    pd.testing.assert_frame_equal(loaded.transactions, clean.transactions)
    assert loaded.rejects[["row", "reason"]].equals(
        clean.rejects.loc[clean.rejects["table"] == "transactions", ["row", "reason"]]
        .reset_index(drop=True))


@pytest.mark.parametrize("suffix", [".xlsx", ".parquet"])
def test_excel_and_parquet_copies_load_identically(clean, tmp_path, suffix):
    folder = tmp_path / suffix.strip(".")
    folder.mkdir()
    for name in ("customers", "tickets"):
        frame = pd.read_csv(SAMPLE / f"{name}.csv", dtype=str, keep_default_na=False)
        if suffix == ".xlsx":
            frame.to_excel(folder / f"{name}.xlsx", index=False)
        else:
            frame.to_parquet(folder / f"{name}.parquet")
    shutil.copy(SAMPLE / "transactions.csv", folder)
    loaded = carework.load(folder, as_of=AS_OF)
    for name in ("customers", "tickets"):
        pd.testing.assert_frame_equal(getattr(loaded, name), getattr(clean, name))


MALFORMED = {
    "transactions": [
        ({"customer_id": "", "purchased_at": "2025-03-01 10:00:00", "amount": "100000"},
         "missing_value", "customer_id"),
        ({"customer_id": "KH000001", "purchased_at": "31/02/2025", "amount": "100000"},
         "unparseable_date", "purchased_at"),
        ({"customer_id": "KH000001", "purchased_at": "2025-03-01 10:00:00", "amount": "một trăm"},
         "unparseable_amount", "amount"),
        ({"customer_id": "KH999999", "purchased_at": "2025-03-01 10:00:00", "amount": "-100000"},
         "return_without_purchase", "amount"),
        ({"customer_id": "KH000001", "purchased_at": "2027-03-01 10:00:00", "amount": "100000"},
         "future_date", "purchased_at"),
    ],
    "customers": [
        ({"customer_id": "KH000001", "name": "Bản ghi trùng"}, "merged_update", "customer_id"),
        ({"customer_id": "", "name": "Không có mã"}, "missing_value", "customer_id"),
    ],
    "surveys": [
        ({"customer_id": "KH000001", "answered_at": "2025-03-01 10:00:00", "nps": "11"},
         "score_out_of_range", "nps"),
        ({"customer_id": "KH000001", "answered_at": "2025-03-01 10:00:00", "csat": "0"},
         "score_out_of_range", "csat"),
        ({"customer_id": "KH000001", "answered_at": "hôm qua", "nps": "9"},
         "unparseable_date", "answered_at"),
    ],
    "tickets": [
        ({"ticket_id": "PH999901", "customer_id": "KH000001", "opened_at": "2025-03-01 10:00:00",
          "first_response_at": "2025-03-01 09:00:00"},
         "responded_before_opened", "first_response_at"),
        ({"ticket_id": "PH999902", "customer_id": "KH000001", "opened_at": "2025-03-01 10:00:00",
          "resolved_at": "2025-02-28 10:00:00"}, "resolved_before_opened", "resolved_at"),
        ({"ticket_id": "PH000001", "customer_id": "KH000002", "opened_at": "2025-03-01 10:00:00"},
         "duplicate_key", "ticket_id"),
    ],
    "contacts": [
        ({"customer_id": "KH000001", "contacted_at": "2030-01-01 09:30:00"},
         "future_date", "contacted_at"),
        ({"customer_id": "", "contacted_at": "2025-01-01 09:30:00"},
         "missing_value", "customer_id"),
    ],
}


@pytest.mark.parametrize("table", list(MALFORMED))
def test_malformed_rows_of_each_table_are_set_aside_with_their_reason(clean, tmp_path, table):
    folder = copy(tmp_path)
    cases = MALFORMED[table]
    duplicate = raw(folder, table).iloc[0].to_dict()
    rows = append(folder, table, [row for row, _, _ in cases] + [duplicate])
    data = carework.load(folder, as_of=AS_OF)
    mine = data.rejects[(data.rejects["table"] == table) & data.rejects["row"].isin(rows)]
    expected = [(r, reason, column) for r, (_, reason, column) in zip(rows, cases, strict=False)]
    expected.append((rows[-1], "duplicate_row", ""))
    assert [tuple(x) for x in mine[["row", "reason", "column"]].to_numpy()] == expected
    assert len(getattr(data, table)) == len(getattr(clean, table))
    assert data.rows_read[table] == clean.rows_read[table] + len(rows)


@pytest.mark.parametrize("table", list(TABLES))
def test_a_missing_required_column_in_any_table_is_a_data_error(tmp_path, table):
    folder = copy(tmp_path)
    required = TABLES[table].required_columns[-1]
    raw(folder, table).drop(columns=[required]).to_csv(folder / f"{table}.csv", index=False)
    with pytest.raises(carework.DataError) as info:
        carework.load(folder, as_of=AS_OF)
    assert info.value.column == required and info.value.file.endswith(f"{table}.csv")
    assert f"'{required}' is missing" in str(info.value)


@pytest.mark.parametrize("table", list(TABLES))
def test_an_empty_file_is_an_error_for_transactions_and_an_absent_table_otherwise(tmp_path,
                                                                                  table):
    folder = copy(tmp_path)
    (folder / f"{table}.csv").write_bytes(b"")
    if table == "transactions":
        with language("en"), \
                pytest.raises(carework.DataError, match="empty") as info:
            carework.load(folder, as_of=AS_OF)
        assert info.value.file.endswith(f"{table}.csv")
        return
    data = carework.load(folder, as_of=AS_OF)
    assert getattr(data, table) is None and table not in data.files
    notes = data.file_notes[data.file_notes["table"] == table]
    assert notes["note"].tolist() == ["empty_file"]
