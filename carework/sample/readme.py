"""The README data dictionary written next to the sample CSV files.

It documents every column (type, missing count, meaning, observed values), the injected
flaws with their exact counts and the hidden structure the analyses should find, quoting
the generator's own parameters so that text and data cannot drift apart.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from carework.sample.agents import AGENTS
from carework.sample.calendar import TET
from carework.sample.clock import DAY
from carework.sample.columns import SAMPLE_COLUMNS
from carework.sample.data import SampleData
from carework.sample.personas import (
    ACQ_MIX,
    ACQUISITION,
    CHANNEL_MIX,
    CHANNELS,
    GAP_SHAPE,
    PERSONAS,
    SAT_SD,
)
from carework.sample.surveys import (
    CSAT_BASE,
    CSAT_PER_NPS,
    CSAT_SD,
    NPS_ANSWER_SD,
    NPS_BASE,
    SCORE_EFFECTS,
    SURVEY_RATE,
    SURVEY_RATE_TICKET,
)
from carework.sample.tickets import (
    CANCEL,
    FRT_MEDIAN_MIN,
    HANDLE_KNEE_DAYS,
    HANDLE_MAX_DAYS,
    REOPEN,
    STALE,
    STATUSES,
    TICKET_CHANNELS,
    TICKET_RATE,
    TICKET_TOPICS,
)
from carework.schema import TABLES

__all__ = ["MEANING", "readme"]

MEANING: dict[str, dict[str, str]] = {
    "transactions": {
        "customer_id": "Customer who bought (→ customers.customer_id).",
        "purchased_at": "Time of the purchase (local time).",
        "amount": "Basket value in VND, a multiple of 1,000; negative on return rows.",
        "order_id": "Order number, unique per purchase; a return row repeats its order's id.",
        "channel": "Where the purchase was made.",
        "product_category": "Main product category of the basket (Vietnamese).",
        "store": "Store of an in-store purchase; empty for online and phone orders.",
    },
    "customers": {
        "customer_id": "Customer code, numbered in sign-up order.",
        "name": "Full Vietnamese name (family, middle, given) with diacritics.",
        "phone": "Mobile number, 10 digits with the leading 0 (text, not a number).",
        "email": "E-mail address, when the customer gave one.",
        "gender": "Gender.",
        "birth_date": "Date of birth.",
        "province": "Province or city of residence.",
        "occupation": "Occupation (Vietnamese).",
        "income_band": "Income band.",
        "acquisition_source": "How the customer first came to the business.",
        "signup_at": "Date the customer was registered (first purchase that day or soon after).",
        "do_not_call": "The customer asked not to be called; never contacted.",
    },
    "surveys": {
        "customer_id": "Customer who answered (→ customers.customer_id).",
        "answered_at": "Time of the answer, a few days after a purchase.",
        "nps": "Likelihood to recommend, 0-10 (promoters 9-10, passives 7-8, detractors 0-6).",
        "csat": "Satisfaction with the purchase, 1-5 (4-5 count as satisfied).",
        "comment": "Free-text comment in Vietnamese (with or without diacritics, with slang).",
        "channel": "How the survey was answered.",
    },
    "tickets": {
        "ticket_id": "Ticket number, in order of opening.",
        "customer_id": "Customer who complained (→ customers.customer_id).",
        "opened_at": "Time the ticket was opened, after the purchase it is about.",
        "first_response_at": "First response by an agent; empty if none yet at the end.",
        "resolved_at": "Final resolution, or the cancellation; empty while the ticket is open.",
        "channel": "Channel through which the complaint came in.",
        "category": "Complaint topic; see the topic → root-cause table below.",
        "agent": "Care agent who handled the ticket.",
        "status": "open (not closed at the end: recent tickets still being handled, and a "
                  "few old ones nobody closed), resolved, reopened (resolved, reopened by the "
                  "customer, then resolved again; resolved_at is the final resolution), or "
                  "cancelled (withdrawn by the customer or a duplicate ticket; resolved_at is "
                  "the cancellation).",
    },
    "contacts": {
        "customer_id": "Customer contacted (→ customers.customer_id).",
        "contacted_at": "Time of the call or message.",
        "channel": "phone call, sms or email.",
        "agent": "Care agent who made the contact.",
        "outcome": "Result of the contact.",
    },
}
"""What each column of the sample means, by table and column."""
_KIND_TYPE = {"id": "text (id)", "text": "text", "phone": "text (phone)",
              "datetime": "timestamp", "date": "date", "money": "integer (VND)",
              "score": "integer", "bool": "boolean", "category": "category"}


def _md_values(series: pd.Series, kind: str, limit: int = 20) -> str:
    s = series.dropna()
    if s.empty:
        return "—"
    if kind in ("date", "datetime"):
        fmt = "%Y-%m-%d" if kind == "date" else "%Y-%m-%d %H:%M:%S"
        return f"{s.min().strftime(fmt)} … {s.max().strftime(fmt)}"
    if kind in ("money", "score"):
        return f"{int(s.min()):,} … {int(s.max()):,}"
    if kind == "bool":
        return f"true {int(s.sum()):,}, false {int((~s.astype(bool)).sum()):,}"
    counts = s.astype(str).value_counts()
    if kind in ("id", "phone") or len(counts) > limit:
        return f"{len(counts):,} distinct, e.g. " + ", ".join(f"`{v}`" for v in s.iloc[:3])
    return ", ".join(f"`{v}` {c:,}" for v, c in sorted(counts.items(), key=lambda x: (-x[1], x[0])))


def _overview(data: SampleData) -> list[str]:
    prm = data.params
    lines = [
        "# carework sample data",
        "",
        "Synthetic customer-care data of a Vietnamese retail business (stores in TP Hồ Chí Minh "
        "and Hà Nội plus an online shop, money in VND). Every name, phone number and e-mail is "
        "made up. This file is generated together with the data; do not edit it by hand.",
        "",
        f"- generator: `carework.sample.generate(customers={prm.get('customers')}, "
        f"seed={prm.get('seed')}, start={prm.get('start')!r}, end={prm.get('end')!r}, "
        f"flaws={prm.get('flaws')})`, written by `carework.sample.write` — the same call gives "
        "byte-identical files",
        f"- period: {prm.get('start')} to {prm.get('end')} (every timestamp is at or before "
        f"{prm.get('end')} 00:00:00, so the last day with activity is the day before)",
        "- format: UTF-8, comma separated, one header row with the canonical column names of "
        "`carework.schema`; dates `YYYY-MM-DD`, timestamps `YYYY-MM-DD HH:MM:SS` (local time, "
        "no zone); booleans `true`/`false`; an empty cell is a missing value",
        "",
        "| table | file | rows |",
        "| --- | --- | ---: |",
    ]
    for name, frame in data.tables().items():
        lines.append(f"| {name} | `{name}.csv` | {len(frame):,} |")
    lines.append("")
    return lines


def _columns(data: SampleData) -> list[str]:
    lines: list[str] = []
    for name, frame in data.tables().items():
        lines += [f"## {name}", "", "| column | type | missing | meaning | values |",
                  "| --- | --- | ---: | --- | --- |"]
        for col in TABLES[name].columns:
            if col.name not in SAMPLE_COLUMNS[name]:
                continue
            series = frame[col.name]
            req = " (required)" if col.required else ""
            values = _md_values(series, col.kind).replace("|", "\\|")
            lines.append(f"| `{col.name}` | {_KIND_TYPE[col.kind]}{req} | "
                         f"{int(series.isna().sum()):,} | {MEANING[name][col.name]} | "
                         f"{values} |")
        lines.append("")
    return lines


def _flaws(data: SampleData) -> list[str]:
    flaws = data.flaws
    return [
        "## Injected flaws",
        "",
        "A realistic export, not a clean one. Only these flaws are present; everything else "
        "is consistent (every `customer_id` exists in customers, ticket times are ordered, "
        "scores are in range, do-not-call customers are never contacted).",
        "",
        f"- `transactions.returns`: {flaws.get('transactions.returns', 0):,} "
        "return rows — negative amount (the whole basket or part of it), same customer, "
        "order_id, channel, category and store as the purchase, 1 hour to 11 days later "
        "(within opening hours). carework nets each against the order it returns: a whole "
        "basket sets the order aside (`cancelled_order`), a part reduces it; the return row "
        "itself is set aside as `cancellation`.",
        f"- `transactions.duplicate_row`: {flaws.get('transactions.duplicate_row', 0):,} "
        "extra rows that repeat the line above them verbatim (an export glitch).",
        "",
    ]


def _tet_ratios(tx: pd.DataFrame) -> list[str]:
    """Observed purchase counts around each Tết in the data against the weeks either side."""
    pos = tx[tx["amount"] > 0]
    daily = pos.set_index("purchased_at").resample("D").size()
    ratios = []
    for tet in TET:
        t = pd.Timestamp(tet)
        pre = daily[t - pd.Timedelta(days=21):t - pd.Timedelta(days=2)]
        hol = daily[t - pd.Timedelta(days=1):t + pd.Timedelta(days=5)]
        ref = pd.concat([daily[t - pd.Timedelta(days=63):t - pd.Timedelta(days=22)],
                         daily[t + pd.Timedelta(days=14):t + pd.Timedelta(days=56)]])
        if len(pre) == 20 and len(hol) == 7 and len(ref) > 40 and ref.mean() > 0:
            ratios.append(f"Tết {tet}: {pre.mean() / ref.mean():.1f}x in the 3 weeks "
                          f"before, {hol.mean() / ref.mean():.1f}x in the holiday week")
    return ratios


def _purchases(data: SampleData) -> list[str]:
    tr = data.truth
    tx = data.transactions
    if not len(tr):
        return []
    lines = ["Personas (the handbook's five groups, hidden; `acquisition_source`, "
             "`province`, channel and spend only hint at them):", "",
             "| persona | share | repeat rate (mean, per day) | gap shape | "
             "P(drop out) after a repeat (mean) | mean basket (median, VND) | "
             "usual source | mostly buys |",
             "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |"]
    for i, persona in enumerate(PERSONAS):
        sub = tr[tr["persona"] == persona]
        if sub.empty:
            continue
        src = ACQUISITION[int(np.argmax(ACQ_MIX[i]))]
        ch = CHANNELS[int(np.argmax(CHANNEL_MIX[i]))]
        lines.append(f"| {persona} | {len(sub) / len(tr):.0%} | "
                     f"{sub['lambda'].mean():.4f} (every {1 / sub['lambda'].mean():.0f} "
                     f"days) | {GAP_SHAPE[i]:g} | {sub['p_dropout'].mean():.3f} | "
                     f"{sub['mean_spend'].median():,.0f} | {src} | {ch} |")
    n_pat = tr["pattern"].value_counts()
    lines += [
        "",
        f"- Purchases follow BG/NBD: first purchase on the sign-up day or soon after "
        f"({tr['prospect'].mean():.0%} of customers are prospects who never bought), "
        "repeat purchases at a Gamma-distributed rate (regulars have Gamma(3.5)-shaped, "
        "i.e. regular, gaps instead of exponential ones), and after each repeat purchase "
        "the customer drops out for good with a Beta-distributed probability "
        f"({tr['dropout_at'].notna().mean():.0%} had dropped out by the end). Unhappy "
        "customers drop out a little more often.",
        f"- Cross-cutting patterns for clustering: {int(n_pat.get('slowed_regular', 0)):,}"
        " `slowed_regular` customers (regulars whose rate falls to a third or a quarter "
        "part-way) and "
        f"{int(n_pat.get('fading_big_spender', 0)):,} `fading_big_spender` customers "
        "(online customers with 3.5x larger baskets, often premium income, whose rate "
        "falls to a half or a third within months and who drop out often).",
        "- Basket values are Gamma-Gamma: a per-customer mean spend (inverse-Gamma, "
        "independent of purchase frequency; VIPs about 6x the others, premium income "
        "1.3x, budget 0.85x), each basket Gamma(3) around it times the category's price "
        "level (Điện tử 2x, Thực phẩm 0.55x).",
    ]
    if (tx["amount"] > 0).any():
        ratios = _tet_ratios(tx)
        lines.append("- Seasonality: the purchase rate rises from 1.8x to 3x over the 3 "
                     "weeks before Tết and drops to 0.35x in the holiday week (day before "
                     "Tết to day 5), then 0.8x for 4 days; weekends 1.2x, Monday and "
                     "Tuesday 0.85x. Observed daily purchase counts against the 6 weeks "
                     "either side: " + ("; ".join(ratios) if ratios else "—") + ".")
    lines.append("- Purchases happen 08:00-21:59; online orders peak in the evening, "
                 "phone orders in office hours.")
    return lines


def _ticket_figures(tickets: pd.DataFrame, end: str | None) -> str:
    """Observed ticket outcomes: counts by status, resolution times, old open tickets."""
    if not len(tickets):
        return ""
    counts = tickets["status"].value_counts()
    done = tickets["status"].isin(("resolved", "reopened")) & tickets["resolved_at"].notna()
    days = (tickets["resolved_at"] - tickets["opened_at"])[done].dt.total_seconds() / DAY
    text = " In this data: " + ", ".join(f"{int(counts.get(s, 0)):,} {s}" for s in STATUSES)
    if end is not None:
        last_day = pd.Timestamp(end).normalize() - pd.Timedelta(days=1)
        is_open = tickets["resolved_at"].isna()
        old = is_open & ((last_day - tickets["opened_at"].dt.normalize()).dt.days > 60)
        text += (f" ({int(old.sum()):,} of the open ones opened more than 60 days before the "
                 f"last day, {last_day:%Y-%m-%d})")
    if len(days):
        text += (f"; opening to resolution takes {days.median():.1f} days (median), "
                 f"{days.quantile(0.9):.1f} days (P90)")
    return text + "."


def _tickets(data: SampleData) -> list[str]:
    agents = ", ".join(f"{a} {s:g}x" for a, s, _ in AGENTS)
    topics = ", ".join(f"`{t}` → {f}" for t, f in TICKET_TOPICS.items())
    return [
        f"- Tickets: about {TICKET_RATE:.1%} of purchases (online 1.6x, in-store 0.8x; "
        "some customers complain far more) lead to a ticket. Categories map to the "
        f"handbook's root-cause factors: {topics}. First response depends on the channel "
        "(median minutes: " + ", ".join(f"{c} {m:g}" for c, m in
                                         zip(TICKET_CHANNELS, FRT_MEDIAN_MIN, strict=True))
        + ") and the agent (time factor: " + agents + "); agents work 08:00-22:00. "
        "Handling time depends on the topic (a warranty repair takes about a week, a price "
        "question a few hours) and the agent; beyond "
        f"{HANDLE_KNEE_DAYS:g} days it levels off towards {HANDLE_MAX_DAYS:g} days, so most "
        "tickets are resolved within days and hardly any after two weeks. "
        f"About {REOPEN:.0%} are reopened by the customer and resolved again about two days "
        f"later (`reopened`); about {CANCEL:.0%} are cancelled a few hours after the first "
        "response — the customer withdrew, or it duplicated another ticket (`cancelled`, "
        f"`resolved_at` is the cancellation); about {STALE:.1%} are never closed in the export "
        "(`open` with no `resolved_at` however old: a data-quality item, not an incident); "
        "tickets opened in the last days before the end are still being handled (`open`)."
        + _ticket_figures(data.tickets, data.params.get("end")),
    ]


def _surveys() -> list[str]:
    eff = SCORE_EFFECTS
    return [
        "- Surveys: sent after purchases; about "
        f"{SURVEY_RATE:.0%} answer, {SURVEY_RATE_TICKET:.0%} when the purchase led to a "
        "ticket. Scores come from a latent NPS = "
        f"{NPS_BASE} + customer satisfaction (persona shift + N(0, {SAT_SD})) + "
        f"N(0, {NPS_ANSWER_SD}) + ticket effects, rounded and clipped to 0-10; CSAT = "
        f"{CSAT_BASE} + {CSAT_PER_NPS} x (latent NPS − {NPS_BASE}) + N(0, {CSAT_SD}), "
        "clipped to 1-5. About 4% miss the NPS and 4% the CSAT (never both).",
        "",
        "| ticket effect on the latent NPS (CSAT: x0.45) | NPS points |",
        "| --- | ---: |",
        f"| a ticket linked to the surveyed purchase | {eff['ticket']:+.1f} |",
        f"| first response took 4-24 h | {eff['first_response_4_24h']:+.1f} |",
        "| first response took more than 24 h, or none yet when answering | "
        f"{eff['first_response_over_24h']:+.1f} |",
        "| handling took more than 72 h, or unresolved when answering | "
        f"{eff['handling_over_72h_or_unresolved']:+.1f} |",
        f"| root cause: product | {eff['factor_product']:+.1f} |",
        f"| root cause: convenience | {eff['factor_convenience']:+.1f} |",
        f"| root cause: people | {eff['factor_people']:+.1f} |",
        "",
        "- Comments: about 70% of detractors, 30% of passives and 35% of promoters write one. "
        "Detractors mostly complain — about the linked ticket's topic (85% of the time) or "
        "else about a topic typical of the purchase channel — sometimes adding a complaint "
        "about slow handling; promoters praise; passives mix neutral remarks and mild "
        "complaints. About 30% are written without diacritics and 35% with slang "
        "(k/ko = không, dc/đc = được, sp = sản phẩm, nv = nhân viên, ship/shipper, ok, "
        "some English), with inconsistent casing and punctuation.",
    ]


def _contacts() -> list[str]:
    return [
        "- Contacts: follow-up calls about a week after purchases (mostly VIP and "
        "high-spend customers), ticket follow-ups 1-3 days after a complaint, birthday "
        "greetings for high-value customers; weekdays, mostly 09:00-11:00 and 14:30-16:30; "
        "never to do-not-call customers, at most one per customer and day.",
        "",
    ]


def readme(data: SampleData) -> str:
    """The ``README.md`` text for the generated ``data``."""
    lines = _overview(data) + _columns(data) + _flaws(data)
    lines += ["## Hidden structure (what the analyses should find)", "",
              "The per-customer truth stays in `SampleData.truth` (never written here).", ""]
    lines += _purchases(data) + _tickets(data) + _surveys() + _contacts()
    return "\n".join(lines)
