"""The carework command, run as users run it: a subprocess, exit codes, no tracebacks."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import carework

EXE = Path(sys.executable).with_name("carework")


def run(*args: str, lang: str = "en") -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(EXE), "--lang", lang, *args], capture_output=True, text=True,
                          timeout=120)


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("cli") / "data"
    done = run("sample", "--out", str(folder), "--customers", "300", "--seed", "3")
    assert done.returncode == 0, done.stderr
    assert "Transactions" in done.stdout
    return folder


def test_validate_reports_counts_and_reasons(sample, tmp_path):
    done = run("validate", str(sample), "--rejects", str(tmp_path / "rejects.csv"))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    tx = next(line for line in lines if line.startswith("Transactions"))
    read, accepted, rejected = (int(n.replace(",", "")) for n in tx.split()[-3:])
    assert read == accepted + rejected and rejected > 0
    returns = carework.load(sample).returns["returns"]
    assert any(f"cancellation or return, netted against the order it cancels [amount]: "
               f"{returns}" in line for line in lines)
    assert any(line.startswith(f"Returns and cancellations: {returns}, netted")
               for line in lines)
    rejects = pd.read_csv(tmp_path / "rejects.csv")
    assert len(rejects) == rejected
    assert rejects.columns.tolist() == ["table", "file", "row", "column", "reason", "value"]
    assert set(rejects["file"]) == {"transactions.csv"}


def test_validate_in_vietnamese(sample):
    done = run("validate", str(sample), lang="vi")
    assert done.returncode == 0
    assert "Giao dịch" in done.stdout and "Dữ liệu dùng được." in done.stdout


def test_an_unusable_table_is_one_clear_line_and_exit_2(sample, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(sample, broken)
    tx = pd.read_csv(broken / "transactions.csv", dtype=str).drop(columns=["amount"])
    tx.to_csv(broken / "transactions.csv", index=False)
    done = run("validate", str(broken))
    assert done.returncode == 2
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1
    assert "transactions.csv" in done.stderr and "'amount'" in done.stderr


def test_missing_folder_is_one_clear_line(tmp_path):
    done = run("validate", str(tmp_path / "nowhere"))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "data folder not found" in done.stderr


def test_sample_is_deterministic(tmp_path):
    for name in ("a", "b"):
        assert run("sample", "--out", str(tmp_path / name), "--customers", "120").returncode == 0
    for file in (tmp_path / "a").iterdir():
        assert file.read_bytes() == (tmp_path / "b" / file.name).read_bytes(), file.name


def test_score_writes_every_buyer_with_the_contract_columns(tmp_path):
    from carework.customer_base import SCORE_COLUMNS

    out = tmp_path / "scores.parquet"
    done = run("score", "--data", "data/sample", "--horizon-days", "60", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "Figures as of the end of Sep 29, 2026" in done.stderr  # the date on every output
    scores = pd.read_parquet(out)
    # a buyer is a customer with a purchase left after returns (one customer's only order was
    # returned in full)
    buyers = carework.load("data/sample").transactions["customer_id"]
    assert scores.index.name == "customer_id" and len(scores) == buyers.nunique() == 2756
    assert scores.columns.tolist() == ["as_of", "frequency", "recency", "T", "monetary_value",
                                       "rule_group", "stage", *SCORE_COLUMNS]
    assert set(scores["as_of"].astype(str)) == {"2026-09-29"}
    assert set(scores["risk_band"]) <= {"low", "medium", "high"}  # codes, not words
    assert (scores["churn_risk_low"] <= scores["churn_risk"]).all()
    assert (scores["churn_risk"] <= scores["churn_risk_high"]).all()
    assert scores["churn_risk"].between(0, 1).all()
    assert (scores["total_clv"] >= scores["historic_clv"]).all()
    assert not list(tmp_path.glob(".scores*"))  # no temporary file left behind


def test_score_refuses_too_little_history_unless_forced(tmp_path):
    early = ("score", "--data", "data/sample", "--as-of", "2025-01-15", "--horizon-days", "30")
    done = run(*early, "--out", str(tmp_path / "s.csv"))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "history covers 106 days (at least 180 needed)" in done.stderr
    assert not (tmp_path / "s.csv").exists()
    forced = run(*early, "--force", "--out", str(tmp_path / "s.csv"))
    assert forced.returncode == 0, forced.stderr
    scores = pd.read_csv(tmp_path / "s.csv", encoding="utf-8-sig")
    assert scores["T"].max() == 106  # nothing after --as-of leaked in


def test_score_on_a_malformed_folder_is_one_line(tmp_path):
    (tmp_path / "transactions.csv").write_text("customer_id,purchased_at\nKH1,2025-01-01\n")
    done = run("score", "--data", str(tmp_path), "--out", str(tmp_path / "s.csv"))
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "'amount'" in done.stderr


def test_kpis_writes_the_workbook_from_the_sample(tmp_path):
    from openpyxl import load_workbook

    from carework.i18n import language, t

    out = tmp_path / "kpis.xlsx"
    done = run("kpis", "--data", "data/sample", "--period", "quarter", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "Wrote the KPI workbook" in done.stdout and "Latest complete period" in done.stdout
    book = load_workbook(out, read_only=True)
    with language("en"):
        expected = [t("kpi.sheet.overview"), t("kpi.sheet.surveys_by", by="channel"),
                    t("kpi.sheet.tickets_by", by="agent"), t("kpi.sheet.customers"),
                    t("kpi.sheet.root_causes"), t("kpi.sheet.drivers"),
                    t("kpi.sheet.definitions")]
    assert set(expected) <= set(book.sheetnames)
    overview = pd.read_excel(out, sheet_name=expected[0])
    import carework
    from carework import kpis

    direct = kpis.survey_kpis(carework.load("data/sample"), "quarter")
    assert overview["period_label"].tolist() == direct["period_label"].tolist()
    assert overview["nps"].to_numpy() == pytest.approx(direct["nps"].round(2).to_numpy())
    definitions = pd.read_excel(out, sheet_name=expected[-1])
    assert "churn_rate" in set(definitions["name"])


def test_kpis_problems_are_one_clear_line(tmp_path):
    done = run("kpis", "--data", str(tmp_path / "nowhere"), "--out", str(tmp_path / "k.xlsx"))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    done = run("kpis", "--data", "data/sample", "--period", "year", "--out", "k.xlsx")
    assert done.returncode == 2 and "invalid choice" in done.stderr
    done = run("kpis", "--data", "data/sample", "--out", str(tmp_path / "k.csv"))
    assert done.returncode == 2 and ".xlsx" in done.stderr and "Traceback" not in done.stderr


def test_lang_works_anywhere_on_the_command_line(tmp_path):
    args = ("--data", "data/sample", "--out", str(tmp_path / "s.csv"))
    before = subprocess.run([str(EXE), "--lang", "en", "score", *args], capture_output=True,
                            text=True, timeout=120)
    after = subprocess.run([str(EXE), "score", *args, "--lang", "en"], capture_output=True,
                           text=True, timeout=120)
    assert before.returncode == after.returncode == 0
    assert before.stdout == after.stdout and "Wrote scores for 2,756 customers" in after.stdout


def test_every_command_uses_the_same_as_of_date(tmp_path):
    import os

    env = {**os.environ, "CAREWORK_AS_OF": "2026-06-30"}
    for command, extra in (("score", ()), ("segment", ()),
                           ("calls", ("--agents", "1", "--per-agent", "3"))):
        out = tmp_path / f"{command}.csv"
        done = subprocess.run([str(EXE), "--lang", "en", command, "--data", "data/sample",
                               *extra, "--out", str(out)], capture_output=True, text=True,
                              timeout=180, env=env)
        assert done.returncode == 0, done.stderr
        assert "Figures as of the end of Jun 30, 2026" in done.stderr, command
        assert "days before today" in done.stderr  # the sample is stale: said every time
        assert set(pd.read_csv(out, encoding="utf-8-sig")["as_of"]) == {"2026-06-30"}


def test_a_wrong_output_extension_is_refused_before_any_work(tmp_path):
    for command, extra in (("score", ()), ("segment", ()),
                           ("calls", ("--agents", "1", "--per-agent", "2"))):
        done = run(command, "--data", "data/sample", *extra, "--out", str(tmp_path / "x.txt"))
        assert done.returncode == 2 and "Traceback" not in done.stderr
        assert "the output must end in one of" in done.stderr, command
        assert "Figures as of" not in done.stderr  # refused before loading anything


def test_every_setting_a_message_advises_can_be_set_on_the_command_line(sample, tmp_path):
    done = run("validate", str(sample), "--set", "reading.max_amount=50000")
    assert done.returncode == 0, done.stderr
    assert "implausible amount (too large) [amount]" in done.stdout
    done = run("validate", str(sample), "--set", "reading.max_amount=-1")
    assert done.returncode == 2 and "max_amount" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    out = tmp_path / "s.csv"
    done = run("score", "--data", str(sample), "--out", str(out), "--force",
               "--penalizer", "0.001", "--set", "churn.spend_penalizer=0.01")
    assert done.returncode == 0, done.stderr
    penalized = pd.read_csv(out)["churn_risk"]
    run("score", "--data", str(sample), "--out", str(out), "--force")
    assert not penalized.equals(pd.read_csv(out)["churn_risk"])  # the penalty was applied
    done = run("score", "--data", str(sample), "--out", str(out), "--penalizer", "-2")
    assert done.returncode == 2 and "--penalizer" in done.stderr
