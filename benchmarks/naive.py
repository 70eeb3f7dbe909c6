"""The honest baseline: the same engines as the build, called once each, one after another.

Usage: python benchmarks/naive.py SOURCE.md OUT_DIR [--pdf-engine typst|weasyprint] [--quarto]

Builds es + en the way a lean hand-written script would: one pandoc call turns the body into HTML
and one Apertium call translates it; then **one pandoc call per format and edition** (standalone web
page, EPUB, PDF through the build's PDF engine, email through MJML + css-inline). No caching, no
parallelism.

``--quarto`` is what Quarto's engines do for the same editions (Quarto itself is not installable
offline): pandoc's standalone web page, EPUB and pandoc → Typst PDF with a table of contents, both
editions, the same single Apertium call, and no email.
"""

from __future__ import annotations

import argparse
import subprocess
from pathlib import Path

import pypandoc
import yaml

PANDOC = pypandoc.get_pandoc_path()


def pandoc(args: list[str], text: str, source_dir: Path) -> str:
    """One pandoc call (the toolkit's pandoc binary), reading ``text`` on stdin."""
    return subprocess.run([PANDOC, "--wrap=none", f"--resource-path={source_dir}", *args], input=text, text=True,
                          capture_output=True, check=True).stdout


def typst_pdf(typst_source: str, source_dir: Path, target: Path) -> None:
    """Compile pandoc's standalone Typst output with the typst wheel (images resolved in the issue folder)."""
    import typst

    target.write_bytes(typst.compile(typst_source.encode(), root=str(source_dir)))


def editions(source: Path) -> tuple[dict, dict[str, tuple[str, str]]]:
    """Front matter, and per language (input format, text): Spanish Markdown, English HTML (one Apertium call)."""
    text = source.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    meta = yaml.safe_load(front)
    html = pandoc(["-f", "markdown", "-t", "html5"], body, source.parent)
    english = subprocess.run(["apertium", "-u", "-f", "html", "spa-eng"], input=html, text=True,
                             capture_output=True, check=True).stdout
    return meta, {"es": ("markdown", body), "en": ("html", english)}


def main(source: Path, out: Path, pdf_engine: str = "typst", quarto: bool = False) -> None:
    """Build both editions into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    meta, inputs = editions(source)
    for lang, (kind, text) in inputs.items():
        args = ["-f", kind, f"--metadata=title:{meta['title']}", f"--metadata=lang:{lang}"]
        (out / f"{lang}.html").write_text(pandoc([*args, "-t", "html5", "-s"], text, source.parent), encoding="utf-8")
        pandoc([*args, "-t", "epub3", "-o", str(out / f"{lang}.epub")], text, source.parent)
        if pdf_engine == "typst":
            typst_pdf(pandoc([*args, "-t", "typst", "-s", "--toc"], text, source.parent), source.parent,
                      out / f"{lang}.pdf")
        else:
            import weasyprint

            page = pandoc([*args, "-t", "html5", "-s", "--toc"], text, source.parent)
            weasyprint.HTML(string=page, base_url=str(source.parent) + "/").write_pdf(out / f"{lang}.pdf")
        if quarto:
            continue
        import css_inline
        from mjml import mjml2html

        fragment = pandoc([*args, "-t", "html5"], text, source.parent)
        mjml = (f"<mjml><mj-body><mj-section><mj-column><mj-text>{fragment}</mj-text>"
                "</mj-column></mj-section></mj-body></mjml>")
        email = css_inline.inline(mjml2html(mjml, fonts={}), load_remote_stylesheets=False)
        (out / f"{lang}.email.html").write_text(email, encoding="utf-8")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--pdf-engine", choices=("typst", "weasyprint"), default="typst")
    parser.add_argument("--quarto", action="store_true", help="Quarto's engines: web page, EPUB, Typst PDF; no email")
    options = parser.parse_args()
    main(options.source, options.out, "typst" if options.quarto else options.pdf_engine, options.quarto)
