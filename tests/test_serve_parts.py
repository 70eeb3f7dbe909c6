"""The preview server's parts without a browser: stages, affected issues, page rewriting, events, PDF child."""

from __future__ import annotations

import asyncio
import json
import time

import pytest

from exporter.scaffold import init_project
from exporter.serve.background import BackgroundBuild, build_command, problem_of
from exporter.serve.events import BuildProblem, EventHub
from exporter.serve.pages import inject, with_scheme
from exporter.serve.rebuild import affected_sources, stages


def test_stages_put_the_web_page_first_and_pdf_epub_last():
    assert stages(["pdf", "epub", "email", "html"]) == [["html"], ["email"], ["pdf", "epub"]]
    assert stages(["epub", "text"]) == [["text"], ["epub"]]
    assert stages(["html"]) == [["html"]]


def test_a_change_rebuilds_only_the_issue_it_belongs_to(tmp_path):
    source = tmp_path / "source"
    (source / "a").mkdir(parents=True)
    (source / "a" / "index.md").write_text("---\n---\n")
    (source / "b.md").write_text("---\n---\n")
    a, b = source / "a" / "index.md", source / "b.md"
    assert affected_sources({source / "a" / "cover.png"}, source, []) == [a]
    assert affected_sources({b, a}, source, []) == [a, b]
    assert affected_sources({b}, source, [source / "a"]) == []  # serving only issue a
    assert affected_sources({source / "a" / "a.en.po"}, source, []) == [a]  # a review file saved beside it
    assert affected_sources({source / "b.en.po"}, source, []) == [b]  # the review file of a single-file issue
    assert affected_sources({tmp_path / "themes" / "x" / "page.css"}, source, []) is None  # everything
    assert affected_sources(None, source, []) is None


def test_the_email_preview_forces_light_or_dark_and_the_bar_goes_before_body_end():
    html = "<style>@media (prefers-color-scheme: dark) { body { color: white } }</style><body><p>x</p></body>"
    assert "@media (min-width: 0px)" in with_scheme(html, "dark")
    assert "@media (max-width: 0px)" in with_scheme(html, "light")
    assert "prefers-color-scheme" not in with_scheme(html, "light")
    assert inject(html, "<nav>bar</nav>").endswith("<p>x</p><nav>bar</nav></body>")
    assert inject("<p>no body end</p>", "<nav></nav>") == "<p>no body end</p><nav></nav>"


def test_an_error_line_becomes_the_overlay_problem(tmp_path):
    path = tmp_path / "index.md"
    path.write_text("x")
    assert problem_of(f"error: {path}:12: invalid YAML front matter: bad") == BuildProblem(
        str(path), 12, "invalid YAML front matter: bad")
    assert problem_of(f"error: {path}: no such image") == BuildProblem(str(path), None, "no such image")
    assert problem_of("error: format 'pdf' is unavailable: no WeasyPrint") == BuildProblem(
        "", None, "format 'pdf' is unavailable: no WeasyPrint")
    command = build_command(tmp_path, ["pdf", "epub"], [path], None)
    assert command[-6:] == ["build", "-f", "pdf", "-f", "epub", str(path)]


def test_pages_joining_late_get_the_current_error_and_every_event_after():
    hub = EventHub()

    async def scenario():
        stream = hub.stream()
        first = json.loads((await anext(stream))["data"])
        hub.failed(BuildProblem("source/a/index.md", 9, "invalid YAML"))
        hub.reloaded(["a/es/html"])
        second = json.loads((await anext(stream))["data"])
        third = json.loads((await anext(stream))["data"])
        late = hub.stream()
        joined = json.loads((await anext(late))["data"])
        hub.recovered()
        fourth = json.loads((await anext(stream))["data"])
        await stream.aclose()
        await late.aclose()
        return first, second, third, joined, fourth

    first, second, third, joined, fourth = asyncio.run(scenario())
    assert first == {"type": "hello", "generation": 0, "problem": None}
    assert second["type"] == "error" and second["problem"]["line"] == 9
    assert third == {"type": "reload", "generation": 2, "outputs": ["a/es/html"]}
    assert joined["problem"] == {"file": "source/a/index.md", "line": 9, "message": "invalid YAML"}
    assert fourth["type"] == "ok" and hub.problem is None and not hub.queues


@pytest.mark.slow
def test_pdf_is_built_in_a_child_that_a_newer_save_restarts(tmp_path):
    init_project(tmp_path, "Child build")
    (tmp_path / "newsletter.toml").write_text((tmp_path / "newsletter.toml").read_text().replace(
        'default_formats = ["pdf", "epub", "email", "html"]', 'default_formats = ["pdf"]'))
    hub, said = EventHub(), []
    published = []
    hub.reloaded = published.append
    background = BackgroundBuild(tmp_path, hub, None, said.append)
    issue = tmp_path / "source" / "welcome" / "index.md"
    background.start(["pdf"], [issue])
    time.sleep(0.3)
    background.start(["pdf"], None)  # stops the first child; the second builds everything, its issue included
    deadline = time.monotonic() + 120
    while background.running() and time.monotonic() < deadline:
        time.sleep(0.1)
    # the first child is stopped, unless it already finished within those 0.3 s (Typst is that fast on a quiet
    # machine): either way the last build published the PDF, and nothing else was reloaded
    assert published and all(paths == ["welcome/en/pdf"] for paths in published) and len(published) <= 2
    assert "rebuilt welcome/en (pdf)" in said
    assert (tmp_path / "output" / "welcome" / "en" / "welcome.pdf").read_bytes().startswith(b"%PDF")
    issue.write_text(issue.read_text().replace("lang: en", "lang: en\nnumber: [oops"))
    background.start(["pdf"], [issue])
    deadline = time.monotonic() + 120
    while background.running() and time.monotonic() < deadline:
        time.sleep(0.1)
    background.reader.join(5)
    assert hub.problem is not None and hub.problem.file.endswith("index.md") and hub.problem.line


def test_the_review_page_reads_and_writes_the_review_file_in_the_repository(project):
    from exporter.config import load_settings
    from exporter.document import load_document
    from exporter.errors import TranslationError
    from exporter.serve.reviews import review_page_data
    from exporter.translate.review_files import save_reviewed_unit
    from exporter.translate.memory import TranslationMemory
    from exporter.translate.pipeline import memory_engine

    config = project / "newsletter.toml"
    config.write_text(config.read_text().replace('languages = ["es"]', 'languages = ["es", "en"]'))
    settings, source = load_settings(project), project / "source" / "sample" / "index.md"
    numbers, negation = "Cuesta 1.000,5 dólares por cada 2.500 tokens.", "Ninguna salida llega a un exec."
    source.write_text(source.read_text() + f"\n{numbers}\n\n{negation}\n")
    with TranslationMemory.for_settings(settings) as memory:  # two bad machine translations from an earlier run
        engine = memory_engine(settings.section("translation")["engine"], settings)
        memory.store(engine, "es", "en", numbers, "It costs 1.000,5 dollars per 2.500 tokens.")
        memory.store(engine, "es", "en", negation, "Any output reaches an exec.")
    first = review_page_data(settings, load_document(source), "en")
    assert first.review_file == project / "source" / "sample" / "sample.en.po"
    origins = {unit.source: unit.origin for unit in first.units}
    assert origins.pop(numbers) == origins.pop(negation) == "memory" and set(origins.values()) == {"engine"}
    again = review_page_data(settings, load_document(source), "en")
    assert {unit.origin for unit in again.units} == {"memory"}  # the engine's output is in the memory now
    by_id = {unit.id: unit for unit in again.units}
    flagged = {unit.source: [flag.code for flag in unit.flags] for unit in again.units if unit.flags}
    assert flagged[numbers] == ["numbers"] and flagged[negation] == ["negation"]
    assert again.flagged == len(flagged) < len(again.units)
    assert again.summary.startswith(f"{len(flagged)} of {len(again.units)} units need a human look (")
    assert "numbers 1" in again.summary and "negation 1" in again.summary
    repeated = [unit for unit in again.units if unit.others]  # an alt text and its caption: one item
    assert repeated and not set(repeated[0].others) & set(by_id)

    thanks = by_id["u24"]
    assert thanks.source == "Gracias por leer."
    saved = save_reviewed_unit(load_document(source), "en", "u24", thanks.source, "Thanks, dear reviewer.", settings)
    assert saved == first.review_file and 'msgstr "Thanks, dear reviewer."' in saved.read_text()
    marked = by_id["u2"]
    with pytest.raises(TranslationError, match=r'unit u2: lost <g id="1">'):
        save_reviewed_unit(load_document(source), "en", "u2", marked.source, "No placeholder at all.", settings)
    reviewed = {unit.id: unit for unit in review_page_data(settings, load_document(source), "en").units}
    assert reviewed["u24"].origin == "human" and reviewed["u24"].flags == []
    assert reviewed["u24"].translation == "Thanks, dear reviewer." and reviewed["u2"].origin == "memory"

    source.write_text(source.read_text().replace("Gracias por leer.", "Gracias por leer hasta aquí."))
    stale = {unit.id: unit for unit in review_page_data(settings, load_document(source), "en").units}["u24"]
    assert stale.origin == "engine" and stale.previous_source == "Gracias por leer."
    assert stale.translation == "Thanks, dear reviewer."  # the earlier review, to adjust and save again
    assert [flag.code for flag in stale.flags] == ["stale"]
    assert 'msgid "Gracias por leer."' in saved.read_text()  # kept in the file, not dropped
