"""Talking points for one call, following the handbook's four-step care call.

1. Recall what the customer valued (their last purchase) and anything they disliked (their last
   complaint and its root-cause factor).
2. Ask what they need now (from what they usually buy and through which channel).
3. Answer open questions: the open ticket, or the comment of their unhappy survey.
4. Present what is new or an offer that fits the reason for the call.

Each line is filled from that customer's data, in the current language (Vietnamese by default).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from carework.calls.rules import CallRules
from carework.i18n import fmt_date, label, t
from carework.text import TOPIC_FACTOR, root_cause


def _known(value: object) -> bool:
    return value is not None and not (isinstance(value, float) and pd.isna(value)) and \
        value is not pd.NaT and not (isinstance(value, str) and not value.strip())


def talking_points(row: Mapping[str, object], rules: CallRules | None = None) -> str:
    """The four steps for one customer (a row of :func:`carework.calls.planner.plan`), one per
    line, in the current language."""
    steps = []
    recall = t("talk.recall", category=label(row.get("last_category") or "", "value"),
               date=fmt_date(row["last_purchase"]))
    complaint = row.get("open_ticket_category") if _known(row.get("open_ticket_category")) \
        else row.get("last_ticket_category")
    if _known(complaint):
        factor = TOPIC_FACTOR.get(str(complaint), "other")  # a ticket category
        recall += " " + t("talk.recall_complaint", topic=label(complaint),
                          factor=t(f"factor.{factor}"))
    steps.append(recall)
    channel = row.get("main_channel")
    steps.append(t("talk.ask", channel=label(channel) if _known(channel) else "—"))
    if _known(row.get("open_ticket_id")):
        opened = row.get("open_ticket_opened")
        steps.append(t("talk.answer_ticket", ticket=row["open_ticket_id"],
                       topic=label(row.get("open_ticket_category") or ""),
                       date=fmt_date(opened)))
    elif row.get("reason") == "closed_loop" and _known(row.get("last_unhappy_at")):
        comment = row.get("last_unhappy_comment")
        if _known(comment):
            factor = row.get("last_unhappy_factor")  # read once, by the data folder's model
            if not _known(factor):
                factor = root_cause([comment])[0]
            steps.append(t("talk.answer_comment", comment=str(comment).strip(),
                           factor=t(f"factor.{factor}")))
        else:
            score = row.get("last_unhappy_nps") if _known(row.get("last_unhappy_nps")) else \
                row.get("last_unhappy_csat")
            steps.append(t("talk.answer_score", score=score))
    else:
        steps.append(t("talk.answer_none"))
    steps.append(t(f"talk.offer.{row.get('reason')}"))
    return "\n".join(f"{i}. {step}" for i, step in enumerate(steps, start=1))
