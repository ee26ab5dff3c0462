"""One settings object from carework.toml: documented defaults, named refusals, one place for
every threshold."""

from __future__ import annotations

import re
import tomllib
from dataclasses import asdict, fields
from pathlib import Path

import pandas as pd
import pytest

import carework
from carework.i18n import language
from carework.settings import SECTIONS, Settings

DOC = Path(__file__).resolve().parents[1] / "docs" / "settings.md"


def test_the_documented_file_is_every_default():
    text = DOC.read_text(encoding="utf-8")
    example = re.search(r"```toml\n(.*?)```", text, re.S).group(1)
    raw = tomllib.loads(example)
    documented = Settings.from_mapping({k: v for k, v in raw.items()
                                        if k not in ("dayfirst", "as_of", "columns")})
    defaults = Settings()
    for name in SECTIONS:
        assert asdict(getattr(documented, name)) == asdict(getattr(defaults, name)), name
        for setting in fields(getattr(defaults, name)):
            assert f"`{name}.{setting.name}`" in text, f"{name}.{setting.name} undocumented"


@pytest.mark.parametrize("raw, problem", [
    ({"colour": "red"}, "unknown key 'colour'"),
    ({"churn": {"risk_bands": [0.8, 0.5]}}, "risk_bands"),
    ({"churn": {"horizon_days": "90"}}, "horizon_days"),
    ({"calls": {"windows": ["9h to 11h"]}}, "windows"),
    ({"display": {"currency": "DONG"}}, "currency"),
    ({"segments": {"lapsed_churn_risk": 0.8}}, "risk_bands"),  # moved: says where to
    ({"calls": {"at_risk_min": 0.5}}, "risk_bands"),
    ({"as_of": "someday"}, "as_of"),
])
def test_a_setting_that_makes_no_sense_is_named_with_the_fix(raw, problem):
    with language("en"), pytest.raises(carework.DataError, match=problem) as info:
        Settings.from_mapping(raw, "carework.toml")
    assert info.value.file == "carework.toml" and info.value.fix


def test_the_folder_settings_travel_with_the_data(tmp_path):
    (tmp_path / "transactions.csv").write_text(
        "customer_id,purchased_at,amount\nKH1,2025-01-03,100000\n", encoding="utf-8")
    (tmp_path / "carework.toml").write_text(
        'as_of = 2025-02-01\n[churn]\nhorizon_days = 30\n[display]\ncurrency = "GBP"\n',
        encoding="utf-8")
    data = carework.load(tmp_path)
    assert data.settings.as_of == pd.Timestamp("2025-02-01")
    assert data.settings.churn.horizon_days == 30 and data.settings.display.currency == "GBP"
    changed = data.settings.replace(**{"churn.horizon_days": 60})
    assert changed.churn.horizon_days == 60 and changed.display.currency == "GBP"
    assert changed.fingerprint() != data.settings.fingerprint()


def test_no_threshold_is_a_module_constant():
    """The cut-offs that once lived in four modules are read from the settings now."""
    package = Path(carework.__file__).parent
    for path in package.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"^(HIGH_RISK|MIN_BUYERS|MIN_HISTORY_DAYS|MAX_DAYS_SINCE_LAST|"
                             r"MIN_THREE_PLUS)\s*=", text, re.M), path
