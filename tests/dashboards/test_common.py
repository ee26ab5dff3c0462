"""What every dashboard shares (carework.dashboards.common): labels in the chosen language, a data
problem shown rather than raised, Vietnamese number formats, a label for every value shown."""

from __future__ import annotations

import pandas as pd

import carework
from carework import dashboards
from carework.customer_base import build_base
from carework.dashboards.common import ERROR, fmt_number
from carework.i18n import language, t


def test_dashboard_labels_follow_the_language(data):
    with language("en"):
        base = build_base(carework.load("data/sample"))
        bar = dashboards.filter_bar(base, "churn")
        view = dashboards.churn_dashboard(base, bar)
        assert bar.channel.description == "Channel"
        assert bar.channel.options[0][0] == "All"
        assert view.model.options[0][0] == "BG/NBD (default)"
        assert "Home" in bar.links.value
    with language("vi"):
        view = dashboards.kpi_dashboard(data)
        assert view.period.description == t("kpiui.period", lang="vi") == "Kỳ báo cáo"
        assert view.tabs.get_title(0) == "Tổng quan"


def test_a_data_problem_is_shown_not_raised(tmp_path, capsys):
    (tmp_path / "transactions.csv").write_text("customer_id,amount\nKH1,5\n", encoding="utf-8")
    with language("en"):
        assert dashboards.load_data(str(tmp_path)) is None
        box = dashboards.common.error_box("x.csv: something")
    assert ERROR in box._dom_classes and "The data cannot be used" in box.value
    assert "purchased_at" in capsys.readouterr().out  # the loader's own message was displayed
    assert dashboards.segmentation_dashboard(None).value == ""


def test_number_formats_are_vietnamese():
    from carework.i18n import fmt_money

    assert fmt_number(1250000) == "1.250.000"
    assert fmt_money(1_300_000_000, short=True) == "1,3 tỷ\xa0₫"
    assert fmt_money(250_400_000, short=True) == "250,4 triệu\xa0₫"
    assert fmt_money(85000) == "85.000\xa0₫"
    assert fmt_money(pd.NA) == "—"
    with language("en"):
        assert fmt_number(1250000) == "1,250,000"


def test_every_value_shown_in_the_sample_dashboards_has_a_label_in_both_languages(data):
    from carework.i18n import MESSAGES

    shown = {*data.customers["acquisition_source"].dropna(), *data.transactions["channel"],
             *data.tickets["channel"], *data.tickets["category"]}
    missing = sorted(v for v in shown if f"value.{v}" not in MESSAGES)
    assert missing == []
    assert all(set(entry) == {"vi", "en"} for entry in MESSAGES.values())


def test_the_banner_says_what_loading_found(monkeypatch):
    """Rows set aside, returns netted and customers that do not join: the same lines as
    `carework validate`, on top of every dashboard and notebook."""
    from carework.customer_base import build_base
    from carework.findings import data_findings

    data = carework.load("data/sample")
    with language("en"):
        banner = dashboards.common.as_of_banner(build_base(data)).value
        for line in data_findings(data):
            assert line.replace("'", "&#x27;") in banner
    assert "251 of 33,472 rows set aside" in banner
    assert "Returns and cancellations: 106" in banner
    assert "244 of 3,000 customers have bought nothing yet" in banner


def test_explained_shows_a_data_problem_and_lets_bugs_through(monkeypatch):
    import pytest

    from carework.errors import DataError

    shown: list[object] = []
    monkeypatch.setattr("carework.dashboards.common.display", shown.append)
    with dashboards.explained():
        raise DataError("surveys.csv: there are no survey answers")
    assert len(shown) == 1 and ERROR in shown[0]._dom_classes
    assert "no survey answers" in shown[0].value
    with pytest.raises(ZeroDivisionError), dashboards.explained():
        1 / 0  # noqa: B018 — a bug is not a data problem: it surfaces
