"""Drivers (carework.kpis.drivers): the effects built into the generator recovered, and the
sample's drivers ranked by what costs most."""

from __future__ import annotations

import carework
from carework.kpis.drivers import Drivers, survey_experience
from carework.sample import SCORE_EFFECTS


def test_drivers_recover_the_effects_built_into_the_generator(generated):
    d = carework.from_frames(**generated.tables())
    table = Drivers("nps_score").fit(d).table_
    e = SCORE_EFFECTS
    truth = {
        "ticket_product": e["ticket"] + e["factor_product"],
        "ticket_convenience": e["ticket"] + e["factor_convenience"],
        "ticket_people": e["ticket"] + e["factor_people"],
        "first_response_4_24h": e["first_response_4_24h"],
        "first_response_over_24h": e["first_response_over_24h"],
        "handling_over_72h_or_unresolved": e["handling_over_72h_or_unresolved"],
    }
    for driver, effect in truth.items():
        # rounding to 0-10 and clipping at 10 shrink effects a little
        assert 1.15 * effect <= table.loc[driver, "effect"] <= 0.7 * effect, driver
    assert abs(table.loc["reopened", "effect"]) < 0.4  # no effect of its own in the generator
    order = table.loc[["ticket_people", "ticket_convenience", "ticket_product"], "effect"]
    assert order.is_monotonic_increasing


def test_drivers_on_the_sample_rank_what_costs_most_first(data):
    drivers = Drivers("nps").fit(data)
    table = drivers.table_
    assert table["points_lost"].is_monotonic_decreasing
    assert table.index[0] in ("handling_over_72h_or_unresolved", "ticket_product")
    assert (table["low"] <= table["effect"]).all() and (table["effect"] <= table["high"]).all()
    assert set(table["quadrant"]) <= {"fix_first", "keep_up", "watch", "maintain"}
    assert (table.loc[table["quadrant"] == "fix_first", "importance"]
            >= table["importance"].mean()).all()
    experience = survey_experience(data)
    assert len(experience) == len(data.surveys)
    assert drivers.n_ == data.surveys["nps"].notna().sum()
