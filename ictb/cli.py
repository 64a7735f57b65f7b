"""The ``ictb`` command line: parse arguments, call the library, render, exit.

Heavy modules (lxml, cryptography, xmlschema) are imported inside the commands, so
``ictb --help`` starts fast.  Exit codes (SPEC): 0 accepted, 1 rejected, 2 usage error,
3 could not evaluate, 4 internal error.
"""

from __future__ import annotations

import datetime as dt
import sys
import traceback
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ictb import __version__
from ictb.errors import (
    EXIT_CANNOT_EVALUATE,
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_REJECTED,
    EXIT_USAGE,
    IctbError,
)

if TYPE_CHECKING:
    from ictb.build import Assignment
    from ictb.findings import Report
    from ictb.policy import Policy

F = TypeVar("F", bound=Callable[..., Any])
Job = TypeVar("Job")

DEMO_DATE = dt.date(2026, 11, 22)  # the samples are written as of this day


# ---------------------------------------------------------------- shared options


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


def load_policy(policy_file: Path | None) -> Policy:
    from ictb import policy

    return policy.load(policy_file) if policy_file else policy.default()


def expand_inputs(paths: Iterable[Path], patterns: tuple[str, ...]) -> Iterator[Path]:
    """Files as given; directories expanded to their matching files, sorted."""
    for path in paths:
        if path.is_dir():
            for pattern in patterns:
                yield from sorted(p for p in path.glob(pattern) if p.is_file())
        else:
            yield path


def progress(items: list[Any], label: str) -> Any:
    """A progress bar on a terminal; the plain list when piped."""
    if len(items) > 1 and sys.stderr.isatty():
        return click.progressbar(items, label=label, file=sys.stderr)
    from contextlib import nullcontext

    return nullcontext(items)


# ---------------------------------------------------------------- the group


class IctbGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)  # in the order of the pipeline, not alphabetical


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


# ---------------------------------------------------------------- build


@cli.command()
@click.argument("records", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--roster",
    type=click.Path(dir_okay=False, path_type=Path),
    help="CSV: record,gaining_facility[,gaining_facility_name],purpose,"
    "period_start,period_end (one row per period).",
)
@click.option(
    "--gaining-facility", "gaining_id", metavar="ID", help="The gaining facility's identifier."
)
@click.option("--gaining-name", metavar="NAME", help="The gaining facility's name.")
@click.option("--purpose", help="§5f(8): the nature or purpose of the temporary assignment.")
@click.option("--appraisal-request", help="§5f(8): the performance appraisal requested, if any.")
@click.option(
    "--period",
    "periods",
    multiple=True,
    callback=parse_periods,
    metavar="START..END",
    help="An assignment period; repeat for several.",
)
@click.option(
    "--issued-on",
    callback=parse_date_option,
    metavar="DATE",
    help="Issue date, also the date the rules are applied on.  [default: today]",
)
@click.option("--supersedes", metavar="UUID", help="The id of the ICTB this one replaces.")
@click.option(
    "--distribution",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The sending MTF's distribution record (JSON or XML; created if missing): each "
    "ICTB written is added with its gaining facility (§5e).",
)
@output_options("ICTB", "RECORD--GAINING.ictb.xml")
@click.option("--strict", is_flag=True, help="Refuse to write an ICTB with warnings too.")
@policy_option
@format_option
def build(
    records: tuple[Path, ...],
    roster: Path | None,
    gaining_id: str | None,
    gaining_name: str | None,
    purpose: str | None,
    appraisal_request: str | None,
    periods: tuple[Any, ...],
    issued_on: dt.date | None,
    supersedes: str | None,
    distribution: Path | None,
    out_dir: Path,
    output: Path | None,
    force: bool,
    strict: bool,
    policy_file: Path | None,
    output_format: str,
) -> int:
    """Build ICTBs from credential records (JSON or XML files, or directories of them).

    Every §5f reporting element is checked before anything is written; a record with
    any error is refused with the list of what is missing or wrong.  The batch goes on
    past a bad record and ends with a summary.

    \b
    Examples:
      ictb build records/01-physician.json --gaining-facility N00183 \\
          --purpose "Cover deployed surgeon" --period 2026-12-01..2027-01-15
      ictb build --roster samples/roster.csv --out-dir out/
    """
    from ictb.build import Assignment
    from ictb.model import Facility

    if roster is not None and (records or gaining_id or periods):
        raise click.UsageError("give either --roster or records with --gaining-facility/--period")
    jobs: list[tuple[Path, Assignment]]
    if roster is not None:
        from ictb import roster as roster_module

        jobs = roster_module.read(roster)
    else:
        if not records:
            raise click.UsageError("no records given (or use --roster)")
        if not gaining_id:
            raise click.UsageError("--gaining-facility is required")
        if not periods:
            raise click.UsageError("at least one --period START..END is required")
        assignment = Assignment(
            gaining=Facility(id=gaining_id, name=gaining_name),
            purpose=purpose,
            periods=periods,
            appraisal_request=appraisal_request,
        )
        jobs = [(p, assignment) for p in expand_inputs(records, ("*.json", "*.xml"))]
    if output is not None and len(jobs) != 1:
        raise click.UsageError("-o/--output takes exactly one ICTB; use --out-dir for several")
    return run_build(
        jobs,
        issued_on=issued_on or dt.date.today(),
        policy=load_policy(policy_file),
        out_dir=out_dir,
        output=output,
        overwrite=force,
        strict=strict,
        supersedes=supersedes,
        distribution=distribution,
        output_format=output_format,
    )


def output_name(record_path: Path, gaining_id: str) -> str:
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in gaining_id)
    return f"{record_path.stem}--{safe}.ictb.xml"


def run_build(
    jobs: list[tuple[Path, Assignment]],
    *,
    issued_on: dt.date,
    policy: Policy,
    out_dir: Path,
    output: Path | None = None,
    overwrite: bool = False,
    strict: bool = False,
    supersedes: str | None = None,
    distribution: Path | None = None,
    output_format: str = "text",
) -> int:
    from ictb import build as build_module
    from ictb import records as records_module
    from ictb.findings import Report
    from ictb.model import DistributionEntry
    from ictb.outputs import atomic_write

    to_stdout = output is not None and str(output) == "-"

    def build_one(job: tuple[Path, Assignment]) -> Report:
        record_path, assignment = job
        record = records_module.load(record_path)
        result = build_module.build(
            record,
            assignment,
            issued_on=issued_on,
            policy=policy,
            source=str(record_path),
            supersedes=supersedes,
        )
        report = result.report
        target: Path | None = None
        built = result.xml is not None and report.accepted(strict=strict)
        if built:
            assert result.xml is not None
            if to_stdout:
                sys.stdout.buffer.write(result.xml)
            else:
                target = output or out_dir / output_name(record_path, assignment.gaining.id)
                atomic_write(target, result.xml, overwrite=overwrite)
        facts = {"built": built, "output": str(target) if target else None}
        if built and result.brief is not None:
            facts["ictb_id"] = result.brief.document_id
            sent.append(
                DistributionEntry(result.brief.document_id, assignment.gaining.id, issued_on)
            )
        return Report(report.document, report.findings, {**report.facts, **facts})

    sent: list[DistributionEntry] = []
    try:
        return run_batch(
            "build",
            jobs,
            build_one,
            name=lambda job: str(job[0]),
            accepted=lambda report: bool(report.facts.get("built")),
            headline=lambda r: (
                f"wrote {r.facts['output']}"
                if r.facts.get("output")
                else (
                    "written to standard output"
                    if r.facts.get("built")
                    else "refused: nothing written"
                )
            ),
            words=("built", "refused"),
            output_format=output_format,
            quiet=to_stdout,
        )
    finally:
        # Whatever was written is recorded, even when the batch stops part way (§5e).
        if distribution is not None and sent:
            from ictb.check_context import record_sent

            record_sent(distribution, sent)


def run_batch(
    command: str,
    jobs: list[Job],
    evaluate: Callable[[Job], Report],
    *,
    name: Callable[[Job], str] = str,
    accepted: Callable[[Report], bool],
    headline: Callable[[Report], str | None] = lambda report: None,
    details: Callable[[Report], list[str]] = lambda report: [],
    words: tuple[str, str] = ("accepted", "rejected"),
    output_format: str = "text",
    quiet: bool = False,
) -> int:
    """Evaluate every job, report each, go on past bad ones, end with a summary.

    A bad input (``InputError``) is a rejected document with its INPUT finding; an
    input that cannot be evaluated at all (``IctbError``: a missing file...) is counted
    apart and sets exit code 3.
    """
    from ictb.errors import InputError
    from ictb.findings import Report, finding
    from ictb.render import error_line, json_document, text_report, use_colour

    colour = use_colour(sys.stdout)
    documents: list[dict[str, Any]] = []
    counts = {"accepted": 0, "rejected": 0, "not_evaluated": 0}
    exit_code = EXIT_OK
    with progress(jobs, f"ictb {command}") as bar:
        for job in bar:
            source = name(job)
            try:
                report = evaluate(job)
            except InputError as exc:
                error_line(str(exc))
                where = f"line {exc.line}" if exc.line else None
                report = Report(source, (finding(exc.code, exc.message, where),))
            except IctbError as exc:
                error_line(str(exc))
                counts["not_evaluated"] += 1
                exit_code = max(exit_code, exc.exit_code)
                documents.append(
                    {
                        "document": source,
                        "verdict": "not evaluated",
                        "error": str(exc),
                        "findings": [],
                    }
                )
                continue
            ok = accepted(report)
            counts["accepted" if ok else "rejected"] += 1
            if not ok:
                exit_code = max(exit_code, EXIT_REJECTED)
            documents.append(report.as_dict())
            if output_format == "text" and not quiet:
                click.echo(text_report(report, colour=colour, headline=headline(report)))
                for line in details(report):
                    click.echo(f"  {line}")
    if output_format == "json":
        click.echo(json_document(command, documents, dict(counts, total=len(jobs))))
    elif not quiet:
        click.echo(
            f"\n{counts['accepted']} {words[0]}, {counts['rejected']} {words[1]}"
            + (f", {counts['not_evaluated']} not evaluated" if counts["not_evaluated"] else "")
            + f" (of {len(jobs)})"
        )
    return exit_code


# ---------------------------------------------------------------- check


@cli.command()
@click.argument("ictbs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--as-of",
    callback=parse_date_option,
    metavar="DATE",
    help="The day to evaluate on.  [default: today]",
)
@click.option(
    "--period",
    "periods",
    multiple=True,
    callback=parse_periods,
    metavar="START..END",
    help="A further assignment period to check, besides those the ICTB names.",
)
@click.option(
    "--record",
    "record_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The provider's credential record (privilege events, appointments, the "
    "credentials file), for the rules that need more than the ICTB.",
)
@click.option(
    "--confirmations",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The gaining facility's renewal confirmations (§5e), JSON or XML.",
)
@click.option(
    "--distribution",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The sending MTF's record of where each ICTB was sent (§5e).",
)
@click.option(
    "--grant",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The gaining facility's privileging decision on the ICTB (§5c).",
)
@click.option(
    "--release",
    "release_profile",
    metavar="PROFILE",
    help="Check the ICTBs as release copies for this profile (e.g. host-nation): "
    "RED-001..007, RED-011, RED-023 instead of RED-012.",
)
@click.option("--strict", is_flag=True, help="Reject on warnings too (exit 1).")
@policy_option
@format_option
def check(
    ictbs: tuple[Path, ...],
    as_of: dt.date | None,
    periods: tuple[Any, ...],
    record_file: Path | None,
    confirmations: Path | None,
    distribution: Path | None,
    grant: Path | None,
    release_profile: str | None,
    strict: bool,
    policy_file: Path | None,
    output_format: str,
) -> int:
    """May this provider practise here, under this ICTB, on every day of the assignment?

    Applies the ICTB content and validity rules (ICTB-001..035), the privilege and
    appointment rules (PRIV) and the licensure rules (LIC), citing the policy for every
    finding, and says how long the ICTB stays valid and what ends it.  The verdict is
    valid, needs review (warnings: exit 0, or 1 with --strict) or invalid (exit 1).

    \b
    Examples:
      ictb check out/01-physician--W1HTAA.ictb.xml --as-of 2026-12-01
      ictb check brief.xml --record record.json --confirmations confirmations.json \\
          --period 2027-04-01..2027-04-14 --format json
    """
    from ictb import check as check_module
    from ictb import check_context, ictb_xml
    from ictb import records as records_module

    context: dict[str, Any] = {}
    if confirmations is not None:
        context["confirmations"] = check_context.load_confirmations(confirmations).confirmations
    if distribution is not None:
        context["distribution"] = check_context.load_distribution(distribution)
    if grant is not None:
        context["grant"] = check_context.load_grant(grant)
    options = check_module.CheckOptions(
        as_of=as_of or dt.date.today(),
        policy=load_policy(policy_file),
        record=records_module.load(record_file) if record_file else None,
        extra_periods=periods,
        context=context,
        release=release_profile is not None,
    )
    if release_profile is not None:
        from ictb import redaction

        redaction.load_profile(release_profile)  # an unknown profile is an error up front
    paths = list(expand_inputs(ictbs, ("*.xml",)))
    # A later ICTB in the same batch that names another in `supersedes` replaces it (§5e).
    from ictb import xmlsafe

    loaded: dict[Path, Any] = {}
    roots: dict[Path, Any] = {}
    superseded: dict[str, str] = {}
    for path in paths:
        try:
            root = ictb_xml.parse(xmlsafe.read_input(path), str(path))
            brief = ictb_xml.from_element(root, str(path))
        except IctbError as exc:
            loaded[path] = exc
            continue
        loaded[path] = brief
        if options.release:
            roots[path] = root  # the release scans read the document itself
        if brief.supersedes:
            superseded[brief.supersedes] = brief.document_id

    def check_one(path: Path) -> Report:
        brief = loaded[path]
        if isinstance(brief, IctbError):
            raise brief
        report = check_module.check(brief, str(path), options, superseded.get(brief.document_id))
        if options.release:
            from ictb import redaction

            report = report.with_findings(redaction.release_findings(roots[path]))
        return report

    return run_batch(
        "check",
        paths,
        check_one,
        accepted=lambda report: report.accepted(strict=strict),
        headline=validity_headline,
        details=expiry_lines,
        output_format=output_format,
    )


def validity_headline(report: Report) -> str | None:
    through, reason = report.facts.get("valid_through"), report.facts.get("valid_through_reason")
    as_of = report.facts.get("as_of")
    if through is None:
        return str(reason) if reason else None
    if as_of and through < as_of:
        return f"not valid on {as_of} ({reason})"
    return f"valid through {through} ({reason})"


def expiry_lines(report: Report) -> list[str]:
    lines = []
    for item in report.facts.get("expiring", []):
        when = (
            "before the assignment ends"
            if item["during_assignment"]
            else (f"within {item['within_days']} days")
        )
        lines.append(f"expires {item['expires_on']} ({when}): {item['credential']}")
    return lines


# ---------------------------------------------------------------- keys and passphrases


def passphrase_options(prefix: str = "", what: str = "the private key") -> Callable[[F], F]:
    """--passphrase-file / --passphrase-env: secrets never come from the command line."""
    dash = f"{prefix}-" if prefix else ""
    under = f"{prefix}_" if prefix else ""

    def decorate(f: F) -> F:
        f = click.option(
            f"--{dash}passphrase-env",
            f"{under}passphrase_env",
            metavar="VAR",
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
        return value.encode("utf-8")
    if sys.stdin.isatty():
        entered = click.prompt(
            f"Passphrase for {what}", hide_input=True, confirmation_prompt=confirm, err=True
        )
        return str(entered).encode("utf-8")
    raise KeyMaterialError(f"no passphrase for {what}: use {option}, or set {passphrase_env}")


@cli.group()
def keygen() -> None:
    """Make signing keys: a facility key with a CSR or a demo certificate, or a demo CA.

    Private keys are PKCS#8, encrypted with a passphrase, and written with mode 0600.
    Passphrases come from a file, an environment variable or a prompt, never from the
    command line.

    \b
    Examples:
      ictb keygen ca --out keys/demo-ca --name "ICTB Demo CA"
      ictb keygen signer --out keys/nmcsd --name "CAPT Jane Roe" --role "MTF Commander" \\
          --facility-name "Naval Medical Center San Diego" --facility-id N00259 --csr
    """


@keygen.command("ca")
@click.option(
    "--out",
    "prefix",
    required=True,
    type=click.Path(path_type=Path),
    help="Writes PREFIX.key.pem and PREFIX.pem.",
)
@click.option("--name", required=True, help="The CA's common name.")
@click.option("--days", default=3650, show_default=True, help="Validity in days.")
@click.option("--rsa", is_flag=True, help="RSA-3072 instead of ECDSA P-256.")
@click.option("--force", is_flag=True, help="Replace existing files.")
@passphrase_options(what="the new CA key")
def keygen_ca(
    prefix: Path,
    name: str,
    days: int,
    rsa: bool,
    force: bool,
    passphrase_file: Path | None,
    passphrase_env: str,
) -> int:
    """Make a small demo CA that issues facility signing certificates (demos and tests)."""
    from ictb import keys

    passphrase = read_passphrase(
        passphrase_file, passphrase_env, what="the new CA key", confirm=True
    )
    key = keys.generate_key("rsa" if rsa else "ec")
    cert = keys.make_ca(key, name, not_before=_now() - _day(), days=days)
    key_path, cert_path = _with_suffix(prefix, ".key.pem"), _with_suffix(prefix, ".pem")
    write_all(
        [
            (key_path, keys.encrypted_pkcs8(key, passphrase), 0o600),
            (cert_path, keys.pem(cert), 0o644),
        ],
        overwrite=force,
    )
    click.echo(f"wrote {key_path} (encrypted, mode 0600) and {cert_path}")
    click.echo(f"SHA-256 fingerprint {keys.fingerprint(cert)}")
    return EXIT_OK


@keygen.command("signer")
@click.option(
    "--out",
    "prefix",
    required=True,
    type=click.Path(path_type=Path),
    help="Writes PREFIX.key.pem and PREFIX.csr.pem (or PREFIX.pem with --ca-cert).",
)
@click.option("--name", required=True, help="The certifying official's name (certificate CN).")
@click.option(
    "--role",
    default="MTF Commander",
    show_default=True,
    help="The official's role (certificate title).",
)
@click.option("--facility-name", required=True, help="Organization: the facility's name.")
@click.option("--facility-id", help="Organizational unit: the facility's identifier.")
@click.option("--csr", is_flag=True, help="Write a certificate signing request for your PKI.")
@click.option(
    "--ca-cert",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Issue the certificate with this demo CA instead of writing a CSR.",
)
@click.option(
    "--ca-key", type=click.Path(dir_okay=False, path_type=Path), help="The demo CA's private key."
)
@click.option("--days", default=730, show_default=True, help="Certificate validity in days.")
@click.option("--rsa", is_flag=True, help="RSA-3072 instead of ECDSA P-256.")
@click.option("--force", is_flag=True, help="Replace existing files.")
@passphrase_options(what="the new signing key")
@passphrase_options("ca", what="the CA key")
def keygen_signer(
    prefix: Path,
    name: str,
    role: str,
    facility_name: str,
    facility_id: str | None,
    csr: bool,
    ca_cert: Path | None,
    ca_key: Path | None,
    days: int,
    rsa: bool,
    force: bool,
    passphrase_file: Path | None,
    passphrase_env: str,
    ca_passphrase_file: Path | None,
    ca_passphrase_env: str,
) -> int:
    """Make a facility signing key, with a CSR or a certificate from a demo CA."""
    from ictb import keys

    if csr == bool(ca_cert):
        raise click.UsageError("give either --csr or --ca-cert (with --ca-key)")
    if ca_cert is not None and ca_key is None:
        raise click.UsageError("--ca-cert needs --ca-key")
    issuer = None
    if ca_cert is not None and ca_key is not None:
        ca_pass = read_passphrase(
            ca_passphrase_file, ca_passphrase_env, what="the CA key", option="--ca-passphrase-file"
        )
        issuer = (keys.load_private_key(ca_key, ca_pass), keys.load_certificates(ca_cert)[0])
    passphrase = read_passphrase(
        passphrase_file, passphrase_env, what="the new signing key", confirm=True
    )
    key = keys.generate_key("rsa" if rsa else "ec")
    key_path = _with_suffix(prefix, ".key.pem")
    if issuer is None:
        request = keys.make_csr(
            key, common=name, facility_name=facility_name, facility_id=facility_id, role=role
        )
        out_path, data = _with_suffix(prefix, ".csr.pem"), keys.pem(request)
    else:
        cert = keys.issue_signer_certificate(
            issuer[0],
            issuer[1],
            key.public_key(),
            common=name,
            facility_name=facility_name,
            facility_id=facility_id,
            role=role,
            not_before=_now() - _day(),
            days=days,
        )
        out_path, data = _with_suffix(prefix, ".pem"), keys.pem(cert)
    write_all(
        [(key_path, keys.encrypted_pkcs8(key, passphrase), 0o600), (out_path, data, 0o644)],
        overwrite=force,
    )
    click.echo(f"wrote {key_path} (encrypted, mode 0600) and {out_path}")
    return EXIT_OK


def write_all(files: list[tuple[Path, bytes, int]], *, overwrite: bool) -> None:
    """Write a set of files that belong together: all of them, or none if one exists."""
    from ictb.outputs import atomic_write

    if not overwrite:
        for path, _, _ in files:
            if path.exists():
                raise IctbError("already exists (use --force to replace it)", path=str(path))
    for path, data, mode in files:
        atomic_write(path, data, overwrite=overwrite, mode=mode)


def _with_suffix(prefix: Path, suffix: str) -> Path:
    return prefix.with_name(prefix.name + suffix)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _day() -> dt.timedelta:
    return dt.timedelta(days=1)


# ---------------------------------------------------------------- sign


@cli.command()
@click.argument("ictbs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--key",
    "key_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The signing key (encrypted PKCS#8 PEM or DER).",
)
@click.option(
    "--cert",
    "cert_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The signing certificate (PEM; may be followed by its chain).",
)
@click.option(
    "--chain",
    "chain_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Intermediate CA certificates to include (PEM).",
)
@click.option(
    "--pkcs12",
    "p12_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A PKCS#12 bundle with the key, certificate and chain (instead of --key).",
)
@passphrase_options()
@click.option("--signer-name", help="The certifying official's name [default: the ICTB's §5f(12)].")
@click.option("--signer-role", help="The official's role [default: the ICTB's §5f(12)].")
@output_options("signed ICTB", "NAME.signed.ictb.xml")
@policy_option
@format_option
def sign(
    ictbs: tuple[Path, ...],
    key_file: Path | None,
    cert_file: Path | None,
    chain_file: Path | None,
    p12_file: Path | None,
    passphrase_file: Path | None,
    passphrase_env: str,
    signer_name: str | None,
    signer_role: str | None,
    out_dir: Path,
    output: Path | None,
    force: bool,
    policy_file: Path | None,
    output_format: str,
) -> int:
    """Sign ICTBs with the certifying signature of §5f(12) (W3C XML Signature).

    The signature covers the brief, the signer's name and role and the signing time, and
    a salted digest of each withholdable identifier; the identifiers themselves stay
    outside it, so a host-nation copy without them still verifies.  An ICTB with a §5f
    error (ICTB-001..014, ICTB-032) or an identifier in free text (RED-020) is refused,
    as is an expired certificate or one without the digitalSignature key usage.

    \b
    Examples:
      ictb sign out/*.ictb.xml --key keys/demo-signer.key.pem --cert keys/demo-signer.pem \\
          --passphrase-file keys/demo-passphrase.txt --out-dir signed/
      ictb sign brief.ictb.xml --pkcs12 commander.p12 -o brief.signed.ictb.xml
    """
    from ictb import ictb_xml, keys, signing
    from ictb.findings import Report
    from ictb.outputs import atomic_write

    if p12_file is not None and (key_file or cert_file):
        raise click.UsageError("give either --pkcs12 or --key with --cert")
    if p12_file is None and not (key_file and cert_file):
        raise click.UsageError("--key and --cert (or --pkcs12) are required")
    # A folder is expanded to the unsigned ICTBs in it; signed copies are not signed again.
    paths = [
        p
        for p in expand_inputs(ictbs, ("*.ictb.xml",))
        if p in ictbs or not p.name.endswith(".signed.ictb.xml")
    ]
    if output is not None and len(paths) != 1:
        raise click.UsageError("-o/--output takes exactly one ICTB; use --out-dir for several")
    passphrase = read_passphrase(passphrase_file, passphrase_env, what="the signing key")
    material = (
        keys.load_pkcs12(p12_file, passphrase)
        if p12_file is not None
        else keys.load_signing_material(key_file, cert_file, chain_file, passphrase)  # type: ignore[arg-type]
    )
    policy = load_policy(policy_file)
    signed_at = _now()
    signing.check_material(material, signed_at)  # refuse once, before any document
    to_stdout = output is not None and str(output) == "-"

    def sign_one(path: Path) -> Report:
        brief = ictb_xml.load(path)
        result = signing.sign(
            brief,
            str(path),
            material,
            signed_at=signed_at,
            policy=policy,
            signer_name=signer_name,
            signer_role=signer_role,
        )
        target = None
        if result.xml is not None:
            if to_stdout:
                sys.stdout.buffer.write(result.xml)
            else:
                target = output or out_dir / signed_name(path)
                if target.resolve() == path.resolve():
                    raise IctbError("refusing to overwrite the input file", path=str(target))
                atomic_write(target, result.xml, overwrite=force)
        facts = {"signed": result.xml is not None, "output": str(target) if target else None}
        return Report(result.report.document, result.report.findings, facts)

    return run_batch(
        "sign",
        paths,
        sign_one,
        accepted=lambda report: bool(report.facts.get("signed")),
        headline=lambda r: (
            f"signed: wrote {r.facts['output']}"
            if r.facts.get("output")
            else ("signed" if r.facts.get("signed") else "refused: nothing written")
        ),
        words=("signed", "refused"),
        output_format=output_format,
        quiet=to_stdout,
    )


def signed_name(path: Path) -> str:
    name = path.name
    stem = name[: -len(".ictb.xml")] if name.endswith(".ictb.xml") else path.stem
    return f"{stem}.signed.ictb.xml"


# ---------------------------------------------------------------- verify


@cli.command()
@click.argument("ictbs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--trust",
    type=click.Path(path_type=Path),
    help="The trust store: a PEM file or a directory of them.  Required: nothing "
    "else is ever trusted.",
)
@click.option(
    "--as-of",
    callback=parse_date_option,
    metavar="DATE",
    help="The day to evaluate on.  [default: today]",
)
@click.option(
    "--period",
    "periods",
    multiple=True,
    callback=parse_periods,
    metavar="START..END",
    help="A further assignment period to check.",
)
@click.option(
    "--confirmations",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The gaining facility's renewal confirmations (§5e).",
)
@click.option(
    "--signature-only",
    is_flag=True,
    help="Check the signature and trust only, not the content rules.",
)
@click.option("--strict", is_flag=True, help="Reject on warnings too (exit 1).")
@policy_option
@format_option
def verify(
    ictbs: tuple[Path, ...],
    trust: Path | None,
    as_of: dt.date | None,
    periods: tuple[Any, ...],
    confirmations: Path | None,
    signature_only: bool,
    strict: bool,
    policy_file: Path | None,
    output_format: str,
) -> int:
    """Verify signed ICTBs at the gaining facility, offline, against a trust store.

    Checks the XML Signature over the brief, the algorithms (SHA-256 or stronger; ECDSA
    P-256/P-384 or RSA 2048+), the signer's chain to the trust store at the signing time
    and its digitalSignature key usage, each identifier still present against its
    certified digest, and then the check rules on the signed content only.  Reports the
    signer, the signing time and which identifiers were withheld (a release copy).

    \b
    Example:
      ictb verify signed/*.ictb.xml --trust keys/demo-trust/ --as-of 2026-12-01
    """
    from ictb import check as check_module
    from ictb import check_context, keys
    from ictb import verify as verify_module
    from ictb.errors import TrustConfigError
    from ictb.xmlsafe import read_input

    if trust is None:
        raise TrustConfigError(
            "no trust store: give --trust with the sending facilities' CA certificates "
            "(there is no default)"
        )
    store = keys.TrustStore.load(trust)
    policy = load_policy(policy_file)
    day = as_of or dt.date.today()
    context: dict[str, Any] = {}
    if confirmations is not None:
        context["confirmations"] = check_context.load_confirmations(confirmations).confirmations
    check_options = (
        None
        if signature_only
        else check_module.CheckOptions(
            as_of=day, policy=policy, extra_periods=periods, context=context
        )
    )
    options = verify_module.VerifyOptions(store, day, policy, check_options)

    def verify_one(path: Path) -> Report:
        return verify_module.verify(read_input(path), str(path), options).report

    return run_batch(
        "verify",
        list(expand_inputs(ictbs, ("*.xml",))),
        verify_one,
        accepted=lambda report: report.accepted(strict=strict),
        headline=signer_headline,
        details=expiry_lines,
        output_format=output_format,
    )


def signer_headline(report: Report) -> str | None:
    signer = report.facts.get("signer")
    if not signer or "signed_at" not in report.facts:
        return None
    text = f"signed by {signer['name']} ({signer['organization']}) at {report.facts['signed_at']}"
    if report.facts.get("withheld"):
        text += "; release copy, withheld: " + ", ".join(report.facts["withheld"])
    validity = validity_headline(report)
    return f"{text}; {validity}" if validity else text


# ---------------------------------------------------------------- redact


@cli.command()
@click.argument("ictbs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--profile",
    default="host-nation",
    show_default=True,
    help="What to withhold: a redaction profile.",
)
@click.option(
    "--profile-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Further profiles and categories (JSON, the shape of "
    "ictb/data/redaction-profiles.json), e.g. a mission's own.",
)
@click.option("--released-to", metavar="COUNTRY", help="The host nation receiving the copy.")
@click.option("--released-by", metavar="NAME", help="The releasing official (e.g. the SMDR).")
@click.option(
    "--released-on",
    callback=parse_date_option,
    metavar="DATE",
    help="The date of release.  [default: today]",
)
@output_options("release copy", "NAME.release.ictb.xml")
@format_option
def redact(
    ictbs: tuple[Path, ...],
    profile: str,
    profile_file: Path | None,
    released_to: str | None,
    released_by: str | None,
    released_on: dt.date | None,
    out_dir: Path,
    output: Path | None,
    force: bool,
    output_format: str,
) -> int:
    """Make host-nation release copies of signed ICTBs that still verify (§8c).

    Drops the withheld identifiers (SSN, date of birth, home address, DEA number and, by
    default, the other personal identifiers) together with their salts, and adds the
    release marking; the sending commander's signature stays valid, so the host nation
    can check the copy with the sending facility's certificate.  Refuses (RED-022) when
    a withheld-category identifier sits where it cannot be dropped, and scans its own
    output before writing (RED-001..007).

    \b
    Example:
      ictb redact signed/*.signed.ictb.xml --released-to "Republic of Palau" \\
          --released-by "CAPT A. Smdr, MC, USN" --out-dir release/
    """
    from ictb import redaction
    from ictb.findings import Report
    from ictb.outputs import atomic_write
    from ictb.xmlsafe import read_input

    chosen = redaction.load_profile(profile, profile_file)
    paths = list(expand_inputs(ictbs, ("*.signed.ictb.xml",)))
    if output is not None and len(paths) != 1:
        raise click.UsageError("-o/--output takes exactly one ICTB; use --out-dir for several")
    to_stdout = output is not None and str(output) == "-"
    day = released_on or dt.date.today()

    def redact_one(path: Path) -> Report:
        result = redaction.redact(
            read_input(path),
            str(path),
            chosen,
            released_to=released_to,
            released_by=released_by,
            released_on=day,
        )
        target = None
        if result.xml is not None:
            if to_stdout:
                sys.stdout.buffer.write(result.xml)
            else:
                target = output or out_dir / release_name(path)
                if target.resolve() == path.resolve():
                    raise IctbError("refusing to overwrite the input file", path=str(target))
                atomic_write(target, result.xml, overwrite=force)
        facts = {
            **result.report.facts,
            "released": result.xml is not None,
            "output": str(target) if target else None,
        }
        return Report(result.report.document, result.report.findings, facts)

    return run_batch(
        "redact",
        paths,
        redact_one,
        accepted=lambda report: bool(report.facts.get("released")),
        headline=lambda r: (
            f"wrote {r.facts['output']}"
            if r.facts.get("output")
            else ("released" if r.facts.get("released") else "refused: nothing written")
        ),
        words=("released", "refused"),
        output_format=output_format,
        quiet=to_stdout,
    )


def release_name(path: Path) -> str:
    name = path.name
    for suffix in (".signed.ictb.xml", ".ictb.xml", ".xml"):
        if name.endswith(suffix):
            return f"{name[: -len(suffix)]}.release.ictb.xml"
    return f"{name}.release.ictb.xml"


# ---------------------------------------------------------------- DHS detailee packets


@cli.group()
def detailee() -> None:
    """DHS detailee and contractor credential-verification packets.

    Under the DHS Medical Quality Management directive a component relies on the
    detailing federal agency's credentialing of a detailee, requests verification of it
    and copies the ASHA/CMO (§VI.D); detailees and contractors must hold the licenses,
    certifications and registrations the designated medical services require before
    they deliver care (§V.B.2).  Only the DHS rules apply (DHS-001..040); the directive
    does not cover the US Coast Guard (§II.B).

    \b
    Examples:
      ictb detailee new -o packet.xml
      ictb detailee validate samples/detailee/*.xml --as-of 2026-12-20 --trust keys/demo-trust/
    """


@detailee.command("validate")
@click.argument("packets", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--as-of",
    callback=parse_date_option,
    metavar="DATE",
    help="The day to evaluate on.  [default: today]",
)
@click.option(
    "--trust",
    type=click.Path(path_type=Path),
    help="Trust store to verify an embedded or referenced signed ICTB (a DoD MTF "
    "detailing agency); without it the ICTB is reported as not verified.",
)
@click.option("--strict", is_flag=True, help="Reject on warnings too (exit 1).")
@format_option
def detailee_validate(
    packets: tuple[Path, ...],
    as_of: dt.date | None,
    trust: Path | None,
    strict: bool,
    output_format: str,
) -> int:
    """Validate DHS detailee packets (JSON or XML, or directories of them).

    SSN and date of birth never appear in the report (DHS-040).
    """
    from ictb import detailee as detailee_module
    from ictb import keys

    store = keys.TrustStore.load(trust) if trust is not None else None
    day = as_of or dt.date.today()

    def validate_one(path: Path) -> Report:
        packet = detailee_module.load(path)
        return detailee_module.validate(
            packet, str(path), as_of=day, packet_dir=path.parent, trust=store
        )

    return run_batch(
        "detailee validate",
        list(expand_inputs(packets, ("*.xml", "*.json"))),
        validate_one,
        accepted=lambda report: report.accepted(strict=strict),
        headline=packet_headline,
        output_format=output_format,
    )


def packet_headline(report: Report) -> str | None:
    facts = report.facts
    if not facts.get("person_type"):
        return None
    who = facts.get("person") or "unnamed"
    text = f"{who}, {facts['person_type']} serving {facts.get('serving_component')}"
    if facts.get("signed_ictb"):
        text += f"; signed ICTB {facts['signed_ictb']}"
    return text


@detailee.command("new")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the blank packet here (default: standard output).",
)
@click.option("--force", is_flag=True, help="Replace the file if it exists.")
def detailee_new(output: Path | None, force: bool) -> int:
    """Write a blank, commented packet (XML) to fill in."""
    from importlib import resources

    from ictb.outputs import atomic_write

    template = resources.files("ictb").joinpath("data/detailee-packet-template.xml").read_bytes()
    if output is None or str(output) == "-":
        sys.stdout.buffer.write(template)
    else:
        atomic_write(output, template, overwrite=force)
        click.echo(f"wrote {output}; fill it in, then: ictb detailee validate {output}", err=True)
    return EXIT_OK


# ---------------------------------------------------------------- SMDR review


@cli.group()
def smdr() -> None:
    """The SMDR's review of a foreign humanitarian mission (Encl. 4 §8).

    Out of scope, and left to the SMDR: judging clinical competence, making sure
    host-nation officials understand the DoD-NGO relationship (§8e), and the final
    decision on who takes part (RULES.md §14).

    \b
    Example:
      ictb smdr review samples/mission/roster.xml --trust keys/demo-trust/ \\
          --as-of 2027-01-10 --release-dir release/
    """


@smdr.command("review")
@click.argument("roster_file", metavar="ROSTER", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--trust",
    type=click.Path(path_type=Path),
    help="Trust store to verify the providers' signed ICTBs (required).",
)
@click.option(
    "--as-of",
    callback=parse_date_option,
    metavar="DATE",
    help="The day to evaluate on.  [default: today]",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "csv"]),
    default="text",
    show_default=True,
    help="The authorization roster as text, JSON or CSV.",
)
@click.option(
    "--release-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write the host-nation release bundle here: a redacted copy of every "
    "cleared provider's ICTB and a manifest.",
)
@click.option("--force", is_flag=True, help="Replace bundle files that already exist.")
@policy_option
def smdr_review(
    roster_file: Path,
    trust: Path | None,
    as_of: dt.date | None,
    output_format: str,
    release_dir: Path | None,
    force: bool,
    policy_file: Path | None,
) -> int:
    """Review every arriving provider; print the authorization roster the SMDR signs.

    One line per provider (cleared, not cleared, or outside SMDR verification for
    members of a cooperating-party NGO) with the specialty to authorize, independent or
    supervised, and through which date; for those not cleared, what is missing.  Exit 1
    if any provider is not cleared.  Judging clinical competence stays with the SMDR.
    """
    from ictb import keys, mission
    from ictb import smdr as smdr_module
    from ictb.errors import TrustConfigError
    from ictb.render import json_document

    if trust is None:
        raise TrustConfigError(
            "no trust store: give --trust to verify the providers' ICTBs (there is no default)"
        )
    store = keys.TrustStore.load(trust)
    policy = load_policy(policy_file)
    day = as_of or dt.date.today()
    roster = mission.load(roster_file)
    result = smdr_module.review(roster, roster_file.parent, trust=store, as_of=day, policy=policy)
    manifest = None
    if release_dir is not None:
        manifest = smdr_module.release_bundle(
            result, release_dir, trust=store, as_of=day, policy=policy, overwrite=force
        )
    if output_format == "csv":
        click.echo(smdr_module.roster_csv(result), nl=False)
    elif output_format == "json":
        documents = [result.mission_report.as_dict()] + [
            o.report.as_dict() for o in result.outcomes
        ]
        summary = {**result.totals, "authorization_roster": [o.row() for o in result.outcomes]}
        if manifest is not None:
            summary["release_bundle"] = manifest
        click.echo(json_document("smdr review", documents, summary))
    else:
        click.echo(smdr_module.roster_text(result))
        if manifest is not None:
            click.echo(
                f"Host-nation bundle: {len(manifest['copies'])} redacted copies and "
                f"manifest.json in {release_dir}/"
            )
    return EXIT_OK if result.accepted else EXIT_REJECTED


# ---------------------------------------------------------------- convert


@cli.command()
@click.argument("record", type=click.Path(path_type=Path))
@click.option(
    "--to", "target", type=click.Choice(["json", "xml"]), required=True, help="The form to write."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write here instead of standard output.",
)
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
def convert(record: Path, target: str, output: Path | None, force: bool) -> int:
    """Convert a credential record between its JSON and XML forms.

    Both forms are defined by xsd/credential-record.xsd and mean the same thing.

    \b
    Example:
      ictb convert samples/records/01-physician-fellowship.json --to xml
    """
    from ictb import records
    from ictb.outputs import atomic_write

    loaded = records.load(record)
    data = (
        records.to_json_text(loaded).encode("utf-8")
        if target == "json"
        else records.to_xml_bytes(loaded)
    )
    if output is None or str(output) == "-":
        sys.stdout.buffer.write(data)
    else:
        if output.resolve() == record.resolve():
            raise IctbError("refusing to overwrite the input file", path=str(output))
        atomic_write(output, data, overwrite=force)
    return EXIT_OK


# ---------------------------------------------------------------- demo


@cli.command()
@click.option(
    "--samples",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("samples"),
    show_default=True,
    help="The samples folder.",
)
@click.option(
    "--out-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("demo-out"),
    show_default=True,
    help="Where the demo writes its documents (replaced on each run).",
)
def demo(samples: Path, out_dir: Path) -> int:
    """Run the end-to-end demo on the samples.

    Builds an ICTB from every sample record listed in samples/roster.csv, then shows
    every invalid sample being refused with its rule code.  The samples are dated for
    2026-11-22, the date the demo applies the rules on.
    """
    from ictb import demo as demo_module

    return demo_module.run(samples, out_dir, as_of=DEMO_DATE)


# ---------------------------------------------------------------- entry point


def main(argv: list[str] | None = None) -> None:
    """Console entry point: map every outcome to its documented exit code."""
    args = sys.argv[1:] if argv is None else argv
    try:
        result = cli.main(args=args, prog_name="ictb", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.UsageError as exc:
        command = exc.ctx.command_path if exc.ctx else "ictb"
        print(f"ictb: error: {exc.format_message()}\nTry '{command} --help'.", file=sys.stderr)
        sys.exit(EXIT_USAGE)
    except click.ClickException as exc:
        print(f"ictb: error: {exc.format_message()}", file=sys.stderr)
        sys.exit(EXIT_USAGE)
    except click.exceptions.Abort:
        print("ictb: interrupted", file=sys.stderr)
        sys.exit(130)
    except KeyboardInterrupt:
        print("ictb: interrupted", file=sys.stderr)
        sys.exit(130)
    except IctbError as exc:
        print(f"ictb: error: {exc}", file=sys.stderr)
        sys.exit(exc.exit_code)
    except Exception as exc:
        if "--debug" in args:
            traceback.print_exc()
        print(
            f"ictb: internal error: {type(exc).__name__}: {exc} (rerun with --debug "
            "for a traceback)",
            file=sys.stderr,
        )
        sys.exit(EXIT_INTERNAL)
    sys.exit(result if isinstance(result, int) else EXIT_OK)


# Referenced by tests and by the demo.
__all__ = ["EXIT_CANNOT_EVALUATE", "cli", "main", "run_build"]
