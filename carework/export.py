"""Write result tables for people and other programs: CSV, Excel or Parquet by extension.

Writes are atomic: the table goes to a temporary file beside the target, which is then renamed,
so an interrupted run never leaves a half-written file. CSV is UTF-8 with a byte-order mark, so
Excel shows Vietnamese correctly.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd

FORMATS = (".csv", ".xlsx", ".parquet")


def write_table(frame: pd.DataFrame, path: str | os.PathLike[str], *,
                index: bool = True) -> Path:
    """Write ``frame`` to ``path`` in the format its extension names; returns the path."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"{target.name}: the output must end in one of {', '.join(FORMATS)}")
    target.parent.mkdir(parents=True, exist_ok=True)
    frame = frame.copy(deep=False)
    frame.attrs = {}  # in-memory metadata (dates, parameters) is not part of the file
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}.",
                                         suffix=suffix)
    os.close(handle)
    try:
        if suffix == ".csv":
            frame.to_csv(temporary, index=index, encoding="utf-8-sig")
        elif suffix == ".xlsx":
            frame.to_excel(temporary, index=index, engine="openpyxl")
        else:
            frame.to_parquet(temporary, index=index)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target
