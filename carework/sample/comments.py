"""Survey comments written from templates: casing, punctuation, slang and lost diacritics.

Each comment consumes pre-drawn uniforms (40 per comment, cycled if a long one needs more),
so the text is deterministic whatever the templates contain.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from itertools import cycle

import numpy as np

from carework.sample.folding import fold_keep_case
from carework.sample.phrases import (
    CLOSERS,
    COMPLAINTS,
    HANDLING,
    NEUTRAL,
    OPENERS,
    PRAISE,
    PRODUCT_NOUNS,
    SLANG,
)
from carework.sample.tickets import TOPICS

__all__ = ["comment", "comments"]

_SLANG_RE = re.compile(r"\b(" + "|".join(sorted(SLANG, key=len, reverse=True)) + r")\b",
                       re.IGNORECASE)
_GROUP_RE = re.compile(r"(\{[^{}]*\})")
_SP, _NOUN = 0, 1  # placeholders in parsed templates: a product word, a product noun
_Segment = str | int | tuple[str, ...]
_Uniform = Callable[[], float]


def _parse(template: str) -> tuple[_Segment, ...]:
    """Split ``"giá {đắt|cao} {sp}"`` into literals, option tuples and placeholders."""
    out: list[_Segment] = []
    for piece in _GROUP_RE.split(template):
        if not piece:
            continue
        if piece == "{sp}":
            out.append(_SP)
        elif piece == "{noun}":
            out.append(_NOUN)
        elif piece.startswith("{") and piece.endswith("}"):
            out.append(tuple(piece[1:-1].split("|")))
        else:
            out.append(piece)
    return tuple(out)


def _parse_all(templates: Sequence[str]) -> tuple[tuple[_Segment, ...], ...]:
    return tuple(_parse(t) for t in templates)


_P_COMPLAINTS = tuple(_parse_all(COMPLAINTS[t]) for t in TOPICS)
_P_HANDLING = _parse_all(HANDLING)
_P_OPENERS = _parse_all(OPENERS)
_P_CLOSERS = _parse_all(CLOSERS)
_P_PRAISE = _parse_all(PRAISE)
_P_NEUTRAL = _parse_all(NEUTRAL)
_JOINERS = (", ", ". ", " ", "; ", "... ", ", ")
_ENDS = (
    ("", ".", "!", "!!", "...", " :(", ".", ""),  # complaint
    ("", ".", "!", " :)", " ^^", ".", "!!", " <3"),  # praise
    ("", ".", "", "...", "."),  # neutral
)
_SENTENCE_START = re.compile(r"(^|[.!?] )(\w)")
_SPACES = re.compile(r"\s{2,}")


def _fill(segments: tuple[_Segment, ...], u: _Uniform, category: int) -> str:
    out = []
    for seg in segments:
        if isinstance(seg, str):
            out.append(seg)
        elif isinstance(seg, tuple):
            out.append(seg[int(u() * len(seg))])
        elif seg == _SP:
            v = u()
            nouns = PRODUCT_NOUNS[category]
            out.append("sản phẩm" if v < 0.4 else "hàng" if v < 0.55
                       else nouns[int((v - 0.55) / 0.45 * len(nouns))])
        else:
            nouns = PRODUCT_NOUNS[category]
            out.append(nouns[int(u() * len(nouns))])
    return "".join(out)


def _pick_fill(options: Sequence[tuple[_Segment, ...]], u: _Uniform, category: int) -> str:
    return _fill(options[int(u() * len(options))], u, category)


def comment(kind: int, topic: int, slow: bool, category: int, u: _Uniform) -> tuple[
        str, bool, bool]:
    """One survey comment; ``u`` returns the next pre-drawn uniform.

    ``kind`` is 1 (complaint about ``topic``, plus slow handling if ``slow``), 2 (praise) or
    3 (neutral). Returns the text, whether it lost its diacritics and whether slang was used.
    """
    parts: list[str] = []
    if kind == 1:
        main = _pick_fill(_P_COMPLAINTS[topic], u, category)
        if u() < 0.3:
            sep = (", ", ": ", ". ")[int(u() * 3)]
            main = _pick_fill(_P_OPENERS, u, category) + sep + main
        parts.append(main)
        if slow and u() < 0.7:
            parts.append(_pick_fill(_P_HANDLING, u, category))
        if u() < 0.45:
            parts.append(_pick_fill(_P_CLOSERS, u, category))
    elif kind == 2:
        k = 1 + int(u() * 2.2)
        first = int(u() * len(_P_PRAISE))
        step = 1 + int(u() * (len(_P_PRAISE) - 1))
        for j in range(k):
            parts.append(_fill(_P_PRAISE[(first + j * step) % len(_P_PRAISE)], u, category))
    else:
        parts.append(_pick_fill(_P_NEUTRAL, u, category))
        if u() < 0.25:
            parts.append(_pick_fill(_P_PRAISE, u, category))
    text = parts[0]
    for part in parts[1:]:
        text += _JOINERS[int(u() * len(_JOINERS))] + part
    slang = u() < 0.35
    if slang:
        def swap(mt: re.Match[str]) -> str:
            options = SLANG[mt.group(1).lower()]
            return options[int(u() * len(options))]

        text = _SPACES.sub(" ", _SLANG_RE.sub(swap, text))
    v = u()
    if v < 0.5:
        text = text[:1].upper() + text[1:]
    elif v < 0.62:
        text = _SENTENCE_START.sub(lambda mt: mt.group(1) + mt.group(2).upper(), text)
    elif v < 0.65 and kind == 1:
        text = text.upper()
    ends = _ENDS[kind - 1]
    text = text.rstrip(" ,;.") + ends[int(u() * len(ends))]
    folded = u() < 0.3
    if folded:
        text = fold_keep_case(text)
    return text, folded, slang


def comments(rng: np.random.Generator, s: dict[str, np.ndarray]) -> tuple[
        list[str | None], np.ndarray, np.ndarray]:
    """The comment of every survey answer in ``s`` (None where ``kind`` is 0).

    Returns the texts, and per answer whether the comment lost its diacritics and whether
    it uses slang.
    """
    m = s["kind"].size
    text: list[str | None] = [None] * m
    folded = np.zeros(m, dtype=bool)
    slang = np.zeros(m, dtype=bool)
    idx = np.flatnonzero(s["kind"] > 0)
    kind, topic = s["kind"].tolist(), s["topic"].tolist()
    slow, category = s["slow"].tolist(), s["category"].tolist()
    step = 50_000
    for lo in range(0, idx.size, step):
        part = idx[lo:lo + step].tolist()
        dice = rng.random((len(part), 40)).tolist()
        for i, row in zip(part, dice, strict=True):
            # 40 uniforms cover any comment; cycling keeps it deterministic regardless.
            text[i], folded[i], slang[i] = comment(kind[i], topic[i], slow[i], category[i],
                                                   cycle(row).__next__)
    return text, folded, slang
