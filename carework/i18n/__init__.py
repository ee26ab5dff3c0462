"""User-visible text in Vietnamese (default) and English, and the formats of numbers, money and
dates in each.

Every string a user reads — dashboard labels, loader errors, reject reasons, CLI reports — comes
from :data:`MESSAGES` through :func:`t`; the texts live in one data file per language,
``carework/i18n/vi.toml`` and ``carework/i18n/en.toml`` (see :mod:`carework.i18n.messages`).
The language is ``vi`` unless ``CAREWORK_LANG`` says otherwise or :func:`set_language` was
called. Numbers, percentages, money, dates and periods are written by Babel in the language's
locale (:mod:`carework.i18n.formats`) — nowhere else: every figure a reader sees goes through
``fmt_number``, ``fmt_decimal``, ``fmt_percent``, ``fmt_money``, ``fmt_date``, ``fmt_period`` or
``fmt_undefined`` (a test searches the package for hand-made formats). Money is in the current
currency, ``VND`` unless ``[display] currency``, ``CAREWORK_CURRENCY`` or
:func:`set_currency` says otherwise. The words for the domain's terms (customer group, churn
risk, value at risk, CRR...) are the ``term.*`` keys: one word per term in each language.

Examples
--------
>>> t("table.transactions", lang="en")
'Transactions'
>>> t("table.transactions", lang="vi")
'Giao dịch'
>>> fmt_number(1250000, lang="vi")
'1.250.000'
"""

from carework.i18n.formats import (
    LOCALES,
    MISSING,
    compact_unit,
    currency,
    fmt_date,
    fmt_decimal,
    fmt_money,
    fmt_number,
    fmt_percent,
    fmt_period,
    fmt_undefined,
    fmt_vnd,
    get_currency,
    set_currency,
)
from carework.i18n.messages import (
    LANGUAGES,
    MESSAGES,
    get_language,
    label,
    language,
    set_language,
    t,
)

__all__ = ["LANGUAGES", "LOCALES", "MESSAGES", "MISSING", "compact_unit", "currency", "fmt_date",
           "fmt_decimal", "fmt_money", "fmt_number", "fmt_percent", "fmt_period",
           "fmt_undefined", "fmt_vnd", "get_currency", "get_language", "label", "language",
           "set_currency", "set_language", "t"]
