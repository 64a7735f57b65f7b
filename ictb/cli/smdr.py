"""``ictb smdr``: the SMDR's review of a foreign humanitarian mission (Encl. 4 §8)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from ictb.cli.options import (
    as_of_option,
    jobs_option,
    load_policy,
    policy_option,
    today,
    worker_count,
)
from ictb.errors import EXIT_OK, EXIT_REJECTED


@click.group()
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
@as_of_option
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
@jobs_option
@policy_option
def smdr_review(
    roster_file: Path,
    trust: Path | None,
    as_of: dt.date | None,
    output_format: str,
    release_dir: Path | None,
    force: bool,
    policy_file: Path | None,
    workers: int | None,
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
    day = as_of or today()
    roster = mission.load(roster_file)
    result = smdr_module.review(
        roster,
        roster_file.parent,
        trust=store,
        as_of=day,
        policy=policy,
        workers=worker_count(workers),
    )
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
