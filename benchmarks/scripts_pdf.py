"""PDF of the ten script documents (tests/corpus/scripts): size, pages, embedded fonts, letters without a glyph.

Built with the default PDF engine (Typst). With WeasyPrint, CJK faces are large: it embeds a subset of each
face that keeps the original glyph numbering (HarfBuzz's retain-gids), 100-250 kB however few characters.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from exporter.build import build, plan_from  # noqa: E402
from exporter.check.glyphs import embedded_fonts, uncovered_characters  # noqa: E402
from exporter.config import load_settings  # noqa: E402

SCRIPTS = REPO / "tests" / "corpus" / "scripts"


def main() -> None:
    """Build every script document's PDF in one build and print one line per document."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for path in sorted(SCRIPTS.glob("*.md")):
            (root / "source" / path.stem).mkdir(parents=True)
            shutil.copy(path, root / "source" / path.stem / "index.md")
        (root / "newsletter.toml").write_text("languages = []\njobs = 2\n", encoding="utf-8")
        settings = load_settings(root)
        start = time.perf_counter()
        build(settings, plan_from(settings, formats=["pdf"]))
        elapsed = time.perf_counter() - start
        print(f"## Scripts: 10 documents, PDF only, one build: {elapsed:.1f} s")
        for pdf in sorted((root / "output").glob("*/*/*.pdf")):
            pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
            count = next(line.split()[-1] for line in pages.splitlines() if line.startswith("Pages:"))
            fonts = embedded_fonts(pdf)
            print(f"{pdf.parent.name}: {pdf.stat().st_size / 1000:.0f} kB, {count} pages, {len(fonts)} embedded faces, "
                  f"{sum(uncovered_characters(pdf).values())} letters without a glyph")


if __name__ == "__main__":
    main()
