"""``check``: may this provider practise under this ICTB on every day of the assignment?

Runs the rule areas of RULES.md §13 on an ICTB (and, where given, its credential
record, renewal confirmations, distribution record and gaining grant), and answers the
question people ask first: valid through which date, and what ends it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ictb import dates, rules
from ictb.findings import Finding, Report
from ictb.model import Brief, CredentialRecord, Period
from ictb.policy import Policy
from ictb.rules import Context, code_range
from ictb.rules.validity import (
    AUTHORIZING_KINDS,
    blocking_intervals,
    effective_events,
    valid_confirmation,
)

CHECK_CODES = (
    code_range("ICTB", 1, 35) | code_range("PRIV", 1, 60) | code_range("LIC", 1, 37) | {"RED-012"}
)


@dataclass(frozen=True)
class Constraint:
    """The first thing that ends the ICTB's usability after the as-of date."""

    last_day: dt.date
    reason: str


@dataclass(frozen=True)
class CheckOptions:
    as_of: dt.date
    policy: Policy
    record: CredentialRecord | None = None
    extra_periods: tuple[Period, ...] = ()
    context: dict[str, Any] = field(default_factory=dict)  # confirmations, distribution, grant
    release: bool = False  # check as a host-nation release copy
    # Later ICTBs seen with this one: id of a superseded ICTB -> id of the one naming it.
    superseded: dict[str, str] = field(default_factory=dict)


def context_for(brief: Brief, options: CheckOptions, superseded_by: str | None = None) -> Context:
    return Context(
        brief=brief,
        as_of=options.as_of,
        policy=options.policy,
        record=options.record,
        extra_periods=options.extra_periods,
        superseded_by=superseded_by or options.superseded.get(brief.document_id),
        release=options.release,
        **options.context,
    )


def check(
    brief: Brief, source: str, options: CheckOptions, superseded_by: str | None = None
) -> Report:
    ctx = context_for(brief, options, superseded_by)
    found = rules.evaluate(ctx, CHECK_CODES)
    return Report(source, tuple(found), summary_facts(ctx, found))


def summary_facts(ctx: Context, found: list[Finding]) -> dict[str, Any]:
    constraint = valid_through(ctx)
    return {
        "as_of": ctx.as_of.isoformat(),
        "ictb_id": ctx.brief.document_id,
        "provider": ctx.brief.provider.display_name() if ctx.brief.provider else None,
        "gaining_facility": ctx.brief.gaining.id,
        "periods": [[p.start.isoformat(), p.end.isoformat()] for p in ctx.periods],
        "valid_through": constraint.last_day.isoformat() if constraint else None,
        "valid_through_reason": constraint.reason if constraint else _no_anchor(ctx),
        "expiring": expiring(ctx),
    }


def _no_anchor(ctx: Context) -> str:
    if ctx.brief.non_privileged:
        return "non-privileged: no privilege expiry to anchor validity (ICTB-019)"
    return "no privilege expiry is stated (ICTB-006)"


def valid_through(ctx: Context) -> Constraint | None:
    """The last day the ICTB can be used, counting from the as-of date, and why.

    The candidates are the privilege expiry (§5e), the day before privileges leave
    effect (abeyance, suspension, revocation), and the expiry of an authorizing license,
    registration or certification not covered by a valid renewal confirmation.  A last
    day before the as-of date means the ICTB is not valid now.
    """
    priv = ctx.brief.privileges
    if ctx.brief.non_privileged or priv is None or priv.expires_on is None:
        return None
    candidates = [Constraint(priv.expires_on, f"privilege expiry on {priv.expires_on}")]
    for interval in blocking_intervals(effective_events(ctx.events, ctx.as_of, ctx.policy)):
        if interval.contains(ctx.as_of) or interval.start > ctx.as_of:
            what = interval.event.type.value.replace("_", " ")
            candidates.append(
                Constraint(dates.day_before(interval.start), f"{what} from {interval.start}")
            )
    for credential in ctx.credentials:
        if (
            credential.kind in AUTHORIZING_KINDS
            and credential.authorizing
            and credential.expires_on is not None
        ):
            confirmed = valid_confirmation(credential, ctx, max(ctx.as_of, credential.expires_on))
            last = (
                confirmed.new_expires_on
                if confirmed and confirmed.new_expires_on
                else (credential.expires_on)
            )
            why = (
                f"{credential.label()} confirmed renewed through {last}"
                if confirmed
                else f"{credential.label()} expires on {last}, no renewal confirmed"
            )
            candidates.append(Constraint(last, why))
    return min(candidates, key=lambda c: c.last_day)


def expiring(ctx: Context) -> list[dict[str, Any]]:
    """Credentials that expire during the assignment or within the warning windows."""
    windows = sorted(ctx.policy.expiry_warning_days)
    periods = ctx.periods
    out = []
    for credential in ctx.credentials:
        expires = credential.expires_on
        if expires is None or expires < ctx.as_of:
            continue
        # Lapsing before a period ends, even before it starts, leaves days uncovered.
        during = any(expires < p.end for p in periods)
        within = next((d for d in windows if expires <= dates.add_days(ctx.as_of, d)), None)
        if during or within is not None:
            out.append(
                {
                    "credential": credential.label(),
                    "expires_on": expires.isoformat(),
                    "during_assignment": during,
                    "within_days": within,
                }
            )
    return sorted(out, key=lambda e: str(e["expires_on"]))
