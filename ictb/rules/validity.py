"""ICTB validity and what the gaining facility must look into (ICTB-016..035).

The ICTB is valid while the sending privileges are in effect (Encl. 4 §5e): it is
tested on the as-of date and on every day of every assignment period (D7).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from ictb import dates
from ictb.findings import Finding, finding
from ictb.model import (
    Credential,
    CredentialKind,
    NotGrantedReason,
    PrivilegeEvent,
    PrivilegeEventType,
    RenewalConfirmation,
)
from ictb.policy import Policy
from ictb.rules import Context, rule

BRIEF = "/ictb/brief"
E = PrivilegeEventType

# Events that take privileges out of effect while they last (Encl. 7 §2b, §2g; A11).
BLOCKING = frozenset({E.ABEYANCE, E.SUMMARY_SUSPENSION, E.SUSPENSION, E.REVOCATION})

# Status changes that require a new ICTB (Encl. 4 §5e; A10).  Abeyance alone is not one.
STATUS_CHANGES = frozenset(
    {
        E.RENEWAL,
        E.CATEGORY_CHANGE,
        E.RESTRICTION,
        E.REDUCTION,
        E.SUSPENSION,
        E.REVOCATION,
        E.DENIAL,
        E.SUMMARY_SUSPENSION,
        E.REINSTATEMENT,
    }
)

AUTHORIZING_KINDS = frozenset(
    {CredentialKind.LICENSE, CredentialKind.REGISTRATION, CredentialKind.CERTIFICATION}
)
REVIEW_KINDS = frozenset({CredentialKind.DEA, CredentialKind.BOARD, CredentialKind.LIFE_SUPPORT})


def label(event: PrivilegeEvent) -> str:
    return event.type.value.replace("_", " ")


# ---------------------------------------------------------------- privilege status


def effective_events(
    events: tuple[PrivilegeEvent, ...], as_of: dt.date, policy: Policy
) -> tuple[PrivilegeEvent, ...]:
    """The events, plus the summary suspension an abeyance becomes on day 31 (PRIV-052).

    An abeyance has a disposition when it ended, or another action followed it, within
    its first ``abeyance_max_days`` days (Encl. 7 §2b).
    """
    out = list(events)
    for event in events:
        if event.type is not E.ABEYANCE:
            continue
        last_allowed = dates.add_days(event.on, policy.abeyance_max_days - 1)
        followed = any(
            other.type is not E.ABEYANCE and event.on <= other.on <= last_allowed
            for other in events
        )
        ended_in_time = event.ended_on is not None and event.ended_on <= last_allowed
        if not (followed or ended_in_time) and as_of > last_allowed:
            out.append(
                PrivilegeEvent(
                    type=E.SUMMARY_SUSPENSION,
                    on=dates.day_after(last_allowed),
                    ended_on=event.ended_on,
                )
            )
    return tuple(sorted(out, key=lambda e: e.on))


@dataclass(frozen=True)
class Interval:
    event: PrivilegeEvent
    start: dt.date
    end: dt.date | None  # None: still in effect

    def contains(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    def overlaps(self, start: dt.date, end: dt.date) -> dt.date | None:
        """The first day of ``[start, end]`` inside this interval, if any."""
        first = max(start, self.start)
        last = end if self.end is None else min(end, self.end)
        return first if first <= last else None


def blocking_intervals(events: tuple[PrivilegeEvent, ...]) -> list[Interval]:
    """When privileges were out of effect: each blocking event until its end.

    An event ends on its ``ended_on`` date or the day before a later reinstatement; a
    revocation lasts until a reinstatement.
    """
    reinstated = sorted(e.on for e in events if e.type is E.REINSTATEMENT)
    out = []
    for event in events:
        if event.type not in BLOCKING:
            continue
        end = event.ended_on
        later = [day for day in reinstated if day > event.on]
        if later and (end is None or later[0] <= end):
            end = dates.day_before(later[0])
        out.append(Interval(event, event.on, end))
    return out


def blocking_event_on(events: tuple[PrivilegeEvent, ...], day: dt.date) -> PrivilegeEvent | None:
    """The abeyance, suspension or revocation in effect on ``day``, if any."""
    for interval in blocking_intervals(events):
        if interval.contains(day):
            return interval.event
    return None


def _effective(ctx: Context) -> tuple[PrivilegeEvent, ...]:
    return effective_events(ctx.events, ctx.as_of, ctx.policy)


# ---------------------------------------------------------------- things to look into


@rule("ICTB-016")
def databank_reports(ctx: Context) -> Iterator[Finding]:
    for name, query in (("NPDB", ctx.brief.npdb), ("HIPDB", ctx.brief.hipdb)):
        if query is not None and query.reported:
            yield finding(
                "ICTB-016",
                f"§5f(7): the {name} query of {query.queried_on} returned information; "
                "look into it before granting privileges",
                f"{BRIEF}/databank_queries/{name.lower()}",
            )


@rule("ICTB-017")
def other_relevant_information(ctx: Context) -> Iterator[Finding]:
    for element, section, block in (
        ("9", "observer", ctx.brief.observer),
        ("10", "file_review", ctx.brief.file_review),
    ):
        info = block.other_info if block is not None else None
        if info is not None and info.present:
            yield finding(
                "ICTB-017",
                f"§5f({element}) states that other relevant information is present; look into it",
                f"{BRIEF}/{section}/other_info",
            )


@rule("ICTB-018")
def application_joined(ctx: Context) -> Iterator[Finding]:
    if ctx.brief.application_attached is False:
        yield finding(
            "ICTB-018",
            "no formal application for privileges is joined to the ICTB (§5b)",
            f"{BRIEF}/application_attached",
        )


@rule("ICTB-019")
def non_privileged(ctx: Context) -> Iterator[Finding]:
    if ctx.brief.non_privileged:
        yield finding(
            "ICTB-019",
            "the provider holds no clinical privileges, so the ICTB has no privilege expiry "
            "to expire with; decide its validity by hand (the license expiry is a guide)",
            f"{BRIEF}/privileges",
        )


# ---------------------------------------------------------------- §5e validity


@rule("ICTB-020", "ICTB-021", "ICTB-022", "ICTB-023")
def privilege_expiry(ctx: Context) -> Iterator[Finding]:
    priv = ctx.brief.privileges
    if ctx.brief.non_privileged or priv is None or priv.expires_on is None:
        return
    expires = priv.expires_on
    where = f"{BRIEF}/privileges/expires_on"
    if ctx.as_of > expires:
        yield finding(
            "ICTB-020",
            f"the privileges the ICTB rests on expired on {expires}; the ICTB is invalid",
            where,
        )
    for period in ctx.periods:
        if period.end > expires:
            yield finding(
                "ICTB-021",
                f"the period {period.start}..{period.end} runs past the privilege expiry: "
                f"the last day covered is {expires}",
                f"{BRIEF}/assignment/period",
            )
    last_days = {p.end for p in ctx.periods}
    if expires == ctx.as_of or expires in last_days:
        which = "the as-of date" if expires == ctx.as_of else "the last day of a period"
        yield finding(
            "ICTB-022",
            f"the privileges expire on {expires}, {which}: covered that day, but confirm "
            "with the sending MTF (Interp. A1)",
            where,
        )
    horizon = dates.add_days(ctx.as_of, ctx.policy.privilege_expiry_info_days)
    if ctx.as_of <= expires <= horizon:
        yield finding(
            "ICTB-023",
            f"the privileges expire within {ctx.policy.privilege_expiry_info_days} days, "
            f"on {expires}",
            where,
        )


@rule("ICTB-024", "ICTB-025")
def assignment_locations(ctx: Context) -> Iterator[Finding]:
    gaining = ctx.brief.gaining.id
    here = [p for p in ctx.periods if p.facility_id in (None, gaining)]
    if len(here) > 1:
        yield finding(
            "ICTB-024",
            f"{len(here)} periods at {gaining}: one ICTB covers them all while the sending "
            "privileges last",
            f"{BRIEF}/assignment",
        )
    for period in ctx.periods:
        if period.facility_id not in (None, gaining):
            yield finding(
                "ICTB-025",
                f"the period {period.start}..{period.end} is at {period.facility_id}, not at "
                f"the ICTB's gaining facility {gaining}; send a new ICTB to that facility",
                f"{BRIEF}/assignment/period",
            )
    if ctx.distribution is not None:
        sent = {(d.ictb_id, d.facility) for d in ctx.distribution.sent}
        if (ctx.brief.document_id, gaining) not in sent:
            yield finding(
                "ICTB-025",
                f"the sending MTF's distribution record does not show this ICTB sent to "
                f"{gaining}, so status updates would not reach it",
                f"{BRIEF}/gaining_facility",
            )


def confirmation_problems(conf: RenewalConfirmation, ctx: Context, through: dt.date) -> list[str]:
    """Why a renewal confirmation does not count (ICTB-028's conditions)."""
    problems = []
    if not conf.with_is_file_holder or not conf.confirmed_with:
        problems.append("not confirmed with the facility holding the credentials file")
    if conf.on is None:
        problems.append("undated")
    elif conf.on > ctx.as_of:
        problems.append(f"dated {conf.on}, after the as-of date")
    if conf.new_expires_on is None:
        problems.append("no new expiration date")
    elif conf.new_expires_on < through:
        problems.append(f"the renewal runs only to {conf.new_expires_on}, before {through}")
    if not conf.in_gaining_file:
        problems.append("not recorded in the gaining facility's file")
    if conf.ictb_id not in (None, ctx.brief.document_id):
        problems.append("recorded for another ICTB")
    return problems


def valid_confirmation(
    credential: Credential, ctx: Context, through: dt.date
) -> RenewalConfirmation | None:
    for conf in ctx.confirmations:
        if conf.credential.matches(credential) and not confirmation_problems(conf, ctx, through):
            return conf
    return None


def section_of(credential: Credential) -> str:
    """Where a credential sits in the brief (§5f(3), (4) or (5))."""
    if credential.kind is CredentialKind.BOARD:
        return f"{BRIEF}/board_certifications"
    if credential.kind is CredentialKind.LIFE_SUPPORT:
        return f"{BRIEF}/life_support"
    return f"{BRIEF}/licensure"


def _gate_kind(credential: Credential) -> str | None:
    if credential.kind in AUTHORIZING_KINDS and credential.authorizing:
        return "ICTB-026"
    if credential.kind in REVIEW_KINDS:
        return "ICTB-027"
    return None


@rule("ICTB-026", "ICTB-027", "ICTB-028", "ICTB-029")
def interim_expiry(ctx: Context) -> Iterator[Finding]:
    through = max(ctx.as_of, ctx.window_last_day())
    for credential in ctx.credentials:
        code = _gate_kind(credential)
        if code is None or credential.expires_on is None or credential.expires_on >= through:
            continue
        where = section_of(credential)
        good = valid_confirmation(credential, ctx, through)
        if good is not None:
            yield finding(
                "ICTB-028",
                f"{credential.label()} expired on {credential.expires_on} and was confirmed "
                f"renewed through {good.new_expires_on} with {good.confirmed_with} on "
                f"{good.on}: no new ICTB is needed",
                where,
            )
            continue
        for conf in ctx.confirmations:
            if conf.credential.matches(credential):
                why = "; ".join(confirmation_problems(conf, ctx, through))
                yield finding(
                    "ICTB-029",
                    f"the renewal confirmation of {credential.label()} does not count: {why}",
                    where,
                )
        if credential.expires_on < ctx.as_of:
            when = f"expired on {credential.expires_on}"
        else:
            when = f"expires on {credential.expires_on}, before the last assignment day {through}"
        yield finding(
            code,
            f"{credential.label()} {when}, and no valid renewal confirmation covers it",
            where,
        )


@rule("ICTB-030")
def status_changed(ctx: Context) -> Iterator[Finding]:
    brief = ctx.brief
    certified = (
        brief.certification.signed_on
        if brief.certification is not None and brief.certification.signed_on is not None
        else brief.issued_on
    )
    for event in _effective(ctx):
        if event.type in STATUS_CHANGES and certified < event.on <= ctx.as_of:
            yield finding(
                "ICTB-030",
                f"the sending privileges changed status after the ICTB was certified on "
                f"{certified} ({label(event)} on {event.on}): a new ICTB is required",
                f"{BRIEF}/certification",
            )
    if ctx.superseded_by:
        yield finding(
            "ICTB-030",
            f"the later ICTB {ctx.superseded_by} supersedes this one",
            f"{BRIEF}/document_id",
        )


@rule("ICTB-031")
def privileges_in_effect(ctx: Context) -> Iterator[Finding]:
    for interval in blocking_intervals(_effective(ctx)):
        what = f"{label(interval.event)} from {interval.start}"
        if interval.contains(ctx.as_of):
            yield finding(
                "ICTB-031",
                f"the sending privileges are not in effect on the as-of date ({what})",
                f"{BRIEF}/privileges",
            )
        for period in ctx.periods:
            first = interval.overlaps(period.start, period.end)
            if first is not None and not (first == ctx.as_of and interval.contains(ctx.as_of)):
                yield finding(
                    "ICTB-031",
                    f"the sending privileges are not in effect from {first}, a day of the "
                    f"period {period.start}..{period.end} ({what})",
                    f"{BRIEF}/assignment/period",
                )


@rule("ICTB-032")
def issued_while_current(ctx: Context) -> Iterator[Finding]:
    brief = ctx.brief
    priv = brief.privileges
    if brief.non_privileged or priv is None or priv.expires_on is None:
        return  # ICTB-006 or ICTB-019 speaks for these
    days = {"issued": (brief.issued_on, f"{BRIEF}/issued_on")}
    if brief.certification is not None and brief.certification.signed_on is not None:
        days["certified"] = (brief.certification.signed_on, f"{BRIEF}/certification")
    events = _effective(ctx)
    for verb, (day, where) in days.items():
        if not dates.current_on(day, priv.granted_on, priv.expires_on):
            yield finding(
                "ICTB-032",
                f"the ICTB was {verb} on {day} when the sending privileges were not current "
                f"(granted {priv.granted_on or 'on an unknown date'}, expiring {priv.expires_on})",
                where,
            )
            continue
        blocking = blocking_event_on(events, day)
        if blocking is not None:
            yield finding(
                "ICTB-032",
                f"the ICTB was {verb} on {day} while the sending privileges were not in "
                f"effect ({label(blocking)} from {blocking.on})",
                where,
            )


# ---------------------------------------------------------------- the gaining grant


def _same_item(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


@rule("ICTB-033", "ICTB-034")
def gaining_grant(ctx: Context) -> Iterator[Finding]:
    grant, priv = ctx.grant, ctx.brief.privileges
    if grant is None or grant.ictb_id not in (None, ctx.brief.document_id):
        return  # no grant, or a grant made on another ICTB
    if grant.facility not in (None, ctx.brief.gaining.id):
        return
    where = "/gaining_grant"
    sending = priv.privileges if priv is not None else ()
    for item in grant.privileges:
        if not any(_same_item(item, s) for s in sending):
            yield finding(
                "ICTB-033",
                f"the gaining grant includes {item!r}, which is not on the sending privilege list",
                f"{where}/privilege",
            )
    expires = priv.expires_on if priv is not None else None
    if grant.expires_on is not None and (expires is None or grant.expires_on > expires):
        yield finding(
            "ICTB-033",
            f"the gaining grant runs to {grant.expires_on}, past the sending privilege "
            f"expiry {expires or '(none stated)'}",
            f"{where}/expires_on",
        )
    for refused in grant.not_granted:
        if refused.reason is NotGrantedReason.FACILITY_LIMITATION:
            yield finding(
                "ICTB-034",
                f"{refused.item!r} was not granted because of facility limits: this is not an "
                "adverse privileging action and must not be reported as one",
                f"{where}/not_granted",
            )


@rule("ICTB-035")
def appraisal_form(ctx: Context) -> Iterator[Finding]:
    if ctx.brief.appraisal_request:
        yield finding(
            "ICTB-035",
            "a performance appraisal returned on another Service's form is accepted as is",
            f"{BRIEF}/assignment/appraisal_request",
        )
