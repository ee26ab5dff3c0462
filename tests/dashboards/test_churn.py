"""The churn dashboard (carework.dashboards.churn): horizon and filters, model and matrix, and the
reasons shown for thin history."""

from __future__ import annotations

import numpy as np

import carework
from carework import dashboards, explore
from carework.customer_base import build_base
from carework.dashboards.common import READY
from carework.i18n import language
from carework.sample import generate, write


def test_churn_dashboard_follows_horizon_and_filters():
    data = carework.load("data/sample")
    base = build_base(data)
    bar = dashboards.filter_bar(base, "churn")
    view = dashboards.churn_dashboard(base, bar)
    assert READY in view._dom_classes and len(view.scores) == data.transactions[
        "customer_id"].nunique()
    short = view.scores["expected_purchases"].sum()
    view.horizon.value = 180
    assert view.scores["expected_purchases"].sum() > short
    bar.channel.value = "online"
    online = explore.filter_data(data, channel="online").transactions["customer_id"].unique()
    assert set(view.scores.index) == set(online)
    view.sort.value = "churn_risk"
    assert view.download.payload is None  # nothing built before it is asked for
    assert view.scores["value_at_risk"].ge(0).all()
    # one definition of value at risk and of the bands, read from the base
    base = view.base.scores(180)
    assert np.allclose(view.scores["value_at_risk"],
                       (base["churn_risk"] * base["total_clv"]).loc[view.scores.index])


def test_churn_dashboard_switches_model_and_matrix():
    data = carework.load("data/sample")
    view = dashboards.churn_dashboard(data)
    assert view.model.value == "bgnbd" and view.progress.layout.display == "none"
    bgnbd = view.scores["churn_risk"].copy()
    view.model.value = "pnbd"
    assert view.base.model.name == "pnbd" and set(view.base.model.params) == {
        "r", "alpha", "s", "beta"}
    view.model.value = "bgnbd"  # back: the base's own fit, not a second one
    assert np.allclose(view.scores["churn_risk"], bgnbd)
    view.model.value = "pnbd"
    assert view.progress.value == view.progress.max and view.progress.layout.display == "none"
    assert not np.allclose(view.scores["churn_risk"], bgnbd)
    assert view.scores["churn_risk"].between(0, 1).all()
    # the model checks (three charts) are drawn when opened, for the model shown
    assert view._checks_drawn_for is None
    view.checks.selected_index = 0
    assert view._checks_drawn_for == "pnbd" and "180" in view.checks_note.value
    view.matrix.value = "p_alive"  # outside a kernel an Output cannot be read back: the
    view.matrix.value = "churn_risk"  # browser test checks the figures themselves


def test_churn_dashboard_shows_reasons_for_thin_history(tmp_path):
    write(generate(customers=150, seed=2), tmp_path)
    with language("en"):
        view = dashboards.churn_dashboard(carework.load(tmp_path))
        assert READY in view._dom_classes
        assert "No churn risk or CLV yet" in view.children[0].value
        assert "only 1" in view.children[0].value  # the reasons, in words
