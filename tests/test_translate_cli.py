"""`newsletter translate` and `newsletter build` with translated editions, through click's CliRunner."""

from __future__ import annotations

import json

from click.testing import CliRunner

from exporter.cli import cli
from exporter.document import load_document


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_translate_writes_markdown_and_prints_stats(project):
    result = run("translate", "source/sample", "--to", "en", "-o", "sample.en.md", "--stats", "json")
    assert result.exit_code == 0, result.output
    stats = json.loads(result.output.strip().splitlines()[-1])
    assert stats == {"units": 27, "from_memory": 0, "sent": 27, "chars_sent": stats["chars_sent"], "engine": "apertium",
                     "human": 0, "stale_reviews": 0, "needs_look": stats["needs_look"]}
    assert f"{stats['needs_look']} of 27 units need a human look" in result.output
    assert 600 < stats["chars_sent"] < 800

    (project / "source" / "sample" / "en.md").write_text((project / "sample.en.md").read_text())
    english = load_document(project / "source" / "sample" / "en.md")  # valid front matter, images resolve
    assert (english.meta.lang, english.meta.slug, english.meta.title) == ("en", "sample", "Bulletin of test")
    assert "## Introduction" in (project / "sample.en.md").read_text()

    again = run("translate", "--to", "en", "source/sample/index.md", "--stats", "json")  # options first, stdout
    assert again.output.startswith("---\ntitle: Bulletin of test\n")
    assert json.loads(again.output.strip().splitlines()[-1])["chars_sent"] == 0


def test_translate_errors_are_one_line(project):
    result = run("translate", "source/sample", "--to", "en", "--engine", "babel")
    assert result.exit_code == 1
    assert result.output.strip().startswith("error: unknown translation engine 'babel' (available: apertium, google")
    assert len(result.output.strip().splitlines()) == 1
    assert run("translate", "source/sample", "--to", "es").exit_code == 2
    assert run("translate", "source/sample").exit_code == 2  # --to is required


def test_build_makes_every_language_in_the_config(project):
    config = project / "newsletter.toml"
    config.write_text(config.read_text().replace('languages = ["es"]', 'languages = ["es", "en"]'))
    result = run("build", "-f", "html")
    assert result.exit_code == 0, result.output
    english = (project / "output" / "sample" / "en" / "sample.html").read_text()
    assert 'lang="en"' in english and "Bulletin of test" in english and "Introduction" in english
    spanish = (project / "output" / "sample" / "es" / "sample.html").read_text()
    assert "Boletín de prueba" in spanish and "Bulletin of test" not in spanish
