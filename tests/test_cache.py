"""The results cache: one computation per data, settings and code, shared by every kernel."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from carework import cache, segments
from carework.customer_base import build_base
from carework.io import load
from carework.sample import generate, write


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("data")
    write(generate(customers=800, seed=3), path)
    return path


@pytest.fixture
def store(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "cache"
    monkeypatch.setenv("CAREWORK_CACHE", str(path))
    monkeypatch.delenv("CAREWORK_AS_OF", raising=False)
    monkeypatch.delenv("CAREWORK_FORCE", raising=False)
    return path


class Fits(logging.Handler):
    """Counts model fits (carework logs each one on ``carework.fits``)."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


@pytest.fixture
def fits():
    handler = Fits()
    logger = logging.getLogger("carework.fits")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield handler
    logger.removeHandler(handler)
    logger.setLevel(level)


def entries(store: Path) -> list[str]:
    return sorted(p.name for p in store.glob("*.pickle"))


def test_a_second_kernel_reads_the_base_instead_of_refitting(folder, store, fits):
    first = cache.cached_base(folder)
    fitted = fits.count
    assert fitted >= 2  # the churn and the spend model
    second = cache.cached_base(folder)
    assert fits.count == fitted
    assert second is not first and second.cache_key == first.cache_key
    pd.testing.assert_frame_equal(second.table, first.table)
    direct = build_base(load(folder))
    pd.testing.assert_frame_equal(second.table, direct.table)
    assert second.model.params == direct.model.params
    assert oct(store.stat().st_mode & 0o777) == oct(0o700)


def test_a_changed_file_or_setting_or_code_is_a_new_key_and_the_old_state_goes(
        folder, store, tmp_path, monkeypatch):
    copy = tmp_path / "copy"
    copy.mkdir()
    for path in folder.iterdir():
        (copy / path.name).write_bytes(path.read_bytes())
    base = cache.cached_base(copy)
    old = entries(store)
    assert len(old) == 1
    assert cache.cached_base(copy, settings={"churn.horizon_days": 60}).cache_key \
        != base.cache_key
    transactions = copy / "transactions.csv"
    transactions.write_bytes(transactions.read_bytes())  # same bytes, new modification time
    os.utime(transactions, ns=(time.time_ns(), time.time_ns() + 10**9))
    again = cache.cached_base(copy)
    assert again.cache_key != base.cache_key
    assert len(entries(store)) == 1 and entries(store) != old  # the folder's old state deleted
    monkeypatch.setattr(cache, "code_version", lambda: "another version")
    assert cache.cached_base(copy).cache_key != again.cache_key


def test_the_as_of_day_is_part_of_the_key(folder, store, monkeypatch):
    base = cache.cached_base(folder)
    day = (base.as_of - pd.Timedelta(days=30)).date().isoformat()
    monkeypatch.setenv("CAREWORK_AS_OF", day)
    earlier = cache.cached_base(folder)
    assert earlier.as_of == pd.Timestamp(day) and earlier.cache_key != base.cache_key


def test_derived_results_are_computed_once_and_refer_to_the_same_base(folder, store):
    base = cache.cached_base(folder)
    calls = []

    def segment():
        calls.append(1)
        return segments.segment(base)

    result = cache.derived(base, "segments", segment)
    assert cache.derived(base, "segments", segment) is result and len(calls) == 1
    other_kernel = cache.cached_base(folder)
    read = cache.derived(other_kernel, "segments", segment)
    assert len(calls) == 1
    assert read.base is other_kernel and read.profile is other_kernel.profile \
        or read.base is other_kernel
    pd.testing.assert_frame_equal(read.table, result.table)
    assert cache.derived(other_kernel, "segments", segment, k=3) is not read and len(calls) == 2


def test_another_model_is_fitted_once_across_kernels(folder, store, fits):
    base = cache.cached_base(folder)
    before = fits.count
    pnbd = base.with_model("pnbd")
    assert fits.count == before + 1 and pnbd.model.name == "pnbd"
    again = cache.cached_base(folder).with_model("pnbd")
    assert fits.count == before + 1
    pd.testing.assert_frame_equal(again.table, pnbd.table)
    assert again.cache_key == pnbd.cache_key != base.cache_key


def test_a_cache_folder_others_can_write_is_never_read(folder, store, fits):
    store.mkdir(mode=0o700)
    store.chmod(0o777)
    cache.cached_base(folder)
    assert entries(store) == []
    assert cache.cache_folder() is None


def test_off_and_damaged_entries(folder, store, monkeypatch, fits):
    base = cache.cached_base(folder)
    (entry,) = store.glob("*.pickle")
    entry.write_bytes(b"not a pickle")
    fitted = fits.count
    again = cache.cached_base(folder)  # recomputed, not trusted
    assert fits.count > fitted
    pd.testing.assert_frame_equal(again.table, base.table)
    monkeypatch.setenv("CAREWORK_CACHE", "off")
    assert cache.cache_folder() is None
    assert cache.cached_base(folder).cache_key == ""


def test_kernels_starting_together_build_the_base_once(folder, store, tmp_path):
    log = tmp_path / "fits.log"
    env = dict(os.environ, CAREWORK_FIT_LOG=str(log), CAREWORK_CACHE=str(store))
    code = ("import carework.cache as c, sys; b = c.cached_base(sys.argv[1]); "
            "print(len(b.table))")
    processes = [subprocess.Popen([sys.executable, "-c", code, str(folder)], env=env,
                                  stdout=subprocess.PIPE, text=True) for _ in range(3)]
    outputs = [p.communicate(timeout=300)[0].strip() for p in processes]
    assert all(p.returncode == 0 for p in processes)
    assert len(set(outputs)) == 1
    fitters = {line.split()[0] for line in log.read_text().splitlines()}
    assert len(fitters) == 1, "more than one process fitted the models"


def test_the_cache_stays_under_its_size(folder, store, monkeypatch):
    base = cache.cached_base(folder)
    monkeypatch.setattr(cache, "_cache_megabytes", lambda base: 0.0)
    for k in (2, 3):
        cache.derived(base, "toy", lambda k=k: list(range(10_000 * k)), k=k)
    assert len(entries(store)) == 1  # only the entry just written is kept
