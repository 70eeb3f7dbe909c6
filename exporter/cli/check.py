"""``newsletter check [SOURCE...]``: a readable report (or ``--json``), exit status 1 when anything fails."""

from __future__ import annotations

from pathlib import Path

import click

from exporter.cli import reports_errors, settings_of


@click.command("check")
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))  # checked below: --json reports it too
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder whose built files are checked (default from newsletter.toml).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--strict", is_flag=True, help="Warnings (oversized images, units to review) fail too.")
@click.option("--sources-only", is_flag=True, help="Check the sources, not the built outputs.")
@click.option("--max-image-kb", type=click.IntRange(1), default=1024, show_default=True,
              help="Budget for one image file.")
@click.option("--max-image-px", type=click.IntRange(1), default=3000, show_default=True,
              help="Budget for a raster image's longer side.")
@click.option("--email-kb", type=click.IntRange(1), default=102, show_default=True,
              help="Budget for an email edition (Gmail clips over 102 kB).")
@click.pass_context
@reports_errors
def check_command(ctx, sources, output, as_json, strict, sources_only, max_image_kb, max_image_px, email_kb):
    """Check SOURCES (default: every issue) and their built PDF, EPUB and email editions.

    Reports images without alt text, missing or oversized images, broken internal links and
    anchors, EPUBCheck errors and warnings, fonts not embedded in PDFs, email editions over
    budget, stale reviews and translated units that need a human look, one line each:
    ``path:line: code message``.
    """
    from exporter.check import Problem, failed, report_json, report_text
    from exporter.check.runner import Limits, run_checks
    from exporter.errors import NewsletterError, UsageError

    limits = Limits(image_bytes=max_image_kb * 1024, image_pixels=max_image_px, email_kb=email_kb)
    try:
        missing = [str(source) for source in sources if not source.exists()]
        if missing:
            raise UsageError(f"no such file or folder: {', '.join(missing)}")
        settings = settings_of(ctx)
        run = run_checks(settings, list(sources), output or settings.output_path, limits, outputs=not sources_only)
    except (NewsletterError, Exception) as error:
        if not as_json:
            raise
        # --json prints JSON whatever happens: the error is the one problem
        where = getattr(error, "path", None) or Path(ctx.obj["project"]) / "newsletter.toml"
        message = getattr(error, "message", None) or f"internal error: {type(error).__name__}: {error}"
        code = {"ConfigError": "config", "UsageError": "usage"}.get(type(error).__name__, "error")
        click.echo(report_json([Problem(where, getattr(error, "line", None), code, message)], 0))
        ctx.exit(getattr(error, "exit_code", 1))
    click.echo(report_json(run.problems, run.checked) if as_json else report_text(run.problems, run.checked))
    ctx.exit(1 if failed(run.problems, strict) else 0)
