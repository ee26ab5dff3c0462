"""Complaint text: the root-cause factor of a comment (product, convenience, people, other).

The handbook sorts complaint causes into three factors — product (quality, design, packaging,
range, price, warranty, after-sales), convenience (delivery, payment, location, opening hours)
and people (staff attitude and skills). A comment that is not a complaint (praise, a neutral
remark, nothing at all) is ``other``.

:func:`root_cause` and :func:`topic` use a small statistical classifier,
:class:`RootCauseClassifier`: the comment is normalised the way customers write it — accents
folded, teencode and abbreviations expanded (``k``/``ko``/``hok`` → ``khong``, ``nv`` →
``nhan vien``, ``ship`` → ``giao hang``), stretched letters squeezed (``chammm`` → ``cham``) —
emoji read as praise or complaint — then word 1–2-grams and within-word character 2–5-grams
(TF-IDF) and four praise/complaint polarity counts feed a logistic regression over the twelve
complaint topics plus ``other`` (every factor weighted alike); a factor's probability is the
sum of its topics'. The default model is trained once per process, in about a second, from a
hand-written corpus shipped with the package (``share/text/complaints_train.csv``) plus
comments of the sample generator (seeds :data:`TRAIN_SEEDS`, weighted down); nothing is
downloaded and nothing is pickled. Prediction works on the distinct normalised comments and
through the distinct words of a batch, so 100,000 comments take about a second. The former
key-phrase method stays available as :class:`KeywordClassifier`, the baseline that
:func:`evaluate` and ``benchmarks/eval_root_cause.py`` compare against.

Scores (``benchmarks/RESULTS.md``, "Complaint root causes"): macro-F1 0.86 in 5-fold
cross-validation of the hand-written corpus (keyword baseline 0.48), 0.86 on an independent
hand-written corpus never used for tuning (keyword baseline 0.46) and 1.00 on the generator's
own hold-out, whose template text is easy (keyword baseline 0.72).

Examples
--------
>>> root_cause(["Giao hàng quá chậm", "nv noi chuyen coc loc", "hàng bị vỡ", "cảm ơn", None])
['convenience', 'people', 'product', 'other', 'other']
>>> topic(["giao hàng chậm", "nhân viên thái độ"])
['delivery', 'staff_attitude']
"""

from __future__ import annotations

import functools
import math
import re
import string
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any

import numpy as np

from carework.vntext import fold

if TYPE_CHECKING:  # sklearn and pandas are imported on first use: carework.sample imports us
    import pandas as pd

__all__ = [
    "FACTORS",
    "GENERATED_WEIGHT",
    "KEY_PHRASES",
    "NEGATIVE",
    "NEGATORS",
    "POSITIVE",
    "TOPICS",
    "TOPIC_FACTOR",
    "TRAIN_CUSTOMERS",
    "TRAIN_SEEDS",
    "EvaluationResult",
    "KeywordClassifier",
    "RootCauseClassifier",
    "causes",
    "default_classifier",
    "evaluate",
    "labelled_sample_comments",
    "load_corpus",
    "normalise",
    "root_cause",
    "topic",
    "training_corpus",
    "training_labels",
]

FACTORS = ("product", "convenience", "people", "other")
"""The handbook's three root-cause factors, then ``other`` (not a complaint)."""

TOPIC_FACTOR: dict[str, str] = {
    "product_quality": "product",
    "product_design": "product",
    "packaging": "product",
    "product_range": "product",
    "price": "product",
    "warranty": "product",
    "delivery": "convenience",
    "payment": "convenience",
    "store_location": "convenience",
    "opening_hours": "convenience",
    "staff_attitude": "people",
    "staff_skills": "people",
}
"""Complaint topic (the canonical ticket categories) → the handbook's root-cause factor."""

TOPICS = tuple(TOPIC_FACTOR)
"""The twelve complaint topics, in :data:`TOPIC_FACTOR` order."""

KEY_PHRASES: dict[str, tuple[str, ...]] = {
    "product_quality": ("chat luong", "hong", "bi be", "be vo", "vo", "nut", "hang loi", "bi loi",
                        "kem chat", "hu", "hu hong", "khong dung duoc", "khong chay",
                        "quality", "broken", "defect", "rach", "phai dem doi", "khong hoat dong",
                        "het han", "moc", "hang gia", "fake", "dung tam"),
    "product_design": ("mau ma", "thiet ke", "kieu dang", "xau", "khong dep", "design",
                       "kich co", "size", "mau sac"),
    "packaging": ("dong goi", "bao bi", "goi hang", "mop", "packaging", "bop meo"),
    "product_range": ("het hang", "khong co hang", "it mau", "chung loai", "it lua chon",
                      "khong co size", "out of stock", "thieu hang", "khong du hang",
                      "mat hang"),
    "price": ("gia cao", "gia dat", "dat hon", "price", "expensive", "tang gia", "chat chem",
              "dat qua", "gia hoi cao"),
    "warranty": ("bao hanh", "doi tra", "hau mai", "warranty", "sua chua", "tra hang",
                 "doi hang"),
    "delivery": ("giao hang", "giao cham", "ship", "van chuyen", "giao tre", "giao nham",
                 "delivery", "shipper", "cham tre", "chua nhan", "giao thieu", "don hang cham",
                 "that lac", "delay", "giao sai", "tong dai", "hen goi lai"),
    "payment": ("thanh toan", "tru tien", "hoan tien", "chuyen khoan", "quet the",
                "payment", "refund", "tien thua", "hoa don", "vi dien tu", "momo", "hai lan"),
    "store_location": ("kho tim", "bang hieu", "dia chi", "cho dau xe", "gui xe",
                       "location", "kho thay", "dau xe", "bat tien", "xa", "de xe"),
    "opening_hours": ("gio mo cua", "dong cua", "mo cua", "gio lam viec", "dong som",
                      "mo tre", "opening"),
    "staff_attitude": ("thai do", "coc loc", "kho chiu", "bat lich su", "to tieng", "gat",
                       "khong ai de y", "lam lo", "nhat gung", "khong them", "khong tra loi",
                       "khong ai tu van", "de y",
                       "tho o", "bam dien thoai", "khong nhiet tinh", "rude", "attitude",
                       "thai do nv", "nv kho chiu", "thieu ton trong", "phot lo"),
    "staff_skills": ("tu van sai", "tu van khong dung", "khong biet", "huong dan sai",
                     "nghiep vu", "khong nam", "lung tung", "skill", "tu van", "giai thich sai",
                     "long ngong", "khong hieu",
                     "xu ly cham", "khong ro"),
}
"""Accent-folded key phrases per topic, matched as whole words (the baseline's lexicon)."""

# --------------------------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------------------------

_SHORTHAND: dict[str, str] = {
    # negation
    "k": "khong", "ko": "khong", "kh": "khong", "kg": "khong", "khg": "khong", "hok": "khong",
    "hk": "khong", "khum": "khong", "hem": "khong", "kp": "khong phai", "kbh": "khong bao gio",
    "not": "khong", "no": "khong",
    # common words
    "dc": "duoc", "dk": "duoc", "dduoc": "duoc", "j": "gi", "ji": "gi", "z": "vay",
    "zay": "vay", "dzay": "vay", "r": "roi", "rui": "roi", "wa": "qua", "qa": "qua",
    "bik": "biet", "bit": "biet", "bjet": "biet", "thui": "thoi", "lun": "luon", "vs": "voi",
    "trc": "truoc", "cx": "cung", "cug": "cung", "mk": "minh", "mik": "minh", "ng": "nguoi",
    "ns": "noi", "nhiu": "nhieu", "lm": "lam", "ntn": "nhu the nao", "hnay": "hom nay",
    "mn": "moi nguoi", "tl": "tra loi", "rep": "tra loi", "sdt": "so dien thoai",
    "oke": "ok", "okie": "ok", "oki": "ok", "okela": "ok", "okay": "ok",
    "tks": "cam on", "thanks": "cam on", "thank": "cam on", "thanx": "cam on", "camon": "cam on",
    # shop vocabulary
    "nv": "nhan vien", "nvien": "nhan vien", "nhanvien": "nhan vien", "staff": "nhan vien",
    "sp": "san pham", "sanpham": "san pham", "ship": "giao hang", "shiper": "nguoi giao hang",
    "shipper": "nguoi giao hang", "delivery": "giao hang", "bh": "bao hanh",
    "warranty": "bao hanh", "tt": "thanh toan", "payment": "thanh toan", "ck": "chuyen khoan",
    "refund": "hoan tien", "price": "gia", "expensive": "dat", "broken": "hong",
    "quality": "chat luong", "late": "tre", "slow": "cham", "rude": "tho lo", "ad": "shop",
    "admin": "shop", "cskh": "cham soc khach hang",
}
"""Folded shorthand → folded Vietnamese (applied per word, after stretched letters are
squeezed)."""

_LETTER = re.compile(r"[^\W\d_]")
_SQUEEZE = re.compile(r"([a-z0-9])\1+")
_ASCII_LETTERS = frozenset(string.ascii_lowercase)


_EMOJI_POSITIVE = "👍👌👏🙏💯❤♥💕💖💗😍🥰😘😊☺🙂😀😁😃😄😆🤗✨🌟⭐🎉"
_EMOJI_NEGATIVE = "👎😡😠🤬😤😭😢😞😔🙁☹😒😩😫💔🤮🤢😓😥😰😣😖"
_EMOTICONS = {":))": " emopos ", ":)": " emopos ", ":d": " emopos ", "<3": " emopos ",
              ":((": " emoneg ", ":(": " emoneg ", "-_-": " emoneg "}


class _FoldTable(dict[int, str]):
    """``str.translate`` table, filled on demand: letters lose their diacritics (``đ`` → ``d``),
    combining marks vanish, digits become ``0``, ``?`` stays a word of its own, praising and
    complaining emoji become the words ``emopos`` and ``emoneg``, newlines stay and anything
    else is a space."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        if ch == "\n":
            out = "\n"
        elif ch == "?":
            out = " ? "
        elif ch in _EMOJI_POSITIVE:
            out = " emopos "
        elif ch in _EMOJI_NEGATIVE:
            out = " emoneg "
        elif ch.isdigit():
            out = "0"
        elif unicodedata.combining(ch):
            out = ""
        else:
            base = "".join(c for c in unicodedata.normalize("NFD", ch)
                           if not unicodedata.combining(c)).lower().replace("đ", "d")
            out = base if base and set(base) <= _ASCII_LETTERS else " "
        self[code] = out
        return out


class _WordTable(dict[str, str]):
    """Folded word → normalised word(s): stretched letters squeezed, shorthand expanded."""

    def __missing__(self, word: str) -> str:
        squeezed = _SQUEEZE.sub(r"\1", word)
        out = _SHORTHAND_SQUEEZED.get(squeezed, squeezed)
        if len(self) < 200_000:  # a bound, for processes that read endless new words
            self[word] = out
        return out


_SHORTHAND_SQUEEZED = {_SQUEEZE.sub(r"\1", k): v for k, v in _SHORTHAND.items()}
_FOLD = _FoldTable()
_WORDS = _WordTable()


def _is_text(comment: object) -> bool:
    """A string with at least one letter (so emoji, digits and punctuation alone are not)."""
    return isinstance(comment, str) and _LETTER.search(comment) is not None


def _normalise_many(comments: Iterable[object]) -> list[str]:
    """:func:`normalise` of many comments at once (one ``translate`` over all of them, then a
    table lookup per word)."""
    texts = [c if _is_text(c) else "" for c in comments]
    if not texts:
        return []
    joined = "\n".join(texts).lower()
    for emoticon, word in _EMOTICONS.items():
        if emoticon in joined:
            joined = joined.replace(emoticon, word)
    joined = joined.translate(_FOLD)  # a comment's own newlines: see below
    word = _WORDS.__getitem__
    lines = joined.split("\n")
    if len(lines) == len(texts):
        return [" ".join(map(word, line.split())) for line in lines]
    return _normalise_many([t.replace("\n", " ") for t in texts])


def normalise(comment: object) -> str:
    """The comment as the classifier reads it: folded, shorthand expanded, letters squeezed.

    Parameters
    ----------
    comment : object
        A comment; anything that is not a string with at least one letter gives ``""``.

    Returns
    -------
    str
        Space-separated lower-case ASCII words; runs of digits become ``0``.

    Examples
    --------
    >>> normalise("Nv trả lời cộc lốc, ship chậmmmm quá!! 👎")
    'nhan vien tra loi coc loc giao hang cham qua emoneg'
    >>> normalise("hok dc 2 ngày đã hư")
    'khong duoc 0 ngay da hu'
    """
    return _normalise_many([comment])[0]


def _as_list(texts: Iterable[object]) -> list[object]:
    return texts if isinstance(texts, list) else list(texts)


def _factor_of(label: object) -> str:
    """A factor for a topic or factor label; missing labels are ``other``."""
    if isinstance(label, str):
        if label in TOPIC_FACTOR:
            return TOPIC_FACTOR[label]
        if label in FACTORS:
            return label
    if label is None or (isinstance(label, float) and math.isnan(label)):
        return "other"
    raise ValueError(f"unknown label {label!r}: expected one of {FACTORS} or a topic")


# --------------------------------------------------------------------------------------------
# Features
# --------------------------------------------------------------------------------------------

def _char_grams(word: str, low: int, high: int) -> list[str]:
    """Character n-grams of one word padded with spaces (scikit-learn's ``char_wb``)."""
    w = f" {word} "
    grams = []
    for n in range(low, high + 1):
        if len(w) <= n:
            grams.append(w)
            break
        grams.extend(w[i:i + n] for i in range(len(w) - n + 1))
    return grams


class _Tokens:
    """The words of a batch of normalised texts: the distinct words, and per token its word
    and its document."""

    def __init__(self, texts: Sequence[str]) -> None:
        index = _Index()
        words = " ".join(texts).split()
        self.ids = np.fromiter(map(index.__getitem__, words), dtype=np.int64, count=len(words))
        lengths = np.fromiter((t.count(" ") + 1 if t else 0 for t in texts), dtype=np.int64,
                              count=len(texts))  # normalised: single spaces, none at the ends
        self.words = list(index)
        self.doc = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
        self.n_docs = len(texts)


class _Index(dict[str, int]):
    """Word → running number, numbering words as they first come."""

    def __missing__(self, word: str) -> int:
        self[word] = out = len(self)
        return out


class _NgramTfidf:
    """TF-IDF (sublinear tf, smoothed idf, l2 rows) of word n-grams and within-word character
    n-grams, equal to scikit-learn's ``TfidfVectorizer`` with ``analyzer="word"`` and
    ``"char_wb"`` but computed through the distinct words of a batch, so that the cost grows
    with the number of tokens and not the number of character n-grams."""

    def __init__(self, word_ngrams: tuple[int, int] | None,
                 char_ngrams: tuple[int, int] | None, min_df: int) -> None:
        if word_ngrams and not 1 <= word_ngrams[0] <= word_ngrams[1] <= 3:
            raise ValueError("word_ngrams must lie within (1, 3)")
        if char_ngrams and not 1 <= char_ngrams[0] <= char_ngrams[1]:
            raise ValueError("char_ngrams must be a range of positive lengths")
        if not word_ngrams and not char_ngrams:
            raise ValueError("word_ngrams and char_ngrams cannot both be None")
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams
        self.min_df = min_df

    # word n-grams are keys in base V (V = number of training words + 1; 0 = unknown word)
    def _word_keys(self, tokens: _Tokens) -> tuple[np.ndarray, np.ndarray]:
        known = np.array([self._word_id.get(w, 0) for w in tokens.words], dtype=np.int64)
        wid = known[tokens.ids] if len(tokens.ids) else np.zeros(0, dtype=np.int64)
        low, high = self.word_ngrams  # type: ignore[misc]
        keys, docs = [], []
        base = len(self._word_id) + 1
        for n in range(low, high + 1):
            if len(wid) < n:
                continue
            key = wid[:len(wid) - n + 1].copy()
            ok = key > 0
            for j in range(1, n):
                nxt = wid[j:len(wid) - n + 1 + j]
                key = key * base + nxt
                ok &= (nxt > 0) & (tokens.doc[j:len(wid) - n + 1 + j] == tokens.doc[:len(key)])
            keys.append(key[ok] * 4 + n)  # the length makes keys of different n distinct
            docs.append(tokens.doc[:len(key)][ok])
        if not keys:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        return np.concatenate(keys), np.concatenate(docs)

    def _counts(self, tokens: _Tokens) -> list[Any]:
        from scipy import sparse

        blocks = []
        if self.word_ngrams:
            keys, docs = self._word_keys(tokens)
            pos = np.searchsorted(self._word_keys_sorted, keys)
            pos = np.minimum(pos, len(self._word_keys_sorted) - 1)
            hit = self._word_keys_sorted[pos] == keys if len(keys) else np.zeros(0, bool)
            cols = self._word_cols[pos[hit]]
            blocks.append(sparse.csr_matrix(
                (np.ones(len(cols), dtype=np.float32), (docs[hit], cols)),
                shape=(tokens.n_docs, len(self._word_idf))))
        if self.char_ngrams:
            low, high = self.char_ngrams
            rows, cols = [], []
            vocab = self._char_vocab
            for i, word in enumerate(tokens.words):
                found = [vocab[g] for g in _char_grams(word, low, high) if g in vocab]
                rows.extend([i] * len(found))
                cols.extend(found)
            grams = sparse.csr_matrix((np.ones(len(cols), dtype=np.float32), (rows, cols)),
                                      shape=(len(tokens.words), len(vocab)))
            words = sparse.csr_matrix(
                (np.ones(len(tokens.ids), dtype=np.float32), (tokens.doc, tokens.ids)),
                shape=(tokens.n_docs, len(tokens.words)))
            blocks.append((words @ grams).tocsr())
        return blocks

    @staticmethod
    def _tfidf(counts: Any, idf: np.ndarray) -> tuple[Any, np.ndarray]:
        """Sublinear tf times idf (in place), and the length of each row (1 for empty rows)."""
        counts = counts.tocsr()  # from COO this sums duplicates
        data = np.log(counts.data)
        data += 1.0
        data *= idf[counts.indices]
        counts.data = data
        square = np.concatenate([[0.0], np.cumsum(data * data, dtype=np.float64)])
        norms = np.sqrt(np.maximum(square[counts.indptr[1:]] - square[counts.indptr[:-1]], 0))
        norms[norms == 0] = 1.0
        return counts, norms

    def fit_transform(self, texts: Sequence[str], tokens: _Tokens | None = None) -> list[Any]:
        """Learn the vocabularies and idf weights; return the unit-length TF-IDF blocks."""
        tokens = tokens or _Tokens(texts)
        n = tokens.n_docs
        if self.word_ngrams:
            self._word_id = {w: i + 1 for i, w in enumerate(tokens.words)}
            keys, docs = self._word_keys(tokens)
            uniq, inverse = np.unique(keys, return_inverse=True)
            df = np.bincount(np.unique(inverse * n + docs) // n, minlength=len(uniq))
            keep = df >= self.min_df
            self._word_keys_sorted = uniq[keep] if keep.any() else np.array([-1])
            self._word_cols = np.arange(int(keep.sum()), dtype=np.int64)
            self._word_idf = (np.log((1 + n) / (1 + df[keep])) + 1.0).astype(np.float32)
        if self.char_ngrams:
            low, high = self.char_ngrams
            vocab: dict[str, int] = {}
            for word in tokens.words:
                for g in _char_grams(word, low, high):
                    vocab.setdefault(g, len(vocab))
            self._char_vocab = vocab
            counts = self._counts(tokens)[-1]
            df = np.bincount(counts.indices, minlength=len(vocab))
            keep = np.flatnonzero(df >= self.min_df)
            grams = list(vocab)
            self._char_vocab = {grams[j]: i for i, j in enumerate(keep)}
            self._char_idf = (np.log((1 + n) / (1 + df[keep])) + 1.0).astype(np.float32)
        out = []
        for block, norms in self.transform(texts, tokens):
            block.data /= np.repeat(norms, np.diff(block.indptr)).astype(block.dtype)
            out.append(block)
        return out

    def transform(self, texts: Sequence[str],
                  tokens: _Tokens | None = None) -> list[tuple[Any, np.ndarray]]:
        """Per block the TF-IDF matrix *before* rows are scaled to unit length, and the row
        lengths to divide by (dividing the few model scores is cheaper than the matrix)."""
        counts = self._counts(tokens or _Tokens(texts))
        idfs = ([self._word_idf] if self.word_ngrams else []) + \
            ([self._char_idf] if self.char_ngrams else [])
        return [self._tfidf(c, idf) for c, idf in zip(counts, idfs, strict=True)]


POSITIVE: tuple[str, ...] = (
    "hai long", "tot", "ngon", "dep", "nhanh", "nhiet tinh", "than thien", "lich su", "chu dao",
    "tan tinh", "cam on", "tuyet voi", "ung", "thich", "xuat sac", "chuan", "on dinh", "hop ly",
    "re", "tien loi", "de dang", "de tim", "rong rai", "sach se", "ky", "can than", "dung hen",
    "dung gio", "nguyen ven", "ung ho", "quay lai", "recommend", "good", "great", "nice", "ok",
    "on", "xinh", "mem", "thoai mai", "vui ve", "chuyen nghiep", "kien nhan", "gon", "phat huy",
    "tien", "vua", "emopos")
"""Folded words and word pairs of praise (for the polarity features)."""

NEGATIVE: tuple[str, ...] = (
    "cham", "tre", "te", "kem", "that vong", "buc", "chan", "xau", "dat", "loi", "hong", "vo",
    "sai", "thieu", "lau", "kho chiu", "coc loc", "tho lo", "gat", "lua dao", "toi te",
    "bat tien", "phien", "met", "ban", "mat", "nham", "tuc", "bad", "worst", "ghe", "kinh",
    "khong", "chua", "ma", "moi", "hoai", "emoneg")
"""Folded words and word pairs of complaint (for the polarity features)."""

NEGATORS: tuple[str, ...] = ("khong", "chua", "chang")
"""Words that turn the polarity of the next word or pair around."""


def _polarity(tokens: _Tokens) -> np.ndarray:
    """Per document: log(1 + praise hits), log(1 + complaint hits), and whether praise or
    complaint hits are more (a word after a negator counts for the other side)."""
    index = {w: i for i, w in enumerate(tokens.words)}
    base = len(index) + 1
    ids, doc = tokens.ids, tokens.doc
    score = np.zeros(len(ids))
    same = doc[1:] == doc[:-1]
    for phrases, sign in ((POSITIVE, 1.0), (NEGATIVE, -1.0)):
        uni = [index[p] for p in phrases if " " not in p and p in index]
        score[np.isin(ids, uni)] = sign
        pairs = [p.split() for p in phrases if " " in p]
        keys = [index[a] * base + index[b] for a, b in pairs if a in index and b in index]
        if keys and len(ids) > 1:
            hit = np.isin(ids[:-1] * base + ids[1:], keys) & same
            score[:-1][hit] = sign
    negators = [index[w] for w in NEGATORS if w in index]
    if negators and len(ids) > 1:
        flip = np.isin(ids[:-1], negators) & same
        score[1:][flip] *= -1.0
    pos = np.bincount(doc, weights=score > 0, minlength=tokens.n_docs)
    neg = np.bincount(doc, weights=score < 0, minlength=tokens.n_docs)
    return np.column_stack([np.log1p(pos), np.log1p(neg), pos > neg, neg > pos]).astype(float)


# --------------------------------------------------------------------------------------------
# Classifiers
# --------------------------------------------------------------------------------------------

class _Params:
    """get_params/set_params from the constructor's keyword arguments, so that
    :func:`sklearn.base.clone` and grid searches work without importing sklearn here."""

    _param_names: tuple[str, ...] = ()

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self._param_names}

    def set_params(self, **params: Any) -> _Params:
        for name, value in params.items():
            if name not in self._param_names:
                raise ValueError(f"invalid parameter {name!r} for {type(self).__name__}")
            setattr(self, name, value)
        return self

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({args})"

    def score(self, texts: Iterable[object], labels: Iterable[object]) -> float:
        """Accuracy of the predicted factors against ``labels`` (topics or factors)."""
        truth = np.array([_factor_of(x) for x in labels], dtype=object)
        return float(np.mean(self.predict(texts) == truth))

    def predict(self, texts: Iterable[object]) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError


_KEYWORD_ABBREVIATIONS = {r"\bnv\b": "nhan vien", r"\bk\b": "khong", r"\bko\b": "khong",
                          r"\bkh\b": "khong", r"\bdc\b": "duoc", r"\bsp\b": "san pham",
                          r"\bbh\b": "bao hanh", r"\btt\b": "thanh toan"}


def _keyword_normalise(comment: str) -> str:
    """The baseline's own normalisation (unchanged from the keyword-only version)."""
    text = " " + re.sub(r"[^0-9a-z]+", " ", fold(comment)) + " "
    for pattern, full in _KEYWORD_ABBREVIATIONS.items():
        text = re.sub(pattern, full, text)
    return text.replace("nhan vien", "nhan vien nv")  # "nv ..." phrases match both spellings


class KeywordClassifier(_Params):
    """The key-phrase baseline: the topic with most :data:`KEY_PHRASES` hits gives the factor.

    It learns nothing; :meth:`fit` is there for the estimator interface.

    Examples
    --------
    >>> KeywordClassifier().predict(["giao hàng chậm", "cảm ơn shop"]).tolist()
    ['convenience', 'other']
    """

    classes_ = np.array(FACTORS, dtype=object)

    def fit(self, texts: Iterable[object] | None = None,
            labels: Iterable[object] | None = None) -> KeywordClassifier:
        """Do nothing and return ``self``."""
        return self

    def predict_topic(self, texts: Iterable[object]) -> list[str | None]:
        """The topic with most key-phrase hits per comment (``None`` when there is none)."""
        out: list[str | None] = []
        for comment in texts:
            if not isinstance(comment, str) or not comment.strip():
                out.append(None)
                continue
            text = _keyword_normalise(comment)
            hits = {name: sum(f" {phrase} " in text for phrase in phrases)
                    for name, phrases in KEY_PHRASES.items()}
            best = max(hits, key=hits.__getitem__)
            out.append(best if hits[best] else None)
        return out

    def predict(self, texts: Iterable[object]) -> np.ndarray:
        """The factor of each comment, one of :data:`FACTORS`."""
        return np.array([TOPIC_FACTOR[t] if t else "other" for t in self.predict_topic(texts)],
                        dtype=object)


class RootCauseClassifier(_Params):
    """Root-cause factor of comments: normalised text → TF-IDF n-grams → logistic regression.

    Parameters
    ----------
    C : float
        Inverse regularisation strength of the logistic regression.
    granularity : {"topic", "factor"}
        ``"topic"`` learns the twelve topics plus ``other`` (labels given as factors stay
        factors) and sums topic probabilities into factors; ``"factor"`` learns the four
        factors directly.
    balance : {"factor", "label"}
        Class weights: ``"factor"`` gives every factor the same total weight, shared equally
        by its topics; ``"label"`` gives every learned label the same total weight (scikit-learn's
        ``class_weight="balanced"``).
    word_ngrams, char_ngrams : tuple of int or None
        N-gram ranges of the word and the character (within-word, ``char_wb``) TF-IDF blocks;
        ``None`` drops a block.
    polarity_weight : float
        Weight of four polarity features (praise and complaint words of :data:`POSITIVE` and
        :data:`NEGATIVE`, turned around after a negator); 0 leaves them out.
    min_df : int
        Minimum document frequency of an n-gram.

    Attributes
    ----------
    classes_ : numpy.ndarray
        :data:`FACTORS`, the columns of :meth:`predict_proba`.
    labels_ : numpy.ndarray
        The labels the model learned (topics and/or factors).

    Notes
    -----
    The defaults were chosen by 5-fold cross-validation on the hand-written training corpus
    (with the generated comments in every training fold); see ``benchmarks/eval_root_cause.py``.

    Examples
    --------
    >>> clf = RootCauseClassifier().fit(
    ...     ["giao hàng chậm", "ship trễ", "hàng bị vỡ", "sp bị hỏng", "nv cộc lốc",
    ...      "nhân viên thái độ", "cảm ơn shop", "hài lòng"],
    ...     ["delivery", "delivery", "product_quality", "product_quality", "staff_attitude",
    ...      "staff_attitude", "other", "other"])
    >>> clf.predict(["giao hàng trễ quá", "cam on"]).tolist()
    ['convenience', 'other']
    """

    _param_names = ("C", "granularity", "balance", "word_ngrams", "char_ngrams",
                    "polarity_weight", "min_df")

    def __init__(self, C: float = 30.0, granularity: str = "topic", balance: str = "factor",
                 word_ngrams: tuple[int, int] | None = (1, 2),
                 char_ngrams: tuple[int, int] | None = (2, 5),
                 polarity_weight: float = 0.5, min_df: int = 1) -> None:
        self.C = C
        self.granularity = granularity
        self.balance = balance
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams
        self.polarity_weight = polarity_weight
        self.min_df = min_df

    # -- features ---------------------------------------------------------------------------
    def _fit_features(self, texts: Sequence[str]) -> Any:
        from scipy import sparse

        tokens = _Tokens(texts)
        self._ngrams = _NgramTfidf(self.word_ngrams, self.char_ngrams, self.min_df)
        blocks = self._ngrams.fit_transform(texts, tokens)
        if self.polarity_weight:
            blocks.append(sparse.csr_matrix(_polarity(tokens) * self.polarity_weight))
        return sparse.hstack(blocks, format="csr")

    def _proba(self, texts: Sequence[str]) -> np.ndarray:
        """The logistic regression's probabilities, computed block by block (no copy of the
        features into one matrix, rows scaled through the scores)."""
        tokens = _Tokens(texts)
        coef, start = self._model.coef_, 0
        scores = np.zeros((len(texts), coef.shape[0])) + self._model.intercept_
        for block, norms in self._ngrams.transform(texts, tokens):
            width = block.shape[1]
            scores += np.asarray(block @ coef[:, start:start + width].T) / norms[:, None]
            start += width
        if self.polarity_weight:
            scores += (_polarity(tokens) * self.polarity_weight) @ coef[:, start:].T
        if scores.shape[1] == 1:  # two labels: a single logit
            scores = np.hstack([-scores / 2, scores / 2])
        scores -= scores.max(axis=1, keepdims=True)
        np.exp(scores, out=scores)
        return scores / scores.sum(axis=1, keepdims=True)

    # -- estimator interface ----------------------------------------------------------------
    def fit(self, texts: Iterable[object], labels: Iterable[object],
            sample_weight: Iterable[float] | None = None) -> RootCauseClassifier:
        """Learn from comments and their labels.

        Parameters
        ----------
        texts : iterable of object
            Comments (strings; anything else counts as an empty comment).
        labels : iterable of object
            Per comment a topic of :data:`TOPIC_FACTOR`, a factor of :data:`FACTORS`, or
            missing (``None``/NaN, meaning ``other``).
        sample_weight : iterable of float, optional
            Per-comment weights (for example, less weight on generated comments).

        Returns
        -------
        RootCauseClassifier
            ``self``, fitted.
        """
        from sklearn.linear_model import LogisticRegression

        if self.granularity not in ("topic", "factor"):
            raise ValueError(f"granularity must be 'topic' or 'factor', not {self.granularity!r}")
        if self.balance not in ("factor", "label"):
            raise ValueError(f"balance must be 'factor' or 'label', not {self.balance!r}")
        texts = _as_list(texts)
        labels = _as_list(labels)
        if len(texts) != len(labels):
            raise ValueError(f"{len(texts)} texts but {len(labels)} labels")
        y = []
        for label in labels:
            factor = _factor_of(label)
            y.append(label if self.granularity == "topic" and factor != "other"
                     and label in TOPIC_FACTOR else factor)
        X = self._fit_features(_normalise_many(texts))
        y = np.array(y, dtype=object)
        weight = np.ones(len(y)) if sample_weight is None else \
            np.asarray(list(sample_weight), dtype=float)
        labels_, inverse = np.unique(y.astype(str), return_inverse=True)
        mass = np.bincount(inverse, weights=weight)
        if self.balance == "label":
            per_label = weight.sum() / (len(labels_) * mass)
        else:
            factor_of = np.array([FACTORS.index(_factor_of(x)) for x in labels_])
            n_in = np.bincount(factor_of, minlength=4)
            per_label = weight.sum() / (len(set(factor_of)) * n_in[factor_of] * mass)
        self._model = LogisticRegression(C=self.C, solver="newton-cg", max_iter=1000)
        self._model.fit(X, y, sample_weight=weight * per_label[inverse])
        self.labels_ = self._model.classes_
        self.classes_ = np.array(FACTORS, dtype=object)
        self._to_factor = np.zeros((len(self.labels_), len(FACTORS)))
        for i, label in enumerate(self.labels_):
            self._to_factor[i, FACTORS.index(_factor_of(label))] = 1.0
        return self

    def _label_proba(self, texts: Iterable[object]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Probabilities of the learned labels for the distinct normalised texts, the index
        of each comment's text among them and a mask of comments without words."""
        if not hasattr(self, "_model"):
            raise RuntimeError("RootCauseClassifier is not fitted yet: call fit() first")
        norm = _normalise_many(_as_list(texts))
        uniq: dict[str, int] = {}
        index = np.fromiter((uniq.setdefault(t, len(uniq)) for t in norm), dtype=np.int64,
                            count=len(norm))
        distinct = list(uniq)
        proba = self._proba(distinct) if distinct else np.zeros((0, len(self.labels_)))
        empty = np.array([t == "" for t in norm], dtype=bool)
        return proba, index, empty

    def predict_proba(self, texts: Iterable[object]) -> np.ndarray:
        """Probability of each factor (columns :attr:`classes_`); comments without words are
        ``other`` with probability 1."""
        proba, index, empty = self._label_proba(texts)
        out = (proba @ self._to_factor)[index] if len(index) else np.zeros((0, len(FACTORS)))
        out[empty] = np.eye(len(FACTORS))[FACTORS.index("other")]
        return out

    def predict(self, texts: Iterable[object]) -> np.ndarray:
        """The most probable factor of each comment, one of :data:`FACTORS`."""
        proba = self.predict_proba(texts)
        return self.classes_[proba.argmax(axis=1)] if len(proba) else np.array([], dtype=object)

    def predict_topic(self, texts: Iterable[object]) -> list[str | None]:
        """The most probable topic within each comment's predicted factor (``None`` for
        ``other``, or when the model learned no topic of that factor)."""
        return self.predict_causes(texts)[1]

    def predict_causes(self, texts: Iterable[object]) -> tuple[list[str], list[str | None]]:
        """:meth:`predict` and :meth:`predict_topic` from one pass of the model:
        ``(factors, topics)``."""
        proba, index, empty = self._label_proba(texts)
        if not len(index):
            return [], []
        factor = (proba @ self._to_factor).argmax(axis=1)
        topics = np.array([label in TOPIC_FACTOR for label in self.labels_])
        allowed = (self._to_factor[:, factor].T > 0) & topics  # topics of the predicted factor
        best = np.where(allowed, proba, -1.0).argmax(axis=1)
        names = np.array([str(x) for x in self.labels_] + [None], dtype=object)
        chosen = np.where(allowed.any(axis=1), best, len(self.labels_))
        chosen[np.asarray(FACTORS, dtype=object)[factor] == "other"] = len(self.labels_)
        factors = ["other" if e else FACTORS[factor[i]] for i, e in zip(index, empty,
                                                                        strict=True)]
        topics_out = [None if e else names[chosen[i]] for i, e in zip(index, empty, strict=True)]
        return factors, topics_out


# --------------------------------------------------------------------------------------------
# Data and the default model
# --------------------------------------------------------------------------------------------

TRAIN_SEEDS = (1, 2, 3)
"""Sample-generator seeds whose comments join the default training data (seed 42, the shipped
sample, is the hold-out and never among them)."""

TRAIN_CUSTOMERS = 1000
"""Customers per generated training sample."""

GENERATED_WEIGHT = 0.3
"""Weight of a generated comment relative to a hand-written one when training (the generator's
templates are many and easy; cross-validation on the hand-written corpus prefers 0.1–0.3)."""


def load_corpus(path: Any = None) -> pd.DataFrame:
    """A labelled comment corpus (columns ``comment``, ``topic``, ``factor``).

    Parameters
    ----------
    path : str or path-like, optional
        A CSV file with those columns; by default the hand-written training corpus shipped
        in ``carework/share/text/complaints_train.csv``.

    Returns
    -------
    pandas.DataFrame
        ``comment`` (str), ``topic`` (topic or ``None``) and ``factor`` (one of
        :data:`FACTORS`; missing factors are ``other``).
    """
    import pandas as pd

    if path is None:
        ref = resources.files("carework") / "share" / "text" / "complaints_train.csv"
        with ref.open("r", encoding="utf-8") as fh:
            frame = pd.read_csv(fh, dtype=str, keep_default_na=False)
    else:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    frame = frame[["comment", "topic", "factor"]].copy()
    frame["topic"] = frame["topic"].str.strip().where(frame["topic"].str.strip() != "", None)
    frame["factor"] = frame["factor"].str.strip().replace("", "other")
    bad = sorted(set(frame["factor"]) - set(FACTORS))
    if bad:
        raise ValueError(f"unknown factor(s) {bad} in {path or 'complaints_train.csv'}")
    return frame.reset_index(drop=True)


def labelled_sample_comments(customers: int = 3000, seed: int = 42) -> pd.DataFrame:
    """The comments of a generated sample with their true labels.

    Parameters
    ----------
    customers, seed : int
        Passed to :func:`carework.sample.generate`; the defaults give the shipped sample
        (``data/sample``), the generator hold-out.

    Returns
    -------
    pandas.DataFrame
        One row per survey with a comment: ``comment``, ``topic`` (complaints only),
        ``factor`` (``other`` for praise and neutral comments) and ``kind``.
    """
    import pandas as pd

    from carework.sample import generate

    data = generate(customers=customers, seed=seed)
    truth = data.survey_truth
    kind = truth["comment_kind"].to_numpy()
    complaint = kind == "complaint"
    frame = pd.DataFrame({
        "comment": data.surveys["comment"].to_numpy(),
        "topic": np.where(complaint, truth["comment_topic"].to_numpy(), None),
        "factor": np.where(complaint, truth["comment_factor"].to_numpy(), "other"),
        "kind": kind,
    })
    return frame[frame["kind"] != "none"].reset_index(drop=True)


def training_corpus(seeds: Sequence[int] = TRAIN_SEEDS,
                    customers: int = TRAIN_CUSTOMERS) -> pd.DataFrame:
    """The default training data: the shipped hand-written corpus plus generated comments.

    Parameters
    ----------
    seeds : sequence of int
        Generator seeds (42, the hold-out, is refused).
    customers : int
        Customers per generated sample.

    Returns
    -------
    pandas.DataFrame
        ``comment``, ``topic``, ``factor``, ``source`` (``"hand"`` or ``"sample:<seed>"``) and
        ``weight`` (1 for hand-written comments, :data:`GENERATED_WEIGHT` for generated ones).
    """
    import pandas as pd

    parts = [load_corpus().assign(source="hand", weight=1.0)]
    for seed in seeds:
        if seed == 42:
            raise ValueError("seed 42 is the generator hold-out; train on other seeds")
        sample = labelled_sample_comments(customers, seed)
        parts.append(sample[["comment", "topic", "factor"]].assign(
            source=f"sample:{seed}", weight=GENERATED_WEIGHT))
    return pd.concat(parts, ignore_index=True)


def training_labels(frame: pd.DataFrame) -> list[object]:
    """Per row the topic when there is one, else the factor (what :meth:`fit` takes)."""
    return [t if isinstance(t, str) and t in TOPIC_FACTOR else f
            for t, f in zip(frame["topic"], frame["factor"], strict=True)]


@functools.cache
def default_classifier() -> RootCauseClassifier:
    """The model behind :func:`root_cause` and :func:`topic`, trained once per process on
    :func:`training_corpus` (about a second)."""
    frame = training_corpus()
    return RootCauseClassifier().fit(frame["comment"], training_labels(frame), frame["weight"])


def topic(comments: Iterable[object]) -> list[str | None]:
    """The complaint topic of each comment (``None`` when it is not a complaint).

    The topic is the most probable one within the factor :func:`root_cause` gives.
    """
    return default_classifier().predict_topic(comments)


def causes(comments: Iterable[object]) -> tuple[list[str], list[str | None]]:
    """:func:`root_cause` and :func:`topic` of each comment at once (the model runs once):
    ``(factors, topics)``."""
    return default_classifier().predict_causes(comments)


def root_cause(comments: Iterable[object]) -> list[str]:
    """The root-cause factor of each comment: ``product``, ``convenience``, ``people`` or
    ``other``; missing, empty and emoji-only comments are ``other``."""
    return [str(x) for x in default_classifier().predict(comments)]


# --------------------------------------------------------------------------------------------
# Evaluation
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class EvaluationResult:
    """How well predicted factors match the true ones.

    Attributes
    ----------
    macro_f1, accuracy : float
        Macro-averaged F1 over the factors present, and accuracy.
    report : dict
        :func:`sklearn.metrics.classification_report` ``output_dict``: per factor precision,
        recall, f1-score and support.
    confusion : pandas.DataFrame
        Counts, rows the actual factor, columns the predicted one, both in :data:`FACTORS`
        order.
    n : int
        Comments evaluated.
    """

    macro_f1: float
    accuracy: float
    report: dict[str, Any]
    confusion: pd.DataFrame
    n: int


def evaluate(texts: Iterable[object], labels: Iterable[object],
             classifier: Any = None) -> EvaluationResult:
    """Score a classifier's factors against true labels.

    Parameters
    ----------
    texts : iterable of object
        Comments.
    labels : iterable of object
        True topics or factors (missing means ``other``).
    classifier : object, optional
        Anything with ``predict(texts)`` returning factors; by default the model behind
        :func:`root_cause`. Pass :class:`KeywordClassifier` for the baseline.

    Returns
    -------
    EvaluationResult
    """
    import pandas as pd
    from sklearn.metrics import classification_report, confusion_matrix, f1_score

    clf = default_classifier() if classifier is None else classifier
    texts = _as_list(texts)
    truth = [_factor_of(x) for x in labels]
    predicted = [str(x) for x in clf.predict(texts)]
    present = [f for f in FACTORS if f in set(truth) | set(predicted)]
    report = classification_report(truth, predicted, labels=list(FACTORS), output_dict=True,
                                   zero_division=0)
    confusion = pd.DataFrame(confusion_matrix(truth, predicted, labels=list(FACTORS)),
                             index=pd.Index(FACTORS, name="actual"),
                             columns=pd.Index(FACTORS, name="predicted"))
    return EvaluationResult(
        macro_f1=float(f1_score(truth, predicted, labels=present, average="macro",
                                zero_division=0)),
        accuracy=float(np.mean(np.array(truth) == np.array(predicted))) if truth else float("nan"),
        report=report, confusion=confusion, n=len(truth))
