"""New projects and new issues: ``newsletter init`` and ``newsletter new``."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from exporter.config import CONFIG_NAME, SCHEMA, Settings
from exporter.document import discover_sources, read_source_text, split_front_matter
from exporter.errors import NewsletterError, UsageError
from exporter.frontmatter import slugify
from exporter.output import write_atomic

GITIGNORE = "# Built editions and caches: rebuilt by `newsletter build`\noutput/\n.newsletter-cache/\n.venv/\n"
COMMENTED_SECTIONS = ("email", "translation")
SAMPLE_BODY = """
## {welcome}

{intro}

![{alt}](cover.svg)

- {point_one}
- {point_two}

{closing}
"""
SAMPLE_TEXT = {
    "en": {"welcome": "Welcome", "alt": "A blue banner with the newsletter's name",
           "intro": "This is the first issue of your newsletter. Edit this file, then run "
                    "`newsletter build` or `newsletter serve` to see every edition.",
           "point_one": "Write in **Markdown**, with a YAML front matter on top.",
           "point_two": "Images sit beside `index.md`, in the issue's folder.",
           "closing": "See you in the next issue."},
    "es": {"welcome": "Bienvenida", "alt": "Una banda azul con el nombre del boletín",
           "intro": "Este es el primer número de tu boletín. Edita este archivo y ejecuta "
                    "`newsletter build` o `newsletter serve` para ver todas las ediciones.",
           "point_one": "Escribe en **Markdown**, con un encabezado YAML arriba.",
           "point_two": "Las imágenes van junto a `index.md`, en la carpeta del número.",
           "closing": "Hasta el próximo número."},
}
COVER = ('<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="400" viewBox="0 0 1200 400">'
         '<rect width="1200" height="400" fill="#1d4ed8"/><text x="60" y="230" font-family="sans-serif" '
         'font-size="96" fill="#ffffff">{title}</text></svg>\n')


def toml_value(value) -> str:
    """A value written as TOML (strings, numbers, booleans and lists of them)."""
    return json.dumps(value, ensure_ascii=False) if not isinstance(value, bool) else str(value).lower()


def config_template(title: str, languages: list[str]) -> str:
    """A newsletter.toml with every top-level key set and explained, and the other tables commented out."""
    values = {**{key: option.default for key, option in SCHEMA[""].items()}, "title": title, "languages": languages}
    lines = ["# newsletter.toml: this project's settings (every key: docs/configuration.md).", ""]
    for key, option in SCHEMA[""].items():
        lines += [f"# {option.doc}", f"{key} = {toml_value(values[key])}", ""]
    for section in COMMENTED_SECTIONS:
        lines.append(f"# [{section}]")
        for key, option in SCHEMA[section].items():
            lines.append(f"# {key} = {toml_value(option.default)}  # {option.doc}")
        lines.append("")
    return "\n".join(lines)


def front_matter(fields: dict) -> str:
    """A YAML front matter block for these fields (in this order)."""
    import yaml

    return "---\n" + yaml.safe_dump(fields, allow_unicode=True, sort_keys=False, width=10_000) + "---\n"


def init_project(folder: Path, title: str = "My newsletter", lang: str = "en",
                 translations: tuple[str, ...] = (), today: dt.date | None = None) -> list[Path]:
    """Create a working project in ``folder``: newsletter.toml, .gitignore and a sample issue; return the files."""
    folder = Path(folder)
    if (folder / CONFIG_NAME).exists():
        raise UsageError(f"{folder / CONFIG_NAME} already exists: this folder is a project already")
    if not re.match(r"^[a-z]{2,3}$", lang) or not all(re.match(r"^[a-z]{2,3}$", t) for t in translations):
        raise UsageError("languages are two- or three-letter codes such as en, es, fr")
    languages = list(dict.fromkeys([lang, *translations]))
    written = [folder / CONFIG_NAME]
    write_atomic(folder / CONFIG_NAME, config_template(title, languages))
    if not (folder / ".gitignore").exists():
        write_atomic(folder / ".gitignore", GITIGNORE)
        written.append(folder / ".gitignore")
    text = SAMPLE_TEXT.get(lang, SAMPLE_TEXT["en"])
    issue = issue_file(folder / "source", "Welcome" if lang != "es" else "Bienvenida", lang, 1, today,
                       SAMPLE_BODY.format(**text), summary=text["intro"].split(".")[0] + ".", cover="cover.svg")
    write_atomic(issue.parent / "cover.svg", COVER.format(title=title.replace("&", "&amp;").replace("<", "&lt;")))
    return [*written, issue, issue.parent / "cover.svg"]


def issue_file(source_dir: Path, title: str, lang: str, number: int, today: dt.date | None, body: str,
               summary: str = "", cover: str | None = None) -> Path:
    """Write ``source_dir/<slug>/index.md`` with its front matter filled in; refuse an existing issue."""
    slug = slugify(title)[:60].strip("-") or "issue"  # a short folder name
    path = source_dir / slug / "index.md"
    if path.parent.exists():
        raise UsageError(f"{path.parent} already exists: choose another title")
    fields = {"title": title, "subtitle": "", "author": "", "date": today or dt.date.today(),
              "lang": lang, "summary": summary, "slug": slug, "number": number, "tags": []}
    if cover:
        fields["cover"] = cover
    write_atomic(path, front_matter(fields) + body)
    return path


def next_number(source_dir: Path) -> int:
    """One more than the highest ``number`` of the issues in ``source_dir`` (1 for the first)."""
    numbers = [0]
    for path in discover_sources(source_dir) if source_dir.is_dir() else []:
        try:
            number = split_front_matter(read_source_text(path), path)[0].get("number")
        except NewsletterError:
            continue
        if isinstance(number, int) and not isinstance(number, bool):
            numbers.append(number)
    return max(numbers) + 1


def new_issue(settings: Settings, title: str, today: dt.date | None = None, lang: str | None = None) -> Path:
    """Create the next issue's folder with its front matter filled in; return its index.md."""
    if not title.strip():
        raise UsageError("the new issue needs a title")
    lang = lang or settings.languages[0]
    source_dir = settings.source_path
    body = "\nWrite the issue here.\n" if lang != "es" else "\nEscribe aquí el número.\n"
    return issue_file(source_dir, title.strip(), lang, next_number(source_dir), today, body)
