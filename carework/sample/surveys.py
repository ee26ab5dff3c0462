"""The surveys table: NPS and CSAT after purchases, moved by the linked ticket's experience.

Scores come from a latent NPS: a base, the customer's satisfaction, answer noise and the
:data:`SCORE_EFFECTS` of a ticket linked to the surveyed purchase. Which answers carry a
comment, and about what, is decided here; the words are written by
:mod:`carework.sample.comments`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from carework.sample.clock import DAY, into_hours
from carework.sample.columns import text, timestamps
from carework.sample.draws import pick
from carework.sample.tickets import FACTORS, TOPIC_FACTOR_CODE, TOPIC_MIX, TOPICS

__all__ = [
    "COMMENT_KINDS", "CSAT_BASE", "CSAT_PER_NPS", "CSAT_SD", "NPS_ANSWER_SD", "NPS_BASE",
    "SCORE_EFFECTS", "SURVEY_CHANNELS", "SURVEY_RATE", "SURVEY_RATE_TICKET", "frame",
    "simulate", "truth_frame",
]

SCORE_EFFECTS: dict[str, float] = {
    "ticket": -0.5,
    "first_response_4_24h": -0.4,
    "first_response_over_24h": -1.0,
    "handling_over_72h_or_unresolved": -1.5,
    "factor_product": -0.4,
    "factor_convenience": -0.8,
    "factor_people": -1.2,
}
"""Additive effects on the latent NPS (0-10 scale) of a ticket linked to the surveyed purchase.

The first-response effects apply when the first response took 4-24 h, or more than 24 h (or
had not come yet when the customer answered); the handling effect when the ticket took more
than 72 h to resolve or was still unresolved at the answer. CSAT moves :data:`CSAT_PER_NPS`
points per NPS point.
"""
CSAT_PER_NPS = 0.45
NPS_BASE, NPS_ANSWER_SD = 7.9, 1.4
CSAT_BASE, CSAT_SD = 4.0, 0.45
SURVEY_RATE, SURVEY_RATE_TICKET = 0.17, 0.5
SURVEY_CHANNELS = ("sms", "email", "web", "store")
"""How surveys are answered."""
SURVEY_CHANNEL_MIX = np.array([  # per purchase channel
    [0.40, 0.15, 0.10, 0.35],
    [0.25, 0.35, 0.40, 0.00],
    [0.60, 0.30, 0.10, 0.00],
])
COMMENT_KINDS = ("none", "complaint", "praise", "neutral")


def simulate(rng: np.random.Generator, p: dict[str, np.ndarray], t: dict[str, np.ndarray],
             sat: np.ndarray, horizon: int) -> dict[str, np.ndarray]:
    """Survey answers to the purchases ``p`` (tickets ``t``), sorted by answer time."""
    n_p = p["owner"].size
    ticket_of = np.full(n_p, -1, dtype=np.int64)
    ticket_of[t["src"]] = np.arange(t["src"].size)
    owner = p["owner"]
    responsiveness = rng.gamma(3.0, 1 / 3.0, sat.size)
    prob = np.where(ticket_of >= 0, SURVEY_RATE_TICKET,
                    np.clip(SURVEY_RATE * responsiveness[owner], 0, 0.9))
    src = np.flatnonzero(rng.random(n_p) < prob)
    m = src.size
    tk = ticket_of[src]
    linked = tk >= 0
    tki = np.where(linked, tk, 0)
    answered = p["seconds"][src] + np.floor(
        np.exp(rng.normal(np.log(2.5), 0.6, m)) * DAY).astype(np.int64)
    after_ticket = t["opened"][tki] + np.floor(
        np.exp(rng.normal(np.log(30.0), 0.8, m)) * 3600).astype(np.int64)
    answered = np.where(linked, np.maximum(answered, after_ticket), answered)
    answered = into_hours(rng, answered, 7, 23)

    # Ticket experience at the time of the answer.
    frt_h = np.where(t["first"][tki] <= answered,
                     (t["first"][tki] - t["opened"][tki]) / 3600, np.inf)
    done = ~t["stale"][tki] & (t["resolved"][tki] <= answered)
    long = (t["resolved"][tki] - t["opened"][tki]) > 72 * 3600
    factor = TOPIC_FACTOR_CODE[t["topic"][tki]]
    eff = SCORE_EFFECTS
    factor_eff = np.array([eff["factor_product"], eff["factor_convenience"],
                           eff["factor_people"]])[factor]
    effect = (eff["ticket"]
              + np.where((frt_h > 4) & (frt_h <= 24), eff["first_response_4_24h"], 0.0)
              + np.where(frt_h > 24, eff["first_response_over_24h"], 0.0)
              + np.where(long | ~done, eff["handling_over_72h_or_unresolved"], 0.0)
              + factor_eff)
    effect = np.where(linked, effect, 0.0)

    latent = NPS_BASE + sat[owner[src]] + rng.normal(0.0, NPS_ANSWER_SD, m) + effect
    nps = np.clip(np.rint(latent), 0, 10).astype(np.int64)
    csat_lat = CSAT_BASE + CSAT_PER_NPS * (latent - NPS_BASE) + rng.normal(0, CSAT_SD, m)
    csat = np.clip(np.rint(csat_lat), 1, 5).astype(np.int64)
    miss = rng.random(m)
    s = {
        "src": src, "owner": owner[src], "answered": answered, "nps": nps, "csat": csat,
        "nps_missing": miss < 0.04, "csat_missing": (miss >= 0.04) & (miss < 0.08),
        "channel": pick(rng, SURVEY_CHANNEL_MIX, p["channel"][src]),
        "ticket": np.where(linked, tk, -1), "effect": effect,
        "slow": linked & ((frt_h > 24) | ~done | long),
    }
    # Comments: more among detractors; complaints name the root cause.
    group = np.where(nps <= 6, 0, np.where(nps <= 8, 1, 2))
    has_comment = rng.random(m) < np.array([0.70, 0.30, 0.35])[group]
    r = rng.random(m)
    kind = np.select(  # 1 complaint, 2 praise, 3 neutral
        [group == 0, group == 1],
        [np.where(r < 0.9, 1, 3), np.where(r < 0.35, 1, np.where(r < 0.8, 3, 2))],
        np.where(r < 0.85, 2, 3))
    kind = np.where(has_comment, kind, 0)
    own_topic = pick(rng, TOPIC_MIX, p["channel"][src])
    use_ticket = linked & (rng.random(m) < 0.85)
    s["topic"] = np.where(kind == 1, np.where(use_ticket, t["topic"][tki], own_topic), -1)
    s["kind"] = kind
    s["category"] = p["category"][src]
    keep = answered <= horizon
    s = {k: v[keep] for k, v in s.items()}
    order = np.lexsort((s["owner"], s["answered"]))
    return {k: v[order] for k, v in s.items()}


def frame(s: dict[str, np.ndarray], comments: list[str | None], cid: pa.Array,
          start: pd.Timestamp) -> pd.DataFrame:
    """The surveys table of the simulated answers ``s`` with their ``comments``."""
    return pd.DataFrame({
        "customer_id": text(s["owner"], cid),
        "answered_at": timestamps(start, s["answered"]),
        "nps": pd.array(np.where(s["nps_missing"], None, s["nps"]), dtype="Int64"),
        "csat": pd.array(np.where(s["csat_missing"], None, s["csat"]), dtype="Int64"),
        "comment": pd.array(comments, dtype="str"),
        "channel": text(s["channel"], SURVEY_CHANNELS),
    })


def truth_frame(s: dict[str, np.ndarray], folded: np.ndarray, slang: np.ndarray,
                ticket_ids: pa.Array) -> pd.DataFrame:
    """What lies behind each answer: linked ticket, its effect, the comment's kind and cause."""
    return pd.DataFrame({
        "ticket_id": text(s["ticket"], ticket_ids),
        "ticket_effect": s["effect"],
        "comment_kind": text(s["kind"], COMMENT_KINDS),
        "comment_topic": text(s["topic"], TOPICS),
        "comment_factor": text(np.where(s["topic"] >= 0,
                                        TOPIC_FACTOR_CODE[np.maximum(s["topic"], 0)], -1),
                               FACTORS),
        "folded": folded,
        "slang": slang,
    })
