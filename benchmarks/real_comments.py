"""Real Vietnamese customer comments with complaint / root-cause labels, from public corpora.

An evaluation set for the complaint root-cause classifier built from labelled public review
corpora of several industries. Each comment gets:

* ``complaint``: whether it complains about something;
* ``factors``: the complained-about factors among ``product`` (the product or service itself:
  quality, food, rooms, design, packaging, range, price, warranty), ``convenience`` (delivery,
  payment, location/parking/access, opening hours, waiting) and ``people`` (staff attitude and
  skills), sorted and ``;``-joined; empty for a non-complaint, ``"?"`` for a complaint whose
  factor the source does not tell (complaint-only or sentiment-only corpora, or, with
  ``keep_ambiguous=True``, an aspect corpus row whose negative aspects do not map to factors).

The labels are derived from the corpora's own annotations by the fixed rules in
:data:`SOURCES` (``mapping``), written from the corpora's label definitions and a reading of
their examples, never from any model's predictions. Aspect corpora: a comment is a complaint
iff at least one aspect is negative; its factors are those of its negative aspects. Aspects
are of three kinds: mapped to a factor; *overall* (a verdict on the whole venue, e.g.
``RESTAURANT#GENERAL``: no factor of its own); *ambiguous* (their negatives mix factors, e.g.
``*#MISCELLANEOUS``, UIT-ViSFD's ``SER&ACC``). A complaint is dropped (or kept with factor
``"?"`` when ``keep_ambiguous``) when one of its negative aspects is ambiguous (its factor set
could be incomplete) or when it has only *overall* negatives (no factor at all): dropping is
preferred to guessing. Positive/neutral aspects never make a complaint.

Rows: empty comments are dropped; exact duplicate comments (after stripping outer whitespace)
are kept once when their labels agree and dropped altogether when they disagree. Comments are
otherwise kept as written (case, diacritics, emoji, line breaks). ``df.attrs["dropped"]`` counts
what was dropped and why.

The raw files live outside the repository, under ``$CAREWORK_REAL_COMMENTS`` (default
/work/real_comments), one folder per source with a README.txt (repository, commit, paths,
licence, citation, how to obtain it again).

Run: ``.venv/bin/python benchmarks/real_comments.py`` (counts per source x factor);
``--audit 15`` prints 15 random rows per source; ``--per-source 600`` counts the
:func:`load_all` sample instead of the full sources; ``--keep-ambiguous``.
"""

from __future__ import annotations

import argparse
import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path

import pandas as pd

DEFAULT_ROOT = Path(os.environ.get("CAREWORK_REAL_COMMENTS", "/work/real_comments"))

FACTOR_NAMES = ("product", "convenience", "people")
UNKNOWN = "?"
"""The ``factors`` of a complaint whose factor the source does not tell."""

OVERALL = "<overall>"
"""An aspect that is a verdict on the whole venue: no factor of its own."""
AMBIGUOUS = "<ambiguous>"
"""An aspect whose negatives mix factors: its factor cannot be told from the label."""

COLUMNS = ["comment", "source", "industry", "complaint", "factors", "aspects", "split"]

# ---------------------------------------------------------------------------------------------
# Aspect -> factor tables (every category of the corpus is listed; an unknown one is an error)
# ---------------------------------------------------------------------------------------------

VLSP_RESTAURANT = {
    "FOOD#QUALITY": "product",
    "FOOD#STYLE&OPTIONS": "product",
    "FOOD#PRICES": "product",
    "DRINKS#QUALITY": "product",
    "DRINKS#STYLE&OPTIONS": "product",
    "DRINKS#PRICES": "product",
    "RESTAURANT#PRICES": "product",
    # the premises: space, decor, heat, noise, cleanliness of the room (the "rooms/design")
    "AMBIENCE#GENERAL": "product",
    "LOCATION#GENERAL": "convenience",
    # read: about half of the negatives are slow serving / long waits / late delivery
    # (convenience), the other half staff attitude (people)
    "SERVICE#GENERAL": AMBIGUOUS,
    "RESTAURANT#MISCELLANEOUS": AMBIGUOUS,  # opening hours, wifi, hygiene, parking, rules...
    "RESTAURANT#GENERAL": OVERALL,
}

_HOTEL_PRODUCT_ENTITIES = ("ROOMS", "ROOM_AMENITIES", "FACILITIES", "FOOD&DRINKS", "HOTEL")
_HOTEL_ATTRIBUTES = ("CLEANLINESS", "COMFORT", "DESIGN&FEATURES", "GENERAL", "PRICES",
                     "QUALITY", "STYLE&OPTIONS", "MISCELLANEOUS")


def _hotel_table() -> dict[str, str]:
    table = {}
    for entity in _HOTEL_PRODUCT_ENTITIES:
        for attribute in _HOTEL_ATTRIBUTES:
            if attribute == "MISCELLANEOUS":
                # HOTEL#MISC: payment/deposit rules, curfew, noise from building sites, lost
                # belongings, no drying rack...; FACILITIES#MISC: lifeguards, theft, views
                factor = AMBIGUOUS
            elif entity == "HOTEL" and attribute == "GENERAL":
                factor = OVERALL
            else:
                factor = "product"
            table[f"{entity}#{attribute}"] = factor
    table["LOCATION#GENERAL"] = "convenience"
    # read: reception/housekeeping attitude and mistakes (wrong room, rude, no help); a minority
    # are check-in/out delays (convenience): noise accepted, noted in the mapping text
    table["SERVICE#GENERAL"] = "people"
    return table


VLSP_HOTEL = _hotel_table()

VISFD = {
    "SCREEN": "product",
    "CAMERA": "product",
    "FEATURES": "product",
    "BATTERY": "product",
    "PERFORMANCE": "product",
    "STORAGE": "product",
    "DESIGN": "product",
    "PRICE": "product",
    "GENERAL": "product",  # the phone as a whole: still the product
    # service & accessories: shop staff (people), delivery (convenience), warranty, charger
    # and accessories (product), all in one label
    "SER&ACC": AMBIGUOUS,
}

HANOI_HOTEL = {
    "room": "product",
    "amenities": "product",
    "cleanliness": "product",
    "food_and_beverage": "product",
    "price": "product",
    "location": "convenience",
    "transportation": "convenience",  # parking, traffic, getting there
    "service": "people",
    "policy": AMBIGUOUS,  # charges and payment disputes, house rules, check-in times
    "others": AMBIGUOUS,
}

# ---------------------------------------------------------------------------------------------
# Sources
# ---------------------------------------------------------------------------------------------

_ASPECT_RULE = ("complaint iff >= 1 negative aspect; factors = factors of the negative aspects; "
                "a complaint with an ambiguous negative aspect or only overall negatives is "
                "dropped (factor '?' with keep_ambiguous); neutral/positive aspects never count")

SOURCES: dict[str, dict[str, str]] = {
    "vlsp2018_restaurant": dict(
        industry="restaurant",
        repository="https://github.com/ds4v/absa-vlsp-2018",
        commit="4f75c638f1885ccf899b5515adef89da54a119a4",
        files="datasets/vlsp2018_restaurant/{1-...-train,2-...-dev,3-...-test}.txt",
        licence="not stated; VLSP 2018 shared-task data, research use",
        mapping=(_ASPECT_RULE + ". FOOD#*, DRINKS#*, RESTAURANT#PRICES, AMBIENCE#GENERAL -> "
                 "product; LOCATION#GENERAL -> convenience; RESTAURANT#GENERAL overall; "
                 "SERVICE#GENERAL and RESTAURANT#MISCELLANEOUS ambiguous (SERVICE negatives are "
                 "about half slow serving/waiting, half staff attitude), so this source has no "
                 "'people' label"),
    ),
    "vlsp2018_hotel": dict(
        industry="hotel",
        repository="https://github.com/ds4v/absa-vlsp-2018",
        commit="4f75c638f1885ccf899b5515adef89da54a119a4",
        files="datasets/vlsp2018_hotel/{1-...-train,2-...-dev,3-...-test}.txt",
        licence="not stated; VLSP 2018 shared-task data, research use",
        mapping=(_ASPECT_RULE + ". ROOMS#*, ROOM_AMENITIES#*, FACILITIES#*, FOOD&DRINKS#*, "
                 "HOTEL#{CLEANLINESS,COMFORT,DESIGN&FEATURES,QUALITY,PRICES} -> product; "
                 "LOCATION#GENERAL -> convenience; SERVICE#GENERAL -> people (some negatives are "
                 "check-in/out delays: noise); HOTEL#GENERAL overall; *#MISCELLANEOUS ambiguous"),
    ),
    "uit_visfd": dict(
        industry="ecommerce",
        repository="https://github.com/LuongPhan/UIT-ViSFD",
        commit="4b11ec2e4e97839600e6035b49d1645c79023354",
        files="UIT-ViSFD.zip -> Train.csv, Dev.csv, Test.csv",
        licence="research use (README); commercial use: contact the authors",
        mapping=(_ASPECT_RULE + ". SCREEN, CAMERA, FEATURES, BATTERY, PERFORMANCE, STORAGE, "
                 "DESIGN, PRICE, GENERAL -> product; SER&ACC ambiguous (shop staff, delivery, "
                 "warranty and accessories in one label); OTHERS has no polarity. Smartphone "
                 "reviews on an e-commerce site: product factor and complaint detection only"),
    ),
    "hanoi_hotel": dict(
        industry="hotel",
        repository="https://github.com/tamkhojj/Col-TransGCN",
        commit="63e8efed8abf20c4563e7269a66334d006a6350b",
        files="val.csv, test.csv (train.csv is not in the snapshot)",
        licence="CC BY 4.0 (README badge)",
        mapping=("aspect scores -2..+2, negative = score < 0; " + _ASPECT_RULE + ". room, "
                 "amenities, cleanliness, food_and_beverage, price -> product; location, "
                 "transportation -> convenience; service -> people; policy, others ambiguous. "
                 "Text lower-cased without punctuation by the authors, partly machine-translated; "
                 "labels look partly automatic: weaker than the VLSP sources"),
    ),
    "uit_viocd": dict(
        industry="ecommerce",
        repository="https://github.com/vngbthang/ie403-Ecom-MultiTask-Complaint-Detection",
        commit="87250efe243d300e5ba02e272cea104ea0168bbd",
        files=("data/raw/UIT-ViOCD/test.csv, transcribed through the code index (the repository "
               "snapshot cannot be fetched), review_tokenize column left out"),
        licence="unknown (research data of UIT; HF card: license unknown)",
        mapping=("human complaint label: 1 -> complaint, factors '?'; 0 -> not a complaint. "
                 "Domains fashion, cosmetic, mobile (e-commerce) and app (app-store reviews) "
                 "kept in 'aspects'. Complaint detection only"),
    ),
    "aivivn2019": dict(
        industry="ecommerce",
        repository="https://github.com/petrpan26/Aivivn_1",
        commit="9ed5f1218d99b19ac2a8692dcad42715a449e782",
        files="data/train.crash",
        licence="not stated (AIVIVN 2019 competition data)",
        mapping=("sentiment label: 1 (negative) -> complaint, factors '?'; 0 (positive) -> "
                 "not a complaint. Sentiment is not complaint and the labels follow star "
                 "ratings: noisy, complaint detection only"),
    ),
    "uts2017_bank_sample": dict(
        industry="bank",
        repository="PyPI languageflow 1.1.13 (https://github.com/undertheseanlp/languageflow)",
        commit="languageflow-1.1.13-py2.py3-none-any.whl",
        files="languageflow/data/uts2017_bank_sample/{train,test}.txt",
        licence="package GPL-3.0; full UTS2017_Bank corpus Apache-2.0",
        mapping=("complaint iff >= 1 '#negative' label; factors '?': the 14 aspects are bank "
                 "products/channels, not causes (CUSTOMER_SUPPORT negatives mix hotline waits "
                 "and staff attitude, MONEY_TRANSFER negatives mix fees and failed transfers). "
                 "Only 100 comments: complaint detection only"),
    ),
}

_HOW_TO_GET = {
    "vlsp2018_restaurant": "git clone https://github.com/ds4v/absa-vlsp-2018 and copy "
                           "datasets/vlsp2018_restaurant/*.txt",
    "vlsp2018_hotel": "git clone https://github.com/ds4v/absa-vlsp-2018 and copy "
                      "datasets/vlsp2018_hotel/*.txt",
    "uit_visfd": "git clone https://github.com/LuongPhan/UIT-ViSFD and unzip UIT-ViSFD.zip",
    "hanoi_hotel": "git clone https://github.com/tamkhojj/Col-TransGCN and copy val.csv, "
                   "test.csv (and train.csv if you have it)",
    "uit_viocd": "get UIT-ViOCD (https://huggingface.co/datasets/tarudesu/ViOCD, or "
                 "data/raw/UIT-ViOCD/*.csv of "
                 "https://github.com/vngbthang/ie403-Ecom-MultiTask-Complaint-Detection) and put "
                 "its train/val/test.csv (columns review, label, domain)",
    "aivivn2019": "git clone https://github.com/petrpan26/Aivivn_1 and copy data/train.crash",
    "uts2017_bank_sample": "pip download languageflow==1.1.13 --no-deps and unzip "
                           "languageflow/data/uts2017_bank_sample/{train,test}.txt",
}

# ---------------------------------------------------------------------------------------------
# Labelling
# ---------------------------------------------------------------------------------------------


def _label(negatives: Iterable[str], table: dict[str, str]) -> tuple[bool, str, bool]:
    """``(complaint, factors, ambiguous)`` of a comment from its negative aspects."""
    kinds = set()
    for aspect in negatives:
        if aspect not in table:
            raise ValueError(f"aspect {aspect!r} has no mapping: add it to the table")
        kinds.add(table[aspect])
    if not kinds:
        return False, "", False
    factors = sorted(kinds & set(FACTOR_NAMES))
    ambiguous = AMBIGUOUS in kinds or not factors
    return True, (UNKNOWN if ambiguous else ";".join(factors)), ambiguous


def _check_aspects(seen: Iterable[str], table: dict[str, str]) -> None:
    unknown = sorted(set(seen) - set(table))
    if unknown:
        raise ValueError(f"aspects without a mapping: {unknown}")


def _split_of(path: Path) -> str:
    name = path.stem.lower()
    for split in ("train", "dev", "val", "test"):
        if split in name:
            return split
    return name


def _files(folder: Path, pattern: str) -> list[Path]:
    return sorted(p for p in folder.glob(pattern)
                  if p.is_file() and p.name.lower() != "readme.txt")


def _read_vlsp(folder: Path, table: dict[str, str]) -> list[dict]:
    rows = []
    for path in _files(folder, "*.txt"):
        text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
        # a block: "#<id>" line, the review (one line), the aspect list line
        for block in re.split(r"\n\s*\n(?=#\d+\s*\n)", text.strip()):
            lines = block.strip().split("\n")
            if len(lines) < 3 or not re.fullmatch(r"#\d+", lines[0].strip()):
                raise ValueError(f"{path.name}: unexpected block {block[:120]!r}")
            comment = "\n".join(lines[1:-1])
            pairs = re.findall(r"\{\s*([^,{}]+?)\s*,\s*(positive|negative|neutral)\s*\}",
                               lines[-1])
            if not pairs and lines[-1].strip():
                raise ValueError(f"{path.name}: unreadable aspects {lines[-1][:120]!r}")
            _check_aspects((a for a, _ in pairs), table)
            complaint, factors, ambiguous = _label((a for a, p in pairs if p == "negative"),
                                                   table)
            rows.append(dict(comment=comment, complaint=complaint, factors=factors,
                             ambiguous=ambiguous, split=_split_of(path),
                             aspects="; ".join(f"{a}={p}" for a, p in pairs)))
    return rows


def _read_visfd(folder: Path) -> list[dict]:
    rows = []
    for path in _files(folder, "*.csv"):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        for comment, label in zip(frame["comment"], frame["label"], strict=True):
            pairs = []
            for item in re.findall(r"\{([^}]*)\}", label):
                aspect, _, polarity = item.partition("#")
                if aspect == "OTHERS":
                    continue
                if polarity not in ("Positive", "Negative", "Neutral"):
                    raise ValueError(f"{path.name}: unexpected label {item!r}")
                pairs.append((aspect, polarity))
            _check_aspects((a for a, _ in pairs), VISFD)
            complaint, factors, ambiguous = _label((a for a, p in pairs if p == "Negative"),
                                                   VISFD)
            rows.append(dict(comment=comment, complaint=complaint, factors=factors,
                             ambiguous=ambiguous, split=_split_of(path), aspects=label))
    return rows


def _read_hanoi(folder: Path) -> list[dict]:
    rows = []
    for path in _files(folder, "*.csv"):
        frame = pd.read_csv(path, encoding="utf-8-sig", dtype={"data": str},
                            keep_default_na=False)
        aspects = list(HANOI_HOTEL)
        scores = frame[aspects].apply(pd.to_numeric, errors="coerce")
        for comment, (_, row) in zip(frame["data"], scores.iterrows(), strict=True):
            given = {a: int(s) for a, s in row.items() if pd.notna(s) and s != 0}
            complaint, factors, ambiguous = _label((a for a, s in given.items() if s < 0),
                                                   HANOI_HOTEL)
            rows.append(dict(comment=comment, complaint=complaint, factors=factors,
                             ambiguous=ambiguous, split=_split_of(path),
                             aspects="; ".join(f"{a}={s:+d}" for a, s in given.items())))
    return rows


def _read_viocd(folder: Path) -> list[dict]:
    rows = []
    for path in _files(folder, "*.csv"):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        for comment, label, domain in zip(frame["review"], frame["label"], frame["domain"],
                                          strict=True):
            value = float(label)
            if value not in (0.0, 1.0):
                raise ValueError(f"{path.name}: unexpected label {label!r}")
            complaint = value == 1.0
            rows.append(dict(comment=comment, complaint=complaint,
                             factors=UNKNOWN if complaint else "", ambiguous=False,
                             split=_split_of(path), aspects=f"label={int(value)}; domain={domain}"))
    return rows


def _read_aivivn(folder: Path) -> list[dict]:
    rows = []
    for path in _files(folder, "*.crash"):
        text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
        blocks = re.findall(r'^(train_\d+)\n"(.*?)"\n([01])[ \t]*$', text, flags=re.M | re.S)
        expected = len(re.findall(r"^train_\d+$", text, flags=re.M))
        if len(blocks) != expected:
            raise ValueError(f"{path.name}: parsed {len(blocks)} of {expected} reviews")
        for _, comment, label in blocks:
            complaint = label == "1"
            rows.append(dict(comment=comment, complaint=complaint,
                             factors=UNKNOWN if complaint else "", ambiguous=False,
                             split="train", aspects=f"label={label}"))
    return rows


def _read_bank(folder: Path) -> list[dict]:
    rows = []
    for path in _files(folder, "*.txt"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            match = re.match(r"((?:__label__\S+\s+)+)(.*)$", line)
            if match is None:
                raise ValueError(f"{path.name}: line without labels {line[:120]!r}")
            labels = match.group(1).replace("__label__", "").split()
            complaint = any(label.endswith("#negative") for label in labels)
            rows.append(dict(comment=match.group(2), complaint=complaint,
                             factors=UNKNOWN if complaint else "", ambiguous=False,
                             split=_split_of(path), aspects="; ".join(labels)))
    return rows


_READERS: dict[str, tuple[str, Callable[[Path], list[dict]]]] = {
    "vlsp2018_restaurant": ("*.txt", lambda f: _read_vlsp(f, VLSP_RESTAURANT)),
    "vlsp2018_hotel": ("*.txt", lambda f: _read_vlsp(f, VLSP_HOTEL)),
    "uit_visfd": ("*.csv", _read_visfd),
    "hanoi_hotel": ("*.csv", _read_hanoi),
    "uit_viocd": ("*.csv", _read_viocd),
    "aivivn2019": ("*.crash", _read_aivivn),
    "uts2017_bank_sample": ("*.txt", _read_bank),
}


def available(root: Path = DEFAULT_ROOT) -> list[str]:
    """The sources whose raw files are under ``root``."""
    return [name for name, (pattern, _) in _READERS.items()
            if _files(Path(root) / name, pattern)]


def load(name: str, root: Path = DEFAULT_ROOT, keep_ambiguous: bool = False) -> pd.DataFrame:
    """One source as a frame of :data:`COLUMNS` (see the module docstring for the labels).

    ``keep_ambiguous`` keeps the complaints whose factors cannot be told from the aspects (an
    ambiguous negative aspect, or only overall negatives), with ``factors == "?"``; by default
    they are dropped. ``df.attrs["dropped"]`` counts the dropped rows by reason.
    """
    if name not in SOURCES:
        raise KeyError(f"unknown source {name!r}: one of {sorted(SOURCES)}")
    folder = Path(root) / name
    pattern, reader = _READERS[name]
    if not _files(folder, pattern):
        raise FileNotFoundError(
            f"no {pattern} files for source {name!r} in {folder}. To get them: "
            f"{_HOW_TO_GET[name]} into {folder} (see its README.txt; set "
            f"CAREWORK_REAL_COMMENTS or pass root= to use another folder).")
    frame = pd.DataFrame(reader(folder))
    dropped = {"read": len(frame)}
    frame["comment"] = frame["comment"].astype(str).str.strip().str.strip("\ufeff").str.strip()
    empty = frame["comment"] == ""
    dropped["empty"] = int(empty.sum())
    frame = frame[~empty]
    # exact duplicates: one copy if their labels agree, none if they disagree
    label = (frame["complaint"].astype(str) + "|" + frame["factors"] + "|"
             + frame["ambiguous"].astype(str))
    conflicting = label.groupby(frame["comment"]).transform("nunique") > 1
    dropped["duplicate_conflicting"] = int(conflicting.sum())
    frame = frame[~conflicting]
    repeated = frame["comment"].duplicated()
    dropped["duplicate"] = int(repeated.sum())
    frame = frame[~repeated]
    if not keep_ambiguous:
        dropped["ambiguous_factor"] = int(frame["ambiguous"].sum())
        frame = frame[~frame["ambiguous"]]
    frame = frame.assign(source=name, industry=SOURCES[name]["industry"],
                         complaint=frame["complaint"].astype(bool))
    out = frame[COLUMNS].reset_index(drop=True)
    dropped["kept"] = len(out)
    out.attrs["dropped"] = dropped
    return out


def _allocate(sizes: pd.Series, total: int) -> pd.Series:
    """Largest-remainder allocation of ``total`` rows over strata of ``sizes``."""
    exact = sizes / sizes.sum() * total
    counts = exact.astype(int)
    short = total - int(counts.sum())
    order = (exact - counts).sort_values(ascending=False, kind="stable").index
    counts[order[:short]] += 1
    return counts.clip(upper=sizes)


def sample(frame: pd.DataFrame, n: int, seed: int = 0) -> pd.DataFrame:
    """At most ``n`` rows, stratified on the label (complaint and factors) in proportion."""
    if len(frame) <= n:
        return frame
    strata = frame["complaint"].astype(str) + "|" + frame["factors"]
    counts = _allocate(strata.value_counts(), n)
    # complaints and non-complaints both appear when the source has both
    for flag in (True, False):
        mine = counts[counts.index.str.startswith(f"{flag}|")]
        if len(mine) and mine.sum() == 0:
            counts[mine.index[0]] = 1
    parts = [frame[strata == stratum].sample(int(k), random_state=seed)
             for stratum, k in counts.items() if k]
    return pd.concat(parts).sort_index()


def load_all(per_source: int | None = 600, seed: int = 0, root: Path = DEFAULT_ROOT,
             keep_ambiguous: bool = False, splits: tuple[str, ...] | None = None
             ) -> pd.DataFrame:
    """Every available source, each sampled to at most ``per_source`` rows (stratified on the
    label, see :func:`sample`; ``None``: all rows), concatenated.

    ``splits`` keeps only those splits of a source (``("test",)`` for the reported evaluation;
    ``("train", "dev", "val")`` to look at while developing); a source with none of them is
    kept whole (AIVIVN has a single labelled split)."""
    names = available(root)
    if not names:
        raise FileNotFoundError(
            f"no source found under {root}: put the raw files there, one folder per source "
            f"({', '.join(SOURCES)}); see the README.txt of each or load(name) for how")
    frames = []
    for name in names:
        frame = load(name, root, keep_ambiguous=keep_ambiguous)
        if splits is not None and frame["split"].isin(splits).any():
            frame = frame[frame["split"].isin(splits)]
        if per_source is not None:
            frame = sample(frame, per_source, seed)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------


def counts(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows per source: all, complaints, non-complaints, complaints of unknown factor, and per
    factor (a complaint counts once for each of its factors)."""
    table = pd.DataFrame({
        "rows": frame.groupby("source").size(),
        "complaint": frame.groupby("source")["complaint"].sum(),
    })
    table["other"] = table["rows"] - table["complaint"]
    table["?"] = frame[frame["factors"] == UNKNOWN].groupby("source").size()
    for factor in FACTOR_NAMES:
        has = frame["factors"].str.split(";").apply(lambda fs, f=factor: f in fs)
        table[factor] = frame[has].groupby("source").size()
    table = table.reindex([s for s in SOURCES if s in table.index]).fillna(0).astype(int)
    table.loc["total"] = table.sum()
    return table


def audit(frame: pd.DataFrame, n: int = 15, seed: int = 0, width: int = 150) -> str:
    """``n`` random rows per source (about half complaints when there are enough), comment
    truncated to ``width`` characters, with the original aspects and the mapped label."""
    lines = []
    for name, part in frame.groupby("source", sort=False):
        lines.append(f"=== {name} ({len(part)} rows)")
        complaints = part[part["complaint"]]
        k = min((n + 1) // 2, len(complaints))
        rest = part[~part["complaint"]]
        rows = pd.concat([complaints.sample(k, random_state=seed),
                          rest.sample(min(n - k, len(rest)), random_state=seed)])
        for _, row in rows.sample(frac=1, random_state=seed).iterrows():
            text = " ".join(row["comment"].split())
            text = text if len(text) <= width else text[:width - 1] + "…"
            label = row["factors"] if row["complaint"] else "other"
            lines.append(f"- [{label}] {text}\n    aspects: {row['aspects']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT)
    parser.add_argument("--per-source", type=int, default=None,
                        help="count the load_all sample of this size (default: full sources)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep-ambiguous", action="store_true")
    parser.add_argument("--audit", type=int, default=0, metavar="N",
                        help="also print N random rows per source")
    args = parser.parse_args(argv)
    pd.set_option("display.width", 200)
    frames, dropped = [], {}
    for name in available(args.root):
        frame = load(name, args.root, keep_ambiguous=args.keep_ambiguous)
        dropped[name] = frame.attrs["dropped"]
        if args.per_source is not None:
            frame = sample(frame, args.per_source, args.seed)
        frames.append(frame)
    missing = [name for name in SOURCES if name not in dropped]
    if not frames:
        raise SystemExit(f"no source under {args.root}")
    frame = pd.concat(frames, ignore_index=True)
    print(f"root: {args.root}" + (f"; missing: {', '.join(missing)}" if missing else ""))
    print("\nRows read and dropped per source:")
    print(pd.DataFrame(dropped).T.fillna(0).astype(int).to_string())
    scope = f"load_all(per_source={args.per_source})" if args.per_source else "full sources"
    print(f"\nCounts per source x factor ({scope}):")
    print(counts(frame).to_string())
    print("\nFactor combinations of the complaints:")
    combos = frame[frame["complaint"]].groupby(["source", "factors"]).size().unstack(fill_value=0)
    print(combos.reindex([s for s in SOURCES if s in combos.index]).to_string())
    if args.audit:
        print()
        print(audit(frame, args.audit, args.seed))


if __name__ == "__main__":
    main()
