"""Incremental builds rebuild exactly the outputs whose dependencies changed."""

from __future__ import annotations

import shutil

import pytest

from exporter.build import build, plan_from
from exporter.config import load_settings
from exporter.themes import BUILTIN_THEMES

ALL = {f"sample/es/{name}" for name in ("pdf", "epub", "email", "html")}


def rebuild(project, **options):
    settings = load_settings(project)
    return build(settings, plan_from(settings, jobs=1, **options))


@pytest.fixture
def built(project):
    assert set(rebuild(project).built) == ALL
    return project


def test_nothing_changed_nothing_rebuilt(built):
    result = rebuild(built)
    assert result.built == [] and set(result.up_to_date) == ALL


@pytest.mark.parametrize("theme_file, rebuilt", [
    ("print.css", {"pdf"}),
    ("print.typ", {"pdf"}),
    ("epub.css", {"epub"}),
    ("email.mjml", {"email"}),
    ("page.css", {"html"}),
    ("theme.toml", {"pdf", "epub", "email", "html"}),
])
def test_editing_a_theme_file_rebuilds_the_formats_using_it(built, theme_file, rebuilt):
    override = built / "themes" / "default"
    override.mkdir(parents=True)
    shutil.copy(BUILTIN_THEMES / "default" / theme_file, override / theme_file)
    with open(override / theme_file, "a") as handle:
        handle.write("\n# edited\n" if theme_file == "theme.toml" else "\n<!-- edited -->\n" if theme_file.endswith(
            "mjml") else "\n/* edited */\n")
    assert set(rebuild(built).built) == {f"sample/es/{name}" for name in rebuilt}


def test_editing_the_summary_rebuilds_email_and_web_page(built):
    source = built / "source" / "sample" / "index.md"
    source.write_text(source.read_text().replace('summary: "Notas', 'summary: "Nuevas notas'))
    assert {"sample/es/email", "sample/es/html"} <= set(rebuild(built).built)


def test_editing_an_image_rebuilds_every_format_showing_it(built):
    image = built / "source" / "sample" / "figure.svg"
    image.write_text(image.read_text().replace("#dbeafe", "#fde68a"))
    assert set(rebuild(built).built) == ALL


def test_exporter_options_rebuild_only_that_format(built):
    config = built / "newsletter.toml"
    config.write_text(config.read_text() + '\n[formats.pdf]\npage_size = "Letter"\n')
    assert rebuild(built).built == ["sample/es/pdf"]


def test_a_deleted_output_is_rebuilt_and_force_rebuilds_all(built):
    (built / "output" / "sample" / "es" / "sample.epub").unlink()
    assert rebuild(built).built == ["sample/es/epub"]
    assert set(rebuild(built, force=True).built) == ALL


def test_editing_the_summary_retranslates_that_unit_only(project):
    config = project / "newsletter.toml"
    config.write_text(config.read_text().replace('languages = ["es"]', 'languages = ["es", "en"]'))
    cold = rebuild(project)
    assert cold.translation["sent"] == cold.translation["units"] > 10  # real Apertium, every unit once
    source = project / "source" / "sample" / "index.md"
    summary = "Notas, tablas y código en un número de prueba renovado."
    text = source.read_text()
    old = text.split('summary: "', 1)[1].split('"', 1)[0]
    source.write_text(text.replace(old, summary))
    edited = rebuild(project)
    assert edited.translation["sent"] == 1
    assert edited.translation["chars_sent"] <= 1.1 * len(summary)
    assert {"sample/es/email", "sample/es/html", "sample/en/email", "sample/en/html"} <= set(edited.built)
    english = (project / "output" / "sample" / "en" / "sample.html").read_text()
    assert "renewed" in english.split("<body", 1)[0]  # the new summary, translated, is the page description
