"""Behavioural clusters: what the rule groups miss.

Features per customer (those the data has): log spend, log purchase-days, days since the last
purchase, tenure, log basket, regularity of the gaps between purchases, channel shares,
category shares, churn risk and log predicted CLV (from the churn scores), tickets, mean NPS
and CSAT. They are imputed (median) and standardised in a scikit-learn Pipeline; the category
shares together weigh as one feature, so a shop with many categories does not cluster on
categories alone. k-means (beyond 50,000 customers, its centres are fitted on a random 50,000
and everyone is assigned to the nearest) with k chosen by the
silhouette within 2–12 (on a subsample of at most 20,000 customers; among the k within 0.01
of the best silhouette, the largest), stability measured as the adjusted Rand index
between the clustering and refits on bootstrap resamples, and each cluster named from the
features that set it apart.

Examples
--------
>>> model = BehaviourClusters().fit(profile)                      # doctest: +SKIP
>>> model.k_, model.stability_["mean"]                            # doctest: +SKIP
>>> model.profiles_                                               # doctest: +SKIP
>>> model.predict(new_profile)                                    # doctest: +SKIP
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.compose import ColumnTransformer
from sklearn.decomposition import PCA
from sklearn.impute import SimpleImputer
from sklearn.metrics import adjusted_rand_score, silhouette_score
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler

from carework.errors import data_error
from carework.i18n import t
from carework.threads import limit_threads

LOG_FEATURES = {"log_spend": "spend", "log_orders": "orders", "log_basket": "basket",
                "log_clv": "predicted_clv"}
PLAIN_FEATURES = ("recency_days", "tenure_days", "gap_cv", "share_online", "share_phone",
                  "churn_risk", "tickets", "nps_mean", "csat_mean")
NAMING = ("spend", "orders", "recency_days", "basket", "share_online", "share_phone",
          "churn_risk", "predicted_clv", "tickets", "nps_mean", "gap_cv", "tenure_days")
"""Features a cluster name may use, in the customer's own units."""
MIN_EFFECT = 0.35
BIG = 50_000
SELECTION_SAMPLE = 20_000
SILHOUETTE_TIE = 0.01
MODEL_FORMAT = "carework.behaviour_clusters"
MODEL_VERSION = 1


def behaviour_features(profile: pd.DataFrame, features: list[str] | None = None
                       ) -> pd.DataFrame:
    """The clustering features of :func:`customer_profile` rows (``features`` to choose)."""
    out = pd.DataFrame(index=profile.index)
    for name, source in LOG_FEATURES.items():
        if source in profile:
            out[name] = np.log1p(profile[source].clip(lower=0).astype(float))
    for name in PLAIN_FEATURES:
        if name in profile:
            out[name] = profile[name].astype(float)
    for name in profile.columns:
        if name.startswith("cat_"):
            out[name] = profile[name].astype(float)
    out = out.loc[:, out.notna().any()]  # a feature nobody has says nothing
    if features is not None:
        unknown = [f for f in features if f not in out]
        if unknown:
            raise data_error("err.segments.unknown_feature", column=unknown[0],
                             features=", ".join(out.columns))
        out = out[list(features)]
    return out


def _shrink(x: np.ndarray, factor: float = 1.0) -> np.ndarray:
    return x * factor


def _preprocess(columns: list[str]) -> ColumnTransformer:
    categories = [c for c in columns if c.startswith("cat_")]
    others = [c for c in columns if c not in categories]
    parts = [("behaviour", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()),
              others)]
    if categories:
        weight = 1.0 / np.sqrt(len(categories))  # the category mix weighs as one feature
        parts.append(("categories", make_pipeline(
            SimpleImputer(strategy="median"), StandardScaler(),
            FunctionTransformer(_shrink, kw_args={"factor": weight})), categories))
    return ColumnTransformer(parts)


class BehaviourClusters:
    """k-means on behavioural features, k chosen from the data.

    Parameters
    ----------
    k : number of clusters, or ``"auto"`` (silhouette over ``k_range``).
    k_range : smallest and largest k tried by ``"auto"``.
    features : clustering features to use (default: all that :func:`behaviour_features`
        finds).
    n_bootstrap : resamples for the stability check (0 to skip).
    random_state : seed for k-means, subsamples and resamples.

    Attributes
    ----------
    k_ : the number of clusters; ``selection_`` : per k tried, its silhouette and which was
    chosen (empty when ``k`` is given);
    pipeline_ : the fitted scaler and k-means; ``features_`` : the columns used;
    labels_ : cluster of each fitted customer; ``stability_`` : ``{"mean", "min"}`` adjusted
    Rand index of bootstrap refits against ``labels_``; ``profiles_`` : per cluster, customers,
    share and the mean of the naming features; ``name_codes_`` : a name per cluster as
    codes; ``names_`` : the same in words, in the current language (rendered when read).
    """

    def __init__(self, k: int | str = "auto", k_range: tuple[int, int] = (2, 12),
                 features: list[str] | None = None, n_bootstrap: int = 10,
                 random_state: int = 0) -> None:
        self.k = k
        self.k_range = k_range
        self.features = features
        self.n_bootstrap = n_bootstrap
        self.random_state = random_state

    def _model(self, k: int) -> KMeans:
        return KMeans(n_clusters=k, n_init=4, random_state=self.random_state)

    def _fit_kmeans(self, Z: np.ndarray, k: int, rng: np.random.Generator,
                    replace: bool = False) -> KMeans:
        """k-means on ``Z`` — on a random ``BIG`` of its rows when there are more (the centres
        of 50,000 customers place everyone else as well as the centres of all of them, at a
        fraction of the time) — or on a bootstrap resample of that size with ``replace``."""
        if len(Z) > BIG or replace:
            Z = Z[rng.choice(len(Z), min(len(Z), BIG), replace=replace)]
        return self._model(k).fit(Z)

    def fit(self, profile: pd.DataFrame) -> BehaviourClusters:
        """Cluster the customers of ``profile`` (:func:`customer_profile`)."""
        with limit_threads(min(len(profile), BIG)):  # every k-means sees at most BIG rows
            return self._fit(profile)

    def _fit(self, profile: pd.DataFrame) -> BehaviourClusters:
        X = behaviour_features(profile, self.features)
        lo, hi = self.k_range
        if len(X) < 3 * max(lo, 2):
            raise data_error("err.segments.too_few", customers=len(X))
        if not 2 <= lo <= hi:
            raise ValueError(f"k_range must be 2 <= low <= high, not {self.k_range}")
        self.features_ = list(X.columns)
        prep = _preprocess(self.features_).fit(X)
        Z = prep.transform(X)
        rng = np.random.default_rng(self.random_state)
        sub = rng.choice(len(Z), min(len(Z), SELECTION_SAMPLE), replace=False)
        if self.k == "auto":
            self.selection_ = self._select(Z[sub], lo, hi)
            self.k_ = int(self.selection_["chosen"].idxmax())
        else:
            self.k_, self.selection_ = int(self.k), pd.DataFrame()
        kmeans = self._fit_kmeans(Z, self.k_, rng)
        self.pipeline_ = Pipeline([("prepare", prep), ("kmeans", kmeans)])
        self.transform_ = _plain_transform(prep, kmeans)
        self.labels_ = kmeans.predict(Z).astype(int)
        self.stability_ = self._stability(Z, self.labels_, self.k_, self.n_bootstrap, rng)
        self.profiles_, self.name_codes_ = self._describe(profile)
        return self

    def _select(self, Z: np.ndarray, lo: int, hi: int) -> pd.DataFrame:
        """Silhouette for every k. Customer data rarely has sharp clusters, so the curve is
        flat: differences under ``SILHOUETTE_TIE`` are within the variation of k-means
        restarts and of the silhouette's subsample. Among the k that come that close to the
        best, the largest wins: finer groups at the same separation."""
        rows = {}
        for k in range(lo, min(hi, len(Z) - 1) + 1):
            labels = self._model(k).fit_predict(Z)
            rows[k] = float(silhouette_score(Z, labels, sample_size=min(len(Z), 5000),
                                             random_state=self.random_state))
        table = pd.DataFrame({"silhouette": rows}).rename_axis("k")
        near = table.index[table["silhouette"] >= table["silhouette"].max() - SILHOUETTE_TIE]
        table["chosen"] = table.index == near.max()
        return table

    def _stability(self, Z: np.ndarray, labels: np.ndarray, k: int, n_bootstrap: int,
                   rng: np.random.Generator) -> dict[str, float]:
        """Adjusted Rand index between ``labels`` and k-means refitted on bootstrap resamples
        (of at most ``BIG`` customers; each refit assigns every customer)."""
        scores = []
        for _ in range(n_bootstrap):
            again = self._fit_kmeans(Z, k, rng, replace=True).predict(Z)
            scores.append(adjusted_rand_score(labels, again))
        if not scores:
            return {"mean": np.nan, "min": np.nan}
        return {"mean": float(np.mean(scores)), "min": float(np.min(scores))}

    @property
    def names_(self) -> dict[int, str]:
        """A readable name per cluster, in the current language (from ``name_codes_``)."""
        return {k: cluster_name(codes, k) for k, codes in self.name_codes_.items()}

    def _describe(self, profile: pd.DataFrame
                  ) -> tuple[pd.DataFrame, dict[int, tuple[str, ...]]]:
        shown = [c for c in NAMING if c in profile and profile[c].notna().any()]
        values = profile[shown].astype(float)
        table = values.groupby(self.labels_).mean()
        table.insert(0, "customers", np.bincount(self.labels_, minlength=self.k_))
        table.insert(1, "share", table["customers"] / len(profile))
        if "spend" in profile:
            revenue = profile["spend"].groupby(self.labels_).sum()
            table.insert(2, "revenue_share", revenue / profile["spend"].sum())
        table.index.name = "cluster"
        spread = values.std().replace(0, np.nan)
        effects = ((table[shown] - values.mean()) / spread).fillna(0)
        return table, _name_codes(effects)

    def _prepare(self, profile: pd.DataFrame) -> np.ndarray:
        """The scaled features of ``profile``, by the fitted medians, means and scales (a
        feature the fit used and ``profile`` lacks is imputed with the fitted median)."""
        if not hasattr(self, "transform_"):
            raise RuntimeError("BehaviourClusters is not fitted yet: call fit(profile) first")
        X = behaviour_features(profile).reindex(columns=self.features_)
        parts = []
        for part in self.transform_["parts"]:
            values = X[part["columns"]].to_numpy(dtype=float)
            values = np.where(np.isnan(values), np.asarray(part["medians"]), values)
            parts.append((values - np.asarray(part["means"])) / np.asarray(part["scales"])
                         * part["weight"])
        return np.hstack(parts)

    def _nearest(self, Z: np.ndarray) -> np.ndarray:
        centres = np.asarray(self.transform_["centres"])
        distances = ((Z[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
        return distances.argmin(axis=1).astype(int)

    def predict(self, profile: pd.DataFrame) -> np.ndarray:
        """The cluster of each customer of ``profile`` (new customers included)."""
        return self._nearest(self._prepare(profile))

    def project(self, profile: pd.DataFrame) -> pd.DataFrame:
        """A 2-D view (principal components of the scaled features) with each customer's
        cluster, for a scatter plot."""
        Z = self._prepare(profile)
        xy = PCA(n_components=2, random_state=self.random_state).fit_transform(Z)
        return pd.DataFrame({"pc1": xy[:, 0], "pc2": xy[:, 1], "cluster": self._nearest(Z)},
                            index=profile.index)

    def save(self, path: str | Path) -> Path:
        """Save the fitted model as plain JSON (features, medians, scales, centres, names),
        to assign new customers later with :meth:`load`. Never a pickle: a model file cannot
        run code when someone loads it."""
        if not hasattr(self, "transform_"):
            raise RuntimeError("BehaviourClusters is not fitted yet: call fit(profile) first")
        path = Path(path)
        if path.suffix.lower() != ".json":
            raise data_error("err.segments.model_suffix", file=str(path))
        document = {
            "format": MODEL_FORMAT, "version": MODEL_VERSION,
            "params": {"k": self.k, "k_range": list(self.k_range), "features": self.features,
                       "n_bootstrap": self.n_bootstrap, "random_state": self.random_state},
            "k": self.k_, "features": self.features_, "transform": self.transform_,
            "name_codes": {str(k): list(v) for k, v in self.name_codes_.items()},
            "stability": self.stability_,
            "profiles": json.loads(self.profiles_.reset_index().to_json(orient="split")),
        }
        from carework.export import atomic_write
        text = json.dumps(document, ensure_ascii=False, indent=1)
        atomic_write(path, lambda temporary: Path(temporary).write_text(text, encoding="utf-8"))
        return path

    @staticmethod
    def load(path: str | Path) -> BehaviourClusters:
        """Read a model written by :meth:`save`. Anything else (a pickle, a joblib file, a
        JSON file of another kind or version) is refused with :class:`carework.DataError`."""
        path = Path(path)
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            raise data_error("err.segments.not_a_clustering", file=str(path)) from None
        if not isinstance(document, dict) or document.get("format") != MODEL_FORMAT:
            raise data_error("err.segments.not_a_clustering", file=str(path))
        if document.get("version") != MODEL_VERSION:
            raise data_error("err.segments.model_version", file=str(path),
                             version=document.get("version"), expected=MODEL_VERSION)
        params = document["params"]
        model = BehaviourClusters(k=params["k"], k_range=tuple(params["k_range"]),
                                  features=params["features"],
                                  n_bootstrap=params["n_bootstrap"],
                                  random_state=params["random_state"])
        model.k_ = int(document["k"])
        model.features_ = list(document["features"])
        model.transform_ = document["transform"]
        model.name_codes_ = {int(k): tuple(v) for k, v in document["name_codes"].items()}
        model.stability_ = document["stability"]
        split = document["profiles"]
        model.profiles_ = pd.DataFrame(split["data"], columns=split["columns"]) \
            .set_index("cluster")
        model.selection_ = pd.DataFrame()
        return model


def _plain_transform(prep: ColumnTransformer, kmeans: KMeans) -> dict:
    """The fitted preprocessing and centres as plain lists: what :meth:`predict` needs."""
    parts = []
    for name, pipeline, columns in prep.transformers_:
        if name == "remainder":
            continue
        imputer, scaler = pipeline.steps[0][1], pipeline.steps[1][1]
        weight = pipeline.steps[2][1].kw_args["factor"] if len(pipeline.steps) > 2 else 1.0
        parts.append({"columns": list(columns), "medians": imputer.statistics_.tolist(),
                      "means": scaler.mean_.tolist(), "scales": scaler.scale_.tolist(),
                      "weight": float(weight)})
    return {"parts": parts, "centres": kmeans.cluster_centers_.tolist()}


def _name_codes(effects: pd.DataFrame) -> dict[int, tuple[str, ...]]:
    """A name per cluster as codes (``("spend.high", "recency_days.low")``) from its strongest
    standardised differences, unique; shown in words by :func:`cluster_name`."""
    names: dict[int, tuple[str, ...]] = {}
    for cluster, row in effects.iterrows():
        order = row.abs().sort_values(ascending=False)
        strong = [f for f in order.index if abs(row[f]) >= MIN_EFFECT]
        take = 2
        while True:
            codes = tuple(f"{f}.{'high' if row[f] > 0 else 'low'}" for f in strong[:take])
            if codes not in names.values() or take >= len(strong):
                break
            take += 1
        if codes in names.values():
            codes = (*codes, f"#{cluster + 1}")
        names[int(cluster)] = codes
    return names


def cluster_name(codes: tuple[str, ...], cluster: int | None = None) -> str:
    """The readable name of a cluster from its codes, in the current language
    (``("spend.high", "recency_days.low")`` → "Chi tiêu cao · mua gần đây")."""
    number = next((c[1:] for c in codes if c.startswith("#")), None)
    parts = [_feature_label(c) for c in codes if not c.startswith("#")]
    name = " · ".join(parts) if parts else t("cluster.typical")
    if number is not None:
        name = f"{name} ({number})"
    return name[:1].upper() + name[1:]


def _feature_label(code: str) -> str:
    return t(f"cluster.{code}")
