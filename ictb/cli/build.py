"""``ictb build`` (credential records to ICTBs) and ``ictb convert`` (JSON to XML and back)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ictb.cli.batch import run_batch
from ictb.cli.options import (
    deliver,
    document_text,
    expand_inputs,
    format_option,
    jobs_option,
    load_policy,
    output_options,
    parse_date_option,
    parse_periods,
    policy_option,
    today,
    worker_count,
)
from ictb.errors import EXIT_OK

if TYPE_CHECKING:
    from ictb.build import Assignment
    from ictb.findings import Report
    from ictb.policy import Policy


@click.command()
@click.argument("records", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--roster",
    type=click.Path(dir_okay=False, path_type=Path),
    help="CSV: record,gaining_facility[,gaining_facility_name],purpose,"
    "period_start,period_end (one row per period).",
)
@click.option(
    "--gaining-facility",
    "gaining_id",
    callback=document_text,
    metavar="ID",
    help="The gaining facility's identifier.",
)
@click.option(
    "--gaining-name", callback=document_text, metavar="NAME", help="The gaining facility's name."
)
@click.option(
    "--purpose",
    callback=document_text,
    help="§5f(8): the nature or purpose of the temporary assignment.",
)
@click.option(
    "--appraisal-request",
    callback=document_text,
    help="§5f(8): the performance appraisal requested, if any.",
)
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
@click.option(
    "--supersedes",
    callback=document_text,
    metavar="UUID",
    help="The id of the ICTB this one replaces.",
)
@click.option(
    "--distribution",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The sending MTF's distribution record (JSON or XML; created if missing): each "
    "ICTB written is added with its gaining facility (§5e).",
)
@output_options("ICTB", "RECORD--GAINING.ictb.xml")
@click.option("--strict", is_flag=True, help="Refuse to write an ICTB with warnings too.")
@policy_option
@jobs_option
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
    workers: int | None,
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
        issued_on=issued_on or today(),
        policy=load_policy(policy_file),
        out_dir=out_dir,
        output=output,
        overwrite=force,
        strict=strict,
        supersedes=supersedes,
        distribution=distribution,
        output_format=output_format,
        workers=worker_count(workers),
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
    workers: int = 1,
) -> int:
    from ictb import build as build_module
    from ictb import records as records_module
    from ictb.findings import Report
    from ictb.model import DistributionEntry

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
            name = output_name(record_path, assignment.gaining.id)
            target = deliver(
                result.xml,
                None if to_stdout else output or out_dir / name,
                source=record_path,
                overwrite=overwrite,
            )
        facts = {"built": built, "output": str(target) if target else None}
        if built and result.brief is not None:
            facts["ictb_id"] = result.brief.document_id
        return Report(report.document, report.findings, {**report.facts, **facts})

    def record(report: Report) -> None:
        # In the parent, in input order: the workers cannot share a list.
        if report.facts.get("built") and report.facts.get("ictb_id"):
            ictb_id, facility = report.facts["ictb_id"], report.facts["gaining_facility"]
            sent.append(DistributionEntry(str(ictb_id), str(facility), issued_on))

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
            workers=1 if to_stdout else workers,
            collect=record,
            output_of=lambda job: (
                None if to_stdout else output or out_dir / output_name(job[0], job[1].gaining.id)
            ),
        )
    finally:
        # Whatever was written is recorded, even when the batch stops part way (§5e).
        if distribution is not None and sent:
            from ictb.check_context import record_sent

            record_sent(distribution, sent)


@click.command()
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

    loaded = records.load(record)
    data = (
        records.to_json_text(loaded).encode("utf-8")
        if target == "json"
        else records.to_xml_bytes(loaded)
    )
    deliver(
        data,
        None if output is None or str(output) == "-" else output,
        source=record,
        overwrite=force,
    )
    return EXIT_OK
