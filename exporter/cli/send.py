"""``newsletter send``: build one edition's email and send it to test addresses over SMTP."""

from __future__ import annotations

import os
from pathlib import Path

import click

from exporter.cli import reports_errors, settings_of


@click.command()
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@click.option("--to", "recipients", multiple=True, required=True, help="Recipient address (repeatable).")
@click.option("--smtp", "server", required=True, metavar="HOST:PORT", help="SMTP server, e.g. smtp.example.org:587.")
@click.option("-l", "--lang", help="Language edition to send (default: the source's language).")
@click.option("--tls", "security", type=click.Choice(["auto", "starttls", "ssl", "none"]), default="auto",
              show_default=True, help="auto: SSL on port 465, else STARTTLS when the server offers it.")
@click.option("--user", "username", help="SMTP login; the password is read from $NEWSLETTER_SMTP_PASSWORD.")
@click.option("--from", "sender", help="From address (default: [email] from in newsletter.toml).")
@click.option("--embed-images", is_flag=True, help="Embed images as cid: parts instead of linking them.")
@click.option("--theme", help="Theme name (default from newsletter.toml).")
@click.option("--engine", help="Translation engine, when --lang asks for a translated edition.")
@click.pass_context
@reports_errors
def send(ctx, source, recipients, server, lang, security, username, sender, embed_images, theme, engine):
    """Send SOURCE's email edition to test addresses (the message a subscriber would get)."""
    from exporter.build import editions_of, site_for
    from exporter.document import discover_sources, load_document
    from exporter.errors import UsageError
    from exporter.formats.registry import create_exporter
    from exporter.send import PASSWORD_VARIABLE, addressed, parse_server, send_message
    from exporter.themes import load_theme

    host, port = parse_server(server)
    settings = settings_of(ctx)
    paths = discover_sources(source) if source.is_dir() else [source]
    if len(paths) != 1:
        raise UsageError(f"{source} holds {len(paths)} issues; name one issue to send")
    if lang:
        from exporter.languages import language_problem

        if language_problem(lang):
            raise UsageError(f"--lang: {language_problem(lang)}")
    document = load_document(paths[0], settings)
    edition = editions_of(document, [lang or document.meta.lang], settings, engine)[0]
    options = {**settings.formats_options.get("email", {}), **({"embed_images": True} if embed_images else {})}
    site = site_for(settings, settings.languages)
    exporter = create_exporter("email", options, site, settings.path)
    reason = exporter.unavailable()
    if reason:
        raise UsageError(f"the email format is unavailable: {reason}")
    rendered = exporter.render(edition, load_theme(theme or settings.theme, settings.root))
    message = addressed(rendered.message, list(recipients), sender or "")
    send_message(message, list(recipients), host, port, security, username, os.environ.get(PASSWORD_VARIABLE))
    if not ctx.obj["quiet"]:
        click.echo(f"sent '{edition.meta.title}' ({edition.meta.lang}) to {', '.join(recipients)} via {host}:{port}")
