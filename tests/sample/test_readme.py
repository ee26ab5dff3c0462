"""The README data dictionary written with the data."""

from __future__ import annotations

from pathlib import Path

from carework.sample import TICKET_TOPICS, SampleData, write
from carework.sample.columns import SAMPLE_COLUMNS


def test_readme_documents_tables_and_flaws(small: SampleData, tmp_path: Path) -> None:
    write(small, tmp_path)
    text = (tmp_path / "README.md").read_text(encoding="utf-8")
    for name, frame in small.tables().items():
        assert f"| {name} | `{name}.csv` | {len(frame):,} |" in text
        for col in SAMPLE_COLUMNS[name]:
            assert f"`{col}`" in text
    for key, count in small.flaws.items():
        assert f"`{key}`: {count:,}" in text
    for topic in TICKET_TOPICS:
        assert topic in text
    assert "seed=7" in text and "customers=600" in text


def test_readme_documents_every_ticket_status(default: SampleData, tmp_path: Path) -> None:
    write(default, tmp_path)
    text = (tmp_path / "README.md").read_text(encoding="utf-8")
    status_row = next(line for line in text.splitlines() if line.startswith("| `status` |"))
    counts = default.tickets["status"].value_counts()
    for status in ("open", "resolved", "reopened", "cancelled"):
        assert status in status_row
        assert f"`{status}` {counts[status]:,}" in status_row  # observed counts
        assert f"{counts[status]:,} {status}" in text  # the tickets paragraph's figures
    assert "cancellation" in text
