"""Every number, amount, date and period a reader sees is written by carework.i18n (Babel, the
reader's language, the settings' currency): no module formats one by hand (issue 20: ``đ``
beside ``₫``, ``2,757`` beside ``2.757``, ``tr`` beside ``tỷ``, periods as ISO strings).

The scan reads the package's source with :mod:`ast`, so docstrings and comments (which quote
such formats as examples) are not code. Left out: ``carework/i18n`` (where formatting lives),
``carework/dashboards`` (reviewed separately, for now), and the modules that *read* money and
dates or write machine formats: ``parsing.py`` and ``readers/`` (they parse ``1,5tr``,
``99.000 đ``, ``25/12/2024``) and ``sample/`` (the generator writes its CSV files and an
English data dictionary, not figures for a reader).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import carework

PACKAGE = Path(carework.__file__).parent
LEFT_OUT = ("i18n", "dashboards", "parsing.py", "readers", "sample")

#: a money unit written after a number or a placeholder (``" đ"``, ``" tr"``, ``"₫"``...)
UNIT_AFTER = re.compile(r"^\s?(₫|đ|đồng|VNĐ|VND|tr|triệu|tỷ|nghìn)(\b|$)", re.IGNORECASE)
#: a money unit inside one literal next to a digit (``"1,2 tr"``, ``"85.000 đ"``, ``"$5"``)
UNIT_NEAR_DIGIT = re.compile(r"\d\s?(₫|đ\b|đồng|VNĐ|tr\b|triệu|tỷ)|[₫$£€]\s?\d", re.IGNORECASE)
#: a format spec that writes a number or a date by hand: thousands, fixed decimals, percent,
#: any strftime directive
HAND_SPEC = re.compile(r",|\.\d+[fe%]|%[a-zA-Z]")


def modules() -> Iterator[Path]:
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if parts[0] not in LEFT_OUT:
            yield path


#: ``{name:spec}`` in a ``str.format`` template whose spec writes thousands or decimals
TEMPLATE = re.compile(r"\{\w*(\[[^\]]*\])?:[0-9<>^=+ #-]*(,(\.\d+)?|\.\d+)[dfe%g]?\}")


def _not_text(tree: ast.AST) -> set[int]:
    """Nodes that are not text for a reader: docstrings, the parts of f-strings (scanned with
    their f-string), and f-strings measured with ``len()`` (a column's width)."""
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
        elif isinstance(node, ast.JoinedStr):
            ids |= {id(n) for n in ast.walk(node) if n is not node}
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id == "len" and node.args:
            ids |= {id(n) for n in ast.walk(node.args[0])}
    return ids


def hand_formats(source: str) -> list[tuple[int, str]]:
    """``(line, what)`` for each number, amount or date formatted by hand in ``source``."""
    tree = ast.parse(source)
    skipped = _not_text(tree)
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.JoinedStr):
            for value in node.values:
                if isinstance(value, ast.FormattedValue) and value.format_spec is not None:
                    spec = "".join(part.value for part in value.format_spec.values
                                   if isinstance(part, ast.Constant))
                    if HAND_SPEC.search(spec):
                        found.append((node.lineno, f"format spec {spec!r}"))
            literals = [v.value for v in node.values if isinstance(v, ast.Constant)]
            after_field = [v.value for prev, v in zip(node.values, node.values[1:], strict=False)
                           if isinstance(prev, ast.FormattedValue)
                           and isinstance(v, ast.Constant)]
            if any(UNIT_AFTER.search(text) for text in after_field):
                found.append((node.lineno, "a money unit after a placeholder"))
            if any(UNIT_NEAR_DIGIT.search(text) for text in literals):
                found.append((node.lineno, "a money unit beside a number"))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
            if UNIT_NEAR_DIGIT.search(text) or (text != text.lstrip() and UNIT_AFTER.search(text)):
                found.append((node.lineno, f"money text {text!r}"))
            if TEMPLATE.search(text):
                found.append((node.lineno, f"a format template {text!r}"))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in ("strftime", "isoformat"):
            found.append((node.lineno, f".{node.func.attr}()"))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id == "format" and len(node.args) == 2 \
                and isinstance(node.args[1], ast.Constant) \
                and HAND_SPEC.search(str(node.args[1].value)):
            found.append((node.lineno, f"format(..., {node.args[1].value!r})"))
    return found


@pytest.mark.parametrize("source, expected", [
    ('x = f"{v:,.0f} đ"', 2),                       # thousands and a unit
    ('x = f"{v} tr"', 1),
    ('x = "{:,}".format(v)', 1),
    ('x = f"{day:%d/%m/%Y}"', 1),
    ("x = day.strftime('%d/%m/%Y')", 1),
    ("x = day.isoformat()", 1),
    ('x = "1,2 tr"', 1),
    ('x = format(v, ",")', 1),
    ('x = f"{share:.1%}"', 1),
    ('x = text.replace("đ", "d")', 0),              # accent folding is not money
    ('x = {"₫": "VND", "tr": 1e6}', 0),             # a parser's table of units
    ('x = f"{name}: {count}"', 0),
    ('"""1.234.567 ₫ in a docstring"""', 0),
    ('x = f"{code:07d}"', 0),                        # an id's zero padding
    ('width = len(f"{largest:,.0f}")', 0),          # a column's width, not text
    ('css = "body{margin:0;font:12px Arial,sans-serif}"', 0),
    ('x = "{n:,} rows".format(n=n)', 1),
])
def test_the_scan_finds_hand_formats_and_nothing_else(source, expected):
    assert len(hand_formats(source)) == expected, hand_formats(source)


def test_the_scan_reads_the_whole_package():
    names = {str(p.relative_to(PACKAGE)) for p in modules()}
    assert {"kpis/flows.py", "kpis/plots.py", "plots.py", "calls/backtest.py",
            "segments/compare.py", "churn/readiness.py"} <= names
    assert not any(n.startswith(("i18n/", "dashboards/", "readers/", "sample/")) for n in names)


def test_no_module_formats_money_numbers_or_dates_by_hand():
    found = {f"{path.relative_to(PACKAGE)}:{line}: {what}"
             for path in modules()
             for line, what in hand_formats(path.read_text(encoding="utf-8"))}
    assert not found, "format these through carework.i18n (fmt_*):\n" + "\n".join(sorted(found))
