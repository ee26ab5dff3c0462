"""write(): byte-identical CSV files in the canonical format, the truth kept out."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from carework.sample import SampleData, generate, write
from carework.sample.columns import SAMPLE_COLUMNS
from carework.schema import TABLES


def test_same_seed_gives_identical_bytes(small: SampleData, tmp_path: Path) -> None:
    first = write(small, tmp_path / "a")
    second = write(generate(customers=600, seed=7), tmp_path / "b")
    assert [p.name for p in first] == [f"{t}.csv" for t in TABLES] + ["README.md"]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_write_overwrites_and_keeps_truth_out(small: SampleData, tmp_path: Path) -> None:
    (tmp_path / "transactions.csv").write_text("stale\n", encoding="utf-8")
    paths = write(small, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in paths)
    assert not any("truth" in p.name for p in tmp_path.iterdir())
    assert (tmp_path / "transactions.csv").read_text(encoding="utf-8").startswith("customer_id,")


def test_csv_headers_in_schema_order(small: SampleData, tmp_path: Path) -> None:
    write(small, tmp_path)
    for name in small.tables():
        header = (tmp_path / f"{name}.csv").read_text(encoding="utf-8").split("\n", 1)[0]
        assert header.split(",") == list(SAMPLE_COLUMNS[name])


def test_csv_formats(small: SampleData, tmp_path: Path) -> None:
    write(small, tmp_path)
    raw = {n: pd.read_csv(tmp_path / f"{n}.csv", dtype=str, keep_default_na=False)
           for n in TABLES}
    for name in TABLES:
        for col in TABLES[name].columns:
            if col.name not in SAMPLE_COLUMNS[name]:
                continue
            values = raw[name][col.name]
            values = values[values != ""]
            if col.kind == "datetime":
                assert values.str.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d").all(), col.name
            elif col.kind == "date":
                assert values.str.fullmatch(r"\d{4}-\d\d-\d\d").all(), col.name
    assert set(raw["customers"]["do_not_call"]) == {"true", "false"}
    assert raw["transactions"]["amount"].str.fullmatch(r"-?\d+").all()
    # The CSV holds exactly what the frames hold.
    back = pd.read_csv(tmp_path / "transactions.csv", parse_dates=["purchased_at"])
    pd.testing.assert_series_equal(back["amount"], small.transactions["amount"])
    assert (back["purchased_at"] == small.transactions["purchased_at"]).all()
