"""The labelling panel (carework.dashboards.labelling): it lists the comments the model is least
sure of, saves the care team's labels to labels.csv, refuses to save where it cannot write,
and retrains and measures on the labels."""

from __future__ import annotations

import html
import os
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

import carework
from carework import dashboards
from carework.cache import cached_base
from carework.dashboards.filters import ALL
from carework.dashboards.labelling import MIN_LABELS, LabellingPanel
from carework.i18n import fmt_decimal, fmt_number, fmt_percent, t
from carework.text import default_classifier
from carework.text import labels as labels_module
from carework.text.labels import LABELS_FILE, read_labels, record_label
from carework.text.readings import comment_readings, model_of

SAMPLE = Path(carework.__file__).resolve().parents[1] / "data" / "sample"


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """A copy of data/sample the tests may write labels.csv into."""
    out = tmp_path_factory.mktemp("labelling") / "data"
    shutil.copytree(SAMPLE, out)
    return out


@pytest.fixture(scope="module")
def base(folder):
    return cached_base(folder)


@pytest.fixture(autouse=True)
def no_labels(folder):
    """Every test starts without labels."""
    (folder / LABELS_FILE).unlink(missing_ok=True)
    yield
    (folder / LABELS_FILE).unlink(missing_ok=True)


def shown_text(widget) -> str:
    """The text an HTML widget shows (tags dropped, entities read)."""
    return html.unescape(re.sub(r"<[^>]+>", "", widget.value))


def test_it_lists_the_comments_the_model_is_least_sure_of(base):
    readings = comment_readings(base.data)
    panel = LabellingPanel(base, shown=7)
    assert panel.folder == Path(base.data.source) and panel.can_save
    read = readings[readings["factor"] != "unknown"]
    lowest = (read.assign(text=read["comment"].str.strip())
              .groupby("text")["confidence"].min().sort_values(kind="stable"))
    confidences = [row.confidence for row in panel.rows]
    assert len(panel.rows) == 7
    assert confidences == sorted(confidences)
    assert confidences == pytest.approx(lowest.head(7).tolist())
    assert [row.comment.strip() for row in panel.rows] == lowest.head(7).index.tolist()
    first = panel.rows[0]
    words = shown_text(first.box.children[0])
    assert first.comment.strip() in words
    assert fmt_percent(first.confidence) in words
    # choices: no complaint (2), every topic of the taxonomy, a complaint of unclear cause
    values = [v for _, v in first.choice.options]
    taxonomy = base.data.settings.text.taxonomy()
    assert values == [None, "praise", "neutral", *taxonomy.codes, "complaint"]
    assert first.choice.value is None and first.save.disabled  # nothing chosen yet

    # a comment not read is never listed; a comment is shown as text, not as HTML
    marked = readings.copy()
    unread = marked.index[marked["comment"].str.strip() == lowest.index[0]]
    marked.loc[unread, "factor"] = "unknown"
    trap = marked.index[-1]
    marked.loc[trap, ["comment", "confidence", "factor"]] = [
        "<b onclick=x>giao hàng chậm</b>", 0.001, "convenience"]
    panel.readings = marked
    panel.relist()
    assert panel.rows[0].comment == "<b onclick=x>giao hàng chậm</b>"
    assert "<b onclick" not in panel.rows[0].box.children[0].value
    assert "&lt;b onclick=x&gt;" in panel.rows[0].box.children[0].value
    assert lowest.index[0] not in [row.comment.strip() for row in panel.rows]


def test_saving_writes_labels_csv_and_moves_the_counter(base, folder):
    # the surveys of a folder that numbers them: the label carries the survey's id
    surveys = base.data.surveys.assign(
        survey_id=[f"S{i:05d}" for i in range(len(base.data.surveys))])
    numbered = replace(base, data=replace(base.data, surveys=surveys))
    panel = LabellingPanel(numbered, shown=5)
    assert panel.count == 0
    assert shown_text(panel.counter) == t("label.count", n=fmt_number(0))
    chosen = [("staff_attitude", "people", "staff_attitude"), ("praise", "praise", ""),
              ("complaint", "complaint", "")]
    ids = {}
    for row, (choice, _, _) in zip(panel.rows, chosen, strict=False):
        row.choice.value = choice
        assert not row.save.disabled
        row.save.click()
        assert row.done and row.save.disabled and row.choice.disabled
        ids[row.comment.strip()] = row.survey_id
    assert panel.count == 3
    assert shown_text(panel.counter) == t("label.count", n=fmt_number(3))
    written = pd.read_csv(folder / LABELS_FILE, dtype=str, keep_default_na=False)
    assert written["comment"].tolist() == [r.comment.strip() for r in panel.rows[:3]]
    assert written[["factor", "topic"]].values.tolist() == [[f, tp] for _, f, tp in chosen]
    expected_ids = surveys.loc[panel.listed.index[:3], "survey_id"].tolist()
    assert written["comment_id"].tolist() == expected_ids == list(ids.values())
    used = read_labels(folder, surveys).frame
    assert used["label"].tolist() == ["staff_attitude", "praise", "complaint"]
    # the rows not saved stay open; a new panel skips what is labelled and counts it
    assert not panel.rows[3].done and panel.rows[3].choice.value is None
    again = LabellingPanel(numbered, shown=5)
    assert again.count == 3 and len(again.rows) == 5
    assert not set(ids) & {row.comment.strip() for row in again.rows}
    assert again.rows[0].comment == panel.rows[3].comment


def test_the_filters_choose_whose_comments_are_listed(base):
    bar = dashboards.filter_bar(base, "survey_kpis")
    panel = LabellingPanel(base, bar, shown=5)
    everyone = [row.comment for row in panel.rows]
    group = next(v for _, v in bar.group.options if v != ALL)
    bar.group.value = group
    kept = bar.value.customers(base)
    assert len(panel.rows) == 5 and panel.listed["customer_id"].isin(kept).all()
    assert [row.comment for row in panel.rows] != everyone


def test_a_folder_that_cannot_be_written_disables_saving(base, tmp_path, monkeypatch):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    if os.access(locked, os.W_OK):  # root ignores the mode: see the folder as a user would
        real = os.access
        monkeypatch.setattr(os, "access", lambda path, mode, *a, **k: (
            False if Path(path) == locked and mode & os.W_OK else real(path, mode, *a, **k)))
    panel = LabellingPanel(base, folder=locked, shown=3)
    assert not panel.can_save
    warning = shown_text(panel.warning)
    assert t("label.read_only", folder=str(locked)) in warning
    assert t("label.fix_folder") in warning
    row = panel.rows[0]
    row.choice.value = "delivery"
    assert row.save.disabled
    row.save.click()  # even if the button were pressed
    assert not row.done and panel.count == 0 and not (locked / LABELS_FILE).exists()

    # data not read from a folder (in memory): nowhere to save, said with the fix
    memory = replace(base, data=replace(base.data, source=""))
    panel = LabellingPanel(memory, shown=3)
    assert panel.folder is None and not panel.can_save
    assert t("label.no_folder") in shown_text(panel.warning)
    assert len(panel.rows) == 3 and all(row.save.disabled for row in panel.rows)
    panel.retrain()
    assert panel.message == t("label.no_folder") and panel.measured is None


def test_retraining_with_too_few_labels_says_how_many_more(base, folder):
    for comment in comment_readings(base.data)["comment"].drop_duplicates().head(4):
        record_label(folder, comment, "praise")
    panel = LabellingPanel(base, shown=3)
    assert panel.count == 4
    panel.retrain()
    assert panel.measured is None and panel.trained is None
    assert panel.message == t("label.need_more", more=fmt_number(MIN_LABELS - 4),
                              n=fmt_number(4), minimum=fmt_number(MIN_LABELS))
    assert not panel.retrain_button.disabled


def _clear_labels(readings: pd.DataFrame) -> list[tuple[str, str]]:
    """Three comments per reading whose reading is plain from their words: ``(comment,
    topic or factor)``."""
    text = readings["comment"].str.strip().drop_duplicates()
    patterns = {"delivery": r"giao hàng (?:quá )?(?:chậm|trễ)",
                "staff_attitude": r"(?i)nhân viên.*(?:thái độ|cộc lốc)",
                "product_quality": r"bị (?:vỡ|hỏng|bể)",
                "praise": r"^(?!.*(?:không|ko|chưa|nhưng)).*(?:hài lòng|cảm ơn)"}
    out = []
    for truth, pattern in patterns.items():
        found = text[text.str.contains(pattern, regex=True)].head(3).tolist()
        assert len(found) == 3, truth
        out += [(comment, truth) for comment in found]
    return out


def test_retraining_measures_the_labels_and_saves_the_model(base, folder, tmp_path,
                                                             monkeypatch):
    monkeypatch.setenv("CAREWORK_CACHE", str(tmp_path / "cache"))
    chosen = _clear_labels(comment_readings(base.data))
    taxonomy = base.data.settings.text.taxonomy()
    for comment, truth in chosen:
        factor = taxonomy.factor_of(truth) if truth in taxonomy.topics else truth
        record_label(folder, comment, factor, truth if truth in taxonomy.topics else None)
    panel = LabellingPanel(base, shown=3, folds=3)
    assert panel.count == 12
    panel.retrain()
    measured = panel.measured
    assert measured is not None, panel.message
    assert (measured["n"], measured["folds"]) == (12, 3)
    # "before" is the shipped model on the same labels; "after" a macro-F1 too
    assert measured["before"] == pytest.approx(default_classifier().score(
        [c for c, _ in chosen], [truth for _, truth in chosen]))
    assert 0 <= measured["after"] <= 1
    assert panel.message.startswith(t(
        "label.measured", n=fmt_number(12), before=fmt_decimal(measured["before"], 2),
        after=fmt_decimal(measured["after"], 2), folds=fmt_number(3)))
    assert panel.message.endswith(t("label.trained"))
    # the business's model is saved in the cache, and the next load of the folder reads it
    (saved,) = (tmp_path / "cache" / "models").glob("comments-*.npz")
    assert panel.trained.meta_["key"] in saved.name
    assert panel.trained.identity != default_classifier().identity
    monkeypatch.setattr(labels_module, "_MODELS", {})  # a new kernel: only the file is left
    assert model_of(carework.load(folder)).identity == panel.trained.identity


def test_a_failure_is_one_line_in_the_panel(base, folder):
    (folder / LABELS_FILE).write_text("text,label\nhàng tốt,praise\n", encoding="utf-8")
    panel = LabellingPanel(base, shown=3)
    panel.retrain()
    assert panel.message.startswith(t("label.failed", problem="")) and "\n" not in panel.message
    assert "Traceback" not in panel.status.value and "factor" in panel.message
