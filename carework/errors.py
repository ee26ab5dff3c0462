"""The two errors carework raises for problems a user can fix, and the helpers that build them
from the message table (:mod:`carework.i18n`: ``err.*`` problems, ``fix.*`` fixes), so that every
text a user reads is in the current language."""

from __future__ import annotations


class DataError(ValueError):
    """A data problem the user can fix: names the file, the column and what to do.

    Attributes
    ----------
    file, column : where the problem is (``None`` when it does not apply).
    fix : what the user should do, in the current language.
    """

    def __init__(self, message: str, *, file: str | None = None, column: str | None = None,
                 fix: str | None = None) -> None:
        self.file = file
        self.column = column
        self.fix = fix
        self.problem = message
        parts = [f"{file}: " if file else "", message]
        if fix:
            parts.append(f" — {fix}")
        super().__init__("".join(parts))


class ModelError(RuntimeError):
    """A model could not be fitted or used; the message says why in plain words."""


def data_error(key: str, *, fix: str | None = None, file: str | None = None,
               column: str | None = None, **params: object) -> DataError:
    """A :class:`DataError` whose problem (``key``) and fix come from the i18n table, rendered
    in the current language.

    ``fix`` is the key of the fix; by default ``key`` with ``err.`` changed to ``fix.``.
    ``params`` fill both texts' placeholders; ``column`` fills ``{column}`` too.
    """
    from carework.i18n import t

    if column is not None:
        params.setdefault("column", column)
    fix_key = fix or key.replace("err.", "fix.", 1)
    return DataError(t(key, **params), file=file, column=column, fix=t(fix_key, **params))


def model_error(key: str, *, fix: str | None = None, **params: object) -> ModelError:
    """A :class:`ModelError` whose message comes from the i18n table (current language).

    ``fix``, the key of the advice, fills the message's ``{advice}`` placeholder (a ModelError
    has no separate fix: the advice is part of its message).
    """
    from carework.i18n import t

    if fix is not None:
        params["advice"] = t(fix, **params)
    return ModelError(t(key, **params))
