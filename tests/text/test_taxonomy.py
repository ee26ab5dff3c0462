"""The complaint taxonomy: one data file, its names on every screen, a business's changes."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import carework
from carework.i18n import label, language
from carework.settings import Settings
from carework.text import TOPIC_FACTOR, TOPICS
from carework.text.taxonomy import FACTORS, default_taxonomy, taxonomy_with
from carework.vntext import fold

TAXONOMY_FILE = Path(carework.__file__).parent / "text" / "taxonomy.toml"
FILE = tomllib.loads(TAXONOMY_FILE.read_text(encoding="utf-8"))
CODE = re.compile(r"^[a-z][a-z0-9_]*$")

HYGIENE = {"topics": {"hygiene": {"factor": "product", "vi": "Vệ sinh", "en": "Hygiene",
                                  "aliases": ["Bẩn", "  mất   Vệ SINH ", "gián", "bẩn", ""]}}}


def test_every_topic_has_a_factor_and_both_names_from_the_file():
    tax = default_taxonomy()
    assert tax.codes == tuple(FILE["topics"]) == TOPICS
    assert len(tax.codes) >= 13
    for code, topic in tax.topics.items():
        assert topic.factor in FACTORS, code
        assert TOPIC_FACTOR[code] == topic.factor
        for lang in ("vi", "en"):
            assert topic.names[lang].strip(), (code, lang)
            assert tax.name(code, lang) == FILE["topics"][code][lang]
        assert topic.aliases, f"{code} has no aliases"
    assert {t.factor for t in tax.topics.values()} == set(FACTORS)  # every factor has topics
    for factor in FACTORS:
        assert tax.name(factor, "vi") == FILE["factors"][factor]["vi"]
        assert tax.name(factor, "en") == FILE["factors"][factor]["en"]
    assert tax.topics_of("people") == ("staff_attitude", "staff_skills")
    assert tax.factor_of("delivery") == "convenience"
    with pytest.raises(KeyError):
        tax.factor_of("hygiene")


def test_aliases_are_stored_folded():
    for code, aliases in default_taxonomy().aliases().items():
        for alias in aliases:
            assert alias == " ".join(fold(alias).split()), (code, alias)


def test_the_taxonomy_is_read_only_and_read_once():
    tax = default_taxonomy()
    assert default_taxonomy() is tax
    with pytest.raises(TypeError):
        tax.topics["hygiene"] = tax.topics["delivery"]  # type: ignore[index]
    with pytest.raises(TypeError):
        tax.topics["delivery"].names["vi"] = "x"  # type: ignore[index]


def test_no_overrides_is_the_default_taxonomy():
    assert taxonomy_with(None) is default_taxonomy()
    assert taxonomy_with({}) is default_taxonomy()


def test_taxonomy_with_adds_a_topic_and_folds_its_aliases():
    tax = taxonomy_with(HYGIENE)
    assert tax.codes == (*default_taxonomy().codes, "hygiene")  # added at the end
    assert tax.factor_of("hygiene") == "product"
    assert tax.topics_of("product")[-1] == "hygiene"
    assert tax.name("hygiene", "vi") == "Vệ sinh"
    assert tax.name("hygiene", "en") == "Hygiene"
    assert tax.topics["hygiene"].aliases == ("ban", "mat ve sinh", "gian")  # folded, deduplicated
    assert tax.fingerprint() != default_taxonomy().fingerprint()
    assert "hygiene" not in default_taxonomy().topics  # the default is not changed
    only_vi = taxonomy_with({"topics": {"hygiene": {"factor": "people", "vi": "Vệ sinh"}}})
    assert only_vi.name("hygiene", "en") == "Vệ sinh"  # a missing name falls back
    assert only_vi.topics["hygiene"].aliases == ()


def test_taxonomy_with_changes_an_existing_topic():
    base = default_taxonomy().topics["delivery"]
    tax = taxonomy_with({"topics": {"delivery": {"en": "Shipping", "aliases": ["Xe Ôm"]},
                                    "price": {"factor": "convenience"}}})
    assert tax.codes == default_taxonomy().codes  # same order, nothing added
    assert tax.name("delivery", "en") == "Shipping"
    assert tax.name("delivery", "vi") == base.names["vi"]  # what is not given stays
    assert tax.factor_of("delivery") == "convenience"
    assert tax.topics["delivery"].aliases == ("xe om",)  # aliases given replace the old ones
    assert tax.factor_of("price") == "convenience"
    assert tax.topics["price"].aliases == default_taxonomy().topics["price"].aliases
    renamed = taxonomy_with({"factors": {"people": {"en": "Team"}}})
    assert renamed.name("people", "en") == "Team"
    assert renamed.name("people", "vi") == default_taxonomy().name("people", "vi")


@pytest.mark.parametrize("overrides, match", [
    ({"topics": {"hygiene": {"factor": "food"}}}, "factor"),
    ({"topics": {"hygiene": {"vi": "Vệ sinh"}}}, "factor"),  # a new topic needs a factor
    ({"topics": {"delivery": {"factor": "other"}}}, "factor"),
    ({"topics": {"delivery": {"factor": "unknown"}}}, "factor"),
    ({"factors": {"price": {"vi": "Giá"}}}, "rename factors, not add"),
    ({"topics": {"Hygiene": {"factor": "product"}}}, "lower-case"),
    ({"topics": {"ve-sinh": {"factor": "product"}}}, "lower-case"),
    ({"topics": {"vệ_sinh": {"factor": "product"}}}, "lower-case"),
    ({"topics": {"1st": {"factor": "product"}}}, "lower-case"),
    ({"topics": {"": {"factor": "product"}}}, "lower-case"),
])
def test_taxonomy_with_refuses_unknown_factors_and_bad_codes(overrides, match):
    with pytest.raises(ValueError, match=match):
        taxonomy_with(overrides)


@settings(max_examples=60, deadline=None)
@given(code=st.text(alphabet="abcxyz019_-AZ ệđ.", min_size=1, max_size=12),
       factor=st.sampled_from([*FACTORS, "other", "food", "Product"]))
def test_a_topic_is_accepted_exactly_when_code_and_factor_are_valid(code, factor):
    overrides = {"topics": {code: {"factor": factor}}}
    if CODE.match(code) and factor in FACTORS:
        assert taxonomy_with(overrides).factor_of(code) == factor
    else:
        with pytest.raises(ValueError):
            taxonomy_with(overrides)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet="aăâđeêoôơuưyÁÀẢÃẠÉẾỆỒ kK \t", max_size=10), max_size=6))
def test_aliases_are_folded_squeezed_and_deduplicated(aliases):
    tax = taxonomy_with({"topics": {"hygiene": {"factor": "product", "aliases": aliases}}})
    expected = tuple(dict.fromkeys(" ".join(fold(a).split()) for a in aliases if a.strip()))
    assert tax.topics["hygiene"].aliases == expected


@pytest.mark.parametrize("topics, named", [
    ({"Hygiene": {"factor": "product"}}, "'Hygiene'"),
    ({"hygiene": {"factor": "food"}}, "'food'"),
    ({"hygiene": {"vi": "Vệ sinh"}}, "'hygiene'"),
])
def test_settings_name_text_topics_for_a_bad_topic(topics, named):
    with pytest.raises(carework.DataError) as info:
        Settings.from_mapping({"text": {"topics": topics}}, "shop/carework.toml")
    assert info.value.column == "text.topics"
    assert info.value.file == "shop/carework.toml"
    assert named in str(info.value)


def test_settings_give_the_business_taxonomy():
    settings_ = Settings.from_mapping({"text": HYGIENE})
    tax = settings_.text.taxonomy()
    assert tax.factor_of("hygiene") == "product"
    assert tax.topics["hygiene"].aliases == ("ban", "mat ve sinh", "gian")
    assert Settings().text.taxonomy().fingerprint() == default_taxonomy().fingerprint()


def test_screen_labels_are_the_taxonomy_names():
    tax = default_taxonomy()
    with language("vi"):
        assert label("waiting_time") == tax.name("waiting_time", "vi") == "Thời gian chờ"
        for code in tax.codes:
            assert label(code) == tax.name(code, "vi")
        for factor in FACTORS:
            assert label(factor, "factor") == tax.name(factor, "vi")
    with language("en"):
        for code in tax.codes:
            assert label(code) == tax.name(code, "en")


def test_a_business_topic_is_named_on_every_screen():
    from carework.i18n import label, language
    from carework.text.readings import name_topics
    from carework.text.taxonomy import taxonomy_with

    tax = taxonomy_with({"topics": {"hygiene_x": {"factor": "product", "vi": "Vệ sinh quán",
                                                  "en": "Hygiene"}}})
    assert label("hygiene_x") == "hygiene_x"  # unknown until the business's taxonomy is read
    name_topics(tax)
    with language("vi"):
        assert label("hygiene_x") == "Vệ sinh quán"
        assert label("delivery") == "Giao hàng"  # the shipped names keep precedence
    with language("en"):
        assert label("hygiene_x") == "Hygiene"
