"""Complaint root causes: the keyword baseline against :class:`carework.text.RootCauseClassifier`.

Macro-F1 and accuracy of both methods on three sets:

* (a) 5-fold cross-validation of the hand-written training corpus
  (``carework/share/text/complaints_train.csv``): the model of each fold learns the other four
  folds plus the generated training comments (:data:`carework.text.TRAIN_SEEDS`), as the default
  model does; the keyword baseline learns nothing, so its row is simply its score on the corpus;
* (b) the generator hold-out: the comments of the shipped sample (seed 42, 3000 customers),
  never used for training or tuning;
* (c) the independent corpus ``tests/data/complaints_independent.csv``, written by someone who
  saw neither the model nor the training corpus, never used for tuning.

(b) and (c) use the default model (trained on the whole training corpus). The script also prints
the final classifier's confusion matrices on (b) and (c) and times training and the prediction
of 100,000 comments: generated ones (duplicates included, as real survey exports have) and a
worst case of 100,000 distinct, twice as long comments.

Run: ``.venv/bin/python benchmarks/eval_root_cause.py [--append] [--skip-independent]``;
``--append`` appends the output to benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from carework import text
from carework.sample import generate

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).with_name("RESULTS.md")
INDEPENDENT = ROOT / "tests" / "data" / "complaints_independent.csv"


def cross_validate(hand: pd.DataFrame, generated: pd.DataFrame, folds: int = 5,
                   seed: int = 0, **params: object) -> tuple[np.ndarray, list[float]]:
    """Out-of-fold factor predictions for the hand-written corpus, and per-fold macro-F1."""
    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedKFold

    predicted = np.empty(len(hand), dtype=object)
    scores = []
    split = StratifiedKFold(folds, shuffle=True, random_state=seed)
    for train, test in split.split(hand["comment"], hand["factor"]):
        frame = pd.concat([hand.iloc[train].assign(weight=1.0), generated], ignore_index=True)
        clf = text.RootCauseClassifier(**params).fit(frame["comment"],
                                                     text.training_labels(frame), frame["weight"])
        predicted[test] = clf.predict(hand["comment"].iloc[test].tolist())
        scores.append(f1_score(hand["factor"].iloc[test], predicted[test].astype(str),
                               average="macro"))
    return predicted, scores


def _row(name: str, method: str, result: text.EvaluationResult, extra: str = "") -> str:
    return (f"| {name} | {method} | {result.n:,} | {result.macro_f1:.3f} | "
            f"{result.accuracy:.3f} | {extra} |")


def _confusion(result: text.EvaluationResult) -> list[str]:
    frame = result.confusion
    lines = ["| actual \\ predicted | " + " | ".join(frame.columns) + " |",
             "| --- | " + " | ".join("---:" for _ in frame.columns) + " |"]
    for actual, row in frame.iterrows():
        lines.append(f"| {actual} | " + " | ".join(f"{v:,}" for v in row) + " |")
    per_class = ", ".join(
        f"{f} P {result.report[f]['precision']:.2f} R {result.report[f]['recall']:.2f} "
        f"F1 {result.report[f]['f1-score']:.2f}"
        for f in text.FACTORS if result.report[f]["support"])
    return lines + ["", f"Per class: {per_class}."]


def _best_of(repeats: int, func) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        out = func()
        best = min(best, time.perf_counter() - start)
    return best, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--append", action="store_true", help="append to RESULTS.md")
    parser.add_argument("--skip-independent", action="store_true",
                        help="leave out the independent corpus (c)")
    args = parser.parse_args()

    keyword = text.KeywordClassifier()
    hand = text.load_corpus()
    generated = text.training_corpus(seeds=text.TRAIN_SEEDS)
    generated = generated[generated["source"] != "hand"].drop(columns="source")

    # (a) cross-validation of the hand-written corpus
    oof, fold_scores = cross_validate(hand, generated)
    cv_final = text.evaluate(hand["comment"], hand["factor"],
                             _Fixed(hand["comment"].tolist(), oof))
    cv_keyword = text.evaluate(hand["comment"], hand["factor"], keyword)

    # the default model: timed from scratch (corpus, generated comments, fit)
    text.default_classifier.cache_clear()
    start = time.perf_counter()
    corpus = text.training_corpus()
    data_s = time.perf_counter() - start
    fit_s, final = _best_of(1, lambda: text.RootCauseClassifier().fit(
        corpus["comment"], text.training_labels(corpus), corpus["weight"]))
    start = time.perf_counter()
    text.default_classifier()
    default_s = time.perf_counter() - start
    cold = subprocess.run(
        [sys.executable, "-c", "import time; t = time.perf_counter(); "
         "from carework.text import root_cause; root_cause(['giao hàng chậm']); "
         "print(time.perf_counter() - t)"], capture_output=True, text=True, check=True)
    cold_s = float(cold.stdout.strip())

    # (b) generator hold-out
    holdout = text.labelled_sample_comments(customers=3000, seed=42)
    hold_final = text.evaluate(holdout["comment"], holdout["factor"], final)
    hold_keyword = text.evaluate(holdout["comment"], holdout["factor"], keyword)

    # (c) independent corpus
    independent = None
    if not args.skip_independent and INDEPENDENT.exists():
        independent = text.load_corpus(INDEPENDENT)
        ind_final = text.evaluate(independent["comment"], independent["factor"], final)
        ind_keyword = text.evaluate(independent["comment"], independent["factor"], keyword)

    # prediction speed: 100k generated comments (seed 11, not a training seed), and a worst
    # case of 100k distinct comments, each two generated comments joined
    comments = generate(customers=170_000, seed=11).surveys["comment"].dropna().tolist()
    comments = comments[:100_000]
    rng = np.random.default_rng(0)
    pool = np.array(comments, dtype=object)
    doubled = [f"{a} {b}" for a, b in zip(pool[rng.permutation(len(pool))],
                                          pool[rng.permutation(len(pool))], strict=True)]
    gen_s, _ = _best_of(3, lambda: final.predict(comments))
    dbl_s, _ = _best_of(3, lambda: final.predict(doubled))
    kw_s, _ = _best_of(1, lambda: keyword.predict(comments))
    one_s, _ = _best_of(5, lambda: [final.predict([c]) for c in comments[:200]])

    lines = [f"## Complaint root causes (issue 11) — {dt.date.today():%Y-%m-%d}", "",
             f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
             f"{sys.version.split()[0]}. Final classifier: `{final!r}` trained on the "
             f"hand-written corpus ({len(hand):,} comments) plus the comments of generator seeds "
             f"{', '.join(map(str, text.TRAIN_SEEDS))} ({len(generated):,} comments, "
             f"{text.TRAIN_CUSTOMERS:,} customers each, weight {text.GENERATED_WEIGHT}). "
             "Macro-F1 over the factors present (product, convenience, people, other).", "",
             "| set | method | comments | macro-F1 | accuracy | note |",
             "| --- | --- | ---: | ---: | ---: | --- |",
             _row("(a) hand-written corpus, 5-fold CV", "keyword baseline", cv_keyword,
                  "no training: scored on every row"),
             _row("(a) hand-written corpus, 5-fold CV", "RootCauseClassifier", cv_final,
                  "pooled out-of-fold; per fold " + ", ".join(f"{s:.3f}" for s in fold_scores)),
             _row("(b) generator hold-out (seed 42, 3000 customers)", "keyword baseline",
                  hold_keyword),
             _row("(b) generator hold-out (seed 42, 3000 customers)", "RootCauseClassifier",
                  hold_final)]
    if independent is not None:
        lines += [_row("(c) independent corpus", "keyword baseline", ind_keyword),
                  _row("(c) independent corpus", "RootCauseClassifier", ind_final,
                       "evaluated once, never tuned on")]
    else:
        lines += ["| (c) independent corpus | — | — | — | — | not run |"]
    lines += ["", "Confusion matrix of the final classifier, (b) generator hold-out:", "",
              *_confusion(hold_final)]
    if independent is not None:
        lines += ["", "Confusion matrix of the final classifier, (c) independent corpus:", "",
                  *_confusion(ind_final)]
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    lines += ["", f"Timings (best of 3 unless said; load average at the end {load} on the shared "
              "2-core machine, so treat them as upper bounds):", "",
              "| step | seconds |", "| --- | ---: |",
              f"| training data: load the corpus + generate {len(text.TRAIN_SEEDS)} samples "
              f"| {data_s:.2f} |",
              f"| fit on {len(corpus):,} comments (1 run) | {fit_s:.2f} |",
              f"| first call of `root_cause` in a process (data + fit, 1 run) | {default_s:.2f} |",
              f"| same in a new process, imports included (1 run) | {cold_s:.2f} |",
              f"| predict 100,000 generated comments ({len(set(comments)):,} distinct) "
              f"| {gen_s:.2f} |",
              f"| predict 100,000 distinct comments, twice as long (worst case) | {dbl_s:.2f} |",
              f"| keyword baseline, 100,000 generated comments (1 run) | {kw_s:.2f} |",
              f"| 200 single-comment calls `predict([c])` | {one_s:.3f} |"]
    out = "\n".join(lines)
    print(out)
    if args.append:
        with RESULTS.open("a", encoding="utf-8") as fh:
            fh.write("\n" + out + "\n")


class _Fixed:
    """A 'classifier' that returns given predictions for given texts (for out-of-fold scores)."""

    def __init__(self, texts: list[str], predicted: np.ndarray) -> None:
        self._texts, self._predicted = texts, predicted

    def predict(self, texts: list[object]) -> np.ndarray:
        if list(texts) != self._texts:
            raise ValueError("_Fixed predicts only the texts it was given")
        return self._predicted


if __name__ == "__main__":
    main()
