"""The training corpus, and the shipped model: plain data, loaded without training, and exactly
what ``python -m carework.text.train`` makes of the corpus."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from carework.text import TOPICS, default_classifier, load_corpus
from carework.text.corpus import SENTIMENTS, corpus_files, corpus_fingerprint
from carework.text.train import MODEL_PATH, train

ROOT = Path(__file__).parents[2]
CORPUS = MODEL_PATH.parent.parent / "corpus"
REBUILD = "run `python -m carework.text.train` and commit carework/text/model/default.npz"


def run_python(code: str, **env: str) -> dict:
    """Run ``code`` in a fresh interpreter; it prints one JSON object as its last line."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, **env}, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- the corpus ---------------------------------------------------------------------------------

def test_there_is_a_corpus():
    names = [f.name for f in corpus_files()]
    assert names and names == sorted(names)
    assert all(name.endswith(".csv") for name in names)


@pytest.mark.parametrize("name", [f.name for f in corpus_files()])
def test_every_corpus_file_loads_with_valid_topics(name):
    (file,) = [f for f in corpus_files() if f.name == name]
    frame = load_corpus([file])
    assert len(frame) > 0, f"{name} has no comments"
    assert list(frame.columns) == ["comment", "sentiment", "topics", "topic", "factor",
                                   "register", "source"]
    assert set(frame["sentiment"]) <= set(SENTIMENTS)
    for topics in frame["topics"]:
        assert set(topics) <= set(TOPICS), f"{name}: unknown topic in {topics}"
    complaint = frame["sentiment"] == "complaint"
    assert not frame.loc[~complaint, "topics"].map(bool).any()
    assert (frame.loc[~complaint, "factor"] == "other").all()
    assert (frame["comment"].str.strip() != "").all()
    assert (frame["source"] == name.removesuffix(".csv")).all()


def test_no_comment_is_labelled_two_ways():
    """The same text as a complaint in one place and not in another, or about other topics,
    teaches the model noise (praise and neutral are both no complaint)."""
    frame = load_corpus()
    complaint = frame["sentiment"] == "complaint"
    frame = frame.assign(key=frame["comment"].str.strip().str.lower(),
                         label=complaint.map({True: "complaint:", False: "other:"})
                         + frame["topics"].map(";".join))
    labels = frame.groupby("key")["label"].nunique()
    assert (labels == 1).all(), frame[frame["key"].isin(labels[labels > 1].index)][
        ["comment", "sentiment", "topics", "source"]].to_string()


def test_provenance_names_every_corpus_file():
    provenance = CORPUS / "PROVENANCE.md"
    assert provenance.is_file(), \
        "carework/text/corpus/PROVENANCE.md is missing: say who wrote each file and how"
    text = provenance.read_text(encoding="utf-8")
    unnamed = [f.name for f in corpus_files() if f.name not in text]
    assert not unnamed, f"PROVENANCE.md does not say where {unnamed} come from"


# -- the shipped model --------------------------------------------------------------------------

def test_the_shipped_model_is_plain_data():
    assert MODEL_PATH.is_file()
    with np.load(MODEL_PATH, allow_pickle=False) as data:
        kinds = {name: data[name].dtype.kind for name in data.files}
    assert "O" not in kinds.values(), kinds


def test_importing_and_loading_the_default_model_trains_nothing():
    result = run_python("""
import json, sys, time
started = time.perf_counter()
import carework.text as text
imported = time.perf_counter() - started
after_import = sorted(m for m in sys.modules
                      if m in ("sklearn", "carework.sample") or m.startswith("sklearn."))
from carework.text.model import RootCauseClassifier
def no_fit(*args, **kwargs):
    raise SystemExit("RootCauseClassifier.fit was called")
RootCauseClassifier.fit = no_fit
started = time.perf_counter()
clf = text.default_classifier()
loaded = time.perf_counter() - started
reading = clf.read(["giao hàng chậm quá", "nv cộc lốc", "cảm ơn shop", "配送太慢了"])
print(json.dumps({"imported": imported, "loaded": loaded, "after_import": after_import,
                  "after_read": sorted(m for m in sys.modules if m == "sklearn"
                                       or m.startswith("sklearn.")),
                  "trained_at": clf.meta_["trained_at"], "same": clf is text.default_classifier(),
                  "factors": reading["factor"].tolist()}))
""")
    assert result["after_import"] == [], "import carework.text imports " + \
        ", ".join(result["after_import"])
    assert result["after_read"] == [], "reading with the default model needs scikit-learn"
    assert result["loaded"] < 1.0, f"default_classifier() took {result['loaded']:.2f} s"
    assert result["trained_at"] == "shipped"
    assert result["same"]
    assert result["factors"] == ["convenience", "people", "other", "unknown"]


@pytest.fixture(scope="module")
def retrained():
    return train()


def test_the_shipped_model_was_trained_on_this_corpus():
    shipped = default_classifier().meta_
    assert shipped["corpus"] == corpus_fingerprint(), \
        f"the corpus changed since the shipped model was trained: {REBUILD}"
    assert shipped["trained_at"] == "shipped"
    assert shipped["labels"] == 0


def test_the_shipped_model_is_what_train_makes_of_the_corpus(retrained):
    shipped = default_classifier()
    assert retrained.meta_["corpus"] == shipped.meta_["corpus"], \
        f"the corpus changed since the shipped model was trained: {REBUILD}"
    assert retrained.meta_["rows"] == shipped.meta_["rows"]
    assert retrained.meta_["taxonomy"] == shipped.meta_["taxonomy"], \
        f"the taxonomy changed since the shipped model was trained: {REBUILD}"
    assert retrained.get_params() == shipped.get_params(), REBUILD
    comments = load_corpus()["comment"].tolist()
    picked = [comments[i] for i in np.random.default_rng(1).choice(
        len(comments), min(300, len(comments)), replace=False)]
    new, old = retrained.read(picked), shipped.read(picked)
    for column in ("sentiment", "factor", "topic", "factors", "topics", "reason"):
        differ = (new[column].fillna("-") != old[column].fillna("-")).to_numpy()
        assert not differ.any(), (
            f"{int(differ.sum())} of {len(picked)} corpus comments read differently "
            f"({column}) by the shipped model and by a fresh training: {REBUILD}")
    for column in ("confidence", "complaint_probability"):
        np.testing.assert_allclose(new[column], old[column], atol=1e-4, err_msg=REBUILD)
