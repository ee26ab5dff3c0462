"""The complaint taxonomy: root-cause factors, the topics under each, their names and aliases.

The handbook sorts complaint causes into three factors — product, convenience and people —
each with its topics (the canonical ticket categories). They live in one data file,
``carework/text/taxonomy.toml``, read here and nowhere else: by the comment classifier, the
sample generator, the ticket categories and the labels on every screen. A business extends or
renames them in its ``carework.toml`` (``[text.topics.<code>]``, see :func:`taxonomy`).

Examples
--------
>>> tax = default_taxonomy()
>>> tax.factor_of("delivery")
'convenience'
>>> tax.name("staff_attitude", "en")
'Staff attitude'
>>> tax.topics_of("people")
('staff_attitude', 'staff_skills')
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from types import MappingProxyType
from typing import Any

from carework.vntext import fold

__all__ = ["FACTORS", "NOT_COMPLAINT", "UNKNOWN", "Taxonomy", "Topic", "default_taxonomy",
           "taxonomy_with"]

FACTORS = ("product", "convenience", "people")
"""The handbook's three root-cause factors."""

NOT_COMPLAINT = "other"
"""The factor of a comment that does not complain (praise, a neutral remark, nothing)."""

UNKNOWN = "unknown"
"""The factor of a comment the classifier cannot read (see :mod:`carework.text.language`)."""

_CODE = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Topic:
    """One complaint topic.

    Attributes
    ----------
    code : str
        The topic's code (``product_quality``), as tables carry it.
    factor : str
        One of :data:`FACTORS`.
    names : mapping of str to str
        The topic's name per language (``{"vi": ..., "en": ...}``).
    aliases : tuple of str
        Words and phrases customers use for it, folded (no diacritics, lower case).
    """

    code: str
    factor: str
    names: Mapping[str, str]
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Taxonomy:
    """Factors and topics; read-only.

    Attributes
    ----------
    topics : mapping of str to Topic
        By code, in the file's order.
    factor_names : mapping of str to mapping of str to str
        Per factor its name per language.
    """

    topics: Mapping[str, Topic]
    factor_names: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    @property
    def codes(self) -> tuple[str, ...]:
        """Topic codes in order."""
        return tuple(self.topics)

    @property
    def topic_factor(self) -> dict[str, str]:
        """Topic code → factor."""
        return {code: topic.factor for code, topic in self.topics.items()}

    def factor_of(self, topic: str) -> str:
        """The factor of a topic code (:class:`KeyError` for an unknown code)."""
        return self.topics[topic].factor

    def topics_of(self, factor: str) -> tuple[str, ...]:
        """The topic codes of a factor, in order."""
        return tuple(code for code, t in self.topics.items() if t.factor == factor)

    def name(self, code: str, lang: str = "vi") -> str:
        """A topic's or factor's name in ``lang`` (the code itself when it has none)."""
        if code in self.topics:
            return self.topics[code].names.get(lang, code)
        return self.factor_names.get(code, {}).get(lang, code)

    def aliases(self) -> dict[str, tuple[str, ...]]:
        """Topic code → folded aliases."""
        return {code: t.aliases for code, t in self.topics.items()}

    def fingerprint(self) -> str:
        """A short text that changes whenever the topics, their factors or aliases change
        (a model trained on one taxonomy is only valid for it)."""
        return "|".join(f"{c}:{t.factor}:{','.join(t.aliases)}" for c, t in self.topics.items())


def _parse(table: Mapping[str, Any], where: str,
           base: Taxonomy | None = None) -> Taxonomy:
    factor_names = {f: dict(n) for f, n in (base.factor_names if base else {}).items()}
    for code, names in table.get("factors", {}).items():
        if code not in FACTORS:
            raise ValueError(f"{where}: factor {code!r} is not one of {FACTORS}; "
                             "a business can rename factors, not add them")
        factor_names.setdefault(code, {}).update(
            {k: str(v) for k, v in names.items() if k in ("vi", "en")})
    topics: dict[str, Topic] = dict(base.topics) if base else {}
    for code, entry in table.get("topics", {}).items():
        if not _CODE.match(code):
            raise ValueError(f"{where}: topic code {code!r} must be lower-case letters, digits "
                             "and _ (for example 'hygiene')")
        old = topics.get(code)
        factor = entry.get("factor", old.factor if old else None)
        if factor not in FACTORS:
            raise ValueError(f"{where}: topic {code!r} needs factor = one of {FACTORS}, "
                             f"not {factor!r}")
        names = dict(old.names) if old else {}
        names.update({k: str(entry[k]) for k in ("vi", "en") if k in entry})
        for lang in ("vi", "en"):
            names.setdefault(lang, names.get("vi") or names.get("en") or code)
        raw = entry.get("aliases")
        if raw is not None:
            aliases = tuple(dict.fromkeys(" ".join(fold(str(a)).split()) for a in raw
                                          if str(a).strip()))
        else:
            aliases = old.aliases if old else ()
        topics[code] = Topic(code, factor, MappingProxyType(names), aliases)
    return Taxonomy(MappingProxyType(topics),
                    MappingProxyType({f: MappingProxyType(n) for f, n in factor_names.items()}))


@functools.cache
def default_taxonomy() -> Taxonomy:
    """The taxonomy shipped with carework (``carework/text/taxonomy.toml``)."""
    source = (resources.files(__package__) / "taxonomy.toml").read_text(encoding="utf-8")
    return _parse(tomllib.loads(source), "carework/text/taxonomy.toml")


def taxonomy_with(overrides: Mapping[str, Any] | None = None) -> Taxonomy:
    """The default taxonomy with a business's changes.

    Parameters
    ----------
    overrides : mapping, optional
        The ``[text]`` table of ``carework.toml``: ``topics.<code>`` adds a topic or changes
        an existing one's factor, names or aliases; ``factors.<factor>`` renames a factor.

    Returns
    -------
    Taxonomy

    Examples
    --------
    >>> tax = taxonomy_with({"topics": {"hygiene": {"factor": "product", "vi": "Vệ sinh",
    ...                                        "aliases": ["bẩn", "Gián"]}}})
    >>> tax.factor_of("hygiene"), tax.topics["hygiene"].aliases, tax.name("hygiene", "en")
    ('product', ('ban', 'gian'), 'Vệ sinh')
    """
    if not overrides or not any(overrides.values()):
        return default_taxonomy()
    return _parse(overrides, "carework.toml [text]", default_taxonomy())
