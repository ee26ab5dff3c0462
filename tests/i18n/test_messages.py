"""The message files (carework/i18n/vi.toml, en.toml) and the lookups built on them."""

from __future__ import annotations

import string
import subprocess
import sys
import tomllib
import unicodedata
from importlib.resources import files

import pytest

from carework.i18n import LANGUAGES, MESSAGES, get_language, label, language, set_language, t

# A vi text may equal its en text only here: names, acronyms and placeholder-only texts.
SAME_IN_BOTH = {
    "col.email", "value.email",                      # "Email"
    "churn.model.pnbd", "churn.model.mbgnbd",        # model names
    "head.nps", "head.nps_text", "head.nps_ci", "head.csat", "head.csat_text",
    "kpiui.card.nps", "kpiui.card.csat", "plot.kpi.nps", "plot.kpi.csat",  # NPS / CSAT
    "err.config",                                    # "carework.toml: {detail}"
    "sheet.reason_counts",                           # "{listed} / {candidates}"
    "kpiui.card_interval",                           # "95%: [{low}; {high}], n = {n}"
}
# An en text may hold Vietnamese letters only here: proper names.
VIETNAMESE_IN_ENGLISH = {"plot.tet"}  # "Tết (Lunar New Year)"

# Vietnamese letters: đ, and after NFD the marks of ă â ê ô ơ ư and the five tones.
VIETNAMESE_MARKS = {"\u0300", "\u0301", "\u0302", "\u0303", "\u0306", "\u0309", "\u031b", "\u0323"}


def raw(lang: str) -> dict:
    """A message file as parsed by tomllib, independently of carework's loader."""
    return tomllib.loads((files("carework.i18n") / f"{lang}.toml").read_text(encoding="utf-8"))


def placeholders(text: str) -> set[tuple[str, str, str | None]]:
    """``{name:spec!conv}`` fields of a str.format template."""
    return {(name, spec, conv) for _, name, spec, conv in string.Formatter().parse(text)
            if name is not None}


def has_vietnamese(text: str) -> bool:
    return any(ch in "đĐ" or ch in VIETNAMESE_MARKS for ch in unicodedata.normalize("NFD", text))


def test_the_languages_are_vietnamese_and_english():
    assert LANGUAGES == ("vi", "en")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_file_is_one_flat_table_of_nonempty_texts(lang):
    table = raw(lang)
    assert len(table) > 500
    for key, text in table.items():
        assert isinstance(text, str), f"{lang}.toml: {key} is no string (an unquoted dotted key?)"
        assert text and text == text.strip(), f"{lang}.toml: {key!r} is empty or padded"
        assert key.count(".") >= 1 and " " not in key, key


def test_both_files_have_exactly_the_same_keys_in_the_same_order():
    vi, en = raw("vi"), raw("en")
    assert sorted(set(vi) - set(en)) == [] and sorted(set(en) - set(vi)) == []
    assert list(vi) == list(en)


def test_every_key_has_the_same_placeholders_in_both_languages():
    vi, en = raw("vi"), raw("en")
    differ = {k: (placeholders(vi[k]), placeholders(en[k])) for k in vi
              if placeholders(vi[k]) != placeholders(en[k])}
    assert differ == {}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_formats_with_its_placeholders(lang):
    for key in MESSAGES:
        params = {name: 1234 for name, _, _ in placeholders(MESSAGES[key][lang])}
        assert "{" not in t(key, lang=lang, **params) or "{{" in MESSAGES[key][lang], key


def test_no_vietnamese_text_is_left_untranslated():
    vi, en = raw("vi"), raw("en")
    same = {k for k in vi if vi[k] == en[k]}
    assert same - SAME_IN_BOTH == set()
    assert set(vi) >= SAME_IN_BOTH  # no stale entry in the allow-list


def test_english_texts_have_no_vietnamese_letters():
    en = raw("en")
    assert {k for k, text in en.items() if has_vietnamese(text)} - VIETNAMESE_IN_ENGLISH == set()
    assert has_vietnamese("Giao dịch") and has_vietnamese("đ") and not has_vietnamese("Tet")


def test_messages_is_the_files_as_a_read_only_table():
    import tomllib
    from importlib.resources import files

    taxonomy = tomllib.loads((files("carework") / "text" / "taxonomy.toml").read_text("utf-8"))
    names = {lang: {f"{prefix}.{code}": entry[lang]
                    for prefix, section in (("factor", "factors"), ("value", "topics"))
                    for code, entry in taxonomy[section].items()} for lang in ("vi", "en")}
    vi, en = raw("vi") | names["vi"], raw("en") | names["en"]  # topic names: the taxonomy's
    assert not set(names["vi"]) & set(raw("vi")), "a topic's name lives in the taxonomy only"
    assert list(MESSAGES) == list(vi) and len(MESSAGES) == len(vi)
    assert all(dict(MESSAGES[k]) == {"vi": vi[k], "en": en[k]} for k in vi)
    assert "table.transactions" in MESSAGES and "no.such.key" not in MESSAGES
    with pytest.raises(TypeError):
        MESSAGES["table.transactions"] = {"vi": "x", "en": "x"}  # type: ignore[index]
    with pytest.raises(TypeError):
        MESSAGES["table.transactions"]["en"] = "x"  # type: ignore[index]


def test_t_looks_up_formats_and_refuses_unknown_keys():
    assert t("table.transactions", lang="vi") == "Giao dịch"
    assert t("table.transactions", lang="en") == "Transactions"
    assert t("cli.error", lang="en", message="boom") == "carework: error: boom"
    with pytest.raises(KeyError):
        t("no.such.key")
    with pytest.raises(KeyError):
        t("no.such.key", lang="en")


def test_the_current_language_switches_and_is_restored():
    before = get_language()
    with language("en"):
        assert get_language() == "en" and t("table.customers") == "Customers"
        with language("vi"):
            assert t("table.customers") == "Khách hàng"
        assert get_language() == "en"
    assert get_language() == before
    with pytest.raises(ValueError):
        set_language("fr")
    with pytest.raises(ValueError), language("fr"):
        pass
    assert get_language() == before


def test_label_translates_known_values_and_shows_others_as_they_are():
    with language("en"):
        assert label("walk_in") == t("value.walk_in", lang="en") != "walk_in"
        assert label("nothing_like_it") == "nothing_like_it"
        assert label(3, "stage") == "3"


def test_the_files_are_read_on_first_use_only():
    code = ("import carework.i18n as i; c = i.messages._texts.cache_info; assert c().misses == 0; "
            "i.t('table.transactions'); i.t('table.customers', lang='en'); 'x' in i.MESSAGES; "
            "assert c().misses == 1, c()")
    subprocess.run([sys.executable, "-c", code], check=True)
