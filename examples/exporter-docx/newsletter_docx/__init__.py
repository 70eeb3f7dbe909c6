"""A DOCX format for newsletter-exporter: pandoc's DOCX writer styled by the theme's reference document.

Registered under the entry-point group ``exporter.formats`` as ``docx`` (see ``pyproject.toml``).
It uses only the public contract: :class:`exporter.formats.base.Exporter`, ``exporter.config.Option``,
``exporter.pandoc.run_pandoc``, ``exporter.sanitize.confine_raw_html`` and the theme's ``find``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from exporter.builddate import source_date_epoch
from exporter.config import Option
from exporter.document import Document
from exporter.errors import ConfigError, ThemeError
from exporter.formats.base import Exporter, Site
from exporter.pandoc import run_pandoc
from exporter.render import template_context
from exporter.sanitize import confine_raw_html
from exporter.themes import Theme

__version__ = "0.1.0"
THEME_FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}\.docx$")
REMOTE = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)


def meta_string(value: str) -> dict:
    """A pandoc MetaString."""
    return {"t": "MetaString", "c": value}


def docx_metadata(document: Document, site: Site) -> dict:
    """The pandoc metadata block: title, subtitle, author, date (as the edition's readers write it), lang."""
    meta = document.meta
    context = template_context(document, site, body="")
    fields = {
        "title": meta_string(meta.title),
        "lang": meta_string(meta.lang),
        "date": meta_string(context["date_text"]),
        "toc-title": meta_string(context["t"]["contents"]),
    }
    if meta.subtitle:
        fields["subtitle"] = meta_string(meta.subtitle)
    if meta.author:
        fields["author"] = {"t": "MetaList", "c": [meta_string(meta.author)]}
    if meta.summary:
        fields["description"] = meta_string(meta.summary)
    if meta.tags:
        fields["keywords"] = {"t": "MetaList", "c": [meta_string(tag) for tag in meta.tags]}
    return fields


def without_remote_images(node):
    """Replace images with a URL scheme by their alt text: pandoc runs unsandboxed and must not fetch them."""
    if isinstance(node, list):
        return [without_remote_images(item) for item in node]
    if isinstance(node, dict):
        if node.get("t") == "Image" and REMOTE.match(node["c"][2][0]):
            return {"t": "Span", "c": [["", ["remote-image"], []], without_remote_images(node["c"][1])]}
        return {key: without_remote_images(value) for key, value in node.items()}
    return node


class DocxExporter(Exporter):
    """A Word document per edition, from pandoc's DOCX writer and the theme's ``reference.docx``."""

    name = "docx"
    suffix = ".docx"
    theme_files = ("reference.docx",)
    options_schema = {
        "reference_doc": Option(str, "reference.docx",
                                "Theme file whose styles the document takes; pandoc's default if no theme has it."),
        "toc_depth": Option(int, 0, "Heading depth of a table of contents at the start; 0 for none.",
                            choices=tuple(range(7))),
    }

    def __init__(self, options: dict | None = None, site: Site | None = None):
        super().__init__(options, site)
        if not THEME_FILE_NAME.match(self.options["reference_doc"]):
            raise ConfigError(f"'formats.docx.reference_doc': must be a file name ending in .docx, "
                              f"not {self.options['reference_doc']!r}")

    def unavailable(self) -> str | None:
        """pandoc comes with pypandoc-binary; say how to get it if it cannot be found."""
        try:
            from exporter.pandoc import pandoc_binary

            if Path(pandoc_binary()).is_file():
                return None
        except Exception:  # ImportError without pypandoc, OSError when it has no pandoc
            pass
        return "pandoc is not installed (pip install pypandoc-binary)"

    def engine_version(self) -> str:
        """pandoc's version and this plug-in's."""
        from exporter.pandoc import pandoc_version

        return f"pandoc {pandoc_version()} newsletter-docx {__version__}"

    def reference_doc(self, theme: Theme) -> Path | None:
        """The theme stack's reference document, or None for pandoc's built-in one."""
        try:
            return theme.find(self.options["reference_doc"])
        except ThemeError:
            return None

    def export(self, document: Document, theme: Theme, out_dir: Path) -> list[Path]:
        """Write ``<slug>.docx`` with pandoc."""
        target = out_dir / self.filename(document)
        ast = without_remote_images(confine_raw_html(document.ast, document.base_dir))
        ast["meta"] = docx_metadata(document, self.site)
        args = ["-f", "json", "-t", "docx", "-o", str(target)]
        reference = self.reference_doc(theme)
        if reference is not None:
            args.append(f"--reference-doc={reference}")
        if self.options["toc_depth"]:
            args += ["--toc", f"--toc-depth={self.options['toc_depth']}"]
        run_pandoc(
            args,
            json.dumps(ast),
            resource_path=[document.base_dir],
            sandbox=False,  # the sandbox refuses the images; confine_raw_html and without_remote_images ran first
            env={"SOURCE_DATE_EPOCH": source_date_epoch(document.meta.date)},
            what="pandoc (writing DOCX)",
        )
        return [target]
