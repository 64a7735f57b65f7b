"""A host-nation release copy is not a privileging ICTB (RED-012)."""

from __future__ import annotations

from collections.abc import Iterator

from ictb.findings import Finding, finding
from ictb.rules import Context, rule


@rule("RED-012")
def release_copy_used_for_privileging(ctx: Context) -> Iterator[Finding]:
    brief = ctx.brief
    if ctx.release or (brief.release is None and not brief.withheld):
        return
    withheld = ", ".join(sorted(brief.withheld)) or "marked for release"
    yield finding(
        "RED-012",
        f"this is a host-nation release copy ({withheld}), not the credentials file a "
        "gaining facility privileges on; ask the sending MTF for the ICTB itself",
        "/ictb/release",
    )
