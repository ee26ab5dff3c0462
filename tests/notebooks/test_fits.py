"""The notebooks, run as an analyst runs them, fit each model once per customer base.

Every fit is logged (``CAREWORK_FIT_LOG``: process, model, a hash of the data it was fitted
to). Each notebook runs in its own kernel; the first to need the customer base builds it and
the results cache (:mod:`carework.cache`) gives it to the others, so the base's models are
fitted by one kernel only. Within a kernel, the same model fitted twice to the same data is work
done twice — the duplication this test forbids.
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
                                               "CAREWORK_EXPORTS", "CAREWORK_CACHE")}
    os.environ.update(CAREWORK_FIT_LOG=str(log), TQDM_DISABLE="1",
                      CAREWORK_EXPORTS=str(tmp_path_factory.mktemp("exports")),
                      CAREWORK_CACHE=str(tmp_path_factory.mktemp("cache") / "results"))
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


def test_the_notebooks_share_one_base_fitted_once(fit_log):
    kernels = {pid for pid, _, _ in fit_log}
    assert len(kernels) >= 1
    # the base's own fits: the first BG/NBD and Gamma-Gamma logged, on the whole data
    first = {model: data for _pid, model, data in reversed(fit_log)}
    for model in ("bgnbd", "gamma_gamma"):
        fitters = {pid for pid, m, data in fit_log if m == model and data == first[model]}
        assert len(fitters) == 1, f"{model} of the base fitted in {len(fitters)} kernels"
