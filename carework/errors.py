"""The two errors carework raises for problems a user can fix."""

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
