"""email.html in Debian's Chromium (Playwright) at 600 and 375 px, light and dark: nothing overflows or hides.

The editions are built with base_url pointing at a local HTTP server over the output folder, so
their absolute image URLs load for real. Screenshots go to tests/artifacts/ for a human to look at.
"""

from __future__ import annotations

import functools
import http.server
import threading

import pytest

from tests.email_helpers import build_email_project

pytestmark = pytest.mark.slow
EDITIONS = [("sample", "es"), ("sample", "en"), ("merge-tags", "es")]
WIDTHS = [600, 375]
SCHEMES = ["light", "dark"]

# Words split across two lines (outside code and words wider than their box) are reported.
BROKEN_WORDS_JS = """() => {
  const broken = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest('pre, code, [style*="display:none"]') || !parent.offsetParent) continue;
    const box = parent.closest('td, th, div, p, li, h1, h2, h3').getBoundingClientRect().width;
    for (const match of node.data.matchAll(/\\S{2,}/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const rects = [...range.getClientRects()].filter(r => r.width > 0);
      const width = rects.reduce((sum, r) => sum + r.width, 0);
      const tops = new Set(rects.map(r => Math.round(r.top)));
      if (tops.size > 1 && width <= box) broken.push(match[0]);
    }
  }
  return broken;
}"""
VISIBLE_JS = """element => {
  const box = element.getBoundingClientRect(), style = getComputedStyle(element);
  return box.width > 0 && box.height > 0 && style.visibility !== 'hidden' && style.display !== 'none'
         && Number(style.opacity) > 0 && box.right > 0 && box.left < innerWidth;
}"""


def luminance_js(css_property: str) -> str:
    """A function of an element giving the relative luminance (0 black, 1 white) of one of its colours."""
    return f"""element => {{
  const [r, g, b] = getComputedStyle(element).{css_property}.match(/\\d+/g).map(Number);
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}}"""


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The email editions built for, and served by, an HTTP server on 127.0.0.1."""
    root = tmp_path_factory.mktemp("browser") / "project"
    (root / "output").mkdir(parents=True)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(Quiet, directory=str(root / "output")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base_url = f"http://127.0.0.1:{server.server_address[1]}/"
    build_email_project(root, base_url=base_url)
    yield base_url
    server.shutdown()


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
def test_email_renders_without_overflow_hidden_text_or_broken_images(served, browser, artifacts, width, scheme):
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    failures = []
    try:
        for slug, lang in EDITIONS:
            page.goto(f"{served}{slug}/{lang}/{slug}.email.html", wait_until="load")
            page.screenshot(path=str(artifacts / f"email-{slug}-{lang}-{width}-{scheme}.png"), full_page=True)
            where = f"{slug}/{lang} at {width}px {scheme}"
            scroll, inner = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
            if scroll > inner:
                failures.append(f"{where}: page is {scroll}px wide")
            images = page.eval_on_selector_all("img", "all => all.map(i => [i.src, i.complete && i.naturalWidth > 0])")
            failures += [f"{where}: image {src} did not load" for src, ok in images if not ok]
            if slug == "sample" and len(images) != 2:
                failures.append(f"{where}: {len(images)} images instead of 2")
            headings = page.locator("h1.title, td.content h2")
            if headings.count() < 2:
                failures.append(f"{where}: headings missing")
            for index in range(headings.count()):
                if not headings.nth(index).evaluate(VISIBLE_JS):
                    failures.append(f"{where}: heading '{headings.nth(index).inner_text()}' is not visible")
            failures += [f"{where}: word broken mid-word: {word}" for word in page.evaluate(BROKEN_WORDS_JS)]
            card = page.locator("div.card").first.evaluate(luminance_js("backgroundColor"))
            title = page.locator("h1.title").evaluate(luminance_js("color"))
            if (scheme == "dark") != (card < 0.5) or abs(card - title) < 0.5:
                failures.append(f"{where}: card luminance {card:.2f}, title {title:.2f}")
    finally:
        context.close()
    assert failures == []


@pytest.mark.parametrize("width", [320, 375])
def test_with_images_blocked_the_email_still_fits_a_phone(served, browser, width):
    """Many mail clients block images until the reader allows them: the alt text must not widen the email."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.route("**/*.{png,jpg,jpeg,gif,webp}", lambda route: route.abort())
    try:
        for slug, lang in EDITIONS:
            page.goto(f"{served}{slug}/{lang}/{slug}.email.html", wait_until="load")
            assert page.evaluate("[document.documentElement.scrollWidth, innerWidth]") == [width, width], slug
            blocked = page.eval_on_selector_all("img", "all => all.filter(i => !i.naturalWidth).length")
            assert slug != "sample" or blocked == 2  # the images were really blocked
    finally:
        context.close()
