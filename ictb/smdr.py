"""``smdr review``: the SMDR's review of a foreign humanitarian mission's providers.

For every arriving provider: verify the signed ICTB (signature, trust, withheld fields)
and check it over the provider's mission window, apply HUM-001..031 and the ICTB,
PRIV-010 and licensure rules of RULES.md §13, and say whether the provider is cleared,
for which specialty, independent or supervised, and through which date.  Judging
clinical competence stays with the SMDR (RULES.md §14).
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ictb import check, keys, redaction, rules, verify, xmlsafe
from ictb.errors import IctbError
from ictb.findings import Finding, Report, Severity
from ictb.mission import ArrivingProvider, MissionRoster
from ictb.model import Period
from ictb.outputs import atomic_write
from ictb.policy import Policy
from ictb.rules._record import normalize_category
from ictb.rules.humanitarian import (
    MISSION_CODES,
    PROVIDER_CODES,
    IctbReview,
    MissionContext,
    ProviderContext,
)

CLEARED = "cleared"
NOT_CLEARED = "not cleared"
OUTSIDE = "outside SMDR verification"


@dataclass(frozen=True)
class Outcome:
    provider: ArrivingProvider
    report: Report
    status: str
    specialty: str | None
    practice: str | None  # "independent" or "supervised"
    valid_through: dt.date | None
    ictb_raw: bytes | None

    @property
    def missing(self) -> list[str]:
        return [f"{f.code}: {f.message}" for f in self.report.errors]

    def row(self) -> dict[str, Any]:
        p = self.provider
        return {
            "provider_id": p.id,
            "name": p.name.display(),
            "component": p.component.value,
            "status": self.status,
            "specialty_authorized": self.specialty if self.status == CLEARED else None,
            "practice": self.practice if self.status == CLEARED else None,
            "valid_through": self.valid_through.isoformat()
            if self.status == CLEARED and self.valid_through
            else None,
            "missing": self.missing,
        }


@dataclass(frozen=True)
class Review:
    roster: MissionRoster
    mission_report: Report
    outcomes: tuple[Outcome, ...]

    @property
    def totals(self) -> dict[str, int]:
        counts = {CLEARED: 0, NOT_CLEARED: 0, OUTSIDE: 0}
        for outcome in self.outcomes:
            counts[outcome.status] += 1
        return {"providers": len(self.outcomes), **counts}

    @property
    def accepted(self) -> bool:
        return not self.mission_report.errors and all(
            o.status != NOT_CLEARED for o in self.outcomes
        )


def _review_ictb(
    provider: ArrivingProvider,
    *,
    roster_dir: Path,
    trust: keys.TrustStore,
    as_of: dt.date,
    policy: Policy,
) -> tuple[IctbReview | None, bytes | None, dict[str, Any]]:
    if not provider.ictb:
        return None, None, {}
    path = roster_dir / provider.ictb
    try:
        raw = xmlsafe.read_input(path)
        window = (Period(start=provider.report_on, end=provider.depart_on),)
        options = verify.VerifyOptions(
            trust,
            as_of,
            policy,
            check.CheckOptions(as_of=as_of, policy=policy, extra_periods=window),
        )
        result = verify.verify(raw, str(path), options)
    except IctbError as exc:
        return IctbReview(None, (), f"{provider.ictb}: {exc.message}"), None, {}
    if result.brief is None:
        codes = ", ".join(sorted({f.code for f in result.report.errors}))
        return (
            IctbReview(None, result.report.findings, f"the ICTB does not verify ({codes})"),
            None,
            {},
        )
    return IctbReview(result.brief, result.report.findings), raw, result.report.facts


def review(
    roster: MissionRoster,
    roster_dir: Path,
    *,
    trust: keys.TrustStore,
    as_of: dt.date,
    policy: Policy,
    workers: int = 1,
) -> Review:
    from ictb import parallel

    # Verifying the ICTBs is the costly part: in worker processes, in roster order.
    reviews = parallel.ordered(
        functools.partial(
            _review_ictb, roster_dir=roster_dir, trust=trust, as_of=as_of, policy=policy
        ),
        roster.providers,
        jobs=min(workers, len(roster.providers)),
    )
    outcomes = []
    for provider, (ictb_review, raw, facts) in zip(roster.providers, reviews, strict=True):
        ctx = ProviderContext(roster, provider, as_of, ictb_review)
        found: list[Finding] = list(rules.evaluate(ctx, PROVIDER_CODES))
        if not ctx.verified_by_smdr:
            status = OUTSIDE
        else:
            if provider.is_dod and ictb_review is not None:
                found += ictb_review.findings  # the underlying ICTB codes fire too
            status = NOT_CLEARED if any(f.severity is Severity.ERROR for f in found) else CLEARED
        specialty, practice = _scope(provider, ictb_review)
        through = _valid_through(provider, facts)
        report = Report(
            provider.id,
            tuple(found),
            {
                "name": provider.name.display(),
                "status": status,
                "specialty_authorized": specialty,
                "practice": practice,
                "valid_through": through.isoformat() if through else None,
            },
        )
        outcomes.append(Outcome(provider, report, status, specialty, practice, through, raw))
    mission_findings = rules.evaluate(MissionContext(roster, as_of), MISSION_CODES)
    mission_report = Report("mission", tuple(mission_findings), {"name": roster.mission.name})
    return Review(roster, mission_report, tuple(outcomes))


def _scope(provider: ArrivingProvider, review: IctbReview | None) -> tuple[str | None, str | None]:
    """The specialty to authorize, and independent or supervised practice."""
    auth = provider.authorization
    brief = review.brief if review else None
    specialty = (auth.specialty if auth and auth.specialty else None) or (
        brief.provider.specialty if brief and brief.provider else provider.specialty
    )
    category = normalize_category(brief.privileges.category) if brief and brief.privileges else None
    if category == "supervised" or (auth is not None and auth.independent is False):
        return specialty, "supervised"
    if category == "regular" or (auth is not None and auth.independent):
        return specialty, "independent"
    return specialty, "as the SMDR directs"


def _valid_through(provider: ArrivingProvider, facts: dict[str, Any]) -> dt.date | None:
    candidates = [provider.depart_on]
    if facts.get("valid_through"):
        candidates.append(dt.date.fromisoformat(str(facts["valid_through"])))
    if provider.mrc is not None and provider.mrc.expires_on is not None:
        candidates.append(provider.mrc.expires_on)
    return min(candidates)


# ---------------------------------------------------------------- the release bundle


def release_bundle(
    result: Review,
    out_dir: Path,
    *,
    trust: keys.TrustStore,
    as_of: dt.date,
    policy: Policy,
    overwrite: bool = False,
) -> dict[str, Any]:
    """A redacted copy of every cleared provider's ICTB, verified and leak-checked, and
    a manifest of the copies with their digests and the categories withheld."""
    mission = result.roster.mission
    profile = redaction.load_profile("host-nation")
    releasable = [o for o in result.outcomes if o.status == CLEARED and o.ictb_raw is not None]
    targets = [out_dir / f"{o.provider.id}.release.ictb.xml" for o in releasable]
    if not overwrite:  # all or nothing: never a new copy beside an old manifest
        for target in (*targets, out_dir / "manifest.json"):
            try:
                exists = target.exists()
            except OSError as exc:  # e.g. a name longer than the file system takes
                raise IctbError(f"cannot write: {exc.strerror}", path=str(target)) from None
            if exists:
                raise IctbError("already exists (use --force to replace it)", path=str(target))
    copies = []
    for outcome in releasable:
        assert outcome.ictb_raw is not None
        source = outcome.provider.ictb or outcome.provider.id
        released = redaction.redact(
            outcome.ictb_raw,
            source,
            profile,
            released_to=mission.host_nation,
            released_by=mission.smdr.name,
            released_on=as_of,
        )
        if released.xml is None:
            raise IctbError(
                "cannot release: " + "; ".join(f.message for f in released.report.errors),
                path=source,
            )
        checked = verify.verify(released.xml, source, verify.VerifyOptions(trust, as_of, policy))
        if checked.report.errors:
            raise IctbError("the release copy does not verify", path=source)
        name = f"{outcome.provider.id}.release.ictb.xml"
        atomic_write(out_dir / name, released.xml, overwrite=overwrite)
        copies.append(
            {
                "provider_id": outcome.provider.id,
                "name": outcome.provider.name.display(),
                "file": name,
                "sha256": hashlib.sha256(released.xml).hexdigest(),
                "withheld_categories": list(profile.categories),
                "withheld_fields": released.report.facts["withheld"],
                "verified": True,
            }
        )
    manifest = {
        "mission": mission.name,
        "host_nation": mission.host_nation,
        "released_on": as_of.isoformat(),
        "released_by": mission.smdr.name,
        "profile": profile.name,
        "copies": copies,
    }
    data = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    atomic_write(out_dir / "manifest.json", data, overwrite=overwrite)
    return manifest


# ---------------------------------------------------------------- the authorization roster


def roster_csv(result: Review) -> str:
    out = io.StringIO()
    fields = [
        "provider_id",
        "name",
        "component",
        "status",
        "specialty_authorized",
        "practice",
        "valid_through",
        "missing",
    ]
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for outcome in result.outcomes:
        row = outcome.row()
        row["missing"] = " | ".join(row["missing"])
        writer.writerow(row)
    return out.getvalue()


def roster_text(result: Review) -> str:
    mission = result.roster.mission
    lines = [
        f"Mission {mission.name}, {mission.host_nation}, {mission.start}..{mission.end}; "
        f"SMDR {mission.smdr.name}",
        "",
    ]
    for outcome in result.outcomes:
        p = outcome.provider
        reason = (
            f"{outcome.specialty}, {outcome.practice}, through {outcome.valid_through}"
            if outcome.status == CLEARED
            else "; ".join(sorted({f.code for f in outcome.report.errors})) or "HUM-014"
        )
        lines.append(
            f"  {outcome.status.upper():<27} {p.name.display():<30} "
            f"{(p.specialty or '')[:28]:<28} {reason}"
        )
        for f in outcome.report.findings:
            if f.severity is not Severity.INFO:
                lines.append(f"      {f.severity.value:<7} {f.code:<9} {f.message}")
    for f in result.mission_report.findings:
        lines.append(f"  mission: {f.severity.value} {f.code} {f.message}")
    totals = result.totals
    lines += [
        "",
        f"{totals['providers']} providers: {totals[CLEARED]} cleared, "
        f"{totals[NOT_CLEARED]} not cleared, {totals[OUTSIDE]} outside SMDR verification",
        "Clinical competence is the SMDR's judgement; this review does not assess it.",
    ]
    return "\n".join(lines)
