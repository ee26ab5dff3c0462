"""Survey scores with honest uncertainty: NPS and CSAT, each with a 95% interval, and the test
of whether a change between two periods is more than noise.

* **NPS** = % promoters (9–10) − % detractors (0–6); passives (7–8) count in ``n`` only. The
  interval uses the multinomial variance of (promoters − detractors),
  Var = [p + d − (p − d)²] / n, with the adjusted-Wald correction of Rocks (2016): the variance
  is computed as if 3 more people had answered, ¾ of them promoters and ¾ detractors, so it
  never collapses to zero for a handful of unanimous answers. The interval is centred on the
  observed NPS (so it always contains it) and clipped to [−100, 100].
* **CSAT** = satisfied ratings / all ratings × 100, satisfied meaning ``satisfied_min`` (4) or
  more on the 1–5 scale; neutral ratings (3) are never satisfied. The interval is Wilson's
  score interval (equal to scipy's ``binomtest(...).proportion_ci(method="wilson")``).
* **Change** between two periods: z = Δ / √(Var₁ + Var₂) for NPS, the same with binomial
  variances for CSAT; ``significant`` when the two-sided p-value is below 0.05. A change is
  tested only when both estimates rest on at least ``[kpis] min_answers`` (30) answers: with
  fewer, the adjusted-Wald variance of a handful of unanimous answers is small enough to make
  noise look "significant" (one answer moving NPS by 166 points). Below the minimum the
  p-value is ``NaN``, ``significant`` is False and ``reason`` says why
  (:data:`UNTESTED_REASONS`).

Missing answers (``None``/``NaN``) are left out of ``n``; anything else outside the scale
(7.5, 11, −1, "good") raises ``ValueError``.

Examples
--------
>>> r = nps([10, 9, 9, 8, 7, 6, 3, 10, 10, 2])
>>> r.value, r.n
(20.0, 10)
>>> round(r.low, 1), round(r.high, 1)
(-25.7, 65.7)
>>> csat([5, 4, 3, 2, 5]).value
60.0

References
----------
Rocks, B. (2016). Interval estimation for the "net promoter score". *The American
Statistician* 70(4), 365–372.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from carework.i18n import MISSING, fmt_decimal, fmt_number
from carework.settings import KpiSettings

Z95 = float(stats.norm.ppf(0.975))
PROMOTER_MIN, DETRACTOR_MAX = 9, 6
MIN_RESPONSES = KpiSettings.min_answers
"""The default of ``[kpis] min_answers`` (:class:`carework.settings.KpiSettings`), kept for
older callers: read the setting (``data.settings.kpis.min_answers``) instead."""

UNTESTED_REASONS = ("no_previous_period", "too_few_answers", "too_few_before")
"""Why a change was not tested: the group has no earlier period; this period, or the one
before, has fewer answers than ``min_answers``. Shown through ``t("why.<reason>")``."""


def min_answers_of(data: object, min_answers: int | None = None) -> int:
    """``min_answers`` when given, else the data's ``[kpis] min_answers`` (its
    :class:`~carework.settings.Settings`), else the default (30)."""
    if min_answers is None:
        settings = getattr(data, "settings", None)
        min_answers = getattr(getattr(settings, "kpis", None), "min_answers",
                              KpiSettings.min_answers)
    if isinstance(min_answers, bool) or not isinstance(min_answers, int | np.integer) \
            or min_answers < 1:
        raise ValueError(f"min_answers must be a whole number ≥ 1, not {min_answers!r}")
    return int(min_answers)


def untested_reasons(n_before: pd.Series | np.ndarray, n_after: pd.Series | np.ndarray,
                     min_answers: int) -> pd.Series:
    """Per row, why the change from ``n_before`` to ``n_after`` answers is not tested
    (:data:`UNTESTED_REASONS`, the first that applies), or ``None`` when it is. A missing
    ``n_before`` means there is no earlier period. Indexed like ``n_after``."""
    before = pd.Series(np.asarray(n_before, dtype=float))
    after = pd.Series(np.asarray(n_after, dtype=float))
    reason = np.select([before.isna().to_numpy(), (after.fillna(0) < min_answers).to_numpy(),
                        (before < min_answers).to_numpy()], list(UNTESTED_REASONS), "")
    index = n_after.index if isinstance(n_after, pd.Series) else None
    out = pd.Series(reason, index=index, dtype=object)
    return out.where(out != "", None)


@dataclass(frozen=True)
class Estimate:
    """A KPI in percent with its 95% interval.

    Attributes
    ----------
    value : the KPI (percent; NPS runs from −100 to 100).
    low, high : the 95% interval.
    n : answers counted (missing ones excluded).
    variance : variance of ``value`` (in percent²), used to compare periods.
    """

    value: float
    low: float
    high: float
    n: int
    variance: float

    @property
    def too_few(self) -> bool:
        """Fewer than the default ``[kpis] min_answers`` (30) answers: read the value with
        care (:meth:`too_few_for` takes another minimum)."""
        return self.too_few_for(KpiSettings.min_answers)

    def too_few_for(self, min_answers: int) -> bool:
        """Fewer than ``min_answers`` answers."""
        return self.n < min_answers

    def __str__(self) -> str:
        """``12,3 [4,5; 20,1] (n = 1.234)`` in the current language."""
        if self.n == 0:
            return f"{MISSING} (n = 0)"
        return (f"{fmt_decimal(self.value)} [{fmt_decimal(self.low)}; "
                f"{fmt_decimal(self.high)}] (n = {fmt_number(self.n)})")


@dataclass(frozen=True)
class Change:
    """The difference ``after − before`` of two estimates and whether it is more than noise.

    ``reason`` is why it was not tested (:data:`UNTESTED_REASONS`; ``z`` and ``p_value`` are
    then ``NaN``), ``None`` when it was.
    """

    difference: float
    z: float
    p_value: float
    reason: str | None = None

    @property
    def significant(self) -> bool:
        """Tested, with a two-sided p-value below 0.05."""
        return self.reason is None and bool(self.p_value < 0.05)


def _valid(scores: Iterable[object], low: int, high: int, name: str) -> np.ndarray:
    values = pd.Series(list(scores) if not isinstance(scores, pd.Series) else scores,
                       dtype=object)
    values = values[values.notna()]
    numeric = pd.to_numeric(values, errors="coerce")
    bad = numeric.isna() | (numeric != np.round(numeric)) | (numeric < low) | (numeric > high)
    if bad.any():
        example = values[bad].iloc[0]
        raise ValueError(f"{name}: {int(bad.sum())} value(s) are not whole numbers from {low} "
                         f"to {high} (for example {example!r})")
    return numeric.to_numpy(dtype=float)


def nps_from_counts(promoters: np.ndarray | float, detractors: np.ndarray | float,
                    n: np.ndarray | float) -> tuple[np.ndarray, np.ndarray, np.ndarray,
                                                    np.ndarray]:
    """Vectorised NPS, its interval and variance from counts: ``(value, low, high, variance)``.

    ``n`` counts every valid answer (promoters, passives and detractors). Where ``n`` is 0
    everything is ``NaN``.
    """
    p_count, d_count = np.asarray(promoters, float), np.asarray(detractors, float)
    n = np.asarray(n, float)
    with np.errstate(invalid="ignore", divide="ignore"):
        value = np.where(n > 0, 100 * (p_count - d_count) / n, np.nan)
        adjusted = n + 3
        p, d = (p_count + 0.75) / adjusted, (d_count + 0.75) / adjusted
        variance = np.where(n > 0, 1e4 * (p + d - (p - d) ** 2) / adjusted, np.nan)
    half = Z95 * np.sqrt(variance)
    return value, np.clip(value - half, -100, 100), np.clip(value + half, -100, 100), variance


def proportion_from_counts(successes: np.ndarray | float, n: np.ndarray | float
                           ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Vectorised percentage with Wilson's 95% interval and its binomial variance."""
    k, n = np.asarray(successes, float), np.asarray(n, float)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(n > 0, k / n, np.nan)
        z2 = Z95**2
        centre = (share + z2 / (2 * n)) / (1 + z2 / n)
        half = Z95 * np.sqrt(share * (1 - share) / n + z2 / (4 * n**2)) / (1 + z2 / n)
        variance = np.where(n > 0, 1e4 * share * (1 - share) / n, np.nan)
    low = np.clip(centre - half, 0, 1)
    high = np.clip(centre + half, 0, 1)
    # the Wilson interval always contains the share; rounding must not push it out
    return 100 * share, 100 * np.minimum(low, share), 100 * np.maximum(high, share), variance


def nps(scores: Iterable[object]) -> Estimate:
    """Net Promoter Score of 0–10 answers, in points, with its 95% interval.

    Parameters
    ----------
    scores : answers to "how likely are you to recommend us?" (0–10). ``None``/``NaN`` are
        skipped.

    Raises
    ------
    ValueError : a value that is not a whole number from 0 to 10.
    """
    values = _valid(scores, 0, 10, "nps")
    n = values.size
    value, low, high, variance = nps_from_counts((values >= PROMOTER_MIN).sum(),
                                                 (values <= DETRACTOR_MAX).sum(), n)
    return Estimate(float(value), float(low), float(high), n, float(variance))


def csat(ratings: Iterable[object], satisfied_min: int = 4) -> Estimate:
    """Customer satisfaction: the percentage of 1–5 ratings at ``satisfied_min`` or above,
    with Wilson's 95% interval.

    Raises
    ------
    ValueError : a rating that is not a whole number from 1 to 5, or ``satisfied_min`` not
        4 or 5 (3 is the neutral point and never counts as satisfied).
    """
    if satisfied_min not in (4, 5):
        raise ValueError("satisfied_min must be 4 or 5: 3 is neutral, never satisfied")
    values = _valid(ratings, 1, 5, "csat")
    n = values.size
    value, low, high, variance = proportion_from_counts((values >= satisfied_min).sum(), n)
    return Estimate(float(value), float(low), float(high), n, float(variance))


def change(before: Estimate, after: Estimate, min_answers: int | None = None) -> Change:
    """Is ``after`` different from ``before`` by more than sampling noise?

    z = (after − before) / √(Var_before + Var_after); two-sided p-value from the normal.
    Tested only when both rest on at least ``min_answers`` answers (default ``[kpis]
    min_answers``, 30); otherwise ``z`` and ``p_value`` are ``NaN`` and ``reason`` says why.
    """
    minimum = min_answers_of(None, min_answers)
    diff, z, p = change_from(before.value, before.variance, after.value, after.variance)
    reason = untested_reasons(np.array([before.n]), np.array([after.n]), minimum).iloc[0]
    if reason is not None:
        return Change(float(diff), float("nan"), float("nan"), reason)
    return Change(diff, z, p)


def change_from(before: np.ndarray | float, var_before: np.ndarray | float,
                after: np.ndarray | float, var_after: np.ndarray | float
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Vectorised :func:`change`: ``(difference, z, p_value)``."""
    diff = np.asarray(after, float) - np.asarray(before, float)
    se = np.sqrt(np.asarray(var_before, float) + np.asarray(var_after, float))
    with np.errstate(invalid="ignore", divide="ignore"):
        z = np.where(se > 0, diff / se, np.where(diff == 0, 0.0, np.sign(diff) * np.inf))
    p = 2 * stats.norm.sf(np.abs(z))
    if np.ndim(diff) == 0:
        return float(diff), float(z), float(p)
    return diff, z, p

