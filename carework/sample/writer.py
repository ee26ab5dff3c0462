""":func:`write`: the five tables as CSV files plus the README data dictionary."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from carework.sample.data import SampleData
from carework.sample.readme import readme
from carework.schema import TABLES

__all__ = ["csv_frame", "write"]


def csv_frame(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The frame as it goes to CSV: ISO dates/timestamps, ``true``/``false`` booleans."""
    out = frame.copy()
    for col in TABLES[name].columns:
        if col.name not in out:
            continue
        values = out[col.name]
        if col.kind in ("date", "datetime"):
            fmt = "%Y-%m-%d" if col.kind == "date" else "%Y-%m-%d %H:%M:%S"
            out[col.name] = values.dt.strftime(fmt)
        elif col.kind == "bool":
            out[col.name] = np.where(values.to_numpy(dtype=bool), "true", "false")
    return out


def write(data: SampleData, folder: str | Path) -> list[Path]:
    """Write the five tables as ``<table>.csv`` plus a ``README.md`` data dictionary.

    Files are UTF-8, comma separated, with the canonical English headers of
    :mod:`carework.schema` in schema order; dates are ``YYYY-MM-DD``, timestamps
    ``YYYY-MM-DD HH:MM:SS``, booleans ``true``/``false``, missing values empty. Existing
    files of the same names are overwritten; other files in ``folder`` are left alone. The
    hidden truth is not written (it would be loaded as data).

    Parameters
    ----------
    data : SampleData
        What :func:`generate` returned.
    folder : str or Path
        Target folder, created if missing.

    Returns
    -------
    list of Path
        The written files: the five CSV files in schema order, then ``README.md``.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, frame in data.tables().items():
        path = folder / f"{name}.csv"
        csv_frame(name, frame).to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
        paths.append(path)
    path = folder / "README.md"
    path.write_text(readme(data), encoding="utf-8", newline="\n")
    paths.append(path)
    return paths
