"""The KPI report says what the comment figures rest on: comments not read (by reason) and the
business's own labels (used, set aside and why) — counted, in both languages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

import carework
from carework.i18n import language
from carework.kpis.report import kpi_report

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"


def test_notes_count_comments_not_read_and_labels_set_aside(tmp_path, monkeypatch):
    monkeypatch.setenv("CAREWORK_CACHE", str(tmp_path / "cache"))
    folder = tmp_path / "data"
    shutil.copytree(SAMPLE, folder)
    surveys = pd.read_csv(folder / "surveys.csv", dtype=str, keep_default_na=False)
    written = surveys.index[surveys["comment"] != ""]
    surveys.loc[written[:2], "comment"] = ["配送太慢了", "Lieferung zu spät"]
    surveys.loc[written[2], "comment"] = "asdfgh qwrtzx"
    surveys.to_csv(folder / "surveys.csv", index=False)
    labels = [{"comment": c, "factor": "people", "topic": "staff_attitude"}
              for c in surveys.loc[written[3:9], "comment"]]
    labels += [{"comment": "sp hỏng", "factor": "nonsense", "topic": ""},
               {"comment": "ship chậm", "factor": "convenience", "topic": "price"}]
    pd.DataFrame(labels).to_csv(folder / "labels.csv", index=False)

    report = kpi_report(carework.load(folder), "month")
    with language("en"):
        notes = report.notes
    unread = [n for n in notes if n.startswith("survey comments:")]
    assert unread == [f"survey comments: 3 of {len(written):,} not read (another language 2, "
                      "unreadable 1) — left out of the complaint root causes"]
    used = [n for n in notes if n.startswith("labels.csv:")]
    assert used == ["labels.csv: 6 of your labels teach the comment model (8 rows read, 2 set "
                    "aside: unknown factor 1, topic not under that factor 1)"]
    with language("vi"):
        assert any(n.startswith("bình luận: 3 trên") for n in report.notes)
    causes = report.root_causes
    assert causes.loc[causes["source"] == "comments", "count"].sum() < len(written) - 3
