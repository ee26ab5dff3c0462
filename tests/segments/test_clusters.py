"""Behaviour clusters (carework.segments.clusters): known groups found and stable, a saved model
predicting alike, unknown features and tiny data refused."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import carework
from carework.segments.clusters import BehaviourClusters, behaviour_features


def blobs(n_per: int = 300, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    """Three well separated kinds of customer."""
    rng = np.random.default_rng(seed)
    centres = [(2e6, 2, 300.0, 0.05), (3e7, 25, 10.0, 0.1), (5e6, 6, 60.0, 0.9)]
    rows, truth = [], []
    for i, (spend, orders, recency, online) in enumerate(centres):
        rows.append(pd.DataFrame({
            "spend": spend * rng.lognormal(0, 0.15, n_per),
            "orders": np.maximum(1, rng.normal(orders, orders * 0.1, n_per)).round(),
            "recency_days": np.abs(rng.normal(recency, recency * 0.1, n_per)),
            "share_online": np.clip(rng.normal(online, 0.05, n_per), 0, 1)}))
        truth += [i] * n_per
    p = pd.concat(rows, ignore_index=True)
    p.index = [f"K{i}" for i in range(len(p))]
    return p, np.array(truth)


def test_clustering_finds_known_groups_and_is_stable(tmp_path):
    from sklearn.metrics import adjusted_rand_score

    p, truth = blobs()
    model = BehaviourClusters(n_bootstrap=5).fit(p)
    assert model.k_ == 3 and model.selection_.loc[3, "chosen"]
    assert adjusted_rand_score(truth, model.labels_) > 0.95
    assert model.stability_["mean"] > 0.95
    assert model.profiles_["customers"].sum() == len(p)
    assert len(set(model.names_.values())) == 3
    online = model.profiles_["share_online"].idxmax()
    assert "online" in model.names_[online].lower()
    # new customers are assigned like the fitted ones; a saved model does the same
    fresh, _ = blobs(n_per=50, seed=1)
    path = model.save(tmp_path / "clusters.json")
    again = BehaviourClusters.load(path)
    assert (again.predict(fresh) == model.predict(fresh)).all()
    assert (model.predict(p) == model.labels_).all()
    assert set(model.project(p).columns) == {"pc1", "pc2", "cluster"}
    # the plain-data prediction is scikit-learn's own
    assert (model.pipeline_.predict(behaviour_features(fresh)[model.features_])
            == model.predict(fresh)).all()
    assert again.names_ == model.names_ and again.k_ == model.k_
    assert again.profiles_["customers"].tolist() == model.profiles_["customers"].tolist()


def test_saved_model_is_plain_json_and_nothing_else_loads(tmp_path):
    import json
    import pickle

    import joblib

    p, _ = blobs(n_per=30)
    model = BehaviourClusters(k=3, n_bootstrap=0).fit(p)
    path = model.save(tmp_path / "clusters.json")
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["format"] == "carework.behaviour_clusters" and document["version"] == 1
    with pytest.raises(carework.DataError, match="json"):
        model.save(tmp_path / "clusters.joblib")
    joblib.dump(model, tmp_path / "planted.json")
    (tmp_path / "pickled.json").write_bytes(pickle.dumps({"format": "x"}))
    (tmp_path / "other.json").write_text('{"format": "something else"}')
    for name in ("planted.json", "pickled.json", "other.json"):
        with pytest.raises(carework.DataError):
            BehaviourClusters.load(tmp_path / name)
    document["version"] = 99
    (tmp_path / "future.json").write_text(json.dumps(document))
    with pytest.raises(carework.DataError, match="99"):
        BehaviourClusters.load(tmp_path / "future.json")


def test_clustering_refuses_unknown_features_and_tiny_data():
    p, _ = blobs(n_per=30)
    with pytest.raises(carework.DataError, match="nps"):
        BehaviourClusters(features=["log_spend", "nps"]).fit(p)
    with carework.i18n.language("en"), pytest.raises(carework.DataError, match="too few"):
        BehaviourClusters().fit(p.iloc[:4])
    with pytest.raises(RuntimeError, match="fit"):
        BehaviourClusters().predict(p)
