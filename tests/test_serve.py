"""`newsletter serve` in Debian Chromium: live reload of the web page and the email preview, the error overlay,
and the review page (save, refuse a dropped placeholder, keyboard, filter). One server and one browser."""

from __future__ import annotations

import re

import pytest

import polib

from tests.serve_support import running_server, sample_project

pytestmark = pytest.mark.slow
SLUG = "llm-boom-2023"
SOURCE = f"source/{SLUG}/index.md"
REVIEW_FILE = f"source/{SLUG}/{SLUG}.en.po"  # the English reviews, beside the source, in the repository


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    project = sample_project(tmp_path_factory.mktemp("serve") / "project", ["html", "email"])
    ready = [f"{SLUG}/{lang}/{SLUG}.{suffix}" for lang in ("es", "en") for suffix in ("html", "email.html", "txt")]
    with running_server(project, ready) as (port, log):
        yield project, f"http://127.0.0.1:{port}", log


def edit(project, old: str, new: str) -> None:
    """Replace text in the issue's source file, as an editor saving it would."""
    path = project / SOURCE
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_edits_reload_the_open_pages_and_errors_show_an_overlay_until_fixed(server, browser):
    from playwright.sync_api import expect

    project, base, log = server
    context = browser.new_context(viewport={"width": 1000, "height": 800})
    web, mail = context.new_page(), context.new_page()
    web.goto(f"{base}/{SLUG}/es/{SLUG}.html")
    mail.goto(f"{base}/__serve/email/{SLUG}/es/?width=375&scheme=dark")
    frame = mail.frame_locator("iframe.email-frame")
    expect(frame.locator("body")).to_contain_text("Y eso es lo que pasó")
    assert frame.locator("body").evaluate("() => window.innerWidth") == 375  # the message's own viewport
    assert frame.locator("body").evaluate("body => getComputedStyle(body).backgroundColor") == "rgb(17, 24, 39)"
    web.evaluate("window.notReloaded = true")
    expect(web.locator("#newsletter-serve-bar")).to_be_visible()

    edit(project, "Y eso es lo que pasó.", "Y eso es lo que pasó. Un cigüeñal azul recién editado.")
    expect(web.locator("main")).to_contain_text("Un cigüeñal azul recién editado", timeout=20_000)
    assert web.evaluate("window.notReloaded === undefined")  # the page reloaded by itself
    expect(frame.locator("body")).to_contain_text("Un cigüeñal azul recién editado", timeout=20_000)
    expect(mail.locator(".plain-text")).to_contain_text("Un cigüeñal azul recién editado")

    edit(project, "number: 1\n", "number: 1: 2\n")  # line 9 of the file
    overlay = web.locator("#newsletter-overlay")
    expect(overlay).to_be_visible(timeout=20_000)
    expect(overlay).to_contain_text(f"{SLUG}/index.md:9")
    expect(overlay).to_contain_text("invalid YAML front matter")
    expect(mail.locator("#newsletter-overlay")).to_be_visible()
    assert "index.md:9: invalid YAML front matter" in log.read_text()  # and in the terminal

    edit(project, "number: 1: 2\n", "number: 1\n")
    expect(overlay).to_be_hidden(timeout=20_000)

    config = project / "newsletter.toml"
    good = config.read_text(encoding="utf-8")
    config.write_text(good + "theme = = 1\n", encoding="utf-8")
    expect(overlay).to_be_visible(timeout=20_000)
    expect(overlay).to_contain_text(f"newsletter.toml:{good.count(chr(10)) + 1}")
    config.write_text(good, encoding="utf-8")
    expect(overlay).to_be_hidden(timeout=20_000)
    edit(project, "Un cigüeñal azul recién editado.", "Un cigüeñal verde.")
    expect(web.locator("main")).to_contain_text("Un cigüeñal verde", timeout=20_000)
    context.close()


def test_review_page_saves_a_unit_into_the_english_edition_and_refuses_a_dropped_placeholder(server, browser):
    from playwright.sync_api import expect

    project, base, _ = server
    built = (project / "output" / SLUG / "en" / f"{SLUG}.html").read_text(encoding="utf-8")
    assert "/__serve/" not in built and "review-link" not in built  # the built output carries no review link
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    web = context.new_page()
    web.goto(f"{base}/{SLUG}/en/{SLUG}.html")
    web.locator("a.review-link").click()
    review = web
    expect(review.locator(".unit").first).to_be_visible()
    assert review.url.endswith(f"/__serve/review/{SLUG}/en/")

    # the filter shows only the units that need a look
    flagged = review.locator('.unit[data-flagged="true"]').count()
    assert 0 < flagged < review.locator(".unit").count()
    review.locator("#only-flagged").check()
    assert review.locator(".unit:visible").count() == flagged
    review.locator("#only-flagged").uncheck()

    # keyboard: j moves to the next unit, Alt+↑ back
    review.locator("h1").click()
    review.keyboard.press("j")
    review.keyboard.press("j")
    second = review.locator(".unit").nth(1).get_attribute("data-unit")
    assert review.evaluate("document.activeElement.closest('.unit').dataset.unit") == second
    review.keyboard.press("Alt+ArrowUp")
    first = review.locator(".unit").nth(0).get_attribute("data-unit")
    assert review.evaluate("document.activeElement.closest('.unit').dataset.unit") == first

    # a plain prose unit: edit, save, the English page shows it and the review file in the repo has it
    assert not (project / REVIEW_FILE).exists()
    assert review.locator(".review-file").inner_text().endswith(REVIEW_FILE)
    unit = review.locator(".unit").filter(has_text=re.compile(r"Y con la velocidad llegaron los fallos"))
    source = unit.locator(".source").inner_text()
    assert "<" not in source and "&" not in source
    unit.locator("textarea").fill("And with speed came failures, reviewed by a human.")
    unit.locator("button.save").click()
    expect(unit.locator(".status")).to_contain_text("saved", timeout=20_000)
    page = context.new_page()
    page.goto(f"{base}/{SLUG}/en/{SLUG}.html")
    expect(page.locator("main")).to_contain_text("reviewed by a human", timeout=30_000)
    reviewed = {entry.msgid: entry.msgstr for entry in polib.pofile(str(project / REVIEW_FILE))}
    assert reviewed == {source: "And with speed came failures, reviewed by a human."}

    # dropping a placeholder is refused, naming it, and nothing is stored
    review.goto(review.url)
    saved = review.locator(".unit").filter(has_text=re.compile(r"Y con la velocidad llegaron los fallos"))
    expect(saved.locator(".origin")).to_have_text("human")  # read back from the review file
    title = review.locator('.unit[data-unit="title"]')
    original = title.locator("textarea").input_value()
    assert '<x id="1"/>' in original
    title.locator("textarea").fill(original.replace('<x id="1"/>', "LLM boom"))
    title.locator("textarea").press("Control+Enter")
    expect(title.locator(".status")).to_contain_text('lost <x id="1"/>', timeout=20_000)
    title_source = title.locator(".source").inner_text()
    assert title_source not in {entry.msgid for entry in polib.pofile(str(project / REVIEW_FILE))}

    # the source paragraph changes: its review is shown stale (with the old source), kept in the file
    edit(project, "Y con la velocidad llegaron los fallos,", "Y con la velocidad llegaron muchos fallos,")
    review.goto(review.url)
    changed = review.locator(".unit").filter(has_text=re.compile(r"llegaron muchos fallos"))
    expect(changed.locator(".flag-stale")).to_be_visible()
    expect(changed.locator(".previous-source")).to_contain_text("llegaron los fallos")
    assert changed.get_attribute("data-flagged") == "true"
    assert changed.locator("textarea").input_value() == "And with speed came failures, reviewed by a human."
    assert source in {entry.msgid for entry in polib.pofile(str(project / REVIEW_FILE))}
    context.close()
