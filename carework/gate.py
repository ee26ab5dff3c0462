"""One as-of date and one readiness gate for every command, notebook and dashboard.

**The as-of date** is the day every figure describes (at its end): the one given (``--as-of``,
``as_of=``), else ``CAREWORK_AS_OF``, else ``as_of`` in the folder's ``carework.toml``, else the
data's last purchase day. Whatever today's date is, the same data gives the same figures, and
every output says which day they describe.

**The gate** says, for that date:

* whether the churn models may be used (:func:`carework.churn.readiness`: enough buyers,
  history and repeat buyers, and an as-of date the data covers); when not, figures that need
  them are left out with the reasons, unless forced — never a plausible wrong number;
* whether the data is stale: its last purchase more than ``[churn] stale_after_days`` before
  today. Stale data is not refused (the figures are right as of the date they show), but every
  figure carries the warning.

Examples
--------
>>> import pandas as pd
>>> tx = pd.DataFrame({"purchased_at": pd.to_datetime(["2026-01-05 09:00", "2026-09-29 18:00"])})
>>> resolve_as_of(tx, None)
Timestamp('2026-09-29 00:00:00')
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pandas as pd

from carework.churn.readiness import Readiness
from carework.errors import DataError
from carework.i18n import fmt_date, fmt_number, t
from carework.settings import ChurnSettings

AS_OF_ENV = "CAREWORK_AS_OF"


def resolve_as_of(transactions: pd.DataFrame, as_of: object = None,
                  settings_as_of: pd.Timestamp | None = None) -> pd.Timestamp:
    """The as-of day (midnight) by the order in the module docstring."""
    given = as_of if as_of is not None else os.environ.get(AS_OF_ENV) or settings_as_of
    if given is None or (isinstance(given, str) and not given.strip()):
        if transactions.empty:
            raise DataError(t("gate.no_purchases"), column="purchased_at",
                            fix=t("gate.no_purchases_fix"))
        return pd.Timestamp(transactions["purchased_at"].max()).normalize()
    return parse_day(given)


def parse_day(value: object) -> pd.Timestamp:
    """A day (midnight) from a date, or a :class:`DataError` saying the date is unusable."""
    try:
        day = pd.Timestamp(value)
    except (TypeError, ValueError):
        day = pd.NaT
    if pd.isna(day):
        raise DataError(t("gate.bad_date", value=value), column="as_of",
                        fix=t("gate.bad_date_fix"))
    return day.normalize()


@dataclass(frozen=True)
class Gate:
    """The as-of date, the data's span, and what may be shown (see the module docstring).

    Attributes
    ----------
    as_of : the day every figure describes.
    data_start, data_end : the first and last purchase days in the data.
    today : the day the figures were computed (for staleness only).
    readiness : the churn models' checks.
    forced : the models were fitted although the checks failed.
    models_failed : why fitting failed (a model error), empty when it did not.
    settings : the ``[churn]`` settings the gate used.
    """

    as_of: pd.Timestamp
    data_start: pd.Timestamp
    data_end: pd.Timestamp
    today: pd.Timestamp
    readiness: Readiness
    forced: bool
    settings: ChurnSettings
    models_failed: str = ""

    @property
    def days_old(self) -> int:
        """Days from the data's last purchase to today."""
        return int((self.today - self.data_end).days)

    @property
    def stale(self) -> bool:
        return self.days_old > self.settings.stale_after_days

    @property
    def models_allowed(self) -> bool:
        """Whether the churn models may be fitted (ready, or forced)."""
        return self.readiness.ready or self.forced

    def label(self) -> str:
        """"Figures as of 29/09/2026 (data 01/10/2024 – 29/09/2026)": for every output."""
        return t("gate.as_of", date=fmt_date(self.as_of), start=fmt_date(self.data_start),
                 end=fmt_date(self.data_end))

    def warnings(self) -> list[str]:
        """What every figure should carry: stale data, forced or missing scores."""
        out = []
        if self.stale:
            out.append(t("gate.stale", end=fmt_date(self.data_end),
                         days=fmt_number(self.days_old)))
        if not self.readiness.ready:
            key = "gate.forced" if self.forced and not self.models_failed else "gate.no_scores"
            out.append(t(key, reasons="; ".join(self.readiness.reasons())))
        if self.models_failed:
            out.append(t("gate.model_failed", why=self.models_failed))
        return out

    def refusal(self) -> DataError:
        """The error a command that needs churn scores raises when there are none."""
        reasons = self.models_failed or "; ".join(self.readiness.reasons())
        return DataError(t("gate.refused", reasons=reasons), column="purchased_at",
                         fix=t("gate.refused_fix"))
