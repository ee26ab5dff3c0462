"""The three notebooks, run as an analyst runs them, fit each model once per customer base.

Every fit is logged (``CAREWORK_FIT_LOG``: process, model, a hash of the data it was fitted
to). Each notebook runs in its own kernel and builds its own base; within a kernel, the same
model fitted twice to the same data is work done twice — the duplication this test forbids.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


@pytest.fixture(scope="module")
def fit_log(tmp_path_factory) -> list[tuple[str, str, str]]:
    log = tmp_path_factory.mktemp("fits") / "fits.log"
    previous = {k: os.environ.get(k) for k in ("CAREWORK_FIT_LOG", "TQDM_DISABLE",
                                               "CAREWORK_EXPORTS")}
    os.environ.update(CAREWORK_FIT_LOG=str(log), TQDM_DISABLE="1",
                      CAREWORK_EXPORTS=str(tmp_path_factory.mktemp("exports")))
    try:
        for path in sorted(NOTEBOOKS.glob("*.ipynb")):
            notebook = nbformat.read(path, as_version=4)
            NotebookClient(notebook, timeout=600, kernel_name="python3",
                           resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    finally:
        for key, value in previous.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    rows = [line.split() for line in log.read_text(encoding="utf-8").splitlines()]
    return [(pid, model, data) for pid, _fit, model, data in rows]


def test_each_model_is_fitted_once_per_base(fit_log):
    per_kernel = Counter(fit_log)
    twice = {key: n for key, n in per_kernel.items() if n > 1}
    assert not twice, f"fitted more than once in one kernel: {twice}"


def test_every_notebook_fits_its_base_models(fit_log):
    kernels = {pid for pid, _, _ in fit_log}
    assert len(kernels) == 3  # one kernel per notebook, each with its own base
    for kernel in kernels:
        models = Counter(model for pid, model, _ in fit_log if pid == kernel)
        assert models["bgnbd"] >= 1 and models["gamma_gamma"] >= 1
