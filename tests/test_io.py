"""The data contract: carework.io.load on every format, encoding and kind of bad input."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import carework
from carework.i18n import language
from carework.io import load
from tests.vnfiles import cp1258

AS_OF = "2026-01-31"


@pytest.fixture(autouse=True)
def english():
    with language("en"):
        yield


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes(cp1258(text) if encoding == "cp1258" else text.encode(encoding))
    return path


def reasons(data: carework.Dataset, table: str = "transactions") -> list[tuple[int, str, str]]:
    rej = data.rejects[data.rejects["table"] == table]
    return [(int(r.row), r.reason, r.column) for r in rej.itertuples()]


GOOD = "customer_id,purchased_at,amount\nKH1,2025-01-03,100000\nKH2,2025-01-04 10:30,250000\n"


# --------------------------------------------------------------------------- formats & encodings

def test_canonical_csv_loads_with_types(tmp_path):
    write(tmp_path, "transactions.csv", GOOD)
    data = load(tmp_path, as_of=AS_OF)
    tx = data.transactions
    assert tx.columns.tolist() == ["customer_id", "purchased_at", "amount"]
    assert tx["amount"].tolist() == [100000.0, 250000.0]
    assert tx["purchased_at"].tolist() == [pd.Timestamp("2025-01-03"),
                                           pd.Timestamp("2025-01-04 10:30")]
    assert pd.api.types.is_string_dtype(tx["customer_id"])
    assert data.customers is None and data.surveys is None
    assert data.tickets is None and data.contacts is None
    assert data.rejects.empty and data.rows_read == {"transactions": 2}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1258", "utf-16"])
def test_encodings_and_vietnamese_headers(tmp_path, encoding):
    text = ("Mã KH;Ngày mua;Thành tiền;Kênh;Cửa hàng\n"
            "KH1;25/12/2025;1.250.000;Cửa hàng;CH Hà Nội\n"
            "KH2;03/01/2025;99.000 đ;Trực tuyến;\n")
    write(tmp_path, "giao_dich.csv", text, encoding)
    data = load(tmp_path, as_of=AS_OF)
    tx = data.transactions
    assert tx.columns.tolist() == ["customer_id", "purchased_at", "amount", "channel", "store"]
    assert tx["amount"].tolist() == [1_250_000.0, 99_000.0]
    assert tx["purchased_at"].dt.strftime("%Y-%m-%d").tolist() == ["2025-12-25", "2025-01-03"]
    assert tx["channel"].tolist() == ["store", "online"]
    assert tx["store"].iloc[0] == "CH Hà Nội"  # diacritics survive every encoding


def test_windows_1258_combining_tone_marks_become_nfc(tmp_path):
    # Windows-1258 writes some tones as combining marks; the loader composes them (NFC)
    raw = "customer_id,purchased_at,amount,store\nKH1,2025-01-03,1000,Hà Nội\n"
    write(tmp_path, "transactions.csv", raw, "cp1258")
    assert b"H\xe0 N\xf4\xf2i" in (tmp_path / "transactions.csv").read_bytes()  # ô + dot below
    assert load(tmp_path, as_of=AS_OF).transactions["store"].iloc[0] == "Hà Nội"


def test_unknown_encoding_is_a_data_error(tmp_path):
    (tmp_path / "transactions.csv").write_bytes(b"customer_id,purchased_at,amount\n\x81\x8d,1,2\n")
    with pytest.raises(carework.DataError, match="encoding") as info:
        load(tmp_path)
    assert "transactions.csv" in str(info.value) and "UTF-8" in str(info.value)


def test_excel_keeps_types_and_restores_phone_zeros(tmp_path):
    pd.DataFrame({"Mã KH": ["KH1", "KH2"], "Ngày mua": pd.to_datetime(["2025-01-03", "2025-02-01"]),
                  "Số tiền": [150000, 2500000.5]}).to_excel(tmp_path / "giao_dich.xlsx",
                                                            index=False)
    pd.DataFrame({"Mã KH": ["KH1", "KH2"], "SĐT": [912345678, "0987 654 321"],
                  "Ngày sinh": ["01/02/1990", "13/12/1985"]}).to_excel(
        tmp_path / "khach_hang.xlsx", index=False)
    data = load(tmp_path, as_of=AS_OF)
    assert data.transactions["amount"].tolist() == [150000.0, 2500000.5]
    assert data.transactions["purchased_at"].iloc[1] == pd.Timestamp("2025-02-01")
    assert data.customers["phone"].tolist() == ["0912345678", "0987654321"]
    assert data.customers["birth_date"].tolist() == [pd.Timestamp("1990-02-01"),
                                                     pd.Timestamp("1985-12-13")]
    note = data.notes[data.notes["column"] == "phone"]
    assert note[["row", "note"]].values.tolist() == [[2, "restored_leading_zero"]]


def test_one_workbook_with_a_sheet_per_table(tmp_path):
    with pd.ExcelWriter(tmp_path / "Dữ liệu cửa hàng.xlsx") as book:
        pd.DataFrame({"Mã KH": ["KH1", "KH2"], "Ngày mua": ["03/01/2025", "25/01/2025"],
                      "Thành tiền": ["150.000", "-20.000"]}).to_excel(book, sheet_name="Giao dịch",
                                                                       index=False)
        pd.DataFrame({"Mã KH": ["KH1"], "Họ tên": ["Nguyễn Văn A"]}).to_excel(
            book, sheet_name="Khách hàng", index=False)
        pd.DataFrame({"ghi chú": ["x"]}).to_excel(book, sheet_name="Ghi chú", index=False)
    data = load(tmp_path, as_of=AS_OF)
    assert data.files == {"transactions": "Dữ liệu cửa hàng.xlsx[Giao dịch]",
                          "customers": "Dữ liệu cửa hàng.xlsx[Khách hàng]"}
    assert data.transactions["amount"].tolist() == [150000.0]
    assert data.customers["name"].tolist() == ["Nguyễn Văn A"]
    assert reasons(data) == [(3, "return_without_purchase", "amount")]
    # a sheet and a file for the same table: which one is meant is the user's to say
    write(tmp_path, "transactions.csv", GOOD)
    with pytest.raises(carework.DataError, match=r"Dữ liệu cửa hàng.xlsx\[Giao dịch\]"):
        load(tmp_path)


def test_parquet_and_duckdb_sources(tmp_path):
    frame = pd.DataFrame({"customer_id": [101, 102], "purchased_at":
                          pd.to_datetime(["2025-01-03", "2025-01-05"]), "amount": [1.0, -2.0]})
    folder = tmp_path / "pq"
    folder.mkdir()
    frame.to_parquet(folder / "transactions.parquet")
    data = load(folder, as_of=AS_OF)
    assert data.transactions["customer_id"].tolist() == ["101"]
    assert reasons(data) == [(3, "return_without_purchase", "amount")]

    db = tmp_path / "shop.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute("create table giao_dich as select * from frame")
    data = load(db, as_of=AS_OF)
    assert data.transactions["amount"].tolist() == [1.0]
    assert data.files == {"transactions": "shop.duckdb:giao_dich"}


def test_from_frames_validates_in_memory_tables():
    tx = pd.DataFrame({"ma_kh": ["A", "B", None], "ngay_mua": ["2025-01-01", "bad", "2025-01-02"],
                       "so_tien": ["1.000", "2.000", "3.000"]}, index=[10, 11, 12])
    data = carework.from_frames(tx, as_of=AS_OF)
    assert data.transactions["amount"].tolist() == [1000.0]
    assert reasons(data) == [(11, "unparseable_date", "purchased_at"),
                             (12, "missing_value", "customer_id")]


# --------------------------------------------------------------------------- numbers

@pytest.mark.parametrize("written, expected", [
    (["1.250.000", "50.000"], [1_250_000, 50_000]),
    (["1.250.000,50", "12,5"], [1_250_000.5, 12.5]),
    (["1,250,000.50", "2.5"], [1_250_000.5, 2.5]),
    (["1.250", "800"], [1250, 800]),          # fits both: thousands (VND)
    (["1,250", "800"], [1250, 800]),
    (["250000đ", "VND 99.000", "120.000 ₫"], [250000, 99000, 120000]),
])
def test_number_formats(tmp_path, written, expected):
    rows = "\n".join(f'KH{i},2025-01-0{i + 1},"{v}"' for i, v in enumerate(written))
    write(tmp_path, "transactions.csv", "customer_id,purchased_at,amount\n" + rows + "\n")
    assert load(tmp_path, as_of=AS_OF).transactions["amount"].tolist() == expected


def test_mixed_number_formats_name_the_column(tmp_path):
    write(tmp_path, "transactions.csv", 'customer_id,purchased_at,amount\n'
          'KH1,2025-01-01,"1.250.000"\nKH2,2025-01-02,"1,250,000"\n')
    with pytest.raises(carework.DataError) as info:
        load(tmp_path, as_of=AS_OF)
    err = info.value
    assert err.column == "amount" and "transactions.csv" in err.file
    assert "1.250.000" in str(err) and "row 2" in str(err) and "row 3" in str(err)


# --------------------------------------------------------------------------- dates

def test_day_first_decided_from_the_whole_column(tmp_path):
    write(tmp_path, "transactions.csv", "customer_id,purchased_at,amount\n"
          "KH1,03/04/2025,1\nKH2,25/04/2025,1\n")
    assert load(tmp_path, as_of=AS_OF).transactions["purchased_at"].tolist() == [
        pd.Timestamp("2025-04-03"), pd.Timestamp("2025-04-25")]


def test_month_first_decided_from_the_whole_column(tmp_path):
    write(tmp_path, "transactions.csv", "customer_id,purchased_at,amount\n"
          "KH1,03/04/2025 2:15 PM,1\nKH2,04/25/2025,1\n")
    assert load(tmp_path, as_of=AS_OF).transactions["purchased_at"].tolist() == [
        pd.Timestamp("2025-03-04 14:15"), pd.Timestamp("2025-04-25")]


def test_ambiguous_dates_are_an_error_not_a_guess(tmp_path):
    write(tmp_path, "transactions.csv", "customer_id,purchased_at,amount\n"
          "KH1,03/04/2025,1\nKH2,05/06/2025,1\n")
    with pytest.raises(carework.DataError) as info:
        load(tmp_path, as_of=AS_OF)
    assert info.value.column == "purchased_at"
    assert "dayfirst" in str(info.value) and "03/04/2025" in str(info.value)
    # the user says which, in code or in the folder's carework.toml
    assert load(tmp_path, dayfirst=False, as_of=AS_OF).transactions["purchased_at"][0] == \
        pd.Timestamp("2025-03-04")
    write(tmp_path, "carework.toml", "dayfirst = true\n")
    assert load(tmp_path, as_of=AS_OF).transactions["purchased_at"][0] == \
        pd.Timestamp("2025-04-03")


def test_same_day_and_month_everywhere_is_not_ambiguous(tmp_path):
    write(tmp_path, "transactions.csv", "customer_id,purchased_at,amount\nKH1,03/03/2025,1\n")
    assert load(tmp_path, as_of=AS_OF).transactions["purchased_at"][0] == \
        pd.Timestamp("2025-03-03")


def test_column_mixing_both_orders_is_an_error(tmp_path):
    write(tmp_path, "transactions.csv", "customer_id,purchased_at,amount\n"
          "KH1,13/04/2025,1\nKH2,04/25/2025,1\n")
    with pytest.raises(carework.DataError, match="mixes day/month") as info:
        load(tmp_path, as_of=AS_OF)
    assert info.value.column == "purchased_at"


# --------------------------------------------------------------------------- unusable tables

def test_missing_transactions_file(tmp_path):
    write(tmp_path, "customers.csv", "customer_id\nKH1\n")
    with pytest.raises(carework.DataError, match="no transactions table") as info:
        load(tmp_path)
    assert str(tmp_path) in str(info.value) and "transactions" in info.value.fix


def test_missing_folder(tmp_path):
    with pytest.raises(carework.DataError, match="not found"):
        load(tmp_path / "nope")


def test_missing_required_column_names_file_column_and_fix(tmp_path):
    write(tmp_path, "transactions.csv", "Mã KH,Ngày mua,Tổng\nKH1,2025-01-01,5\n")
    with pytest.raises(carework.DataError) as info:
        load(tmp_path)
    err = info.value
    assert isinstance(err, ValueError)
    assert err.column == "amount" and err.file.endswith("transactions.csv")
    assert "'Tổng'" in str(err) and "so_tien" in err.fix and "carework.toml" in err.fix
    # the fix works
    write(tmp_path, "carework.toml", '[columns.transactions]\n"Tổng" = "amount"\n')
    assert load(tmp_path, as_of=AS_OF).transactions["amount"].tolist() == [5.0]


def test_missing_required_column_in_optional_table(tmp_path):
    write(tmp_path, "transactions.csv", GOOD)
    write(tmp_path, "tickets.csv", "ticket_id,customer_id\nT1,KH1\n")
    with pytest.raises(carework.DataError, match="'opened_at' is missing") as info:
        load(tmp_path)
    assert info.value.file.endswith("tickets.csv")


@pytest.mark.parametrize("content", ["", "   \n", "customer_id,purchased_at,amount\n"])
def test_empty_file(tmp_path, content):
    write(tmp_path, "transactions.csv", content)
    with pytest.raises(carework.DataError, match="empty") as info:
        load(tmp_path)
    assert info.value.file.endswith("transactions.csv")


def test_two_files_for_one_table(tmp_path):
    write(tmp_path, "transactions.csv", GOOD)
    write(tmp_path, "giao_dich.csv", GOOD)
    with pytest.raises(carework.DataError, match="giao_dich.csv, transactions.csv"):
        load(tmp_path)


def test_old_excel_format(tmp_path):
    (tmp_path / "transactions.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(carework.DataError, match=r"\.xls") as info:
        load(tmp_path)
    assert ".xlsx" in info.value.fix


def test_corrupt_excel_file(tmp_path):
    (tmp_path / "transactions.xlsx").write_bytes(b"not a zip")
    with pytest.raises(carework.DataError, match="could not be read"):
        load(tmp_path)


def test_two_headers_meaning_one_column(tmp_path):
    write(tmp_path, "transactions.csv", "customer_id,ma_kh,purchased_at,amount\nA,A,2025-01-01,1\n")
    with pytest.raises(carework.DataError, match="several columns mean 'customer_id'"):
        load(tmp_path)


def test_every_row_rejected_names_the_column(tmp_path):
    write(tmp_path, "transactions.csv", "customer_id,purchased_at,amount\n"
          "KH1,3 March 2025,1\nKH2,4 March 2025,1\n")
    with pytest.raises(carework.DataError, match="no usable rows") as info:
        load(tmp_path, as_of=AS_OF)
    assert info.value.column == "purchased_at" and "3 March 2025" in str(info.value)


@pytest.mark.parametrize("toml, problem", [
    ("dayfrist = true\n", "unknown key 'dayfrist'"),
    ('dayfirst = "yes"\n', "dayfirst must be true or false"),
    ('[columns.orders]\n"x" = "amount"\n', "not a table"),
    ('[columns.transactions]\n"x" = "price"\n', "no column 'price'"),
    ("dayfirst = \n", "carework.toml"),
])
def test_bad_settings_file(tmp_path, toml, problem):
    write(tmp_path, "transactions.csv", GOOD)
    write(tmp_path, "carework.toml", toml)
    with pytest.raises(carework.DataError, match=problem):
        load(tmp_path)


# --------------------------------------------------------------------------- rows set aside

def test_transaction_rows_set_aside_with_reasons(tmp_path):
    write(tmp_path, "transactions.csv", "customer_id,purchased_at,amount\n"
          "KH1,2025-01-03,100000\n"        # 2 ok
          "KH1,2025-01-03,100000\n"        # 3 exact duplicate
          ",2025-01-04,5000\n"             # 4 missing customer
          "KH2,2025-13-40,5000\n"          # 5 impossible date
          "KH2,2025-01-05,năm nghìn\n"     # 6 unreadable amount
          "KH2,2025-01-05,-50.000\n"       # 7 a return of nothing bought before
          "KH3,2027-01-01,5000\n"          # 8 future
          "KH3,1900-01-01,5000\n"          # 9 placeholder date
          "KH3,2025-01-06,0\n")            # 10 ok (free item)
    data = load(tmp_path, as_of=AS_OF)
    assert reasons(data) == [
        (3, "duplicate_row", ""), (4, "missing_value", "customer_id"),
        (5, "unparseable_date", "purchased_at"), (6, "unparseable_amount", "amount"),
        (7, "return_without_purchase", "amount"), (8, "future_date", "purchased_at"),
        (9, "implausible_date", "purchased_at")]
    assert data.transactions["customer_id"].tolist() == ["KH1", "KH3"]
    assert data.rejects.loc[data.rejects["row"] == 6, "value"].item() == "năm nghìn"
    rep = data.report().set_index("table").loc["transactions"]
    assert (rep.rows_read, rep.accepted, rep.rejected) == (9, 2, 7)


def test_survey_scores_out_of_scale(tmp_path):
    write(tmp_path, "transactions.csv", GOOD)
    write(tmp_path, "khao_sat.csv", "Mã KH,Ngày trả lời,NPS,CSAT,Nhận xét\n"
          "KH1,2025-01-05,9,5,Rất tốt\n"   # 2 ok
          "KH1,2025-01-06,11,4,\n"         # 3 NPS off scale
          "KH2,2025-01-06,8,0,\n"          # 4 CSAT off scale
          "KH2,2025-01-07,7.5,4,\n"        # 5 NPS not whole
          "KH2,2025-01-08,mười,4,\n"       # 6 unreadable
          "KH2,2025-01-09,,3,chỉ CSAT\n")  # 7 ok: a missing score is not an error
    data = load(tmp_path, as_of=AS_OF)
    assert reasons(data, "surveys") == [(3, "score_out_of_range", "nps"),
                                        (4, "score_out_of_range", "csat"),
                                        (5, "score_out_of_range", "nps"),
                                        (6, "unparseable_score", "nps")]
    assert data.surveys["nps"].tolist()[0] == 9 and pd.isna(data.surveys["nps"].iloc[1])
    assert data.surveys["comment"].tolist() == ["Rất tốt", "chỉ CSAT"]


def test_ticket_times_out_of_order(tmp_path):
    write(tmp_path, "transactions.csv", GOOD)
    write(tmp_path, "tickets.csv", "ticket_id,customer_id,opened_at,first_response_at,resolved_at\n"
          "T1,KH1,2025-01-05 09:00,2025-01-05 09:30,2025-01-06 10:00\n"  # 2 ok
          "T2,KH1,2025-01-05 09:00,2025-01-05 08:00,\n"                  # 3 answered before
          "T3,KH1,2025-01-05 09:00,2025-01-05 10:00,2025-01-04\n"        # 4 resolved before
          "T4,KH2,2025-01-07 09:00,,\n"                                  # 5 ok, still open
          "T1,KH2,2025-01-08 09:00,,\n"                                  # 6 ticket id reused
          "T5,KH2,2025-01-08 09:00,soon,\n")                             # 7 unreadable time
    data = load(tmp_path, as_of=AS_OF)
    assert reasons(data, "tickets") == [(3, "responded_before_opened", "first_response_at"),
                                        (4, "resolved_before_opened", "resolved_at"),
                                        (6, "duplicate_key", "ticket_id"),
                                        (7, "unparseable_date", "first_response_at")]
    assert data.tickets["status"].tolist() == ["resolved", "open"]


def test_customers_optional_values_blanked_and_noted(tmp_path):
    write(tmp_path, "transactions.csv", GOOD)
    write(tmp_path, "customers.csv", "customer_id,phone,birth_date,do_not_call,gender,nguon\n"
          "KH1,0912345678,1990-05-01,không,Nữ,Bạn bè\n"
          "KH2,12345,sinh nhật,có,Nam,quảng cáo\n"
          "KH3,,2090-01-01,??,,\n"
          "KH1,0900000000,,,,\n")
    data = load(tmp_path, as_of=AS_OF)
    cust = data.customers
    assert cust["customer_id"].tolist() == ["KH1", "KH2", "KH3"]
    assert cust["do_not_call"].tolist() == [False, True, True]  # unreadable → do not call
    assert cust["gender"].tolist()[:2] == ["female", "male"]
    assert cust["acquisition_source"].tolist()[:2] == ["friend_family", "ads"]
    assert cust["phone"].isna().tolist() == [False, True, True]
    assert cust["birth_date"].notna().tolist() == [True, False, False]
    assert sorted(map(tuple, data.notes[["row", "column", "note"]].values.tolist())) == [
        (3, "birth_date", "unparseable_date"), (3, "phone", "invalid_phone"),
        (4, "birth_date", "future_date"), (4, "do_not_call", "unreadable_do_not_call")]
    # a customer listed again is an update: the later phone wins
    assert reasons(data, "customers") == [(5, "merged_update", "customer_id")]
    assert cust["phone"].tolist()[0] == "0900000000"


def test_malformed_csv_lines_are_set_aside(tmp_path):
    write(tmp_path, "transactions.csv", "customer_id,purchased_at,amount\n"
          "KH1,2025-01-03,100\nKH2,2025-01-03,100,extra,fields\nKH3,2025-01-04,200\n")
    data = load(tmp_path, as_of=AS_OF)
    assert data.transactions["customer_id"].tolist() == ["KH1", "KH3"]
    assert reasons(data) == [(3, "bad_line", "")]


def test_future_is_judged_against_as_of(tmp_path):
    write(tmp_path, "transactions.csv", GOOD)
    data = load(tmp_path, as_of="2025-01-03 23:59")
    assert reasons(data) == [(3, "future_date", "purchased_at")]


def test_files_matching_no_table_are_listed(tmp_path):
    write(tmp_path, "transactions.csv", GOOD)
    write(tmp_path, "ghi_chu.csv", "a\n1\n")
    assert load(tmp_path, as_of=AS_OF).ignored_files == ["ghi_chu.csv"]


def test_messages_are_vietnamese_by_default(tmp_path):
    write(tmp_path, "transactions.csv", "customer_id,purchased_at\nKH1,2025-01-01\n")
    with language("vi"), pytest.raises(carework.DataError, match="thiếu cột bắt buộc 'amount'"):
        load(tmp_path)


# --------------------------------------------------------------------------- nothing is lost

cell = st.one_of(st.sampled_from(["", "KH1", "2025-01-03", "03/01/2025", "-5", "1.000", "x",
                                  "2030-01-01", "12,5", "1,000,000"]), st.text(max_size=6))


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(cell, cell, cell), min_size=1, max_size=25))
def test_accepted_plus_rejected_is_rows_read(tmp_path, rows):
    frame = pd.DataFrame(rows, columns=["customer_id", "purchased_at", "amount"])
    frame.loc[len(frame)] = ["KH0", "2025-01-01", "1000"]  # at least one good row
    frame.to_csv(tmp_path / "transactions.csv", index=False, quoting=csv.QUOTE_ALL)
    try:
        data = load(tmp_path, as_of=AS_OF)
    except carework.DataError:
        return  # a column-level format problem: the whole table is refused, loudly
    assert len(data.transactions) + len(data.rejects) == data.rows_read["transactions"]
    assert data.rows_read["transactions"] == len(frame)
    assert data.rejects["row"].is_unique


# --------------------------------------------------------------------------- documented

def test_every_reason_and_note_is_translated_and_explained_in_the_readme():
    from carework.i18n import t
    from carework.io import FILE_NOTES, NOTES, REJECT_REASONS

    readme = Path("README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Your own data"):readme.index("## For analysts")]
    for prefix, codes in (("reason", REJECT_REASONS), ("note", NOTES),
                          ("file_note", FILE_NOTES)):
        for code in codes:
            for lang in ("vi", "en"):
                assert t(f"{prefix}.{code}", lang), (prefix, code)
            assert f"`{code}`" in section, code
    for key in ("no_folder", "no_transactions", "two_files", "empty_file", "encoding",
                "unreadable", "old_excel", "missing_column", "double_column", "nothing_joins",
                "excel_no_header", "excel_formulas_only", "excel_no_visible_sheet",
                "excel_no_sheet", "ambiguous_dates", "mixed_dates", "mixed_numbers",
                "all_rejected"):
        assert f"`err.{key}`" in section, key
