"""The current language and the message table, read from one TOML file per language.

``vi.toml`` and ``en.toml`` (next to this module) hold every user-visible text as a flat table of
quoted dotted keys (``"table.transactions" = "Giao dịch"``). They are parsed once, on first use,
and kept: the texts are constant data.

Examples
--------
>>> t("table.transactions", lang="en")
'Transactions'
>>> t("table.transactions", lang="vi")
'Giao dịch'
>>> t("cli.error", lang="en", message="no such folder")
'carework: error: no such folder'
>>> label("walk_in", "value") == t("value.walk_in")
True
>>> label("not_a_known_value")
'not_a_known_value'
>>> MESSAGES["table.customers"]["en"]
'Customers'
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from importlib.resources import files
from types import MappingProxyType

LANGUAGES = ("vi", "en")


def _taxonomy_names() -> dict[str, dict[str, str]]:
    """``{lang: {key: text}}`` of the complaint taxonomy's names (``value.<topic>``,
    ``factor.<factor>``), read from its one data file (``carework/text/taxonomy.toml``)."""
    source = (files("carework") / "text" / "taxonomy.toml").read_text(encoding="utf-8")
    table = tomllib.loads(source)
    out: dict[str, dict[str, str]] = {lang: {} for lang in LANGUAGES}
    for prefix, section in (("factor", "factors"), ("value", "topics")):
        for code, entry in table.get(section, {}).items():
            for lang in LANGUAGES:
                out[lang][f"{prefix}.{code}"] = entry[lang]
    return out


@cache
def _texts() -> dict[str, dict[str, str]]:
    """``{lang: {key: text}}``, parsed from the package's ``<lang>.toml`` files once, with the
    taxonomy's names."""
    texts = {}
    names = _taxonomy_names()
    for lang in LANGUAGES:
        source = (files(__package__) / f"{lang}.toml").read_text(encoding="utf-8")
        texts[lang] = tomllib.loads(source) | names[lang]
    keys = {lang: set(table) for lang, table in texts.items()}
    if len({frozenset(k) for k in keys.values()}) > 1:
        every = set().union(*keys.values())
        gaps = {lang: sorted(every - k) for lang, k in keys.items() if every - k}
        raise RuntimeError(f"the message files do not have the same keys; missing: {gaps}")
    return texts


@cache
def _entries() -> Mapping[str, Mapping[str, str]]:
    """``{key: {lang: text}}`` in the files' order, read-only."""
    texts = _texts()
    first = texts[LANGUAGES[0]]
    return MappingProxyType(
        {key: MappingProxyType({lang: texts[lang][key] for lang in LANGUAGES}) for key in first})


class _Messages(Mapping[str, Mapping[str, str]]):
    """``MESSAGES[key][lang]``: the whole table as a read-only mapping, loaded on first use."""

    def __getitem__(self, key: str) -> Mapping[str, str]:
        return _entries()[key]

    def __contains__(self, key: object) -> bool:
        return key in _texts()[LANGUAGES[0]]

    def __iter__(self) -> Iterator[str]:
        return iter(_entries())

    def __len__(self) -> int:
        return len(_texts()[LANGUAGES[0]])

    def __repr__(self) -> str:
        return f"<carework messages: {len(self)} keys in {', '.join(LANGUAGES)}>"


MESSAGES: Mapping[str, Mapping[str, str]] = _Messages()


def _initial_language() -> str:
    lang = os.environ.get("CAREWORK_LANG", "vi").strip().lower()[:2]
    return lang if lang in LANGUAGES else "vi"


_language = _initial_language()


def get_language() -> str:
    """The current language code (``"vi"`` or ``"en"``)."""
    return _language


def set_language(lang: str) -> None:
    """Switch every later message to ``lang`` (``"vi"`` or ``"en"``)."""
    global _language
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {lang!r}")
    _language = lang


@contextmanager
def language(lang: str) -> Iterator[None]:
    """Use ``lang`` inside a ``with`` block, then restore the previous language."""
    previous = get_language()
    set_language(lang)
    try:
        yield
    finally:
        set_language(previous)


def t(key: str, lang: str | None = None, **params: object) -> str:
    """The text for ``key`` in ``lang`` (default: the current language), formatted with ``params``.

    An unknown key raises ``KeyError``: a missing translation is a bug to catch in tests, not a
    label to show.
    """
    text = _texts()[lang or _language][key]
    return text.format(**params) if params else text


_BUSINESS_NAMES: dict[str, dict[str, str]] = {}


def name_values(names: Mapping[str, Mapping[str, str]], prefix: str = "value") -> None:
    """Names of values the message files do not have, per language (``{"hygiene": {"vi":
    "Vệ sinh", "en": "Hygiene"}}``): a business's own complaint topics, from its
    ``carework.toml``. The shipped names keep precedence."""
    for value, by_lang in names.items():
        _BUSINESS_NAMES[f"{prefix}.{value}"] = dict(by_lang)


def label(value: object, prefix: str = "value") -> str:
    """The display label of a data value (``"walk_in"`` → ``"Khách vãng lai"``); values without
    a translation are shown as they are."""
    key = f"{prefix}.{value}"
    if key in MESSAGES:
        return t(key)
    named = _BUSINESS_NAMES.get(key)
    if named:
        return named.get(get_language()) or next(iter(named.values()))
    return str(value)
