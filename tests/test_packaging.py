"""The project's own files: dependency lists agree, notebooks carry no data, README is honest."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CONDA_NAMES = {"python-duckdb": "duckdb", "ibis-duckdb": "ibis-framework[duckdb]"}
NOT_PACKAGES = {"python", "pip"}


def _name(requirement: str) -> str:
    """Package name with extras, without version constraints, lower case."""
    return re.split(r"[<>=!~ ;]", requirement.strip(), maxsplit=1)[0].lower()


def pyproject_runtime() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return {_name(r) for r in project["dependencies"]}


def conda_runtime() -> set[str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert env["channels"] == ["conda-forge"]
    names = {_name(d) for d in env["dependencies"] if isinstance(d, str)}
    return {CONDA_NAMES.get(n, n) for n in names - NOT_PACKAGES}


def test_environment_yml_lists_the_same_runtime_packages_as_pyproject():
    assert conda_runtime() == pyproject_runtime()


def test_the_design_cards_packages_are_dependencies():
    card = {"jupyterlab", "pandas", "scikit-learn", "lifetimes", "seaborn", "ipywidgets", "voila",
            "nbmake", "duckdb", "ibis-framework[duckdb]", "openpyxl"}
    assert card <= pyproject_runtime()


def test_environment_yml_installs_carework_itself():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "-e ." in pip


def test_notebooks_are_committed_without_outputs():
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    assert [n.name for n in notebooks] == ["00_home.ipynb", "01_segmentation.ipynb",
                                           "02_churn.ipynb", "03_survey_kpis.ipynb"]
    for path in notebooks:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        for cell in cells:
            if cell["cell_type"] == "code":
                assert cell["outputs"] == [] and cell["execution_count"] is None, path.name


def test_readme_gives_exactly_the_two_setup_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"^\s*(make [a-z]+)\s*$", readme.split("## ")[1], flags=re.M)
    assert commands == ["make dashboards", "make test"]
    assert (ROOT / ".ci" / "run").read_text().strip().endswith("make test")
