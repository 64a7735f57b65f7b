"""The ``ictb`` command line: parse arguments, call the library, render, exit.

Each command family is a module of this package, imported only when one of its
commands runs; ``ictb --help`` lists them from :data:`COMMANDS` and imports nothing but
click.  Heavy modules (lxml, cryptography, xmlschema) are imported inside the commands.
Exit codes (SPEC): 0 accepted, 1 rejected, 2 usage error, 3 could not evaluate,
4 internal error.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, NoReturn

import click

from ictb import __version__

if TYPE_CHECKING:
    from ictb.clock import Clock

# The commands in the order of the pipeline, not alphabetical: name -> (the module of
# this package that defines it, under the same name; the first line of its help).
COMMANDS: dict[str, tuple[str, str]] = {
    "build": (
        "build",
        "Build ICTBs from credential records (JSON or XML files, or directories of them).",
    ),
    "check": (
        "check",
        "May this provider practise here, under this ICTB, on every day of the assignment?",
    ),
    "keygen": (
        "keys",
        "Make signing keys: a facility key with a CSR or a demo certificate, or a demo CA.",
    ),
    "sign": ("signing", "Sign ICTBs with the certifying signature of §5f(12) (W3C XML Signature)."),
    "verify": (
        "signing",
        "Verify signed ICTBs at the gaining facility, offline, against a trust store.",
    ),
    "redact": (
        "redact",
        "Make host-nation release copies of signed ICTBs that still verify (§8c).",
    ),
    "detailee": ("detailee", "DHS detailee and contractor credential-verification packets."),
    "smdr": ("smdr", "The SMDR's review of a foreign humanitarian mission (Encl. 4 §8)."),
    "convert": ("build", "Convert a credential record between its JSON and XML forms."),
    "demo": ("demo", "Run the end-to-end demo on the samples."),
}


class OutputClosed(Exception):
    """The reader of standard output went away (``ictb check ... | head``).

    Raised in place of ``BrokenPipeError``, which click would turn into exit 1, the code
    of a rejected document.
    """


class IctbGroup(click.Group):
    """The root group: lists :data:`COMMANDS`, imports a command's module when it runs."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            raise OutputClosed from None

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return super().get_command(ctx, cmd_name)
        from importlib import import_module

        module = import_module(f"{__name__}.{COMMANDS[cmd_name][0]}")
        command = getattr(module, cmd_name)
        assert isinstance(command, click.Command)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The commands and their one-line help, as click lists them, without importing them."""
        from gettext import gettext as _

        limit = formatter.width - 6 - max(len(name) for name in COMMANDS)
        rows = [
            (name, click.Command(name, help=text).get_short_help_str(limit))
            for name, (_module, text) in COMMANDS.items()
        ]
        with formatter.section(_("Commands")):
            formatter.write_dl(rows)


@click.group(
    cls=IctbGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="ictb")
@click.option("--debug", is_flag=True, help="Show a traceback on an internal error.")
def cli(debug: bool) -> None:
    """Inter-facility Credentials Transfer Briefs (DoD Manual 6025.13 Encl. 4 §5).

    \b
    Build an ICTB from a provider's credential record, check it against the policy,
    sign it for the commander, verify it at the gaining facility, and redact it for
    host-nation release.

    \b
    Examples:
      ictb demo
      ictb build --roster samples/roster.csv --out-dir out/
      ictb check out/*.ictb.xml --as-of 2026-12-01
      ictb verify signed/*.signed.ictb.xml --trust keys/demo-trust/

    \b
    Exit codes: 0 accepted (warnings allowed), 1 rejected, 2 usage error,
    3 could not evaluate (missing file, key, trust store), 4 internal error.
    """


def main(argv: list[str] | None = None, *, clock: Clock | None = None) -> None:
    """Console entry point: map every outcome to its documented exit code.

    ``clock`` is where every command reads today and now (the system clock unless
    given); it travels in the click context (:func:`ictb.cli.options.current_clock`).
    ``ictb.errors`` is imported only once there is an outcome to map.
    """
    args = sys.argv[1:] if argv is None else argv
    _tolerant_streams()
    if any("\0" in arg for arg in args):
        # No command line can hold one (only a caller in Python can pass it), and no
        # file name or option value may: say so before any option reaches the system.
        from ictb.errors import EXIT_USAGE

        print("ictb: error: an argument contains a NUL character", file=sys.stderr)
        sys.exit(EXIT_USAGE)
    try:
        result = cli.main(args=args, prog_name="ictb", standalone_mode=False, obj=clock)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.UsageError as exc:
        from ictb.errors import EXIT_USAGE

        command = exc.ctx.command_path if exc.ctx else "ictb"
        print(f"ictb: error: {exc.format_message()}\nTry '{command} --help'.", file=sys.stderr)
        sys.exit(EXIT_USAGE)
    except click.ClickException as exc:
        from ictb.errors import EXIT_USAGE

        print(f"ictb: error: {exc.format_message()}", file=sys.stderr)
        sys.exit(EXIT_USAGE)
    except (click.exceptions.Abort, KeyboardInterrupt):
        print("ictb: interrupted", file=sys.stderr)
        sys.exit(130)
    except (OutputClosed, BrokenPipeError):
        _output_closed()
    except OSError as exc:
        if exc.filename is not None:  # a file the run needed: a bug, reported below
            _internal_error(exc, args)
        # Writing standard output or a report failed: a full disk, a file-size limit.
        _cannot_write_output(exc)
    except Exception as exc:
        from ictb.errors import IctbError

        if isinstance(exc, IctbError):
            print(f"ictb: error: {exc}", file=sys.stderr)
            sys.exit(exc.exit_code)
        _internal_error(exc, args)
    try:
        sys.stdout.flush()  # a full disk shows here when the output was buffered
    except BrokenPipeError:
        _output_closed()
    except OSError as exc:
        _cannot_write_output(exc)
    if not isinstance(result, int):
        from ictb.errors import EXIT_OK

        result = EXIT_OK
    sys.exit(result)


def _tolerant_streams() -> None:
    """Printing never fails on a character the terminal's encoding lacks: a file name
    that is not UTF-8 arrives from the command line as lone surrogates, and a strict
    standard output would stop the run at the first line naming it."""
    for stream in (sys.stdout, sys.stderr):
        if getattr(stream, "errors", None) == "strict" and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")


def _internal_error(exc: BaseException, args: list[str]) -> NoReturn:
    from ictb.errors import EXIT_INTERNAL, bug_summary

    if "--debug" in args:
        import traceback

        traceback.print_exception(exc)
    print(
        f"ictb: internal error: {bug_summary(exc)} (rerun with --debug for a traceback)",
        file=sys.stderr,
    )
    sys.exit(EXIT_INTERNAL)


def _output_closed() -> NoReturn:
    """Nothing to say to a reader that went away; exit as a shell reports SIGPIPE."""
    _silence_stdout()
    sys.exit(141)


def _cannot_write_output(exc: OSError) -> NoReturn:
    from ictb.errors import EXIT_CANNOT_EVALUATE

    _silence_stdout()
    print(f"ictb: error: cannot write the output: {exc.strerror or exc}", file=sys.stderr)
    sys.exit(EXIT_CANNOT_EVALUATE)


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so that the flush at exit cannot fail again."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


# What the one-module ``ictb.cli`` defined before it became this package, importable
# from here as before; each is imported on first use.  (The commands themselves are
# reached through ``cli``; their old names are now those of their modules.)
_MOVED: dict[str, tuple[str, ...]] = {
    "ictb.errors": ("EXIT_CANNOT_EVALUATE",),
    "ictb.cli.options": (
        "parse_date_option",
        "parse_periods",
        "format_option",
        "policy_option",
        "output_options",
        "passphrase_options",
        "read_passphrase",
        "load_policy",
        "expand_inputs",
    ),
    "ictb.cli.batch": (
        "progress",
        "run_batch",
        "validity_headline",
        "expiry_lines",
        "signer_headline",
        "packet_headline",
    ),
    "ictb.cli.build": ("run_build", "output_name"),
    "ictb.cli.keys": ("write_all",),
    "ictb.cli.signing": ("signed_name",),
    "ictb.cli.redact": ("release_name",),
    "ictb.cli.demo": ("DEMO_DATE",),
}


def __getattr__(name: str) -> Any:
    for module, names in _MOVED.items():
        if name in names:
            from importlib import import_module

            return getattr(import_module(module), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# Referenced by tests and by the demo.
__all__ = ["EXIT_CANNOT_EVALUATE", "cli", "main", "run_build"]
