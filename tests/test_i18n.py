"""Locale data from CLDR, interface catalogs, theme overrides, font stacks and per-language settings."""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from exporter import i18n
from exporter.catalogs import read_catalog, template_catalog
from exporter.config import load_settings
from exporter.errors import ConfigError
from exporter.fonts import font_stack
from exporter.formats.base import Site
from exporter.i18n import (
    STRINGS,
    catalog_languages,
    format_date,
    format_number,
    is_rtl,
    language_name,
    page_counters_css,
    plural_category,
    strings,
    text_direction,
)
from exporter.themes import load_theme

REQUIRED = {"es", "en", "fr", "de", "pt", "it", "ca", "zh", "ja", "ko", "ru", "ar", "he", "hi", "fa"}
DATE = dt.date(2023, 10, 16)


# The keys every catalog translated when the catalogs were made; a key added later to STRINGS["en"] shows in
# English (with a warning) until a translator fills it in.
CORE_KEYS = {"read_in", "contents", "page", "of", "page_of", "download_pdf", "download_epub", "view_in_browser",
             "unsubscribe", "issue", "issue_number", "by", "notes", "links", "machine_translated", "editions", "cover",
             "title_page", "start_of_content", "accessibility_summary"}


def test_every_required_language_has_a_complete_catalog():
    assert REQUIRED <= set(catalog_languages())
    keys = CORE_KEYS
    for lang in catalog_languages():
        catalog = read_catalog(lang)
        translated = {message.context for message in catalog if message.context and message.string}
        assert translated >= keys, f"{lang}: missing {sorted(keys - translated)}"
        if lang != "en":
            assert strings(lang)["contents"] != "Contents", lang


def test_catalogs_hold_exactly_the_keys_of_the_english_table():
    """python -m exporter.catalogs keeps them in line; run it after adding a key to STRINGS["en"]."""
    template = {message.context for message in template_catalog() if message.context}
    for lang in catalog_languages():
        assert {m.context for m in read_catalog(lang) if m.context} == template, lang


def test_placeholders_survive_in_every_translation():
    for lang in catalog_languages():
        t = strings(lang)
        assert "{page}" in t["page_of"] and "{pages}" in t["page_of"], lang
        assert "{number}" in t["issue_number"], lang
        assert t["page_of"].format(page=2, pages=5)


def test_interface_strings_come_from_the_catalogs():
    assert strings("de")["page_of"].format(page=2, pages=5) == "Seite 2 von 5"
    assert strings("ca")["contents"] == "Índex"
    assert strings("ja")["contents"] == "目次"
    assert strings("ar")["read_in"] == "اقرأ بالعربية"
    assert strings("pt-BR")["contents"] == "Índice"  # a regional code falls back to its language's catalog


def test_a_string_missing_from_a_catalog_shows_in_english_with_one_warning(caplog, monkeypatch):
    monkeypatch.setitem(STRINGS, "en", {**STRINGS["en"], "new_key": "New text"})
    i18n._strings.cache_clear()
    with caplog.at_level(logging.WARNING):
        first, second = strings("ja"), strings("ja")
    i18n._strings.cache_clear()
    assert first["new_key"] == "New text" and first["contents"] == "目次" and first == second
    warnings = [r.getMessage() for r in caplog.records if "lacks" in r.getMessage()]
    assert len(warnings) == 1 and "'ja' lacks 1 string(s)" in warnings[0] and "new_key" in warnings[0]


def test_a_language_without_catalog_falls_back_to_english_with_one_warning(caplog):
    i18n._strings.cache_clear()
    with caplog.at_level(logging.WARNING):
        first, second = strings("sw"), strings("sw")
    assert first == second == STRINGS["en"]
    warnings = [r for r in caplog.records if "no interface catalog" in r.getMessage()]
    assert len(warnings) == 1 and "'sw'" in warnings[0].getMessage()


def test_dates_numbers_names_and_plurals_come_from_cldr():
    assert format_date(DATE, "en") == "October 16, 2023"
    assert format_date(DATE, "es") == "16 de octubre de 2023"
    assert format_date(DATE, "de") == "16. Oktober 2023"
    assert format_date(DATE, "ca") == "16 d’octubre del 2023"
    assert format_date(DATE, "ja") == "2023年10月16日"
    assert format_number(1234567.5, "de") == "1.234.567,5"
    assert format_number(1234567.5, "en") == "1,234,567.5"
    assert language_name("de") == "Deutsch" and language_name("ja") == "日本語" and language_name("es") == "español"
    assert plural_category(1, "en") == "one" and plural_category(3, "ru") == "few"
    assert plural_category(5, "ru") == "many"


@pytest.mark.parametrize("lang", ["ar", "he", "fa", "ur"])
def test_right_to_left_languages_come_from_the_locale(lang):
    assert is_rtl(lang) and text_direction(lang) == "rtl"


@pytest.mark.parametrize("lang", ["en", "es", "ja", "zh", "hi", "ru", "el", "th"])
def test_left_to_right_languages(lang):
    assert not is_rtl(lang) and text_direction(lang) == "ltr"


def test_page_counters_become_a_css_content_value():
    assert page_counters_css("Page {page} of {pages}") == '"Page " counter(page) " of " counter(pages)'
    assert page_counters_css("{page} / {pages} ページ") == 'counter(page) " / " counter(pages) " ページ"'


def test_font_stack_puts_the_edition_script_first():
    faces = {"Arab": "Noto Naskh Arabic", "Jpan": "Noto Serif CJK JP", "Hans": "Noto Serif CJK SC"}
    assert font_stack("'DejaVu Serif', serif", faces, "ja") == \
        "'Noto Serif CJK JP', 'DejaVu Serif', 'Noto Naskh Arabic', 'Noto Serif CJK SC', serif"
    assert font_stack("'DejaVu Serif', serif", faces, "zh").startswith("'Noto Serif CJK SC'")
    assert font_stack("'DejaVu Serif', serif", faces, "en") == \
        "'DejaVu Serif', 'Noto Naskh Arabic', 'Noto Serif CJK JP', 'Noto Serif CJK SC', serif"
    assert font_stack("'DejaVu Sans Mono', monospace", faces, "ja", lead=False) == \
        "'DejaVu Sans Mono', 'Noto Serif CJK JP', 'Noto Naskh Arabic', 'Noto Serif CJK SC', monospace"


def test_theme_overrides_a_string_and_templates_get_fonts(tmp_path):
    folder = tmp_path / "themes" / "mine"
    folder.mkdir(parents=True)
    (folder / "theme.toml").write_text('extends = "default"\n[strings.en]\ncontents = "In this issue"\n'
                                       '[strings.all]\nby = "~"\n', encoding="utf-8")
    (folder / "probe.html").write_text("{{ t.contents }}|{{ t.by }}|{{ fonts.body }}", encoding="utf-8")
    theme = load_theme("mine", tmp_path)
    english = theme.render("probe.html", lang="en", t=strings("en")).split("|")
    japanese = theme.render("probe.html", lang="ja", t=strings("ja")).split("|")
    assert english[:2] == ["In this issue", "~"] and japanese[:2] == ["目次", "~"]
    assert japanese[2].startswith("'Noto Serif CJK JP'") and "Noto Naskh Arabic" in english[2]


def write_config(tmp_path, text: str):
    (tmp_path / "newsletter.toml").write_text(text, encoding="utf-8")
    return load_settings(tmp_path)


def test_languages_as_a_list_or_as_tables(tmp_path):
    assert write_config(tmp_path, 'languages = ["es", "en", "ca"]\n').languages == ["es", "en", "ca"]
    settings = write_config(tmp_path, '[languages.es]\n[languages.en]\ntitle = "Tech bulletin"\n'
                                      'author = "Editorial team"\nemail_from = "T <t@example.org>"\n'
                                      'unsubscribe_text = "Leave"\ndescription = "News"\n[languages.ca]\n')
    assert settings.languages == ["es", "en", "ca"]
    site = Site(title="Boletín", settings={"from": "B <b@example.org>"}, editions=settings.values["languages"])
    english, catalan = site.for_language("en"), site.for_language("ca")
    assert english.title == "Tech bulletin" and english.settings["from"] == "T <t@example.org>"
    assert english.settings["unsubscribe_text"] == "Leave" and english.settings["description"] == "News"
    assert catalan is site


def test_a_wrong_language_setting_names_its_key_and_line(tmp_path):
    with pytest.raises(ConfigError) as error:
        write_config(tmp_path, '[languages.es]\n\n[languages.en]\ntitel = "x"\n')
    assert "languages.en.titel" in str(error.value) and error.value.line == 4
    with pytest.raises(ConfigError) as error:
        write_config(tmp_path, '[languages.en]\ncover = "pretty"\n')
    assert "languages.en.cover" in str(error.value)
