"""``ictb detailee``: DHS detailee and contractor credential-verification packets."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ictb.cli.batch import packet_headline, run_batch
from ictb.cli.options import as_of_option, expand_inputs, format_option, today
from ictb.errors import EXIT_OK

if TYPE_CHECKING:
    from ictb.findings import Report


@click.group()
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
      ictb detailee validate samples/detailee/ --as-of 2026-12-20 --trust keys/demo-trust/
    """


@detailee.command("validate")
@click.argument("packets", nargs=-1, required=True, type=click.Path(path_type=Path))
@as_of_option
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
    day = as_of or today()

    def validate_one(path: Path) -> Report:
        packet = detailee_module.load(path)
        return detailee_module.validate(
            packet, str(path), as_of=day, packet_dir=path.parent, trust=store
        )

    return run_batch(
        "detailee validate",
        # A folder holds packets and the signed ICTBs they reference: read only packets.
        [
            p
            for p in expand_inputs(packets, ("*.xml", "*.json"))
            if p in packets or not p.name.endswith(".ictb.xml")
        ],
        validate_one,
        accepted=lambda report: report.accepted(strict=strict),
        headline=packet_headline,
        output_format=output_format,
    )


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
