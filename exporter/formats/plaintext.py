"""A pandoc AST as plain text for email: wrapped at 78 columns, links as numbered references, code kept."""

from __future__ import annotations

import re
import textwrap
from html.parser import HTMLParser

from exporter.merge_tags import protect_spaces, restore_spaces

WIDTH = 78
QUOTES = {"es": ("«", "»", "‘", "’"), "fr": ("« ", " »", "‘", "’"), "": ("“", "”", "‘", "’")}


class _TextOfHTML(HTMLParser):
    """Collects the text of an HTML snippet (raw HTML in a Markdown source)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def text_of_html(html: str) -> str:
    """The visible text of raw HTML, whitespace collapsed."""
    parser = _TextOfHTML()
    parser.feed(html)
    parser.close()
    return " ".join("".join(parser.parts).split())


class PlainText:
    """Renders blocks to lines; links and notes met on the way are collected for the end of the text."""

    def __init__(self, lang: str, merge_tags: re.Pattern, width: int = WIDTH):
        self.quotes = QUOTES.get(lang.split("-")[0], QUOTES[""])
        self.merge_tags = merge_tags
        self.width = width
        self.links: list[str] = []
        self.notes: list[list[str]] = []

    # -- inlines -----------------------------------------------------------------------------------
    def inlines(self, inlines: list) -> str:
        """The text of an inline list (line breaks as newlines)."""
        return "".join(self.inline(item) for item in inlines)

    def inline(self, item: dict) -> str:
        """The text of one inline element."""
        kind, content = item["t"], item.get("c")
        if kind == "Str":
            return content
        if kind in ("Space", "SoftBreak"):
            return " "
        if kind == "LineBreak":
            return "\n"
        if kind in ("Code", "Math"):
            return content[-1]
        if kind == "RawInline":
            return text_of_html(content[1]) if content[0] in ("html", "html5") else ""
        if kind == "Quoted":
            opening, closing = self.quotes[:2] if content[0]["t"] == "DoubleQuote" else self.quotes[2:]
            return opening + self.inlines(content[1]) + closing
        if kind in ("Cite", "Span", "Underline"):
            return self.inlines(content[-1] if kind != "Cite" else content[1])
        if kind == "Link":
            return self.link(self.inlines(content[1]), content[2][0])
        if kind == "Image":
            return "[" + (self.inlines(content[1]) or content[2][0].rsplit("/", 1)[-1]) + "]"
        if kind == "Note":
            self.notes.append([])
            number = len(self.notes)
            self.notes[number - 1] = self.blocks(content, self.width - 5)
            return f"({number})"
        if isinstance(content, list):  # Emph, Strong, Strikeout, Superscript, Subscript, SmallCaps
            return self.inlines(content)
        return ""

    def link(self, text: str, url: str) -> str:
        """``text [n]`` with ``url`` as reference n; internal links are just their text."""
        if not re.match(r"^(https?:|mailto:)", url, re.I):  # internal, relative or unsafe: the text alone
            return text
        if text.strip() in (url, url.removeprefix("mailto:")):
            return url
        if url not in self.links:
            self.links.append(url)
        return f"{text} [{self.links.index(url) + 1}]"

    # -- blocks ------------------------------------------------------------------------------------
    def wrap(self, text: str, width: int) -> list[str]:
        """Wrap text at ``width`` without breaking words, URLs or merge tags; keep hard line breaks."""
        lines = []
        for paragraph in text.split("\n"):
            protected = protect_spaces(" ".join(paragraph.split()), self.merge_tags)
            wrapped = textwrap.wrap(protected, width, break_long_words=False, break_on_hyphens=False)
            lines.extend(restore_spaces(line) for line in wrapped or [""])
        return lines

    def blocks(self, blocks: list, width: int, gap: bool = True) -> list[str]:
        """Lines for a block list, blank lines between blocks (unless ``gap`` is false: tight list items)."""
        lines: list[str] = []
        for block in blocks:
            rendered = self.block(block, width)
            if rendered:
                if lines and gap:
                    lines.append("")
                lines.extend(rendered)
        return lines

    def block(self, block: dict, width: int) -> list[str]:
        """Lines for one block."""
        kind, content = block["t"], block.get("c")
        if kind in ("Para", "Plain"):
            return self.wrap(self.inlines(content), width)
        if kind == "Header":
            return self.heading(content[0], self.inlines(content[2]), width)
        if kind == "CodeBlock":
            return ["    " + line if line else "" for line in content[1].rstrip("\n").split("\n")]
        if kind == "RawBlock":
            text = text_of_html(content[1]) if content[0] in ("html", "html5") else ""
            return self.wrap(text, width) if text else []
        if kind == "BlockQuote":
            return ["> " + line if line else ">" for line in self.blocks(content, width - 2)]
        if kind == "BulletList":
            return self.list_items(["- "] * len(content), content, width)
        if kind == "OrderedList":
            start = content[0][0]
            return self.list_items([f"{start + i}. " for i in range(len(content[1]))], content[1], width)
        if kind == "DefinitionList":
            return self.definitions(content, width)
        if kind == "LineBlock":
            return [line for inlines in content for line in self.wrap(self.inlines(inlines), width)]
        if kind == "HorizontalRule":
            return ["* * *".center(min(width, 40)).rstrip()]
        if kind == "Table":
            return self.table(content, width)
        if kind == "Figure":  # the caption, unless it only repeats the image's alt text
            body = self.blocks(content[2], width)
            caption = self.blocks(content[1][1], width)
            return body + ([""] + caption if caption and " ".join(caption) not in " ".join(body) else [])
        if kind == "Div":
            return self.blocks(content[1], width)
        return []

    def heading(self, level: int, text: str, width: int) -> list[str]:
        """Levels 1-2 underlined with = and -, deeper levels prefixed with #."""
        if level >= 3:
            return self.wrap("#" * level + " " + text, width)
        lines = self.wrap(text, width)
        return lines + [("=" if level == 1 else "-") * max(len(line) for line in lines)]

    def list_items(self, markers: list[str], items: list, width: int) -> list[str]:
        """Items with a hanging indent; loose lists (paragraphs) get a blank line between items."""
        loose = any(block["t"] == "Para" for item in items for block in item)
        lines: list[str] = []
        indent = max(len(marker) for marker in markers)
        for marker, item in zip(markers, items):
            body = self.blocks(item, width - indent, gap=loose) or [""]
            if loose and lines:
                lines.append("")
            lines.append(marker.ljust(indent) + body[0])
            lines.extend(" " * indent + line if line else "" for line in body[1:])
        return lines

    def definitions(self, items: list, width: int) -> list[str]:
        """Each term on its own line, its definitions indented by four spaces."""
        lines: list[str] = []
        for term, definitions in items:
            if lines:
                lines.append("")
            lines.extend(self.wrap(self.inlines(term), width))
            for definition in definitions:
                lines.extend("    " + line if line else "" for line in self.blocks(definition, width - 4))
        return lines

    def cells(self, row: list) -> list[str]:
        """The text of each cell of a table row, on one line."""
        return [" ".join(" ".join(self.blocks(cell[4], 10**6)).split()) for cell in row[1]]

    def table(self, content: list, width: int) -> list[str]:
        """Aligned columns when they fit in ``width``, else one ``Header: value`` line per cell."""
        _, caption, colspecs, head, bodies, foot = content
        header = [self.cells(row) for row in head[1]]
        rows = [self.cells(row) for body in bodies for row in body[2] + body[3]] + [self.cells(row) for row in foot[1]]
        columns = max((len(row) for row in header + rows), default=0)
        header, rows = ([row + [""] * (columns - len(row)) for row in group] for group in (header, rows))
        sizes = [max(len(row[i]) for row in header + rows) for i in range(columns)]
        right = [i < len(colspecs) and colspecs[i][0]["t"] == "AlignRight" for i in range(columns)]
        lines = self.blocks(caption[1], width)
        lines += [""] if lines else []
        if sum(sizes) + 2 * (columns - 1) <= width:
            def line(row):
                return "  ".join(c.rjust(n) if r else c.ljust(n) for c, n, r in zip(row, sizes, right)).rstrip()
            lines += [line(row) for row in header]
            lines += ["  ".join("-" * n for n in sizes)] if header else []
            return lines + [line(row) for row in rows]
        names = header[-1] if header else [""] * columns
        for index, row in enumerate(rows):
            lines += [""] if index else []
            for name, cell in zip(names, row):
                wrapped = self.wrap(f"{name}: {cell}" if name else cell, width - 2)
                lines += [wrapped[0]] + ["  " + more for more in wrapped[1:]]
        return lines
