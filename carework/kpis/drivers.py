"""What moves the score: how the ticket a customer went through relates to their NPS / CSAT.

Each survey answer is linked to the customer's latest ticket opened up to 30 days before it
(:func:`carework.kpis.tables.link_tickets`), and the ticket is described as the customer had
lived it *when they answered*:

* ``ticket_product`` / ``ticket_convenience`` / ``ticket_people`` / ``ticket_other`` — there
  was a ticket, and its category's root-cause factor (the handbook's three factors; categories
  outside the canonical list are read with :func:`carework.text.root_cause`);
* ``first_response_4_24h`` and ``first_response_over_24h`` — the first response took 4–24 h,
  or more than 24 h (or had not come yet when they answered);
* ``handling_over_72h_or_unresolved`` — the ticket took more than 72 h to resolve, or was
  still open when they answered;
* ``reopened`` — the ticket was reopened.

:class:`Drivers` regresses the outcome on these indicators (ordinary least squares, standard
errors clustered by customer, since one customer answers several times). Each effect is the
difference in the outcome, with its 95% interval, against an answer with no such experience —
in NPS points when the outcome is ``"nps"`` (promoter = 100, passive = 0, detractor = −100),
in score points for ``"nps_score"`` (0–10) and ``"csat_score"`` (1–5), in percentage points
for ``"csat"``. The factor effects include the effect of having a ticket at all.

The importance × performance table is what survey tools show: ``importance`` is the score
lost when the experience happens (−effect), ``performance`` the share of ticketed answers that
were spared it, and ``points_lost`` = importance × how often it happens among all answers — the
gap it leaves in the overall score. Sorted by ``points_lost``, what matters most and is handled
worst comes first. These are associations in observational data: a driver can stand in for
something it travels with (long tickets are also the harder problems).

Examples
--------
>>> from carework import load                            # doctest: +SKIP
>>> Drivers(outcome="nps").fit(load("data/sample")).table_.head(3)  # doctest: +SKIP
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from carework.errors import data_error
from carework.io import Dataset
from carework.kpis.scores import DETRACTOR_MAX, PROMOTER_MIN, min_answers_of
from carework.kpis.tables import LINK_DAYS, SURVEYS_NEEDED, link_tickets, required

FACTOR_DRIVERS = ("ticket_product", "ticket_convenience", "ticket_people", "ticket_other")
EXPERIENCE_DRIVERS = ("first_response_4_24h", "first_response_over_24h",
                      "handling_over_72h_or_unresolved", "reopened")
DRIVERS = FACTOR_DRIVERS + EXPERIENCE_DRIVERS
OUTCOMES = ("nps", "nps_score", "csat", "csat_score")
QUADRANTS = ("fix_first", "keep_up", "watch", "maintain")
"""High importance & low performance, high & high, low & low, low & high."""


def survey_experience(data: Dataset, link_days: float = LINK_DAYS) -> pd.DataFrame:
    """One row per survey answer (the surveys table's order) with its linked ticket and the
    driver indicators of the module docstring (0/1), plus ``ticket_factor`` and
    ``first_response_h`` / ``handling_h`` as of the answer (NaN when not yet)."""
    from carework.text import root_cause
    from carework.text.readings import model_of

    linked = link_tickets(required(data.surveys, SURVEYS_NEEDED), data.tickets,
                          link_days).to_pandas()
    linked = linked.sort_values("survey_row").reset_index(drop=True)
    has = linked["ticket_id"].notna()
    category = linked.get("ticket_category", pd.Series(pd.NA, index=linked.index))
    known = category.map(data.settings.text.taxonomy().topic_factor)
    unknown = has & known.isna() & category.notna()
    if unknown.any():
        known[unknown] = root_cause(category[unknown].astype(str).tolist(), model_of(data))
    factor = known.where(has).where(known.notna() | ~has, "other")
    out = linked.copy()
    out["ticket_factor"] = factor
    for name in FACTOR_DRIVERS:
        out[name] = (factor == name.removeprefix("ticket_")).astype(int)
    answered = out["answered_at"]
    first = pd.to_datetime(out.get("first_response_at"))
    resolved = pd.to_datetime(out.get("resolved_at"))
    opened = pd.to_datetime(out["opened_at"])
    responded = first.notna() & (first <= answered)
    out["first_response_h"] = ((first - opened).dt.total_seconds() / 3600).where(responded)
    frt = out["first_response_h"].where(responded, np.inf)
    status = out.get("ticket_status", pd.Series(pd.NA, index=out.index)).astype("string")
    closed = resolved.notna() & (resolved <= answered) & status.ne("open").fillna(True)
    cancelled = closed & status.eq("cancelled").fillna(False)
    done = closed & ~cancelled
    out["handling_h"] = ((resolved - opened).dt.total_seconds() / 3600).where(done)
    out["first_response_4_24h"] = (has & (frt > 4) & (frt <= 24)).astype(int)
    out["first_response_over_24h"] = (has & (frt > 24)).astype(int)
    out["handling_over_72h_or_unresolved"] = (
        has & ~cancelled & (~done | (out["handling_h"] > 72))).astype(int)
    out["reopened"] = (has & status.eq("reopened").fillna(False)).astype(int)
    return out


def _outcome(frame: pd.DataFrame, outcome: str, satisfied_min: int) -> pd.Series:
    column = outcome.split("_")[0]
    if column not in frame or not frame[column].notna().any():
        raise data_error("err.kpis.no_score", column=column)
    if outcome in ("nps", "nps_score"):
        score = pd.to_numeric(frame.get("nps"), errors="coerce").astype(float)
        if outcome == "nps_score":
            return score
        return pd.Series(np.select([score >= PROMOTER_MIN, score <= DETRACTOR_MAX],
                                   [100.0, -100.0], 0.0), index=frame.index).where(
            score.notna())
    score = pd.to_numeric(frame.get("csat"), errors="coerce").astype(float)
    if outcome == "csat_score":
        return score
    return (100.0 * (score >= satisfied_min)).where(score.notna())


class Drivers:
    """Effects of ticket experience on a survey outcome, with 95% intervals, and the
    importance × performance quadrant.

    Parameters
    ----------
    outcome : ``"nps"`` (NPS points), ``"nps_score"``, ``"csat"`` (CSAT percentage points)
        or ``"csat_score"``.
    link_days : how far back a ticket may be opened to count for an answer.
    satisfied_min : CSAT's satisfied threshold (for ``outcome="csat"``).
    min_cases : drivers seen in fewer answers are left out of the model (and listed in
        ``dropped_``): their effect could not be read.
    min_answers : the fewest answers the drivers are read from (default: the data's
        ``[kpis] min_answers``, 30).

    Attributes
    ----------
    table_ : DataFrame indexed by driver: ``effect``, ``low``, ``high``, ``p_value``,
        ``cases`` (answers with it), ``share`` (% of all answers), ``performance`` (% of
        ticketed answers spared it), ``importance`` (−effect), ``points_lost``, ``quadrant``;
        sorted by ``points_lost``. ``table_.attrs["outcome"]`` is the outcome, so a chart
        can name the unit. The sign: ``effect`` < 0 lowers the score, and its ``importance``
        (points lost when it happens) is then > 0.
    baseline_ : the outcome's mean without any ticket (the model's intercept).
    n_ : answers used; ``customers_`` : distinct customers among them.
    dropped_ : drivers left out for too few cases.
    """

    def __init__(self, outcome: str = "nps", *, link_days: float = LINK_DAYS,
                 satisfied_min: int = 4, min_cases: int = 10,
                 min_answers: int | None = None) -> None:
        self.outcome = outcome
        self.link_days = link_days
        self.satisfied_min = satisfied_min
        self.min_cases = min_cases
        self.min_answers = min_answers

    def fit(self, data: Dataset | pd.DataFrame) -> Drivers:
        """Link, describe and regress; ``data`` is a Dataset or :func:`survey_experience`'s
        frame."""
        import statsmodels.api as sm

        if self.outcome not in OUTCOMES:
            raise ValueError(f"outcome must be one of {', '.join(OUTCOMES)}, "
                             f"not {self.outcome!r}")
        minimum = min_answers_of(data, self.min_answers)
        frame = (survey_experience(data, self.link_days) if isinstance(data, Dataset)
                 else data)
        y = _outcome(frame, self.outcome, self.satisfied_min)
        keep = y.notna()
        frame, y = frame[keep], y[keep]
        cases = frame[list(DRIVERS)].sum()
        used = [d for d in DRIVERS if cases[d] >= self.min_cases]
        self.dropped_ = [d for d in DRIVERS if d not in used]
        if len(frame) < minimum or not used:
            raise data_error("err.kpis.drivers_too_few", column=self.outcome.split("_")[0],
                             answers=len(frame), with_ticket=int(cases.max()))
        x = sm.add_constant(frame[used].astype(float), has_constant="add")
        groups = pd.factorize(frame["customer_id"])[0]
        model = sm.OLS(y.to_numpy(), x).fit(cov_type="cluster",
                                            cov_kwds={"groups": groups})
        ci = model.conf_int(0.05)
        table = pd.DataFrame({
            "effect": model.params[used], "low": ci.loc[used, 0], "high": ci.loc[used, 1],
            "p_value": model.pvalues[used], "cases": cases[used].astype(int),
        })
        ticketed = frame["ticket_id"].notna()
        n_ticketed = max(int(ticketed.sum()), 1)
        table["share"] = 100 * table["cases"] / len(frame)
        table["performance"] = 100 * (1 - table["cases"] / n_ticketed)
        table["importance"] = -table["effect"]
        table["points_lost"] = table["importance"] * table["share"] / 100
        table["quadrant"] = _quadrants(table)
        table.index.name = "driver"
        self.table_ = table.sort_values("points_lost", ascending=False)
        self.table_.attrs["outcome"] = self.outcome
        self.baseline_ = float(model.params["const"])
        self.n_ = len(frame)
        self.customers_ = int(frame["customer_id"].nunique())
        self.model_ = model
        return self


def _quadrants(table: pd.DataFrame) -> pd.Series:
    """Split at the mean importance and mean performance (as driver charts do)."""
    high_importance = table["importance"] >= table["importance"].mean()
    high_performance = table["performance"] >= table["performance"].mean()
    return pd.Series(np.select(
        [high_importance & ~high_performance, high_importance & high_performance,
         ~high_importance & ~high_performance], ["fix_first", "keep_up", "watch"],
        "maintain"), index=table.index)
