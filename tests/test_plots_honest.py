"""Charts claim no more than the figures (issue 20): no star below the minimum of answers, a gap
and a reason for an undefined rate, the driver quadrant's sign agreeing with its label, and
every tick written in the reader's language."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from carework import plots
from carework.i18n import currency, language, t
from carework.kpis import plots as kpi_plots
from carework.kpis.drivers import Drivers
from tests.kpis.test_honest_figures import _experience


def _overview() -> pd.DataFrame:
    n = 5
    return pd.DataFrame({
        "period": pd.date_range("2026-05-01", periods=n, freq="MS"),
        "period_label": ["2026-05", "2026-06", "2026-07", "2026-08", "2026-09"],
        "partial": [False] * 4 + [True],
        "nps": [10.0, 60.0, 15.0, 40.0, 35.0], "nps_low": [0.0] * n, "nps_high": [70.0] * n,
        "nps_n": [40, 2, 45, 50, 60],
        "nps_too_few": [False, True, False, False, False],
        # the second and third would be "significant" by the formula, on 2 answers
        "nps_significant": [False, True, True, True, False],
        "nps_untested": ["no_previous_period", "too_few_answers", "too_few_before", None, None],
        "cs": [0, 50, 60, 70, 80], "ce": [50, 60, 70, 80, 90], "cn": [50, 20, 20, 20, 20],
        "retention_rate": [np.nan, np.nan, 83.3, 85.7, 87.5],
        "churn_rate": [np.nan, np.nan, -16.7, -14.3, -12.5],
        "lost_rate": [np.nan, np.nan, 16.7, 14.3, 12.5],
        "crr_undefined": ["no_customers_at_start", "warming_up", None, None, None],
    })


def _stars(ax: plt.Axes) -> list[tuple[float, float]]:
    return [tuple(xy) for line in ax.get_lines() if line.get_marker() == "*"
            for xy in line.get_xydata()]


def test_no_star_where_the_change_was_not_tested():
    fig = kpi_plots.kpi_trends(_overview())
    a_nps = fig.axes[0]
    assert _stars(a_nps) == [(3.0, 40.0)]  # only August: tested, significant, enough answers
    plt.close(fig)


def test_an_undefined_rate_is_a_gap_with_its_reason():
    with language("en"):
        fig = kpi_plots.kpi_trends(_overview())
        a_rate = fig.axes[2]
        crr = next(line for line in a_rate.get_lines()
                   if line.get_label() == t("plot.kpi.retention_rate"))
        y = crr.get_ydata()
        assert np.isnan(y[:2]).all() and not np.isnan(y[2:]).any()
        assert np.nanmin(a_rate.get_lines()[2].get_ydata()) > -100
        note = a_rate.get_xlabel()
        assert "May 2026: not computed (no customers at the start of the period)" in note
        assert "Jun 2026: not computed (the data starts inside the activity window" in note
        plt.close(fig)


@pytest.mark.parametrize(("lang", "first", "last"), [("vi", "05/2026", "09/2026"),
                                                      ("en", "May 2026", "Sep 2026")])
def test_periods_on_the_axis_are_written_for_the_reader(lang, first, last):
    with language(lang):
        fig = kpi_plots.kpi_trends(_overview())
        labels = [tick.get_text() for tick in fig.axes[0].get_xticklabels()]
        plt.close(fig)
    assert labels[0] == first and labels[-1] == last
    assert not any("-" in label for label in labels)  # no ISO keys


def _figure_y(ax: plt.Axes, table: pd.DataFrame) -> pd.Series:
    """The height of each driver's dot, matched by its annotation."""
    offsets = ax.collections[0].get_offsets()
    frame = table.reset_index()
    return pd.Series(np.asarray(offsets)[:, 1], index=frame["driver"])


def test_the_driver_quadrant_draws_a_score_lowering_driver_above_zero_and_says_points_lost():
    table = Drivers("nps", min_cases=10).fit(_experience()).table_
    with language("en"):
        fig = kpi_plots.driver_quadrant(table)
        ax = fig.axes[0]
        y = _figure_y(ax, table)
        assert table.loc["ticket_people", "effect"] < -50
        assert y["ticket_people"] == pytest.approx(-table.loc["ticket_people", "effect"])
        assert y["ticket_people"] > 0
        assert y["first_response_4_24h"] < 0 < table.loc["first_response_4_24h", "effect"]
        assert ax.get_ylabel() == "NPS points lost when it happens (= −effect)"
        notes = [text.get_text() for text in ax.texts]
        assert t("plot.kpi.raises_score") in notes
        plt.close(fig)
    with language("vi"):
        fig = kpi_plots.driver_quadrant(table)
        label = fig.axes[0].get_ylabel()
        plt.close(fig)
    # not "ảnh hưởng", the word the driver table uses for the (negative) effect
    assert label.startswith("Điểm NPS mất") and "ảnh hưởng" not in label.lower()


def test_the_driver_quadrant_names_the_outcome_it_was_fitted_on():
    experience = _experience().assign(csat=lambda f: np.where(f["nps"] >= 9, 5, 2))
    table = Drivers("csat", min_cases=10).fit(experience).table_
    with language("en"):
        fig = kpi_plots.driver_quadrant(table)
        assert "CSAT percentage points" in fig.axes[0].get_ylabel()
        plt.close(fig)


def test_money_on_an_axis_takes_one_unit_and_the_readers_style():
    monthly = pd.DataFrame({"month": pd.date_range("2025-01-01", periods=6, freq="MS"),
                            "revenue": [0.3e9, 0.6e9, 0.8e9, 1.0e9, 1.1e9, 1.25e9]})
    for lang, unit, date_label in (("vi", "tỷ", "01/2025"), ("en", "B", "Jan 2025")):
        with language(lang), currency("VND"):
            fig = plots.monthly_revenue(monthly)
            fig.canvas.draw()
            ax = fig.axes[0]
            ticks = [tick.get_text() for tick in ax.get_yticklabels() if tick.get_text()]
            dates = [tick.get_text() for tick in ax.get_xticklabels() if tick.get_text()]
            plt.close(fig)
        assert ticks and all(unit in tick and "₫" in tick for tick in ticks), ticks
        assert not any("triệu" in tick or "M" in tick for tick in ticks), ticks
        assert date_label in dates, dates


def test_counts_in_a_heatmap_are_numbers_of_the_readers_language():
    crosstab = pd.DataFrame({"A": [2757, 12], "B": [3, 1500]}, index=["vip", "regular"])
    with language("vi"):
        fig = plots.rules_vs_clusters(crosstab)
        texts = {text.get_text() for text in fig.axes[0].texts}
        plt.close(fig)
    assert {"2.757", "1.500", "12", "3"} <= texts
    with language("en"):
        fig = plots.rules_vs_clusters(crosstab)
        texts = {text.get_text() for text in fig.axes[0].texts}
        plt.close(fig)
    assert {"2,757", "1,500"} <= texts


def test_number_ticks_use_the_readers_decimal_mark():
    fig, ax = plt.subplots()
    ax.plot([0, 1, 2], [0.0, 1.25, 2.5])
    plots.number_ticks(ax.yaxis)
    with language("vi"):
        fig.canvas.draw()
        labels = [tick.get_text() for tick in ax.get_yticklabels()]
    plt.close(fig)
    assert any("," in label for label in labels) and not any("." in label for label in labels)
