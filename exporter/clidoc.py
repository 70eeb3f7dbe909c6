"""The command-line reference (docs/cli.md), rendered from the click commands themselves.

    python -m exporter.clidoc > docs/cli.md

``tests/test_docs.py`` renders it again and compares, so the page cannot drift from the code.
"""

from __future__ import annotations

import inspect
import sys

import click

UNSET = getattr(click.core, "UNSET", None)  # click ≥ 8.3 marks "no default" with a sentinel
HEADER = """\
# Command-line reference

<!-- Generated from the click commands by `python -m exporter.clidoc > docs/cli.md`; do not edit by hand. -->

The command is `newsletter` (also `python -m exporter`). Every command takes `-h`/`--help`.
Exit codes: `0` success, `1` a build error (one line naming the file and line), `2` a usage error
(an unknown format, option or issue), `130` interrupted.
"""


def help_text(command: click.Command) -> str:
    """A command's help as Markdown paragraphs (click's ``\\b`` markers dropped, ``\\f`` ends it)."""
    text = inspect.cleandoc(command.help or "").split("\f")[0]
    return "\n".join(line for line in text.splitlines() if line.strip() != "\b").strip()


def cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|")


def default_of(param: click.Parameter, ctx: click.Context) -> str:
    """The default worth showing for an option, or an empty string."""
    if getattr(param, "is_flag", False) or param.multiple:
        return ""
    value = param.get_default(ctx, call=False)
    if value is None or value is UNSET or callable(value) or value in ("", (), []):
        return ""
    return f" (default: `{value}`)"


def parameter_rows(command: click.Command, ctx: click.Context) -> list[str]:
    """The options table of one command (``--help`` left out: every command has it)."""
    rows = []
    for param in command.get_params(ctx):
        if not isinstance(param, click.Option) or param.hidden or "--help" in param.opts:
            continue
        record = param.get_help_record(ctx)
        if record is None:
            continue
        names, _ = record
        rows.append(f"| `{cell(names)}` | {cell((param.help or '').strip() + default_of(param, ctx))} |")
    return rows


def render_command(command: click.Command, ctx: click.Context, out: list[str]) -> None:
    """Append one command's section, then its subcommands' sections, to ``out``."""
    path = ctx.command_path
    pieces = " ".join(command.collect_usage_pieces(ctx))
    out += [f"## {path}", "", help_text(command), "", f"Usage: `{path} {pieces}`", ""]
    arguments = [p for p in command.get_params(ctx) if isinstance(p, click.Argument)]
    if arguments:
        names = ", ".join(f"`{p.make_metavar(ctx)}`" for p in arguments)
        out += [f"Arguments: {names}.", ""]
    rows = parameter_rows(command, ctx)
    if rows:
        out += ["| Option | Meaning |", "|---|---|", *rows, ""]
    if isinstance(command, click.Group):
        names = [name for name in command.list_commands(ctx) if not command.get_command(ctx, name).hidden]
        out += ["Commands: " + ", ".join(f"[`{name}`](#{anchor(f'{path} {name}')})" for name in names) + ".", ""]
        for name in names:
            sub = command.get_command(ctx, name)
            render_command(sub, click.Context(sub, info_name=name, parent=ctx), out)


def anchor(heading: str) -> str:
    """The anchor GitHub gives a heading."""
    return "-".join(heading.lower().split())


def render(command: click.Command | None = None, name: str = "newsletter") -> str:
    """The whole reference as Markdown."""
    if command is None:
        from exporter.cli import cli as command
    out = [HEADER]
    render_command(command, click.Context(command, info_name=name), out)
    return "\n".join(out).rstrip("\n") + "\n"


def main() -> None:
    """Print the reference to standard output."""
    sys.stdout.write(render())


if __name__ == "__main__":
    main()
