"""``newsletter new "Title"``: the next issue's folder, with its front matter filled in."""

from __future__ import annotations

import datetime as dt

import click

from exporter.cli import reports_errors, settings_of


@click.command("new")
@click.argument("title")
@click.option("--date", "date", type=click.DateTime(["%Y-%m-%d"]), help="Issue date (default: today).")
@click.option("-l", "--lang", help="The issue's language (default: the first of languages in newsletter.toml).")
@click.pass_context
@reports_errors
def new_command(ctx, title, date, lang):
    """Create the next issue, source/<slug>/index.md, numbered after the last one."""
    from exporter.scaffold import new_issue

    path = new_issue(settings_of(ctx.find_root()), title, date.date() if date else dt.date.today(), lang)
    click.echo(str(path))
