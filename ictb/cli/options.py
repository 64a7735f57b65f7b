"""Options and inputs shared by several commands: dates, periods, output, policy, secrets."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    import datetime as dt

    from ictb.clock import Clock
    from ictb.policy import Policy

F = TypeVar("F", bound=Callable[..., Any])


def parse_date_option(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    if value is None:
        return None
    from ictb.dates import parse_date

    try:
        return parse_date(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (use YYYY-MM-DD)") from None


def parse_periods(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> Any:
    from ictb.dates import parse_date
    from ictb.model import Period

    periods = []
    for value in values:
        start_text, sep, end_text = value.partition("..")
        try:
            if not sep:
                raise ValueError
            start, end = parse_date(start_text), parse_date(end_text)
        except ValueError:
            raise click.BadParameter(
                f"{value!r} is not a period (use START..END, e.g. 2026-12-01..2027-01-15)"
            ) from None
        if end < start:
            raise click.BadParameter(f"{value!r} ends before it starts")
        periods.append(Period(start=start, end=end))
    return tuple(periods)


def current_clock() -> Clock:
    """The clock of this run: the one ``ictb.cli.main`` was given, else the system's."""
    obj = click.get_current_context().find_root().obj
    if obj is not None:
        return obj  # type: ignore[no-any-return]
    from ictb.clock import SystemClock

    return SystemClock()


def today() -> dt.date:
    """Today, from the run's clock: the default of every --as-of-like option."""
    return current_clock().today()


def document_text(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    """An option's text that goes into a document: nothing XML cannot hold (control
    characters, unpaired surrogates), which would otherwise stop the run half way."""
    from ictb.xmlsafe import char_problem

    problem = char_problem(value) if value is not None else None
    if problem is not None:
        raise click.BadParameter(f"contains {problem}, which no document can hold")
    return value


def certificate_name(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    """A name for a certificate (common name, organization, unit, title): document text
    of 1 to 64 characters (the upper bounds of RFC 5280)."""
    value = document_text(ctx, param, value)
    if value is not None and not 1 <= len(value) <= 64:
        raise click.BadParameter("must be 1 to 64 characters long")
    return value


def env_name(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    """The name of an environment variable: not empty, no '=' or NUL, encodable."""
    import os

    if value is None:
        return value
    try:
        usable = bool(value) and "=" not in value and b"\0" not in os.fsencode(value)
    except UnicodeError:
        usable = False
    if not usable:
        raise click.BadParameter("is not a usable environment variable name")
    return value


def as_of_option(f: F) -> F:
    """--as-of DATE: the day a time-dependent command evaluates on (default today)."""
    return click.option(
        "--as-of",
        callback=parse_date_option,
        metavar="DATE",
        help="The day to evaluate on.  [default: today]",
    )(f)


def format_option(f: F) -> F:
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(["text", "json"]),
        default="text",
        show_default=True,
        help="Text for people, JSON for programs.",
    )(f)


def policy_option(f: F) -> F:
    return click.option(
        "--policy",
        "policy_file",
        type=click.Path(dir_okay=False, path_type=Path),
        help="A policy parameter file (JSON) to use instead of the packaged one.",
    )(f)


def output_options(what: str, naming: str) -> Callable[[F], F]:
    """--out-dir, -o/--output and --force, for the commands that write documents."""

    def decorate(f: F) -> F:
        f = click.option("--force", is_flag=True, help="Replace output files that already exist.")(
            f
        )
        f = click.option(
            "-o",
            "--output",
            type=click.Path(dir_okay=False, path_type=Path),
            help=f"Write the one {what} to this file ('-' for standard output).",
        )(f)
        return click.option(
            "--out-dir",
            type=click.Path(file_okay=False, path_type=Path),
            default=Path("."),
            show_default=True,
            help=f"Where to write {naming} files.",
        )(f)

    return decorate


def passphrase_options(prefix: str = "", what: str = "the private key") -> Callable[[F], F]:
    """--passphrase-file / --passphrase-env: secrets never come from the command line."""
    dash = f"{prefix}-" if prefix else ""
    under = f"{prefix}_" if prefix else ""

    def decorate(f: F) -> F:
        f = click.option(
            f"--{dash}passphrase-env",
            f"{under}passphrase_env",
            metavar="VAR",
            callback=env_name,
            default=f"ICTB_{under.upper()}PASSPHRASE",
            show_default=True,
            help=f"Environment variable holding the passphrase of {what}.",
        )(f)
        return click.option(
            f"--{dash}passphrase-file",
            f"{under}passphrase_file",
            type=click.Path(dir_okay=False, path_type=Path),
            help=f"File whose first line is the passphrase of {what}.",
        )(f)

    return decorate


def read_passphrase(
    passphrase_file: Path | None,
    passphrase_env: str,
    *,
    what: str,
    confirm: bool = False,
    option: str = "--passphrase-file",
) -> bytes:
    """From a file, else the environment, else a prompt on a terminal; never from argv."""
    import os

    from ictb.errors import KeyMaterialError

    if passphrase_file is not None:
        try:
            lines = passphrase_file.read_bytes().splitlines()
        except OSError as exc:
            raise KeyMaterialError(
                f"cannot read passphrase file: {exc.strerror}", path=str(passphrase_file)
            ) from None
        if not lines or not lines[0]:
            raise KeyMaterialError("the passphrase file is empty", path=str(passphrase_file))
        return lines[0]
    value = os.environ.get(passphrase_env)
    if value:
        return os.fsencode(value)  # the variable's own bytes, even if not UTF-8
    if sys.stdin.isatty():
        entered = click.prompt(
            f"Passphrase for {what}", hide_input=True, confirmation_prompt=confirm, err=True
        )
        return str(entered).encode("utf-8")
    raise KeyMaterialError(f"no passphrase for {what}: use {option}, or set {passphrase_env}")


def load_policy(policy_file: Path | None) -> Policy:
    from ictb import policy

    return policy.load(policy_file) if policy_file else policy.default()


def expand_inputs(paths: Iterable[Path], patterns: tuple[str, ...]) -> Iterator[Path]:
    """Files as given; directories expanded to their matching files, sorted."""
    for path in paths:
        try:
            is_dir = path.is_dir()
        except OSError:  # e.g. a name longer than the file system takes: reading it says so
            is_dir = False
        if is_dir:
            for pattern in patterns:
                yield from sorted(p for p in path.glob(pattern) if p.is_file())
        else:
            yield path


def jobs_option(f: F) -> F:
    """--jobs N: worker processes for a batch (default: one per core)."""
    return click.option(
        "--jobs",
        "-j",
        "workers",
        type=click.IntRange(min=1),
        default=None,
        metavar="N",
        help="Worker processes for the batch.  [default: the number of cores]",
    )(f)


def worker_count(workers: int | None) -> int:
    if workers is not None:
        return workers
    from ictb.parallel import default_jobs

    return default_jobs()


def deliver(data: bytes, target: Path | None, *, source: Path, overwrite: bool) -> Path | None:
    """Write one output document: to ``target`` atomically, or to standard output when
    ``target`` is None; never over the input it was made from.  Returns the file written."""
    if target is None:
        sys.stdout.buffer.write(data)
        return None
    # realpath, unlike Path.resolve, does not raise on a symbolic-link loop.
    if os.path.realpath(target) == os.path.realpath(source):
        from ictb.errors import IctbError

        raise IctbError("refusing to overwrite the input file", path=str(target))
    from ictb.outputs import atomic_write

    atomic_write(target, data, overwrite=overwrite)
    return target


def written_headline(verb: str) -> Callable[[Any], str]:
    """The headline of a command that writes documents: what it wrote, or that it refused."""

    def headline(report: Any) -> str:
        if report.facts.get("output"):
            return f"{verb}: wrote {report.facts['output']}"
        return verb if report.facts.get(verb) else "refused: nothing written"

    return headline
