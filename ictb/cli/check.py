"""``ictb check``: may this provider practise here, under this ICTB, on every day?"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ictb.cli.batch import expiry_lines, run_batch, validity_headline
from ictb.cli.options import (
    as_of_option,
    expand_inputs,
    format_option,
    load_policy,
    parse_periods,
    policy_option,
    today,
)
from ictb.errors import IctbError

if TYPE_CHECKING:
    from ictb.findings import Report


@click.command()
@click.argument("ictbs", nargs=-1, required=True, type=click.Path(path_type=Path))
@as_of_option
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
@click.option(
    "--trust",
    type=click.Path(path_type=Path),
    help="Also verify signed ICTBs against this trust store (ICTB-040..044); the rules "
    "then read only what the signature covers.",
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
    trust: Path | None,
    strict: bool,
    policy_file: Path | None,
    output_format: str,
) -> int:
    """May this provider practise here, under this ICTB, on every day of the assignment?

    Applies the ICTB content and validity rules (ICTB-001..035), the privilege and
    appointment rules (PRIV) and the licensure rules (LIC), citing the policy for every
    finding, and says how long the ICTB stays valid and what ends it.  The verdict is
    valid, needs review (warnings: exit 0, or 1 with --strict) or invalid (exit 1).
    With --trust, a signed ICTB is verified first (as `ictb verify` does).

    \b
    Examples:
      ictb check out/01-physician--W1HTAA.ictb.xml --as-of 2026-12-01
      ictb check brief.xml --record record.json --confirmations confirmations.json \\
          --period 2027-04-01..2027-04-14 --format json
    """
    from ictb import check as check_module
    from ictb import check_context, ictb_xml, keys
    from ictb import records as records_module
    from ictb import verify as verify_module

    store = keys.TrustStore.load(trust) if trust is not None else None

    context: dict[str, Any] = {}
    if confirmations is not None:
        context["confirmations"] = check_context.load_confirmations(confirmations).confirmations
    if distribution is not None:
        context["distribution"] = check_context.load_distribution(distribution)
    if grant is not None:
        context["grant"] = check_context.load_grant(grant)
    if release_profile is not None:
        from ictb import redaction

        redaction.load_profile(release_profile)  # an unknown profile is an error up front
    from ictb import xmlsafe

    paths = list(expand_inputs(ictbs, ("*.xml",)))
    loaded: dict[Path, Any] = {}
    roots: dict[Path, Any] = {}
    # A later ICTB in the same batch that names another in `supersedes` replaces it (§5e).
    superseded: dict[str, str] = {}
    for path in paths:
        try:
            root = ictb_xml.parse(xmlsafe.read_input(path), str(path))
            brief = ictb_xml.from_element(root, str(path))
        except IctbError as exc:
            loaded[path] = exc
            continue
        loaded[path] = brief
        if release_profile is not None:
            roots[path] = root  # the release scans read the document itself
        if brief.supersedes:
            superseded[brief.supersedes] = brief.document_id
    options = check_module.CheckOptions(
        as_of=as_of or today(),
        policy=load_policy(policy_file),
        record=records_module.load(record_file) if record_file else None,
        extra_periods=periods,
        context=context,
        release=release_profile is not None,
        superseded=superseded,
    )

    def check_one(path: Path) -> Report:
        brief = loaded[path]
        if isinstance(brief, IctbError):
            raise brief
        if store is not None and brief.signed:
            verify_options = verify_module.VerifyOptions(
                store, options.as_of, options.policy, options
            )
            report = verify_module.verify(
                xmlsafe.read_input(path), str(path), verify_options
            ).report
        else:
            report = check_module.check(brief, str(path), options)
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
