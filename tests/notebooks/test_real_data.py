"""The notebooks, analyst cells included, on a real export nobody here wrote (UCI Online
Retail II: no surveys, tickets, contacts or phone numbers): every cell runs, and what the data
lacks is said in one message box instead of a traceback."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
UCI = Path(__file__).resolve().parents[3] / "shared" / "real" / "uci_online_retail_ii"


@pytest.mark.skipif(not UCI.is_dir(), reason="../shared/real is not beside this clone")
@pytest.mark.parametrize("name", ["00_home", "02_churn", "03_survey_kpis"])
def test_notebooks_run_on_a_real_export_without_surveys_or_phones(name, tmp_path,
                                                                 monkeypatch):
    folder = tmp_path / "uci"
    folder.mkdir()
    for file in UCI.glob("*.csv"):
        (folder / file.name).write_bytes(file.read_bytes())
    (folder / "carework.toml").write_text('[display]\ncurrency = "GBP"\n', encoding="utf-8")
    monkeypatch.setenv("CAREWORK_DATA", str(folder))
    monkeypatch.setenv("CAREWORK_EXPORTS", str(tmp_path / "exports"))
    monkeypatch.setenv("CAREWORK_LANG", "en")
    monkeypatch.setenv("TQDM_DISABLE", "1")
    notebook = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    NotebookClient(notebook, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    html = [str(out.get("data", {}).get("text/html", "")) + str(out.get("data", {}).get(
        "text/plain", "")) for cell in notebook.cells for out in cell.get("outputs", [])]
    state = str(notebook.metadata.get("widgets", {}))  # the widgets: their HTML values
    shown = "\n".join(html) + state
    assert "Returns and cancellations: 7,901" in shown  # what loading found, on top
    if name == "00_home":  # undefined figures are "—" with the reason, never 0
        assert "—" in shown and "£" in shown and "₫" not in shown
    elif name == "02_churn":
        assert "nobody can be called" in shown or "no phone" in shown.lower()
    else:
        assert "there are no survey answers" in shown
