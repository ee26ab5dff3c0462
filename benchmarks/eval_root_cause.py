"""Complaint root causes: how the comment classifier reads comments nobody here wrote.

Scores of the shipped model (``carework/text/model/default.npz``) and of the keyword baseline
on four kinds of comments:

* **(a) the training corpus, cross-validated** (``carework/text/corpus/*.csv``): leave one
  corpus file out (each file is one writer and one or two registers, so this measures a
  register the model never saw), and 5-fold stratified;
* **(b) the independent corpus** ``tests/data/complaints_independent_v2.csv``, written by a
  different hand for an earlier round, never used for training or tuning; **(b')** the comments
  of the shipped sample (the simulator's templates, with its own labels), no longer trained on;
* **(c) real comments from public corpora** (``benchmarks/real_comments.py``: VLSP 2018
  restaurant and hotel reviews, UIT-ViSFD smartphone reviews, Hanoi hotel reviews with aspect
  labels; UIT-ViOCD e-commerce complaints, AIVIVN 2019 product reviews and bank comments with
  complaint labels only). They are downloaded separately (see that module), evaluated locally
  and never committed. Labels come from each corpus's own annotation, mapped to factors by
  rules written before any model was run on them. Only the corpora's **test** splits are
  scored here (a source without splits is used whole); their train/dev splits were what the
  model's errors were studied on while it was designed;
* **(d) unreadable text** (``tests/data/unreadable_comments.csv``): every row should be
  abstained; a reading with confidence ≥ 0.5 on one of them is a confident wrong answer.

Then timings: loading the model in a new process, reading 100,000 distinct comments.

Run: ``.venv/bin/python benchmarks/eval_root_cause.py [--per-source N] [--append]``.
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

sys.path.insert(0, str(Path(__file__).resolve().parent))

from carework import text  # noqa: E402
from carework.text.corpus import labels_of  # noqa: E402
from carework.text.train import train, training_frame  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).with_name("RESULTS.md")
INDEPENDENT = ROOT / "tests" / "data" / "complaints_independent_v2.csv"
UNREADABLE = ROOT / "tests" / "data" / "unreadable_comments.csv"


KINDS = {"typical": "every real and corpus comment, then each with a short one added",
         "long": "two real or corpus comments joined: a worst case"}


class _Fixed:
    """Readings computed elsewhere (out-of-fold), served to :func:`carework.text.evaluate`."""

    def __init__(self, texts: list[str], reading: pd.DataFrame) -> None:
        self._texts, self._reading = texts, reading.reset_index(drop=True)

    def read(self, texts: list[object]) -> pd.DataFrame:
        if list(texts) != self._texts:
            raise ValueError("_Fixed reads only the texts it was given")
        return self._reading


def cross_validated(corpus: pd.DataFrame, groups: np.ndarray) -> pd.DataFrame:
    """Out-of-fold readings of the corpus: each group's comments read by a model trained on
    the other groups (plus the aliases)."""
    texts = corpus["comment"].tolist()
    parts = []
    for group in np.unique(groups):
        held = groups == group
        rest = corpus[~held]
        extra = pd.DataFrame({"comment": rest["comment"], "label": labels_of(rest)})
        clf = _train_on(extra)
        parts.append(clf.read([texts[i] for i in np.flatnonzero(held)])
                     .set_index(np.flatnonzero(held)))
    return pd.concat(parts).sort_index()


def _train_on(frame: pd.DataFrame) -> text.RootCauseClassifier:
    """A model trained on ``frame`` (comment, label) and the taxonomy's aliases only."""
    aliases = training_frame()
    aliases = aliases[aliases["source"] == "alias"]
    both = pd.concat([frame.assign(weight=1.0), aliases[["comment", "label", "weight"]]],
                     ignore_index=True)
    return text.RootCauseClassifier().fit(both["comment"].tolist(), both["label"].tolist(),
                                          both["weight"].to_numpy())


def _row(name: str, method: str, r: text.EvaluationResult) -> str:
    pf = r.per_factor
    cells = " | ".join(f"{pf.loc[f, 'f1']:.2f}" if pf.loc[f, "support"] else "—"
                       for f in text.FACTORS)
    return (f"| {name} | {method} | {r.n:,} | {r.macro_f1:.3f} | {r.accuracy:.3f} | "
            f"{r.complaint['f1']:.2f} | {cells} | {100 * r.abstained:.1f}% |")


HEADER = ["| set | method | comments | macro-F1 (primary) | accuracy | complaint F1 | "
          "product F1 | convenience F1 | people F1 | not read |",
          "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]


def _confusion(r: text.EvaluationResult) -> list[str]:
    frame = r.confusion
    lines = ["| actual \\ predicted | " + " | ".join(frame.columns) + " |",
             "| --- | " + " | ".join("---:" for _ in frame.columns) + " |"]
    for actual, row in frame.iterrows():
        if row.sum():
            lines.append(f"| {actual} | " + " | ".join(f"{v:,}" for v in row) + " |")
    return lines


def real_label(frame: pd.DataFrame) -> list[str]:
    """The label of a real comment: its factors, ``complaint`` when only that is known, or
    ``other``."""
    return [("complaint" if f == "?" else f) if c else "other"
            for c, f in zip(frame["complaint"], frame["factors"], strict=True)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--per-source", type=int, default=600,
                        help="real comments sampled per source (default 600)")
    parser.add_argument("--append", action="store_true", help="append to RESULTS.md")
    args = parser.parse_args()

    model = text.default_classifier()
    keyword = text.KeywordClassifier()
    corpus = text.load_corpus()
    labels = labels_of(corpus)
    lines = [f"## Comment root causes on real comments (issue 21) — {dt.date.today():%Y-%m-%d}",
             "", f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
             f"{sys.version.split()[0]}. Model: `{model!r}`, shipped, trained on "
             f"{len(corpus):,} corpus comments ({', '.join(sorted(corpus['source'].unique()))})"
             " and the taxonomy's aliases. Macro-F1 of the primary factor over the classes "
             "present (product, convenience, people, other); a comment truly complaining about "
             "several factors counts as right when the primary factor is one of them; "
             "per-factor F1 counts every factor named. Comments not read count as wrong.", "",
             *HEADER]

    # (a) cross-validation of the corpus
    by_file = cross_validated(corpus, corpus["source"].to_numpy())
    texts = corpus["comment"].tolist()
    lines.append(_row("(a) corpus, leave one file out", "RootCauseClassifier",
                      text.evaluate(texts, labels, _Fixed(texts, by_file))))
    rng = np.random.default_rng(0)
    folds = rng.permutation(np.arange(len(corpus)) % 5)
    by_fold = cross_validated(corpus, folds)
    lines.append(_row("(a) corpus, 5-fold", "RootCauseClassifier",
                      text.evaluate(texts, labels, _Fixed(texts, by_fold))))
    lines.append(_row("(a) corpus", "keyword baseline", text.evaluate(texts, labels, keyword)))

    # (b) independent corpus
    independent = text.load_corpus([INDEPENDENT])
    ind_labels = labels_of(independent)
    ind = text.evaluate(independent["comment"].tolist(), ind_labels, model)
    lines += [_row("(b) independent corpus", "RootCauseClassifier", ind),
              _row("(b) independent corpus", "keyword baseline",
                   text.evaluate(independent["comment"].tolist(), ind_labels, keyword))]

    # (b') the sample generator's comments (seed 42, the shipped sample), with the generator's
    # own labels: templated text, never trained on (carework.text no longer learns from it)
    from carework.sample import generate

    sample = generate(customers=3000, seed=42)
    kind = sample.survey_truth["comment_kind"].to_numpy()
    written = kind != "none"
    sample_labels = [t if k == "complaint" else ("praise" if k == "praise" else "neutral")
                     for t, k in zip(sample.survey_truth["comment_topic"], kind, strict=True)]
    sample_texts = sample.surveys["comment"].to_numpy()[written].tolist()
    sample_labels = [x for x, w in zip(sample_labels, written, strict=True) if w]
    lines += [_row("(b') sample generator (seed 42)", "RootCauseClassifier",
                   text.evaluate(sample_texts, sample_labels, model)),
              _row("(b') sample generator (seed 42)", "keyword baseline",
                   text.evaluate(sample_texts, sample_labels, keyword))]

    # (c) real comments
    import real_comments

    available = real_comments.available()
    real = real_comments.load_all(per_source=args.per_source, seed=0, splits=("test",)) \
        if available else None
    pooled = None
    if real is not None and len(real):
        for source, part in real.groupby("source", sort=False):
            industry = part["industry"].iloc[0]
            result = text.evaluate(part["comment"].tolist(), real_label(part), model)
            lines.append(_row(f"(c) {source} ({industry})", "RootCauseClassifier", result))
        with_factors = set(real.loc[real["complaint"] & (real["factors"] != "?"), "source"])
        known = real[real["source"].isin(with_factors)]
        pooled = text.evaluate(known["comment"].tolist(), real_label(known), model)
        lines += [_row("(c) all sources with factor labels, pooled", "RootCauseClassifier",
                       pooled),
                  _row("(c) all sources with factor labels, pooled", "keyword baseline",
                       text.evaluate(known["comment"].tolist(), real_label(known), keyword))]
    else:
        lines.append("| (c) real comments | — | — | — | — | — | — | — | — | not available |")

    # (d) unreadable text
    unreadable = pd.read_csv(UNREADABLE, dtype=str, keep_default_na=False)
    reading = model.read(unreadable["comment"].tolist())
    unread = reading["factor"] == text.UNKNOWN
    confident = (~unread) & (reading["confidence"] >= 0.5)
    agree = (reading["reason"] == unreadable["reason"]).mean()
    lines += ["", f"(d) Unreadable text: {len(unreadable)} comments; {unread.mean():.1%} "
              f"abstained ({agree:.0%} with the expected reason); {int(confident.sum())} read "
              "with confidence ≥ 0.5 (confident wrong answers)"
              + (": " + "; ".join(repr(c) for c in unreadable.loc[confident, "comment"])
                 if confident.any() else "") + "."]
    if pooled is not None:
        lines += ["", "Confusion matrix, (c) pooled:", "", *_confusion(pooled)]
    lines += ["", "Confusion matrix, (b) independent corpus:", "", *_confusion(ind)]

    # timings
    cold = subprocess.run(
        [sys.executable, "-c", "import time; t = time.perf_counter(); import carework.text as "
         "x; a = time.perf_counter(); x.default_classifier(); b = time.perf_counter(); "
         "x.read(['giao hàng chậm']); c = time.perf_counter(); "
         "print(a - t, b - a, c - b)"], capture_output=True, text=True, check=True)
    import_s, load_s, first_s = map(float, cold.stdout.split())
    everything = real_comments.load_all(per_source=None) if available else None
    pool = list(dict.fromkeys((everything["comment"].tolist() if everything is not None
                               else []) + texts))
    short = [c for c in texts if len(c.split()) <= 6]
    rng = np.random.default_rng(1)
    typical = [pool[i % len(pool)] if i < len(pool) else
               f"{pool[i % len(pool)]} {short[rng.integers(len(short))]}"
               for i in range(100_000)]  # every real and corpus comment, then with a tail
    pool_array = np.array(pool, dtype=object)
    long = [f"{a} {b}" for a, b in zip(pool_array[rng.integers(0, len(pool), 100_000)],
                                        pool_array[rng.integers(0, len(pool), 100_000)],
                                        strict=True)]
    timings = []
    for name, batch in (("typical", typical), ("long", long)):
        words = float(np.mean([len(c.split()) for c in batch[::50]]))
        start = time.perf_counter()
        model.read(batch)
        timings.append((name, len(set(batch)), words, time.perf_counter() - start))
    repeated = [pool[i] for i in rng.integers(0, len(pool), 100_000)]
    start = time.perf_counter()
    model.read(repeated)
    repeated_s = time.perf_counter() - start
    start = time.perf_counter()
    train()
    train_s = time.perf_counter() - start
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    lines += ["", f"Timings (one run; load average {load}):", "", "| step | seconds |",
              "| --- | ---: |",
              f"| `import carework.text` in a new process | {import_s:.2f} |",
              f"| load the shipped model ({text.train.MODEL_PATH.stat().st_size / 1e6:.1f} MB) "
              f"| {load_s:.3f} |",
              f"| first reading of one comment | {first_s:.3f} |",
              *(f"| read 100,000 comments, {distinct:,} distinct, {words:.0f} words on average "
                f"({KINDS[name]}) | {seconds:.2f} |"
                for name, distinct, words, seconds in timings),
              f"| read 100,000 comments drawn from the real and corpus ones "
              f"({len(set(repeated)):,} distinct: exports repeat comments) | {repeated_s:.2f} |",
              f"| train the shipped model (`python -m carework.text.train`) | {train_s:.2f} |"]
    out = "\n".join(lines)
    print(out)
    if args.append:
        with RESULTS.open("a", encoding="utf-8") as fh:
            fh.write("\n" + out + "\n")


if __name__ == "__main__":
    main()
