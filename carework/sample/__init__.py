"""Deterministic synthetic sample data for carework.

:func:`generate` simulates a Vietnamese retail business (two cities' stores plus an online
shop, money in VND) with five hidden customer personas, a buy-till-you-die purchase process,
Tết seasonality, complaint tickets, post-purchase surveys with free-text comments and a call
history. :func:`write` saves the five canonical tables as CSV plus a ``README.md`` data
dictionary. The same seed gives byte-identical files.

Hidden structure (kept in :attr:`SampleData.truth` and :attr:`SampleData.survey_truth`,
never written to the data folder):

* Personas: ``acquaintance``, ``regular``, ``occasional``, ``online``, ``vip`` (the care
  handbook's five groups), plus two cross-cutting patterns clustering should find:
  ``slowed_regular`` (a regular whose purchase rate drops to a third or a quarter part-way)
  and ``fading_big_spender`` (an online customer with 3.5x larger baskets whose activity
  fades).
* Purchases follow BG/NBD: a first purchase at (or soon after) sign-up, then repeat
  purchases at rate ``lambda`` per ordinary day (Gamma across customers; ``regular``
  customers have Gamma-shaped, i.e. regular, gaps instead of exponential ones), and after
  each repeat purchase the customer drops out with probability ``p_dropout`` (Beta).
  Calendar effects (Tết, weekdays) enter through a time change, so they multiply the rate.
* Basket values are Gamma-Gamma: each customer has a mean spend (inverse-Gamma across
  customers, independent of frequency); each basket is Gamma around it.
* Survey scores depend on a latent customer satisfaction and on the experience of a ticket
  linked to the purchase (see :data:`SCORE_EFFECTS`).

One module per table or concern: :mod:`~carework.sample.personas` (the hidden personas),
:mod:`~carework.sample.calendar` (seasonality), :mod:`~carework.sample.customers`
(with :mod:`~carework.sample.names`), :mod:`~carework.sample.purchases` (with
:mod:`~carework.sample.renewal`), :mod:`~carework.sample.tickets`,
:mod:`~carework.sample.surveys`, :mod:`~carework.sample.comments` (with
:mod:`~carework.sample.phrases`), :mod:`~carework.sample.contacts`,
:mod:`~carework.sample.flaws` (export flaws), :mod:`~carework.sample.truth`,
:mod:`~carework.sample.generator` (:func:`generate`), :mod:`~carework.sample.writer`
(:func:`write`) and :mod:`~carework.sample.readme` (the data dictionary).

Examples
--------
>>> data = generate(customers=200, seed=1)
>>> sorted(data.tables())
['contacts', 'customers', 'surveys', 'tickets', 'transactions']
>>> data.customers["customer_id"].iloc[0]
'KH000001'
"""

from __future__ import annotations

from carework.sample.agents import AGENTS
from carework.sample.contacts import CONTACT_CHANNELS, OUTCOMES
from carework.sample.data import SampleData
from carework.sample.generator import generate
from carework.sample.personas import ACQUISITION, CHANNELS, INCOME, PERSONAS
from carework.sample.purchases import CATEGORIES
from carework.sample.surveys import CSAT_PER_NPS, SCORE_EFFECTS, SURVEY_CHANNELS
from carework.sample.tickets import TICKET_CHANNELS, TICKET_TOPICS
from carework.sample.writer import write

__all__ = [
    "ACQUISITION",
    "AGENTS",
    "CATEGORIES",
    "CHANNELS",
    "CONTACT_CHANNELS",
    "CSAT_PER_NPS",
    "INCOME",
    "OUTCOMES",
    "PERSONAS",
    "SCORE_EFFECTS",
    "SURVEY_CHANNELS",
    "TICKET_CHANNELS",
    "TICKET_TOPICS",
    "SampleData",
    "generate",
    "write",
]
