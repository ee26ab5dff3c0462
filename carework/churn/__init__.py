"""Churn and repurchase: buy-till-you-die models fitted fast and exactly.

>>> from carework.rfm import summary                                   # doctest: +SKIP
>>> from carework import churn                                         # doctest: +SKIP
>>> model = churn.fit(summary(data.transactions), model="bgnbd")       # doctest: +SKIP
>>> model.params                                                       # doctest: +SKIP
>>> scores = model.predict(summary(data.transactions), horizon=90)     # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import logging

import numpy as np
import pandas as pd

from carework.churn import gamma_gamma
from carework.churn.base import FittedModel, Triples
from carework.churn.bootstrap import BootstrapResult, bootstrap
from carework.churn.clv import predicted_clv
from carework.churn.gamma_gamma import SpendModel
from carework.churn.models import MODELS
from carework.churn.readiness import Readiness, readiness
from carework.errors import data_error


def fit(summary: pd.DataFrame, model: str = "bgnbd", penalizer: float = 0.0) -> FittedModel:
    """Fit a BTYD model to a summary from :func:`carework.rfm.summary`.

    Parameters
    ----------
    summary : per-customer ``frequency``, ``recency``, ``T``.
    model : ``"bgnbd"`` (BG/NBD), ``"pnbd"`` (Pareto/NBD) or ``"mbgnbd"`` (MBG/NBD).
    penalizer : L2 penalty on the parameters, weighed against the *mean* log-likelihood per
        customer in every model (lifetimes' BG/NBD ``penalizer_coef``; lifetimes' Pareto/NBD
        sums instead, so its ``penalizer_coef`` is this times the number of customers).
    """
    if model not in MODELS:
        raise ValueError(f"model must be one of {sorted(MODELS)}, not {model!r}")
    data = Triples.from_summary(summary)
    check_fittable(data)
    _log_fit(model, data.x, data.t_x, data.T, data.weights)
    return MODELS[model](data, penalizer=penalizer, unit=summary.attrs.get("unit", "D"))


def spend_usable(summary: pd.DataFrame) -> pd.Series:
    """Whose spend the Gamma-Gamma model can use: repeat buyers with a positive mean value per
    repeat purchase (a free or fully returned repeat purchase gives 0; such customers are
    scored without CLV instead of blocking everyone)."""
    return (summary["frequency"] > 0) & (summary["monetary_value"] > 0) & \
        np.isfinite(summary["monetary_value"])


def fit_spend(summary: pd.DataFrame, penalizer: float = 0.0) -> SpendModel:
    """Fit the Gamma-Gamma spend model (``params`` p, q, v) to the repeat buyers of ``summary``
    whose spend it can use (:func:`spend_usable`)."""
    usable = summary[spend_usable(summary)]
    _log_fit("gamma_gamma", usable["frequency"].to_numpy(float),
             usable["monetary_value"].to_numpy(float))
    return gamma_gamma.fit(usable, penalizer=penalizer)


FIT_LOG = logging.getLogger("carework.fits")
"""Every model fit is logged here at INFO: the model and a fingerprint of the data it was fitted
to (a hash, never customer data), so a test can count fits."""


def _log_fit(model: str, *arrays: np.ndarray) -> None:
    if FIT_LOG.isEnabledFor(logging.INFO):
        digest = hashlib.sha256()
        for array in arrays:
            digest.update(np.ascontiguousarray(array, dtype=float).tobytes())
        FIT_LOG.info("fit %s %s", model, digest.hexdigest()[:16])


MIN_CUSTOMERS = 10


def check_fittable(data: Triples) -> None:
    """Refuse data no repeat-buying model can learn from, saying why in plain words."""
    fix = "fix.churn.unfittable"
    if data.weights.sum() < MIN_CUSTOMERS:
        raise data_error("err.churn.too_few_customers", fix=fix,
                         customers=int(data.weights.sum()), minimum=MIN_CUSTOMERS)
    if data.T.max() == 0:
        raise data_error("err.churn.same_day", fix=fix)
    if data.x.max() == 0:
        raise data_error("err.churn.no_repeat", fix=fix)


__all__ = ["FIT_LOG", "BootstrapResult", "FittedModel", "Readiness", "SpendModel", "bootstrap",
           "fit", "fit_spend", "predicted_clv", "readiness", "spend_usable"]
