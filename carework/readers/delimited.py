"""Split delimited text (CSV, TSV, Excel's "Unicode Text") into raw fields, line by line, so
that one broken line costs one row and never shifts or swallows the others.

What real exports do, and what happens here:

* ``sep=;`` as the first line (Excel writes it): the delimiter it names is used, the line is not
  a row.
* NUL bytes (a file saved by an old POS, or UTF-16 read as bytes): removed, counted.
* CR-only line endings (old Mac tools): read as line ends.
* A line with more fields than the header whose extra fields are all empty (trailing
  delimiters): the extras are dropped, the columns do not shift.
* A line with the wrong number of fields: set aside as ``bad_line``; the last line of a file cut
  mid-line: ``truncated_line``.
* An unbalanced quote: a line whose quote never closes while the lines after it are complete
  rows on their own is set aside as ``bad_line`` — it does not swallow the rows that follow. A
  quoted field that really spans lines (a comment with a line break) is kept whole.
* The header repeated inside the data (two exports pasted together): set aside as
  ``repeated_header``.
* Fields of any length (the csv module's 128 KiB field limit does not apply).

Rows are numbered as a spreadsheet shows them: the header is row 1.

Examples
--------
>>> table = split_delimited("a,b\\n1,2\\n3,4,,\\n5\\n")
>>> table.frame.to_dict("list"), table.bad_lines
({'a': ['1', '3'], 'b': ['2', '4']}, [(4, '5', 'bad_line')])
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from carework.vntext import slug

DELIMITERS = ("\t", ";", ",", "|")
csv.field_size_limit(2**31 - 1)  # a comment may be long; the line, not the field, is the unit
_SEP_LINE = re.compile(r"^\ufeff?\"?sep=(.)\"?\s*$", re.IGNORECASE)


@dataclass
class Delimited:
    """Text split into fields.

    Attributes
    ----------
    frame : the rows with the header's number of fields, as strings; the index is each row's
        spreadsheet row number (the header is row 1).
    bad_lines : ``(row, text, reason)`` for lines set aside (``bad_line``, ``truncated_line``,
        ``repeated_header``).
    delimiter : the delimiter used.
    notes : what was repaired, ``{code: count}`` (``nul_bytes``, ``trailing_delimiters``,
        ``sep_line``, ``cr_line_ends``).
    repeated_names : header names that occur more than once (the later ones are kept apart
        as ``name (2)``, …).
    """

    frame: pd.DataFrame
    bad_lines: list[tuple[int, str, str]] = field(default_factory=list)
    delimiter: str = ","
    notes: dict[str, int] = field(default_factory=dict)
    repeated_names: list[str] = field(default_factory=list)


def split_delimited(text: str, delimiter: str | None = None) -> Delimited:
    """Split ``text`` into a header and rows of raw string fields.

    Parameters
    ----------
    text : the decoded file.
    delimiter : the delimiter, or ``None`` to take the one the header line uses most.
    """
    notes: dict[str, int] = {}
    text = text.replace("\ufeff", "")  # byte-order marks: of the file, or of a pasted export
    if "\x00" in text:
        notes["nul_bytes"] = text.count("\x00")
        text = text.replace("\x00", "")
    if "\r" in text:
        if "\n" not in text:
            notes["cr_line_ends"] = text.count("\r")
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    first_break = text.find("\n")
    header_line = text[:first_break].lstrip("\ufeff") if first_break > 0 else ""
    if header_line.strip() and not _SEP_LINE.match(header_line):  # the common case, fast
        delimiter = delimiter or max(DELIMITERS, key=header_line.count)
        header = next(csv.reader([header_line], delimiter=delimiter))
        while len(header) > 1 and not header[-1].strip():
            header.pop()
        body = text[first_break + 1:]
        clean = _read_clean(body[:-1] if body.endswith("\n") else body, header_line,
                            delimiter, len(header))
        if clean is not None:
            names = [h.strip() for h in header]
            clean.columns = _unique(names)
            return Delimited(clean, [], delimiter, notes,
                             sorted({n for n in names if names.count(n) > 1}))
    lines = text.split("\n")
    ended = lines[-1] == ""  # the file ends with a line break
    if ended:
        lines.pop()
    first = 0
    while first < len(lines) and not lines[first].strip():
        first += 1
    if first < len(lines) and (sep := _SEP_LINE.match(lines[first])):
        delimiter = sep.group(1)
        notes["sep_line"] = 1
        first += 1
        while first < len(lines) and not lines[first].strip():
            first += 1
    if first >= len(lines):
        return Delimited(pd.DataFrame(), delimiter=delimiter or ",", notes=notes)
    header_line = lines[first].lstrip("\ufeff")
    if delimiter is None:
        delimiter = max(DELIMITERS, key=header_line.count)
    header = next(csv.reader([header_line], delimiter=delimiter))
    while len(header) > 1 and not header[-1].strip():  # trailing delimiters on the header
        header.pop()
    width = len(header)
    names = [h.strip() for h in header]
    repeated = sorted({n for n in names if names.count(n) > 1})
    fast = _split_whole_lines(lines[first + 1:], header_line, delimiter, width, ended)
    if fast is not None:
        frame, bad_lines, trailing = fast
        frame.columns = _unique(names)
        if trailing:
            notes["trailing_delimiters"] = trailing
        return Delimited(frame, bad_lines, delimiter, notes, repeated)
    header_key = [slug(h) for h in header]

    rows: list[list[str]] = []
    labels: list[int] = []
    bad: list[tuple[int, str, str]] = []
    trailing = 0

    def accept(fields: list[str], row: int, raw: str) -> None:
        nonlocal trailing
        if len(fields) > width and not any(f.strip() for f in fields[width:]):
            fields = fields[:width]
            trailing += 1
        if len(fields) != width:
            bad.append((row, raw, "bad_line"))
        elif [slug(f) for f in fields] == header_key:
            bad.append((row, raw, "repeated_header"))
        else:
            rows.append(fields)
            labels.append(row)

    body = lines[first + 1:]
    quoted = any(line.count('"') % 2 for line in body)  # a quote opens on one line, closes later
    row = 1
    if not quoted and any('"' in line for line in body):  # quotes, each closed on its own line
        for fields, line in zip(csv.reader(body, delimiter=delimiter), body, strict=True):
            if line.strip():
                row += 1
                accept(fields, row, line)
        body = []
    pending: list[str] = []   # physical lines of a record whose quote is still open
    for line in body:
        if not pending and not line.strip():
            continue  # blank lines are not rows (a spreadsheet shows them, but they hold nothing)
        if not quoted:
            row += 1
            accept(line.split(delimiter) if '"' not in line else
                   next(csv.reader([line], delimiter=delimiter)), row, line)
            continue
        if pending:
            if line.count('"') % 2 == 1:       # this line closes the open quote
                pending.append(line)
                row += 1
                raw = "\n".join(pending)
                accept(next(csv.reader([raw], delimiter=delimiter)), row, raw)
                pending = []
            elif _complete_row(line, delimiter, width):  # the open quote never closes
                row += 1
                bad.append((row, pending[0], "bad_line"))
                row += len(pending) - 1
                pending = []
                row += 1
                accept(next(csv.reader([line], delimiter=delimiter)), row, line)
            else:
                pending.append(line)
            continue
        if line.count('"') % 2 == 1:
            pending = [line]
            continue
        row += 1
        accept(next(csv.reader([line], delimiter=delimiter)), row, line)
    if pending:
        row += 1
        bad.append((row, "\n".join(pending), "bad_line"))
    if not ended and bad and bad[-1][0] == row and bad[-1][2] == "bad_line":
        bad[-1] = (row, bad[-1][1], "truncated_line")  # the file stops in the middle of a row
    if trailing:
        notes["trailing_delimiters"] = trailing
    frame = pd.DataFrame(rows, columns=_unique(names), index=labels, dtype=object)
    return Delimited(frame, bad, delimiter, notes, repeated)


def _split_whole_lines(body: list[str], header_line: str, delimiter: str, width: int,
                       ended: bool) -> tuple[pd.DataFrame, list, int] | None:
    """The common case, fast: every quote closes on its own line, so each non-blank line is
    one row. Lines are checked for their number of fields all at once, the good ones are split
    by pandas' C parser. ``None`` when some quote spans lines (the caller goes line by line).
    """
    if not body:
        return pd.DataFrame(columns=range(width), dtype="str"), [], 0
    lines = pd.Series(body, dtype="str")
    if (lines.str.count('"') % 2 == 1).any():
        return None
    lines = lines[lines.str.strip() != ""].reset_index(drop=True)
    rows = pd.Series(np.arange(len(lines)) + 2, dtype="int64")  # as a spreadsheet numbers them
    fields = lines.str.count(re.escape(delimiter)) + 1
    quoted = lines.str.contains('"', regex=False)
    if quoted.any():  # a delimiter inside quotes is no field break: count those lines properly
        fields[quoted] = [len(f) for f in csv.reader(lines[quoted].tolist(),
                                                     delimiter=delimiter)]
    trailing = 0
    extra = fields - width
    for k in sorted(set(extra[extra > 0].tolist())):  # trailing delimiters: drop the extras
        cut = (extra == k) & lines.str.endswith(delimiter * k) & ~quoted
        lines[cut] = lines[cut].str.slice(0, -k)
        fields[cut] = width
        trailing += int(cut.sum())
    header = header_line.strip().lower().rstrip(delimiter)
    again = lines.str.strip().str.lower().str.rstrip(delimiter) == header
    wrong = (fields != width) & ~again
    bad = [(int(rows[i]), str(lines[i]), "repeated_header") for i in np.flatnonzero(again)]
    bad += [(int(rows[i]), str(lines[i]), "bad_line") for i in np.flatnonzero(wrong)]
    if not ended and len(lines) and wrong.iloc[-1]:
        bad = [(r, text, "truncated_line" if r == rows.iloc[-1] else why)
               for r, text, why in bad]
    bad.sort()
    good = ~(wrong | again)
    kept = lines[good]
    if kept.empty:
        frame = pd.DataFrame(columns=range(width), dtype="str")
    else:
        frame = pd.read_csv(io.StringIO("\n".join(kept.tolist())), sep=delimiter, header=None,
                            names=range(width), dtype="str", keep_default_na=False,
                            na_filter=False, skip_blank_lines=False, engine="c")
    frame.index = rows[good].to_numpy()
    return frame, bad, trailing


def _read_clean(text: str, header_line: str, delimiter: str,
                width: int) -> pd.DataFrame | None:
    """The commonest case, fastest: no quote anywhere and every line of ``text`` (the body)
    with the header's number of fields (counted on the bytes), no repeated header. ``None``
    otherwise."""
    if not text.strip() or '"' in text or len(delimiter) != 1 or not delimiter.isascii():
        return None
    data = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
    ends = np.flatnonzero(data == 10)
    starts = np.concatenate([[0], ends + 1])
    stops = np.concatenate([ends, [len(data)]])
    marks = np.flatnonzero(data == ord(delimiter))
    fields = np.searchsorted(marks, stops) - np.searchsorted(marks, starts) + 1
    blank = stops == starts
    if (fields[~blank] != width).any():
        return None
    header = header_line.strip()
    if any(text.startswith(variant) or f"\n{variant}" in text for variant in
           {header, header.lower(), header.upper(), header.title()}):
        return None  # the header again inside the data: the careful path sets it aside
    del ends, starts, stops, marks, fields, blank
    frame = pd.read_csv(io.BytesIO(data), encoding="utf-8", sep=delimiter, header=None,
                        names=range(width),
                        dtype="str", keep_default_na=False, na_filter=False,
                        skip_blank_lines=True, engine="c")
    frame.index = np.arange(len(frame)) + 2
    return frame


def _complete_row(line: str, delimiter: str, width: int) -> bool:
    """``line`` is a whole row by itself: its quotes balance and it has the header's fields."""
    if width < 2 or line.count('"') % 2:
        return False
    fields = next(csv.reader([line], delimiter=delimiter))
    return len(fields) == width or (len(fields) > width and
                                    not any(f.strip() for f in fields[width:]))


def _unique(header: list[str]) -> list[str]:
    """The header with repeated names kept apart (``Ghi chú``, ``Ghi chú``) so that nothing
    is merged; the loader refuses two headers that mean the same canonical column."""
    seen: dict[str, int] = {}
    out = []
    for name in header:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out
