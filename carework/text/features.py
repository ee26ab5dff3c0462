"""Features of normalised comments: word and character n-gram TF-IDF, and polarity counts.

:class:`NgramTfidf` equals scikit-learn's ``TfidfVectorizer`` (sublinear tf, smoothed idf)
with ``analyzer="word"`` and ``"char_wb"``, but works through the distinct words of a batch, so
that its cost grows with the number of tokens and not with the number of character n-grams;
its vocabulary and idf weights are plain arrays (:meth:`NgramTfidf.to_arrays`), saved with a
model and read back without pickle.
"""

from __future__ import annotations

import functools
import tomllib
import unicodedata
from collections.abc import Sequence
from importlib import resources
from typing import Any

import numpy as np

__all__ = ["NEGATORS", "NgramTfidf", "Tokens", "lexicon", "phrase_hits", "polarity"]

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


class Tokens:
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


class NgramTfidf:
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
    def _word_keys(self, tokens: Tokens) -> tuple[np.ndarray, np.ndarray]:
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

    def _counts(self, tokens: Tokens) -> list[Any]:
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

    def fit_transform(self, texts: Sequence[str], tokens: Tokens | None = None) -> list[Any]:
        """Learn the vocabularies and idf weights; return the unit-length TF-IDF blocks."""
        tokens = tokens or Tokens(texts)
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

    def to_arrays(self) -> dict[str, np.ndarray]:
        """The fitted vocabularies and idf weights as plain arrays (strings, integers, floats;
        no objects), for :func:`numpy.savez`; :meth:`from_arrays` reads them back."""
        out: dict[str, np.ndarray] = {
            "word_ngrams": np.array(self.word_ngrams or (0, 0), dtype=np.int64),
            "char_ngrams": np.array(self.char_ngrams or (0, 0), dtype=np.int64),
            "min_df": np.array(self.min_df, dtype=np.int64)}
        if self.word_ngrams:
            words = sorted(self._word_id, key=self._word_id.__getitem__)
            out.update(words=np.array(words, dtype=str), word_keys=self._word_keys_sorted,
                       word_cols=self._word_cols, word_idf=self._word_idf)
        if self.char_ngrams:
            grams = sorted(self._char_vocab, key=self._char_vocab.__getitem__)
            # grams are padded with spaces (" ab"); numpy strings would drop trailing ones
            out.update(char_grams=np.array([g.replace(" ", "_") for g in grams], dtype=str),
                       char_idf=self._char_idf)
        return out

    @classmethod
    def from_arrays(cls, arrays: Any) -> NgramTfidf:
        """A fitted :class:`NgramTfidf` from :meth:`to_arrays`' arrays."""
        word = tuple(int(x) for x in arrays["word_ngrams"])
        char = tuple(int(x) for x in arrays["char_ngrams"])
        self = cls(word if word[0] else None, char if char[0] else None,
                   int(arrays["min_df"]))
        if self.word_ngrams:
            self._word_id = {str(w): i + 1 for i, w in enumerate(arrays["words"].tolist())}
            self._word_keys_sorted = np.asarray(arrays["word_keys"], dtype=np.int64)
            self._word_cols = np.asarray(arrays["word_cols"], dtype=np.int64)
            self._word_idf = np.asarray(arrays["word_idf"], dtype=np.float32)
        if self.char_ngrams:
            grams = arrays["char_grams"].tolist()
            self._char_vocab = {g.replace("_", " "): i for i, g in enumerate(grams)}
            self._char_idf = np.asarray(arrays["char_idf"], dtype=np.float32)
        return self

    def transform(self, texts: Sequence[str],
                  tokens: Tokens | None = None) -> list[tuple[Any, np.ndarray]]:
        """Per block the TF-IDF matrix *before* rows are scaled to unit length, and the row
        lengths to divide by (dividing the few model scores is cheaper than the matrix)."""
        counts = self._counts(tokens or Tokens(texts))
        idfs = ([self._word_idf] if self.word_ngrams else []) + \
            ([self._char_idf] if self.char_ngrams else [])
        return [self._tfidf(c, idf) for c, idf in zip(counts, idfs, strict=True)]


NEGATORS: tuple[str, ...] = ("khong", "chua", "chang")
"""Words that turn the polarity of the next word or pair around."""


@functools.cache
def lexicon() -> dict[str, tuple[str, ...]]:
    """The praise and complaint words of ``carework/text/lexicon.toml``: ``positive`` and
    ``negative`` as written (lower case, with diacritics), and ``positive_folded`` and
    ``negative_folded`` normalised (:func:`carework.text.normalise.normalise_many`), without
    the folded forms the file calls ambiguous and without any form on both sides."""
    from carework.text.normalise import normalise_many

    table = tomllib.loads((resources.files("carework.text") / "lexicon.toml")
                          .read_text(encoding="utf-8"))
    ambiguous = set(table.get("ambiguous", ()))
    folded = {side: [f for f in normalise_many(table[side])
                     if f and not (" " not in f and f in ambiguous)]
              for side in ("positive", "negative")}
    both = set(folded["positive"]) & set(folded["negative"])
    out = {side: tuple(dict.fromkeys(unicodedata.normalize("NFC", w.lower())
                                     for w in table[side]))
           for side in ("positive", "negative")}
    out.update({f"{side}_folded": tuple(dict.fromkeys(f for f in words if f not in both))
                for side, words in folded.items()})
    return out


def polarity(tokens: Tokens) -> np.ndarray:
    """Per document: log(1 + praise hits), log(1 + complaint hits), and whether praise or
    complaint hits are more (a word after a negator counts for the other side)."""
    index = {w: i for i, w in enumerate(tokens.words)}
    base = len(index) + 1
    ids, doc = tokens.ids, tokens.doc
    score = np.zeros(len(ids))
    same = doc[1:] == doc[:-1]
    words = lexicon()
    for phrases, sign in ((words["positive_folded"], 1.0), (words["negative_folded"], -1.0)):
        uni = [index[p] for p in phrases if " " not in p and p in index]
        score[np.isin(ids, uni)] = sign
        pairs = [p.split() for p in phrases if p.count(" ") == 1]  # longer: word n-grams
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



def phrase_hits(tokens: Tokens, groups: Sequence[Sequence[str]]) -> np.ndarray:
    """Per document and group, log(1 + the number of places where one of the group's phrases
    occurs as whole words).

    Parameters
    ----------
    tokens : Tokens
        The batch's normalised words.
    groups : sequence of sequence of str
        Per group its normalised phrases (one or more words each).

    Returns
    -------
    numpy.ndarray
        Shape ``(documents, groups)``.

    Examples
    --------
    >>> phrase_hits(Tokens(["giao hang cham", "hang bi vo vo"]), [["giao hang"], ["vo", "bi"]])
    array([[0.69314718, 0.        ],
           [0.        , 1.38629436]])
    """
    index = {w: i for i, w in enumerate(tokens.words)}
    ids, doc = tokens.ids, tokens.doc
    n = len(ids)
    out = np.zeros((tokens.n_docs, len(groups)))
    single = np.zeros((len(groups), len(tokens.words) + 1), dtype=bool)
    longer: dict[int, list[tuple[int, list[int]]]] = {}  # first word → (group, other words)
    for g, phrases in enumerate(groups):
        for phrase in phrases:
            words = phrase.split()
            if not words or any(w not in index for w in words):
                continue
            if len(words) == 1:
                single[g, index[words[0]]] = True
            else:
                longer.setdefault(index[words[0]], []).append(
                    (g, [index[w] for w in words[1:]]))
    is_first = np.zeros(len(tokens.words) + 1, dtype=bool)
    is_first[list(longer)] = True
    hits: list[list[np.ndarray]] = [[] for _ in groups]
    if longer and n:
        starts = np.flatnonzero(is_first[ids])
        first_of = ids[starts]
        order = np.argsort(first_of, kind="stable")
        starts, first_of = starts[order], first_of[order]
        bounds = np.searchsorted(first_of, np.array(sorted(longer)), side="left")
        ends = np.searchsorted(first_of, np.array(sorted(longer)), side="right")
        for first, lo, hi in zip(sorted(longer), bounds, ends, strict=True):
            at = starts[lo:hi]
            for group, rest in longer[first]:
                ok = at[at + len(rest) < n]
                for j, word in enumerate(rest, start=1):
                    ok = ok[(ids[ok + j] == word) & (doc[ok + j] == doc[ok])]
                hits[group].append(ok)
    if n and single.any():
        used = np.flatnonzero(single.any(axis=1))
        member = single[used][:, ids]  # groups × tokens, only groups with single words
        for k, g in enumerate(used):
            hits[g].append(np.flatnonzero(member[k]))
    for g in range(len(groups)):
        where = np.concatenate(hits[g]) if hits[g] else np.zeros(0, dtype=np.int64)
        out[:, g] = np.log1p(np.bincount(doc[where], minlength=tokens.n_docs))
    return out
