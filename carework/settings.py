"""Settings a user may change (rule thresholds): typed from TOML or keyword values and checked,
with a :class:`carework.DataError` naming the setting when one is unknown, of the wrong type or
makes no sense."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields
from typing import Any, TypeVar

from carework.errors import DataError

T = TypeVar("T")


def refuse_nonsense(what: str, checks: Iterable[tuple[str, Any, bool, str]]) -> None:
    """Raise for the first ``(name, value, ok, must)`` that is not ``ok``."""
    for name, value, ok, must in checks:
        if not ok:
            raise DataError(f"{what}: {name} = {value!r} makes no sense: {must}", column=name,
                            fix="change it or remove it to use the default")


def from_mapping(cls: type[T], values: dict[str, Any], what: str, source: str = "") -> T:
    """A settings dataclass ``cls`` from its defaults overridden by ``values``, each converted to
    its default's type (a tuple from a list)."""
    file = source or None
    known = sorted(f.name for f in fields(cls))  # type: ignore[arg-type]
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise DataError(f"{what}: unknown setting {unknown[0]!r}", file=file, column=unknown[0],
                        fix=f"use one of: {', '.join(known)}")
    typed: dict[str, Any] = {}
    for name, value in values.items():
        default = getattr(cls, name)
        try:
            if isinstance(default, tuple):
                if isinstance(value, str) or not isinstance(value, list | tuple):
                    raise TypeError
                typed[name] = tuple(type(default[0])(v) for v in value)
            elif isinstance(value, bool | list | dict | str) or (
                    isinstance(default, int) and value != int(value)):
                raise TypeError
            else:
                typed[name] = type(default)(value)
        except (TypeError, ValueError):
            raise DataError(f"{what}: {name} = {value!r} has the wrong type", file=file,
                            column=name, fix=f"write it like the default, {default!r}") from None
    try:
        return cls(**typed)
    except DataError as exc:
        raise DataError(exc.problem, file=file, column=exc.column, fix=exc.fix) from None
