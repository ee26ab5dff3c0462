"""The comment classifier: complaint first, then its factors and topics; abstain when unreadable.

:class:`RootCauseClassifier` reads a comment in three steps, all from one set of features
(word 1–2-grams and within-word character n-grams of the folded text, TF-IDF; the words
written with diacritics; praise/complaint counts from the lexicon, ``lexicon.toml``; hits of
the taxonomy's aliases per topic):

1. **Can it be read?** (:mod:`carework.text.language`): Vietnamese or English, else the
   factor is ``unknown`` with a reason (``foreign_language``, ``too_short``, ``unreadable``).
2. **Does it complain?** A logistic regression over ``complaint``, ``praise``, ``neutral``; a
   mixed comment ("hàng đẹp nhưng giao chậm") is a complaint about the part that failed.
3. **About what?** For complaints, a logistic regression over the three factors (the
   primary one), one per factor (is it named at all: a comment may name several) and one over
   the topics. The factors named are listed most probable first, the first is the primary
   factor, and each gets its most probable topic.

The fitted model is plain data — vocabularies, idf and weights as arrays in one ``.npz`` file
(:meth:`RootCauseClassifier.save`, :meth:`RootCauseClassifier.load`), never a pickle — and
predicting needs numpy and scipy only.

Examples
--------
>>> clf = RootCauseClassifier(C=10).fit(
...     ["giao hàng chậm", "ship trễ 3 ngày", "hàng bị vỡ", "sp bị hỏng", "nv cộc lốc",
...      "nhân viên thái độ", "cảm ơn shop", "hài lòng", "đã nhận hàng", "bình thường"],
...     ["delivery", "delivery", "product_quality", "product_quality", "staff_attitude",
...      "staff_attitude", "praise", "praise", "neutral", "neutral"])
>>> clf.predict(["giao hàng trễ quá", "cam on shop nhe"]).tolist()
['convenience', 'other']
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from carework.text.features import NgramTfidf, Tokens, lexicon, phrase_hits, polarity
from carework.text.language import reasons as unreadable_reasons
from carework.text.normalise import fold_many, normalise_many
from carework.text.taxonomy import (
    FACTORS,
    NOT_COMPLAINT,
    UNKNOWN,
    Taxonomy,
    default_taxonomy,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["FORMAT", "OUTCOMES", "READING_COLUMNS", "RootCauseClassifier", "accents_many",
           "clauses_of", "parse_label", "primary_truth"]

FORMAT = "carework-comment-model/1"
"""The saved model's format name (checked when a model is loaded)."""

OUTCOMES = (*FACTORS, NOT_COMPLAINT, UNKNOWN)
"""What a comment's primary factor can be: a factor, ``other`` (no complaint) or
``unknown`` (not read)."""

READING_COLUMNS = ("sentiment", "factor", "topic", "factors", "topics", "confidence",
                   "complaint_probability", "reason")
"""The columns of :meth:`RootCauseClassifier.read`."""

_CLAUSE = re.compile(r"[.!?;,\n]+|\s(?:nhưng|nhung|tuy nhiên|tuy nhien|but|however)\s",
                     re.IGNORECASE)
"""Where a comment's clauses end (see ``clauses`` of :class:`RootCauseClassifier`)."""

_SENTIMENT_OF = {"praise": "praise", "neutral": "neutral", NOT_COMPLAINT: "neutral",
                 "complaint": "complaint"}


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or \
        (isinstance(value, str) and not value.strip())


def parse_label(label: object, taxonomy: Taxonomy) -> tuple[str, tuple[str, ...],
                                                            tuple[str, ...]]:
    """``(sentiment, factors, topics)`` of a training label.

    A label is ``praise``, ``neutral`` or ``other`` (no complaint; missing means ``other``),
    ``complaint`` (cause not given), a topic code, a factor, or several of those (a sequence,
    or one string separated by ``;``), the main complaint first.

    >>> parse_label("delivery;staff_attitude", default_taxonomy())
    ('complaint', ('convenience', 'people'), ('delivery', 'staff_attitude'))
    >>> parse_label("people", default_taxonomy()), parse_label(None, default_taxonomy())
    (('complaint', ('people',), ()), ('neutral', (), ()))
    """
    if _missing(label):
        return "neutral", (), ()
    codes = [c.strip() for c in label.split(";")] if isinstance(label, str) else \
        [str(c).strip() for c in label]  # type: ignore[union-attr]
    codes = [c for c in codes if c]
    if len(codes) == 1 and codes[0] in _SENTIMENT_OF:
        return _SENTIMENT_OF[codes[0]], (), ()
    factors: list[str] = []
    topics: list[str] = []
    for code in codes:
        if code in taxonomy.topics:
            topics.append(code)
            factor = taxonomy.factor_of(code)
        elif code in FACTORS:
            factor = code
        else:
            raise ValueError(f"unknown label {code!r}: expected praise, neutral, other, "
                             f"complaint, a factor {FACTORS} or a topic "
                             f"({', '.join(taxonomy.codes)})")
        if factor not in factors:
            factors.append(factor)
    return "complaint", tuple(factors), tuple(dict.fromkeys(topics))


_WORD = re.compile(r"[^\W\d_]+")


def accents_many(texts: Sequence[object]) -> list[str]:
    """Per text its words that carry diacritics, lower case, as written (``kém`` is not
    ``kem``, ``bẩn`` not ``bạn``): what folding loses, for the model's accent block.

    >>> accents_many(["Chất lượng KÉM, kem hư", None])
    ['chất lượng kém hư', '']
    """
    out = []
    for text in texts:
        if not isinstance(text, str):
            out.append("")
            continue
        words = _WORD.findall(unicodedata.normalize("NFC", text.lower()))
        out.append(" ".join(w for w in words if not w.isascii()))
    return out


CLAUSE_WORDS = 4
"""A clause shorter than this many words is read with the one before it ("gan, bầu dục,
tràng" is one list, not three clauses); a comment shorter than twice this is read whole."""


def clauses_of(text: str) -> list[str]:
    """The clauses of a comment: split at sentence ends, commas, "nhưng", "tuy nhiên", "but",
    short pieces joined to the clause before (a comment of one clause gives one).

    >>> clauses_of("Đồ ăn ngon, phục vụ nhanh nhưng giá cả hơi cao so với chỗ khác.")
    ['Đồ ăn ngon, phục vụ nhanh', 'giá cả hơi cao so với chỗ khác']
    """
    if len(text.split()) < 2 * CLAUSE_WORDS:
        return [text]
    out: list[str] = []
    for part in _CLAUSE.split(text):
        if not part or not part.strip():
            continue
        if out and (len(out[-1].split()) < CLAUSE_WORDS or len(part.split()) < CLAUSE_WORDS):
            out[-1] = f"{out[-1]}, {part.strip()}"
        else:
            out.append(part.strip())
    return out or [text]


def primary_truth(labels: Iterable[object], taxonomy: Taxonomy) -> list[str | None]:
    """Per label its primary factor, ``other`` for no complaint, ``None`` for a complaint
    whose cause is not given."""
    out: list[str | None] = []
    for label in labels:
        sentiment, factors, _ = parse_label(label, taxonomy)
        out.append(factors[0] if factors else None if sentiment == "complaint"
                   else NOT_COMPLAINT)
    return out


def _softmax(scores: np.ndarray) -> np.ndarray:
    scores = scores - scores.max(axis=1, keepdims=True)
    np.exp(scores, out=scores)
    return scores / scores.sum(axis=1, keepdims=True)


class _Params:
    """get_params/set_params from the constructor's keyword arguments, so that
    :func:`sklearn.base.clone` and grid searches work."""

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
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items()
                         if k != "taxonomy" or v is not None)
        return f"{type(self).__name__}({args})"


class RootCauseClassifier(_Params):
    """Complaint or not, then root-cause factors and topics of comments (see the module).

    Parameters
    ----------
    C : float
        Inverse regularisation strength of the three logistic regressions.
    word_ngrams, char_ngrams : tuple of int or None
        N-gram ranges of the word and the within-word character TF-IDF blocks (``None`` drops
        a block).
    min_df : int
        Minimum document frequency of an n-gram.
    polarity_weight, alias_weight : float
        Weights of the polarity counts and of the per-topic alias hits (0 leaves them out).
    secondary_weight : float
        Training weight of a complaint's second and later topics, relative to its main one.
    secondary_share : float
        Besides the primary factor, a factor is named when it has at least this share of the
        primary-factor probability, or when its own "is it named?" model (one per factor,
        multi-label) gives it at least 0.5.
    complaint_threshold : float
        A comment is a complaint when the probability of ``complaint`` reaches this.
    clauses : bool
        Read a comment of several clauses (:func:`clauses_of`) clause by clause: it complains
        as much as its most complaining clause, and its causes are those of the complaining
        clauses. Off by default: on the public corpora's development splits it was no better
        than reading whole comments (macro-F1 0.432 against 0.426, complaint F1 0.57 against
        0.61) and took twice as long (``benchmarks/RESULTS.md``).
    accents : bool
        Add a block of the words as written with diacritics (:func:`accents_many`): folding
        makes ``kém`` (poor) and ``kem`` (cream), ``bẩn`` (dirty) and ``bạn`` (you) one word.
    taxonomy : Taxonomy, optional
        The topics to learn (the default taxonomy when ``None``).

    Attributes
    ----------
    sentiment_classes_, factor_classes_, topic_classes_ : numpy.ndarray
        What each head learned.
    vocabulary_ : frozenset of str
        The normalised words of the training comments.
    meta_ : dict
        What the model learned from (rows, corpus fingerprint, taxonomy, when).
    """

    _param_names = ("C", "word_ngrams", "char_ngrams", "min_df", "polarity_weight",
                    "alias_weight", "secondary_weight", "secondary_share",
                    "complaint_threshold", "clauses", "accents", "taxonomy")

    def __init__(self, C: float = 10.0, word_ngrams: tuple[int, int] | None = (1, 2),
                 char_ngrams: tuple[int, int] | None = (2, 5), min_df: int = 1,
                 polarity_weight: float = 0.5, alias_weight: float = 0.5,
                 secondary_weight: float = 0.5, secondary_share: float = 0.3,
                 complaint_threshold: float = 0.5, clauses: bool = False,
                 accents: bool = True, taxonomy: Taxonomy | None = None) -> None:
        self.C = C
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams
        self.min_df = min_df
        self.polarity_weight = polarity_weight
        self.alias_weight = alias_weight
        self.secondary_weight = secondary_weight
        self.secondary_share = secondary_share
        self.complaint_threshold = complaint_threshold
        self.clauses = clauses
        self.accents = accents
        self.taxonomy = taxonomy

    # -- features ---------------------------------------------------------------------------
    def _extra(self, tokens: Tokens, accented: Tokens | None) -> np.ndarray:
        parts = []
        if self.polarity_weight:
            parts.append(polarity(tokens) * self.polarity_weight)
            if accented is not None:  # the lexicon as written, where diacritics tell words apart
                words = lexicon()
                parts.append(phrase_hits(accented, [words["positive"], words["negative"]])
                             * self.polarity_weight)
        if self.alias_weight and self._alias_groups:
            parts.append(phrase_hits(tokens, self._alias_groups) * self.alias_weight)
        return np.hstack(parts) if parts else np.zeros((tokens.n_docs, 0))

    def _scores(self, texts: Sequence[str], accents: Sequence[str]) -> np.ndarray:
        """The three heads' raw scores for normalised texts and their accented words (rows
        scaled through the scores, no copy of the features into one matrix)."""
        tokens = Tokens(texts)
        coef, start = self._coef, 0
        scores = np.zeros((len(texts), coef.shape[1])) + self._intercept
        blocks = self._ngrams.transform(texts, tokens)
        accented = Tokens(accents) if self._accent is not None else None
        if self._accent is not None:
            blocks += self._accent.transform(accents, accented)
        for block, norms in blocks:
            width = block.shape[1]
            scores += np.asarray(block @ coef[start:start + width]) / norms[:, None]
            start += width
        extra = self._extra(tokens, accented)
        if extra.shape[1]:
            scores += extra @ coef[start:start + extra.shape[1]]
        return scores

    # -- fitting ----------------------------------------------------------------------------
    def fit(self, texts: Iterable[object], labels: Iterable[object],
            sample_weight: Iterable[float] | None = None) -> RootCauseClassifier:
        """Learn from comments and their labels.

        Parameters
        ----------
        texts : iterable of object
            Comments (anything but a string counts as empty).
        labels : iterable of object
            Per comment what :func:`parse_label` reads: ``praise``, ``neutral``/``other``,
            a topic, a factor, or several topics/factors (main first).
        sample_weight : iterable of float, optional
            Per-comment weights.

        Returns
        -------
        RootCauseClassifier
            ``self``, fitted.
        """
        from scipy import sparse
        from sklearn.linear_model import LogisticRegression

        tax = self.taxonomy or default_taxonomy()
        self._saved_taxonomy = None
        texts = list(texts)
        parsed = [parse_label(label, tax) for label in labels]
        if len(texts) != len(parsed):
            raise ValueError(f"{len(texts)} texts but {len(parsed)} labels")
        weight = np.ones(len(texts)) if sample_weight is None else \
            np.asarray(list(sample_weight), dtype=float)
        norm = normalise_many(texts)
        tokens = Tokens(norm)
        self._ngrams = NgramTfidf(self.word_ngrams, self.char_ngrams, self.min_df)
        self._topic_codes = tax.codes
        self._topic_factor = tax.topic_factor
        aliases = tax.aliases()
        self._alias_groups = [tuple(a for a in normalise_many(aliases[c]) if a)
                              for c in self._topic_codes]
        blocks = self._ngrams.fit_transform(norm, tokens)
        self._accent = accented = None
        if self.accents:
            self._accent = NgramTfidf((1, 1), None, 2)
            accents = accents_many(texts)
            accented = Tokens(accents)
            blocks += self._accent.fit_transform(accents, accented)
        blocks.append(sparse.csr_matrix(self._extra(tokens, accented)))
        X = sparse.hstack(blocks, format="csr")

        heads = []
        sentiment = np.array([p[0] for p in parsed], dtype=object)
        heads.append(self._fit_head(LogisticRegression, X, sentiment, weight))
        for part in (1, 2):  # factors, then topics: one row per named cause
            rows, y, w = [], [], []
            for i, p in enumerate(parsed):
                for rank, code in enumerate(p[part]):
                    rows.append(i)
                    y.append(code)
                    w.append(weight[i] * (1.0 if rank == 0 else self.secondary_weight))
            heads.append(self._fit_head(LogisticRegression, X[rows] if rows else X[:0],
                                        np.array(y, dtype=object), np.array(w)))
        (self.sentiment_classes_, cs, bs), (self.factor_classes_, cf, bf), \
            (self.topic_classes_, ct, bt) = heads
        ca, ba = self._fit_named(LogisticRegression, X, parsed, weight)
        self._coef = np.hstack([cs, cf, ct, ca]).astype(np.float32)
        self._intercept = np.concatenate([bs, bf, bt, ba])
        self._set_derived()
        self.meta_ = {"rows": len(texts), "complaints": int((sentiment == "complaint").sum()),
                      "taxonomy": tax.fingerprint(),
                      "trained_at": str(dt.datetime.now(dt.UTC).replace(microsecond=0))}
        return self

    def _fit_named(self, model: Any, X: Any, parsed: list[tuple[str, tuple[str, ...],
                                                                 tuple[str, ...]]],
                   weight: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per learned factor a balanced binary logistic regression over the complaints that
        name a cause: does this complaint name that factor (main or not)? Its logit is one
        column (multi-label: a comment names every factor whose probability reaches 0.5)."""
        rows = [i for i, p in enumerate(parsed) if p[1]]
        coef = np.zeros((X.shape[1], len(self.factor_classes_)))
        intercept = np.zeros(len(self.factor_classes_))
        for k, factor in enumerate(self.factor_classes_):
            y = np.array([factor in parsed[i][1] for i in rows], dtype=bool)
            if y.all() or not y.any():
                intercept[k] = 10.0 if y.all() else -10.0
                continue
            w = weight[rows]
            balanced = np.where(y, w.sum() / (2 * w[y].sum()), w.sum() / (2 * w[~y].sum())) * w
            fitted = model(C=self.C, max_iter=2000).fit(X[rows], y, sample_weight=balanced)
            coef[:, k], intercept[k] = fitted.coef_[0], fitted.intercept_[0]
        return coef, intercept

    def _fit_head(self, model: Any, X: Any, y: np.ndarray,
                  weight: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Classes, coefficients (features × classes) and intercepts of one balanced logistic
        regression; a head with one class (or none) gives constant scores."""
        classes, inverse = np.unique(y.astype(str), return_inverse=True) if len(y) else \
            (np.array([], dtype=str), np.zeros(0, dtype=int))
        if len(classes) < 2:
            return (classes.astype(str), np.zeros((X.shape[1], len(classes))),
                    np.zeros(len(classes)))
        mass = np.bincount(inverse, weights=weight)
        balanced = weight * (weight.sum() / (len(classes) * mass))[inverse]
        fitted = model(C=self.C, max_iter=2000).fit(X, classes[inverse],
                                                    sample_weight=balanced)
        coef, intercept = fitted.coef_, fitted.intercept_
        if len(classes) == 2:  # one logit: as two softmax scores
            coef = np.vstack([-coef / 2, coef / 2])
            intercept = np.array([-intercept[0] / 2, intercept[0] / 2])
        return fitted.classes_.astype(str), coef.T, intercept

    def _set_derived(self) -> None:
        ns, nf = len(self.sentiment_classes_), len(self.factor_classes_)
        nt = len(self.topic_classes_)
        self._slices = (slice(0, ns), slice(ns, ns + nf), slice(ns + nf, ns + nf + nt),
                        slice(ns + nf + nt, ns + nf + nt + nf))
        self.vocabulary_ = frozenset(self._ngrams._word_id) if self._ngrams.word_ngrams \
            else frozenset()
        self._topic_of_factor = np.array(
            [[self._topic_factor.get(str(t)) == str(f) for t in self.topic_classes_]
             for f in self.factor_classes_], dtype=bool).reshape(nf, len(self.topic_classes_))

    # -- reading ----------------------------------------------------------------------------
    def _check_fitted(self) -> None:
        if not hasattr(self, "_coef"):
            raise RuntimeError("RootCauseClassifier is not fitted yet: call fit() or load()")

    def read(self, texts: Iterable[object]) -> pd.DataFrame:
        """Read comments: complaint or not, the causes named, how sure, or why not read.

        Parameters
        ----------
        texts : iterable of object
            Comments; missing, empty and emoji-only ones are no complaint.

        Returns
        -------
        pandas.DataFrame
            One row per comment, columns :data:`READING_COLUMNS`: ``sentiment``
            (``complaint``/``praise``/``neutral``, ``unknown`` when not read), ``factor`` (the
            primary factor, ``other`` when not a complaint, ``unknown`` when not read),
            ``topic`` (the primary factor's most probable topic, else ``None``), ``factors`` and
            ``topics`` (every cause named, most probable first, separated by ``;``; empty when
            none), ``confidence`` (the probability of the reading: of no complaint, or of a
            complaint times its primary factor; NaN when not read), ``complaint_probability``
            and ``reason`` (why not read, else ``None``).
        """
        import pandas as pd

        self._check_fitted()
        texts = texts if isinstance(texts, list) else list(texts)
        folded = fold_many(texts)
        norm = normalise_many(texts, folded)
        why = unreadable_reasons(texts, self.vocabulary_, folded)
        # one reading per distinct text as written (its punctuation marks the clauses, its
        # diacritics feed the accent block)
        keys_of = [t if n and isinstance(t, str) else "" for t, n in zip(texts, norm,
                                                                         strict=True)]
        distinct: dict[str, int] = {}
        index = np.fromiter((distinct.setdefault(k, len(distinct)) for k in keys_of),
                            dtype=np.int64, count=len(keys_of))
        first_norm: dict[str, str] = {}
        for k, n in zip(keys_of, norm, strict=True):
            if k:
                first_norm.setdefault(k, n)
        keys = [k for k in distinct if k]
        rows = _Rows(len(distinct))
        if keys:
            at = np.array([distinct[k] for k in keys])
            whole = [first_norm[k] for k in keys]
            if self.clauses:
                probs = self._clause_probabilities(keys, whole)
            else:
                probs = self._probabilities(whole, accents_many(keys))
            self._fill(rows, at, *probs)
        out = rows.take(index)
        empty = np.array([t == "" for t in norm], dtype=bool)
        out.sentiment[empty] = "neutral"
        out.factor[empty] = NOT_COMPLAINT
        out.confidence[empty] = 1.0
        out.complaint[empty] = 0.0
        reason = np.array(why, dtype=object)
        unread = np.array([r is not None for r in why], dtype=bool)
        out.sentiment[unread] = UNKNOWN
        out.factor[unread] = UNKNOWN
        out.topic[unread] = None
        out.factors[unread] = ""
        out.topics[unread] = ""
        out.confidence[unread] = np.nan
        out.complaint[unread] = np.nan
        return pd.DataFrame({"sentiment": out.sentiment, "factor": out.factor,
                             "topic": pd.Series(out.topic, dtype=object),
                             "factors": out.factors, "topics": out.topics,
                             "confidence": out.confidence, "complaint_probability": out.complaint,
                             "reason": pd.Series(reason, dtype=object)},
                            columns=list(READING_COLUMNS))

    def _probabilities(self, texts: Sequence[str], accents: Sequence[str]
                       ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Per normalised text (and its accented words) the probabilities of the heads:
        sentiment, primary factor, topic, and per factor whether it is named."""
        scores = self._scores(texts, accents)
        s_sl, f_sl, t_sl, a_sl = self._slices
        return (_softmax(scores[:, s_sl]), _softmax(scores[:, f_sl]),
                _softmax(scores[:, t_sl]) if len(self.topic_classes_)
                else np.zeros((len(texts), 0)),
                1.0 / (1.0 + np.exp(-scores[:, a_sl])))

    def _clause_probabilities(self, raw: Sequence[object], whole: Sequence[str]
                              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The heads' probabilities of comments read clause by clause: a comment complains
        as much as its most complaining clause, and its causes are those of its clauses,
        each clause weighing by how much it complains."""
        split = [clauses_of(str(text)) for text in raw]
        parts = [p for ps in split if len(ps) >= 2 for p in ps]  # all at once: one pass each
        part_norm = iter(normalise_many(parts))
        part_accents = iter(accents_many(parts))
        single = [i for i, ps in enumerate(split) if len(ps) < 2]
        single_accents = dict(zip(single, accents_many([raw[i] for i in single]), strict=True))
        clauses: list[tuple[str, str]] = []
        owner: list[int] = []
        for i, ps in enumerate(split):
            units = []
            if len(ps) >= 2:
                units = [(n, a) for n, a in ((next(part_norm), next(part_accents)) for _ in ps)
                         if n]
            units = units or [(whole[i], single_accents.get(i)
                               if i in single_accents else accents_many([raw[i]])[0])]
            clauses.extend(units)
            owner.extend([i] * len(units))
        distinct: dict[tuple[str, str], int] = {}
        unit = np.fromiter((distinct.setdefault(c, len(distinct)) for c in clauses),
                           dtype=np.int64, count=len(clauses))
        pairs = list(distinct)
        p_sent, p_factor, p_topic, p_named = (p[unit] for p in self._probabilities(
            [n for n, _ in pairs], [a for _, a in pairs]))
        starts = np.flatnonzero(np.r_[True, np.diff(np.asarray(owner)) != 0])
        classes = list(self.sentiment_classes_)
        if "complaint" not in classes:
            return (np.add.reduceat(p_sent, starts) / np.diff(np.r_[starts, len(unit)])[:, None],
                    p_factor[starts], p_topic[starts], p_named[starts])
        c = classes.index("complaint")
        weight = p_sent[:, c] + 1e-9
        total = np.add.reduceat(weight, starts)[:, None]
        sent = np.add.reduceat(p_sent * (1 - p_sent[:, [c]]), starts)  # calm: the calm clauses
        sent[:, c] = np.maximum.reduceat(p_sent[:, c], starts)
        rest = [k for k in range(len(classes)) if k != c]
        if rest:
            calm = sent[:, rest]
            calm_sum = calm.sum(axis=1, keepdims=True)
            sent[:, rest] = np.where(calm_sum > 0, calm / np.maximum(calm_sum, 1e-12),
                                     1 / len(rest)) * (1 - sent[:, [c]])
        factor = np.add.reduceat(p_factor * weight[:, None], starts) / total
        topic = np.add.reduceat(p_topic * weight[:, None], starts) / total \
            if p_topic.shape[1] else p_topic[starts]
        named = np.maximum.reduceat(p_named * (p_sent[:, [c]] >= self.complaint_threshold),
                                    starts)  # named by a complaining clause
        return sent, factor, topic, named

    def _fill(self, rows: _Rows, at: np.ndarray, p_sent: np.ndarray, p_factor: np.ndarray,
              p_topic: np.ndarray, p_named: np.ndarray) -> None:
        classes = list(self.sentiment_classes_)
        p_complaint = p_sent[:, classes.index("complaint")] if "complaint" in classes else \
            np.zeros(len(p_sent))
        others = [i for i, c in enumerate(classes) if c != "complaint"]
        calm = np.array(classes, dtype=object)[others][p_sent[:, others].argmax(axis=1)] \
            if others else np.full(len(p_sent), "neutral", dtype=object)
        complaint = p_complaint >= self.complaint_threshold
        rows.complaint[at] = p_complaint
        rows.sentiment[at] = np.where(complaint, "complaint", calm)
        rows.factor[at] = NOT_COMPLAINT
        rows.confidence[at] = 1.0 - p_complaint
        if not complaint.any() or not len(self.factor_classes_):
            return
        which = np.flatnonzero(complaint)
        p_factor = p_factor[which]
        p_named = p_named[which]
        p_topic = p_topic[which] if p_topic.shape[1] else None
        order = np.argsort(-p_factor, axis=1, kind="stable")
        for j, i in enumerate(which):
            named = [order[j][0]] + [k for k in order[j][1:]
                                     if p_factor[j, k] >= self.secondary_share
                                     or p_named[j, k] >= 0.5]
            factors = [str(self.factor_classes_[k]) for k in named]
            topics = []
            if p_topic is not None:
                for k in named:
                    allowed = self._topic_of_factor[k]
                    if allowed.any():
                        best = int(np.where(allowed, p_topic[j], -1.0).argmax())
                        topics.append(str(self.topic_classes_[best]))
            row = at[i]
            rows.factor[row] = factors[0]
            rows.factors[row] = ";".join(factors)
            rows.topics[row] = ";".join(topics)
            first_topic = (self._topic_factor.get(topics[0]) == factors[0]) if topics else False
            rows.topic[row] = topics[0] if first_topic else None
            rows.confidence[row] = p_complaint[i] * p_factor[j, named[0]]

    def predict(self, texts: Iterable[object]) -> np.ndarray:
        """The primary factor of each comment: one of :data:`OUTCOMES`."""
        return self.read(texts)["factor"].to_numpy(dtype=object)

    def predict_causes(self, texts: Iterable[object]) -> tuple[list[str], list[str | None]]:
        """``(factors, topics)``: each comment's primary factor and topic."""
        reading = self.read(texts)
        return reading["factor"].tolist(), [t if isinstance(t, str) else None
                                            for t in reading["topic"]]

    def predict_topic(self, texts: Iterable[object]) -> list[str | None]:
        """Each comment's primary topic (``None`` when not a complaint or not read)."""
        return self.predict_causes(texts)[1]

    def score(self, texts: Iterable[object], labels: Iterable[object]) -> float:
        """Macro-F1 of the primary factor against ``labels`` (as :meth:`fit` takes them;
        complaints without a cause are left out)."""
        from sklearn.metrics import f1_score

        truth = primary_truth(labels, self.taxonomy_)
        texts = list(texts)
        keep = [i for i, x in enumerate(truth) if x is not None]
        predicted = [str(x) for x in self.predict([texts[i] for i in keep])]
        kept = [truth[i] for i in keep]
        return float(f1_score(kept, predicted, labels=sorted(set(kept)), average="macro",
                              zero_division=0))

    @property
    def taxonomy_(self) -> Taxonomy:
        """The taxonomy the model learned: ``taxonomy``, or for a loaded model the one saved
        with it."""
        return self.taxonomy or getattr(self, "_saved_taxonomy", None) or default_taxonomy()

    @property
    def identity(self) -> str:
        """A short text that differs between models that read differently (what it learned
        from and its reading thresholds): for cache keys."""
        self._check_fitted()
        return (f"{self.meta_.get('key') or self.meta_.get('corpus', '')}:"
                f"{self.meta_.get('rows')}:{self.complaint_threshold}:{self.secondary_share}:"
                f"{self.clauses}")

    def copy(self, **params: Any) -> RootCauseClassifier:
        """The same fitted model with other reading parameters (``complaint_threshold``,
        ``secondary_share``); the learned arrays are shared, not copied."""
        import copy

        out = copy.copy(self)
        out.set_params(**params)
        return out

    # -- plain-data storage -----------------------------------------------------------------
    def save(self, path: str | Path) -> Path:
        """Write the fitted model as arrays in one compressed ``.npz`` file (no pickle).

        Returns the path written. The file is replaced atomically.
        """
        self._check_fitted()
        path = Path(path)
        params = {k: v for k, v in self.get_params().items() if k != "taxonomy"}
        arrays = {f"tfidf_{k}": v for k, v in self._ngrams.to_arrays().items()}
        if self._accent is not None:
            arrays.update({f"accent_{k}": v for k, v in self._accent.to_arrays().items()})
        arrays.update(
            format=np.array(FORMAT), params=np.array(json.dumps(params)),
            meta=np.array(json.dumps(self.meta_, ensure_ascii=False)),
            sentiment_classes=np.asarray(self.sentiment_classes_, dtype=str),
            factor_classes=np.asarray(self.factor_classes_, dtype=str),
            topic_classes=np.asarray(self.topic_classes_, dtype=str),
            topic_codes=np.array(self._topic_codes, dtype=str),
            topic_factors=np.array([self._topic_factor[c] for c in self._topic_codes],
                                   dtype=str),
            alias_groups=np.array(["|".join(g) for g in self._alias_groups], dtype=str),
            topic_names=np.array([[self.taxonomy_.name(c, lang) for lang in ("vi", "en")]
                                  for c in self._topic_codes], dtype=str).reshape(-1, 2),
            raw_aliases=np.array(["|".join(self.taxonomy_.topics[c].aliases)
                                  if c in self.taxonomy_.topics else ""
                                  for c in self._topic_codes], dtype=str),
            coef=self._coef.astype(np.float32), intercept=self._intercept.astype(np.float64))
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".part")
        with open(tmp, "wb") as fh:
            np.savez_compressed(fh, **arrays)
        tmp.replace(path)
        return path

    @classmethod
    def load(cls, path: str | Path | Any) -> RootCauseClassifier:
        """A model written by :meth:`save` (a path or an open binary file)."""
        with np.load(path, allow_pickle=False) as data:
            arrays = {k: data[k] for k in data.files}
        if str(arrays.get("format", "")) != FORMAT:
            raise ValueError(f"{path}: not a carework comment model ({FORMAT})")
        params = json.loads(str(arrays["params"]))
        for key in ("word_ngrams", "char_ngrams"):
            params[key] = tuple(params[key]) if params[key] else None
        self = cls(**params)
        self._ngrams = NgramTfidf.from_arrays(
            {k.removeprefix("tfidf_"): v for k, v in arrays.items() if k.startswith("tfidf_")})
        accent = {k.removeprefix("accent_"): v for k, v in arrays.items()
                  if k.startswith("accent_")}
        self._accent = NgramTfidf.from_arrays(accent) if accent else None
        self._topic_codes = tuple(arrays["topic_codes"].tolist())
        self._topic_factor = dict(zip(self._topic_codes, arrays["topic_factors"].tolist(),
                                      strict=True))
        self._alias_groups = [tuple(g.split("|")) if g else () for g in
                              arrays["alias_groups"].tolist()]
        self.sentiment_classes_ = arrays["sentiment_classes"]
        self.factor_classes_ = arrays["factor_classes"]
        self.topic_classes_ = arrays["topic_classes"]
        self._coef = arrays["coef"]
        self._intercept = arrays["intercept"]
        self.meta_ = json.loads(str(arrays["meta"]))
        if self.meta_.get("taxonomy") != default_taxonomy().fingerprint():
            from types import MappingProxyType

            from carework.text.taxonomy import Topic

            names = arrays["topic_names"].tolist()
            raw = arrays["raw_aliases"].tolist()
            topics = {c: Topic(c, self._topic_factor[c],
                               MappingProxyType({"vi": n[0], "en": n[1]}),
                               tuple(a.split("|")) if a else ())
                      for c, n, a in zip(self._topic_codes, names, raw, strict=True)}
            self._saved_taxonomy = Taxonomy(MappingProxyType(topics),
                                            default_taxonomy().factor_names)
        self._set_derived()
        return self


class _Rows:
    """Column arrays of readings, filled per distinct text."""

    def __init__(self, n: int) -> None:
        self.sentiment = np.full(n, "neutral", dtype=object)
        self.factor = np.full(n, NOT_COMPLAINT, dtype=object)
        self.topic = np.full(n, None, dtype=object)
        self.factors = np.full(n, "", dtype=object)
        self.topics = np.full(n, "", dtype=object)
        self.confidence = np.ones(n)
        self.complaint = np.zeros(n)

    def take(self, index: np.ndarray) -> _Rows:
        out = _Rows(0)
        for name in vars(self):
            setattr(out, name, getattr(self, name)[index])
        return out
