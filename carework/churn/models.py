"""The repeat-buying models carework fits, by the name the API, CLI and dashboard use."""

from __future__ import annotations

from carework.churn import bgnbd, mbgnbd, pnbd

MODELS = {"bgnbd": bgnbd.fit, "pnbd": pnbd.fit, "mbgnbd": mbgnbd.fit}
