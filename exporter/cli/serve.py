"""``newsletter serve``: a live preview of every edition and a translation review page, in the browser."""

from __future__ import annotations

from pathlib import Path

import click

from exporter.cli import reports_errors


@click.command("serve")
@click.argument("sources", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("-p", "--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind; anything but loopback lets other machines in (with a warning).")
@click.option("--open", "open_browser", is_flag=True, help="Open the archive index in the web browser.")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder to build into and serve (default from newsletter.toml).")
@click.pass_context
@reports_errors
def serve_command(ctx, sources, port, host, open_browser, output):
    """Build what is out of date, serve the output folder and rebuild on every save.

    Watches the sources and their images, the theme and newsletter.toml; open pages reload by
    themselves (web pages and email first, PDF and EPUB after) and show build errors as an overlay.
    Each translated edition has a review page. Binds 127.0.0.1 unless --host says otherwise.
    """
    from exporter.serve import serve

    quiet = ctx.find_root().obj["quiet"]
    serve(ctx.find_root().obj["project"], list(sources), host, port, open_browser, output,
          say=(lambda message: None) if quiet else (lambda message: click.echo(message, err=True)))
