"""The honest baseline: the same engines, called one after another, with no caching or parallelism.

Usage: python benchmarks/naive.py SOURCE.md OUT_DIR
Builds es + en (Apertium) in pdf, epub, email html and web html, the way a hand-written script would.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pypandoc
import yaml


def main(source: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    text = source.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    meta = yaml.safe_load(front)
    resources = [f"--resource-path={source.parent}", "--wrap=none"]
    for lang in ("es", "en"):
        def html_body() -> str:
            html = pypandoc.convert_text(body, "html5", format="markdown", extra_args=resources)
            if lang == "en":  # translate the rendered HTML with one Apertium process
                html = subprocess.run(["apertium", "-u", "-f", "html", "spa-eng"], input=html, text=True,
                                      capture_output=True, check=True).stdout
            return html

        page = f"<html lang='{lang}'><head><meta charset='utf-8'><title>{meta['title']}</title></head><body>"
        # web page
        (out / f"{lang}.html").write_text(page + html_body() + "</body></html>", encoding="utf-8")
        # PDF
        import weasyprint

        weasyprint.HTML(string=page + html_body() + "</body></html>", base_url=str(source.parent) + "/").write_pdf(
            out / f"{lang}.pdf")
        # EPUB (from the HTML, so the English edition is the translated text)
        pypandoc.convert_text(html_body(), "epub3", format="html", outputfile=str(out / f"{lang}.epub"),
                              extra_args=[*resources, f"--metadata=title:{meta['title']}", f"--metadata=lang:{lang}"])
        # email
        import css_inline
        from mjml import mjml2html

        mjml = (f"<mjml><mj-body><mj-section><mj-column><mj-text>{html_body()}</mj-text>"
                "</mj-column></mj-section></mj-body></mjml>")
        html = css_inline.inline(mjml2html(mjml, fonts={}), load_remote_stylesheets=False)
        (out / f"{lang}.email.html").write_text(html, encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
