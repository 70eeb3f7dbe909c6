"""The ``newsletter`` command line: build, formats (and the commands later modules add)."""

from __future__ import annotations

import functools
import importlib
import json
import logging
import sys
from pathlib import Path

import click

from exporter import __version__
from exporter.config import load_settings
from exporter.errors import NewsletterError

log = logging.getLogger("exporter")


class OneLineHandler(logging.Handler):
    """Print log records as ``warning: message`` lines on standard error, each message once; count the warnings."""

    def __init__(self, quiet: bool = False):
        super().__init__()
        self.quiet = quiet
        self.seen: set[tuple[str, str]] = set()
        self.warnings = 0

    def emit(self, record: logging.LogRecord) -> None:
        line = (record.levelname.lower(), record.getMessage())
        if line in self.seen:
            return
        self.seen.add(line)
        self.warnings += record.levelno == logging.WARNING
        if record.levelno >= logging.ERROR or not self.quiet:
            click.echo(f"{line[0]}: {line[1]}", err=True)


def setup_logging(verbose: bool, quiet: bool) -> None:
    """Route the package's log records to standard error at the chosen level."""
    logger = logging.getLogger("exporter")
    logger.handlers[:] = [OneLineHandler(quiet)]
    logger.setLevel(logging.DEBUG if verbose else logging.WARNING)  # -q hides warnings but still counts them
    logger.propagate = False


def warnings_reported() -> int:
    """How many distinct warnings the command has reported so far (quiet runs count them too)."""
    handler = next((h for h in logging.getLogger("exporter").handlers if isinstance(h, OneLineHandler)), None)
    return handler.warnings if handler is not None else 0


def reports_errors(command):
    """Turn domain errors into one line on stderr and their exit code; never a traceback."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except NewsletterError as error:
            click.echo(f"error: {error}", err=True)
            sys.exit(error.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("error: interrupted", err=True)
            sys.exit(130)
        except Exception as error:  # a bug: still one line, with the details under --verbose
            log.debug("internal error", exc_info=True)
            click.echo(f"error: internal error: {type(error).__name__}: {error}", err=True)
            sys.exit(1)

    return wrapper


GLOBAL_FLAGS = ("-q", "--quiet", "-v", "--verbose")


def global_options_first(args: list[str], command_names) -> list[str]:
    """Move the group's options written after the command (``build -q``) before it, where click reads them."""
    position = next((i for i, arg in enumerate(args) if arg in command_names), None)
    if position is None:
        return args
    before, after, moved = args[:position + 1], [], []
    rest = iter(args[position + 1:])
    for arg in rest:
        if arg == "--":
            after.extend(["--", *rest])
            break
        if arg in GLOBAL_FLAGS or arg.startswith("--project="):
            moved.append(arg)
        elif arg == "--project":
            moved.extend([arg, next(rest, "")])
        else:
            after.append(arg)
    return [*moved, *before, *after]


class LazyGroup(click.Group):
    """A command group whose heavier commands are imported only when they are used."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Accept the global options before or after the command."""
        return super().parse_args(ctx, global_options_first(args, set(self.list_commands(ctx))))

    lazy_commands = {
        "translate": "exporter.cli.translate:translate_command",
        "check": "exporter.cli.check:check_command",
        "send": "exporter.cli.send:send",
        "serve": "exporter.cli.serve:serve_command",
        "init": "exporter.cli.init:init_command",
        "new": "exporter.cli.new:new_command",
    }

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command name, eager and lazy."""
        return sorted({*super().list_commands(ctx), *self.lazy_commands})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        """The command called ``name``, importing it on first use."""
        if name in self.lazy_commands and name not in self.commands:
            module, attribute = self.lazy_commands[name].split(":")
            self.add_command(getattr(importlib.import_module(module), attribute), name)
        return super().get_command(ctx, name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newsletter")
@click.option("--project", type=click.Path(file_okay=False, path_type=Path), default=".",
              help="Project folder holding newsletter.toml.")
@click.option("-v", "--verbose", is_flag=True, help="Say more.")
@click.option("-q", "--quiet", is_flag=True, help="Only errors.")
@click.pass_context
def cli(ctx: click.Context, project: Path, verbose: bool, quiet: bool) -> None:
    """Turn Markdown newsletter issues into PDF, EPUB, email and web editions, in every language."""
    setup_logging(verbose, quiet)
    ctx.obj = {"project": project, "verbose": verbose, "quiet": quiet}


def settings_of(ctx: click.Context):
    """The project's validated settings."""
    return load_settings(ctx.obj["project"])


@cli.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option("-f", "--format", "formats", multiple=True, help="Format to build (repeatable); default: all.")
@click.option("-l", "--lang", "languages", multiple=True, help="Language edition to build (repeatable).")
@click.option("--theme", help="Theme name (default from newsletter.toml).")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), help="Output folder.")
@click.option("--engine", help="Translation engine for translated editions.")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), help="Parallel workers (default from newsletter.toml).")
@click.option("--force", is_flag=True, help="Rebuild every output even if it is up to date.")
@click.option("--executor", metavar="tcp://HOST:PORT",
              help="Run the export tasks on this Dask scheduler's workers (default: local processes).")
@click.option("--stats", type=click.Choice(["json"]), help="Print what was built and translated, as JSON.")
@click.option("--embed-images", is_flag=True, help="Email: embed images as cid: parts instead of linking them.")
@click.option("--pdf-variant", type=click.Choice(["tagged", "pdf/ua-1", "pdf/a-3b"]),
              help="PDF: tagged PDF (default), PDF/UA-1 or PDF/A-3b.")
@click.option("--strict", is_flag=True, help="Fail (exit 1) if the build reported any warning.")
@click.pass_context
@reports_errors
def build(ctx, sources, formats, languages, theme, output, engine, jobs, force, executor, stats, embed_images,
          pdf_variant, strict):
    """Build SOURCES (default: every issue in the source folder)."""
    from exporter.build import build as run_build
    from exporter.build import plan_from

    try:
        settings = settings_of(ctx)
    except NewsletterError as error:
        if stats:  # --stats json prints JSON whatever happens
            click.echo(json.dumps({"error": str(error), "exit_code": error.exit_code}, ensure_ascii=False))
        raise
    plan = plan_from(settings, sources, formats, languages, theme, output, engine, jobs=jobs, force=force,
                     executor=executor,
                     format_options={**({"email": {"embed_images": True}} if embed_images else {}),
                                     **({"pdf": {"variant": pdf_variant.replace("tagged", "")}} if pdf_variant else {})})
    plan.strict = strict
    show = not ctx.obj["quiet"]
    result = run_build(settings, plan, progress=(lambda message: click.echo(message, err=True)) if show else None)
    if stats:
        click.echo(json.dumps(result.stats(), sort_keys=True))
    elif show and (result.editions or not result.failed):
        failed = f", {len(result.failed)} failed" if result.failed else ""
        click.echo(f"built {len(result.built)} output(s) of {len(result.editions)} edition(s), "
                   f"{len(result.up_to_date)} up to date{failed}, in {plan.output}")
    for error in result.failed.values():  # each failed issue or edition, once; the others were published
        click.echo(f"error: {error}", err=True)
    if result.failed:
        sys.exit(1)
    if strict and warnings_reported():
        raise NewsletterError(f"{warnings_reported()} warning(s), and --strict makes warnings errors")


@cli.command()
@click.pass_context
@reports_errors
def formats(ctx):
    """List the output formats and whether each can be built here."""
    from exporter.formats.registry import exporter_or_reason, format_entry_points

    for name, entry in format_entry_points().items():
        _, reason = exporter_or_reason(name)
        status = "available" if reason is None else f"unavailable: {reason}"
        click.echo(f"{name:<8} {entry.value:<40} {status}")


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="newsletter")
