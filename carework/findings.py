"""What loading a data folder found, in words: the lines ``carework validate``, the dashboards'
banner and the notebooks show, so that every screen says the same about the same data.

Examples
--------
>>> for line in data_findings(carework.load("data/sample")):      # doctest: +SKIP
...     print(line)
"""

from __future__ import annotations

from carework.i18n import fmt_money, fmt_number, t
from carework.io import Dataset


def returns_line(data: Dataset) -> str | None:
    """How returns and cancellations were netted, with spend before and after."""
    if not data.returns:
        return None
    return t("cli.returns", returns=fmt_number(data.returns.get("returns", 0)),
             net=fmt_money(data.returns.get("net", 0)),
             gross=fmt_money(data.returns.get("gross", 0)),
             rule=t(f"returns.rule.{data.returns.get('rule')}"))


def join_lines(data: Dataset) -> list[str]:
    """Per table, the rows whose customer bought nothing (prospects for ``customers``)."""
    joins = data.join_report()
    unjoined = joins[(joins["unmatched"] > 0) & (joins["table"] != "transactions")]
    return [t("cli.join.prospects" if row.table == "customers" else "cli.join.unmatched",
              table=t(f"table.{row.table}"), rows=fmt_number(row.rows),
              unmatched=fmt_number(row.unmatched))
            for row in unjoined.itertuples(index=False)]


def file_note_lines(data: Dataset, table: str | None = None) -> list[str]:
    """What was repaired or noticed in whole files (of ``table``, or all)."""
    notes = data.file_notes
    if table is not None:
        notes = notes[notes["table"] == table]
    return [t(f"file_note.{note.note}", count=fmt_number(note.count), detail=note.detail,
              currency=data.settings.display.currency)
            for note in notes.itertuples(index=False)]


def data_findings(data: Dataset) -> list[str]:
    """Everything a reader of the figures should know about the data behind them: rows set
    aside, returns netted, customers that do not join, files repaired."""
    lines = []
    rejected = len(data.rejects)
    if rejected:
        read = sum(data.rows_read.values())
        lines.append(t("findings.rejected", rows=fmt_number(rejected), read=fmt_number(read)))
    lines += [line for line in [returns_line(data)] if line]
    lines += join_lines(data)
    lines += [f"{t(f'table.{table}')}: {line}" for table in data.files
              for line in file_note_lines(data, table)]
    return lines
