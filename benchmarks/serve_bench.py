"""`newsletter serve`: median time from saving a one-paragraph edit to the open web page showing it.

A real server (`python -m exporter serve`) on a copy of the sample issue (Spanish + English, PDF, EPUB,
email and web page) and Debian Chromium driven by Playwright. For each edit the clock starts when the
source file is written and stops when the page, which reloads by itself, contains the new sentence.
The PDF's refresh time (the file replaced in the output folder) is reported beside it.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.serve_support import CHROMIUM, CHROMIUM_ARGS, running_server, sample_project, wait_for  # noqa: E402

SLUG = "llm-boom-2023"
ANCHOR = "Y eso es lo que pasó."
EDITS = 7
TARGET = 1.5


def shows(page, text: str) -> bool:
    """True if the page's main content holds ``text`` (False while it is reloading)."""
    try:
        return page.evaluate("text => document.body !== null && document.body.innerText.includes(text)", text)
    except Exception:  # the page navigated away mid-call: it is reloading
        return False


def replaced(path: Path, before: tuple[int, int]) -> bool:
    """True once ``path`` is another file than ``before`` (inode, mtime)."""
    stat = path.stat()
    return (stat.st_ino, stat.st_mtime_ns) != before


def identity(path: Path) -> tuple[int, int]:
    """A file's (inode, mtime): outputs are renamed into place, so both change on a rebuild."""
    stat = path.stat()
    return stat.st_ino, stat.st_mtime_ns


def main() -> None:
    """Print the serve benchmark's lines."""
    from playwright.sync_api import sync_playwright

    print("## Serve (edit → reload)")
    with tempfile.TemporaryDirectory() as folder:
        project = sample_project(Path(folder) / "project", ["pdf", "epub", "email", "html"])
        source = project / "source" / SLUG / "index.md"
        out = project / "output" / SLUG
        slow = [out / lang / f"{SLUG}.{suffix}" for lang in ("es", "en") for suffix in ("pdf", "epub")]
        ready = [str(path.relative_to(project / "output")) for path in slow]
        with running_server(project, ready) as (port, _), sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}/{SLUG}/es/{SLUG}.html")
            web, pdf = [], []
            text = source.read_text(encoding="utf-8")
            for number in range(1, EDITS + 1):
                time.sleep(0.5)
                before = {path: identity(path) for path in slow}
                sentence = f"Frase de prueba número {number} con un cigüeñal."
                start = time.perf_counter()
                source.write_text(text.replace(ANCHOR, f"{ANCHOR} {sentence}", 1), encoding="utf-8")
                wait_for(lambda s=sentence: shows(page, s), 30, "the edited sentence on the page", 0.01)
                web.append(time.perf_counter() - start)
                wait_for(lambda: replaced(slow[0], before[slow[0]]), 120, "the Spanish PDF", 0.02)
                pdf.append(time.perf_counter() - start)
                for path in slow[1:]:  # let the whole rebuild finish before the next edit
                    wait_for(lambda p=path: replaced(p, before[p]), 120, f"{path.name}", 0.05)
            browser.close()
    median = statistics.median(web)
    verdict = "ok" if median <= TARGET else "over target"
    print(f"edit → reloaded web page: median {median:.2f} s over {EDITS} edits (min {min(web):.2f}, "
          f"max {max(web):.2f}; target <= {TARGET} s, {verdict})")
    print(f"edit → PDF replaced (es): median {statistics.median(pdf):.2f} s (min {min(pdf):.2f}, max {max(pdf):.2f})")


if __name__ == "__main__":
    main()
