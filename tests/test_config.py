"""newsletter.toml validation: every error names the key and its line."""

from __future__ import annotations

import pytest

from exporter.config import load_settings
from exporter.errors import ConfigError
from exporter.formats.registry import create_exporter


def settings_from(tmp_path, text):
    (tmp_path / "newsletter.toml").write_text(text)
    return load_settings(tmp_path)


def test_defaults_without_a_file(tmp_path):
    settings = load_settings(tmp_path)
    assert settings.languages == ["es", "en"]
    assert settings.default_formats == ["pdf", "epub", "email", "html"]
    assert settings.output_path == tmp_path.resolve() / "output"


def test_values_are_read(tmp_path):
    settings = settings_from(tmp_path, 'title = "X"\nlanguages = ["es"]\n[email]\nfrom = "a@b.c"\n')
    assert settings.title == "X" and settings.languages == ["es"]
    assert settings.section("email")["from"] == "a@b.c"


@pytest.mark.parametrize("text, key, line", [
    ('title = "X"\ncolour = "red"\n', "colour", 2),
    ('title = 3\n', "title", 1),
    ('title = "X"\n\n[email]\nfrom = 1\n', "email.from", 4),
    ('[email]\nnonsense = true\n', "email.nonsense", 2),
    ('languages = ["es", "Spanish"]\n', "languages", 1),
])
def test_errors_name_key_and_line(tmp_path, text, key, line):
    with pytest.raises(ConfigError) as info:
        settings_from(tmp_path, text)
    assert f"'{key}'" in str(info.value)
    assert info.value.line == line


def test_invalid_toml_names_the_line(tmp_path):
    with pytest.raises(ConfigError, match="invalid TOML") as info:
        settings_from(tmp_path, 'title = "X"\nlanguages = [\n')
    assert info.value.line is not None


def test_exporter_options_are_validated_against_its_schema(tmp_path):
    settings = settings_from(tmp_path, '[formats.pdf]\npage_size = "A5"\n')
    with pytest.raises(ConfigError, match="'formats.pdf.page_size': must be one of") as info:
        create_exporter("pdf", settings.formats_options["pdf"], None, settings.path)
    assert info.value.line == 2
    assert create_exporter("pdf", {"page_size": "Letter"}).options["page_size"] == "Letter"
