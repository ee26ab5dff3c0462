"""Write result tables for people and other programs: CSV, Excel or Parquet by extension.

Writes are atomic: the table goes to a temporary file beside the target, which is then renamed,
so an interrupted run never leaves a half-written file. CSV is UTF-8 with a byte-order mark, so
Excel shows Vietnamese correctly.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from carework.errors import data_error

FORMATS = (".csv", ".xlsx", ".parquet")


def atomic_write(path: str | os.PathLike[str], write: Callable[[str], None]) -> Path:
    """Call ``write(temporary_path)`` on a temporary file beside ``path``, then rename it to
    ``path``: readers see the old file or the whole new one, never half of it."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}.",
                                         suffix=target.suffix)
    os.close(handle)
    try:
        write(temporary)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def write_table(frame: pd.DataFrame, path: str | os.PathLike[str], *,
                index: bool = True) -> Path:
    """Write ``frame`` to ``path`` in the format its extension names; returns the path.

    Another extension is a :class:`carework.DataError` (the user chose the name)."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in FORMATS:
        raise data_error("err.export.extension", file=target.name, formats=", ".join(FORMATS),
                         example=f"{target.stem or 'table'}.xlsx")
    frame = frame.copy(deep=False)
    frame.attrs = {}  # in-memory metadata (dates, parameters) is not part of the file

    def write(temporary: str) -> None:
        if suffix == ".csv":
            frame.to_csv(temporary, index=index, encoding="utf-8-sig")
        elif suffix == ".xlsx":
            frame.to_excel(temporary, index=index, engine="openpyxl")
        else:
            frame.to_parquet(temporary, index=index)

    return atomic_write(target, write)
