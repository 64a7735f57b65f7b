"""``ictb redact``: host-nation release copies of signed ICTBs that still verify (§8c)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ictb.cli.batch import run_batch
from ictb.cli.options import (
    deliver,
    document_text,
    expand_inputs,
    format_option,
    jobs_option,
    output_options,
    parse_date_option,
    today,
    worker_count,
    written_headline,
)

if TYPE_CHECKING:
    from ictb.findings import Report


@click.command()
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
@click.option(
    "--released-to",
    callback=document_text,
    metavar="COUNTRY",
    help="The host nation receiving the copy.",
)
@click.option(
    "--released-by",
    callback=document_text,
    metavar="NAME",
    help="The releasing official (e.g. the SMDR).",
)
@click.option(
    "--released-on",
    callback=parse_date_option,
    metavar="DATE",
    help="The date of release.  [default: today]",
)
@output_options("release copy", "NAME.release.ictb.xml")
@jobs_option
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
    workers: int | None,
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
    from ictb.xmlsafe import read_input

    chosen = redaction.load_profile(profile, profile_file)
    paths = list(expand_inputs(ictbs, ("*.signed.ictb.xml",)))
    if output is not None and len(paths) != 1:
        raise click.UsageError("-o/--output takes exactly one ICTB; use --out-dir for several")
    to_stdout = output is not None and str(output) == "-"
    day = released_on or today()

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
            destination = None if to_stdout else output or out_dir / release_name(path)
            target = deliver(result.xml, destination, source=path, overwrite=force)
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
        headline=written_headline("released"),
        words=("released", "refused"),
        output_format=output_format,
        quiet=to_stdout,
        workers=1 if to_stdout else worker_count(workers),
        output_of=lambda path: None if to_stdout else output or out_dir / release_name(path),
    )


def release_name(path: Path) -> str:
    name = path.name
    for suffix in (".signed.ictb.xml", ".ictb.xml", ".xml"):
        if name.endswith(suffix):
            return f"{name[: -len(suffix)]}.release.ictb.xml"
    return f"{name}.release.ictb.xml"
