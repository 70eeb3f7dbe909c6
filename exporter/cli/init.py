"""``newsletter init [DIR]``: a working project with a commented newsletter.toml, a sample issue and .gitignore."""

from __future__ import annotations

from pathlib import Path

import click

from exporter.cli import reports_errors


@click.command("init")
@click.argument("folder", required=False, default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--title", default="My newsletter", show_default=True, help="The newsletter's name.")
@click.option("-l", "--lang", default="en", show_default=True, help="The language the issues are written in.")
@click.option("--translate-to", "translations", multiple=True,
              help="A language to build translated editions in (repeatable).")
@click.pass_context
@reports_errors
def init_command(ctx, folder, title, lang, translations):
    """Create a project in FOLDER (default: here): newsletter.toml with comments, a sample issue, .gitignore."""
    from exporter.scaffold import init_project

    written = init_project(folder, title, lang, tuple(translations))
    if not ctx.find_root().obj["quiet"]:
        for path in written:
            click.echo(f"created {path}", err=True)
        click.echo(f"next: cd {folder} && newsletter build (or newsletter serve)", err=True)
