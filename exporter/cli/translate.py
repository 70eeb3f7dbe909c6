"""``newsletter translate``: translate an issue to Markdown, export units for review, import reviews."""

from __future__ import annotations

import json
from pathlib import Path

import click
import yaml

from exporter.cli import reports_errors, settings_of
from exporter.errors import TranslationError, UsageError

DEFAULT_COMMAND = "document"


class TranslateGroup(click.Group):
    """A group whose first argument, when it is not a subcommand, is the SOURCE to translate."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = [DEFAULT_COMMAND, *args]
        return super().parse_args(ctx, args)


@click.group("translate", cls=TranslateGroup, context_settings={"help_option_names": ["-h", "--help"]})
def translate_command():
    """Translate an issue: `translate SOURCE --to en [--engine NAME] [-o FILE.md] [--stats json]`.

    `translate export SOURCE --to en --format po|xliff` writes every unit with its translation for
    review; `translate import FILE` stores what the reviewer changed in the issue's review file
    (SOURCE's folder: SLUG.LANG.po), which every later build reads; `translate prune SOURCE --to en`
    removes the reviews no unit uses any more.
    """


def load_source(source: Path, settings=None):
    """The issue at SOURCE (a Markdown file, or a folder holding index.md): its text only, images unread."""
    from exporter.document import load_document

    if source.is_dir():
        source = source / "index.md"
    return load_document(source, settings, images=False)


def run_translation(ctx: click.Context, source: Path, target: str, engine: str | None):
    """Translate one source issue with the project's settings; return the Translated result."""
    from exporter.translate.pipeline import translate_with_report

    from exporter.languages import language_problem

    problem = language_problem(target)
    if problem:
        raise UsageError(f"--to: {problem}")
    settings = settings_of(ctx)
    document = load_source(source, settings)
    if target == document.meta.lang:
        raise UsageError(f"{source} is already in '{target}'")
    return translate_with_report(document, target, settings, engine=engine)


@translate_command.command(DEFAULT_COMMAND, hidden=True)
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@click.option("--to", "target", required=True, help="Target language, e.g. en.")
@click.option("--engine", help="apertium (default), deepl, openai, or a deep-translator service: google, libre…")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the translated Markdown here (default: standard output).")
@click.option("--stats", type=click.Choice(["json"]), help="Print what was reused and sent, as JSON.")
@click.pass_context
@reports_errors
def translate_document_command(ctx, source, target, engine, output, stats):
    """Translate SOURCE into Markdown in another language."""
    from exporter.output import write_atomic

    translated = run_translation(ctx, source, target, engine)
    markdown = to_markdown(translated.document)
    if output:
        write_atomic(output, markdown)
    else:
        click.echo(markdown, nl=False)
    if stats:
        from exporter.translate.quality import needs_look_summary

        quality = translated.quality()
        figures = {**translated.report.stats(), "needs_look": sum(1 for flags in quality.values() if flags)}
        click.echo(needs_look_summary(quality, translated.report.units), err=True)
        click.echo(json.dumps(figures), err=output is None)


@translate_command.command("export")
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@click.option("--to", "target", required=True, help="Target language, e.g. en.")
@click.option("--format", "file_format", type=click.Choice(["po", "xliff"]), default="po", show_default=True)
@click.option("--engine", help="Engine for units not yet translated.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (default: SLUG.LANG.po or .xliff here).")
@click.pass_context
@reports_errors
def export_command(ctx, source, target, file_format, engine, output):
    """Write every unit of SOURCE with its translation, for human review."""
    from exporter.translate.review import export_po, export_xliff

    from exporter.edition_assets import with_svg_units

    translated = run_translation(ctx, source, target, engine)
    translated = with_svg_units(translated, load_source(source), target, settings_of(ctx), engine)  # diagrams too
    output = output or Path(f"{translated.document.meta.slug}.{target}.{file_format}")
    from exporter.translate.review_files import review_file

    if output.resolve() == review_file(translated.document, target).resolve():
        raise UsageError(f"{output} is the issue's review file, which only `translate import` writes: export "
                         "to another file (-o)")
    (export_po if file_format == "po" else export_xliff)(translated, output)
    report = translated.report
    click.echo(f"wrote {output}: {report.units} units ({len(report.flagged)} to review again, "
               f"{len(report.kept_source)} untranslated)", err=True)
    from exporter.translate.quality import needs_look_summary

    click.echo(needs_look_summary(translated.quality(), report.units), err=True)


@translate_command.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
@reports_errors
def import_command(ctx, file):
    """Store the translations a reviewer changed in FILE (.po, .xliff) in the issue's review file."""
    from exporter.errors import TranslationError
    from exporter.translate.review_import import import_reviews

    result = import_reviews(file, settings_of(ctx))
    for line, message in result.warnings:
        click.echo(f"warning: {file}:{line}: {message}", err=True)
    for line, message in result.problems:
        click.echo(f"error: {file}:{line}: {message}", err=True)
    kept = result.review_file
    if kept is not None and kept.is_relative_to(Path.cwd()):
        kept = kept.relative_to(Path.cwd())
    click.echo(f"imported {result.stored} reviewed translation(s) from {file} into {kept} "
               f"({result.unchanged} unchanged)", err=True)
    if result.problems:
        raise TranslationError(f"{len(result.problems)} entry(ies) refused (each named above); the "
                               f"{result.stored} good edit(s) were stored", file)


@translate_command.command("prune")
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@click.option("--to", "target", required=True, help="Target language, e.g. en.")
@click.option("--dry-run", is_flag=True, help="List the reviews that would go; change nothing.")
@click.pass_context
@reports_errors
def prune_command(ctx, source, target, dry_run):
    """Remove the reviews no unit of SOURCE uses any more (its text was changed or deleted); git keeps them."""
    from exporter.translate.review_prune import prune_reviews

    settings = settings_of(ctx)
    path, unused = prune_reviews(load_source(source, settings), target, settings, dry_run)
    for review in unused:
        excerpt = " ".join(review.source.split())
        click.echo(f"{path}:{review.line}: unit {review.unit}: {excerpt[:70]}{'…' if len(excerpt) > 70 else ''}")
    verb = "would remove" if dry_run else "removed"
    click.echo(f"{verb} {len(unused)} review(s) no unit uses from {path}", err=True)


def to_markdown(document) -> str:
    """A document as Markdown with YAML front matter."""
    from exporter.pandoc import ast_to

    meta = document.meta
    front = {"title": meta.title, "subtitle": meta.subtitle, "author": meta.author, "date": meta.date,
             "lang": meta.lang, "summary": meta.summary, "slug": meta.slug, "number": meta.number,
             "tags": list(meta.tags), "cover": meta.cover}
    front = {key: value for key, value in front.items() if value not in ("", None, [])}
    header = yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=10_000)
    return f"---\n{header}---\n\n{ast_to(document.ast, 'markdown')}"


@translate_command.command("pairs")
@click.option("--direct", is_flag=True, help="Only the pairs Apertium translates directly (no pivot).")
@reports_errors
def pairs_command(direct):
    """List the language pairs Apertium can translate here, by ISO code (pivot routes after the direct pairs)."""
    from exporter.translate.apertium_routes import mode_for, usable_routes

    routes = [r for r in usable_routes() if not direct or len(r) == 2]
    if not routes:
        raise TranslationError("no Apertium pair is installed (Debian: apt-get install apertium apertium-eng-spa)")
    for path in routes:
        hops = " + ".join(mode_for(a, b) for a, b in zip(path, path[1:]))
        via = f"  via {', '.join(path[1:-1])}" if len(path) > 2 else ""
        click.echo(f"{path[0]} → {path[-1]}{via}  ({hops})")
