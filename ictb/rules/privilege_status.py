"""Privilege status: adverse actions, abeyance, summary suspension (RULES.md §6.5).

PRIV-050..055: DoDM 6025.13 Encl. 7 §2 and the Glossary.  Privilege events exist only
in a credential record; without one these rules have nothing to judge.  Dates follow
D4 (``ictb.dates``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ictb import dates
from ictb.findings import Finding, finding
from ictb.model import ActionBasis, PrivilegeEvent, PrivilegeEventType
from ictb.rules import Context, rule
from ictb.rules._record import RECORD, _blank, _event_label, _overlaps, _privileges
from ictb.rules.validity import blocking_intervals, effective_events

E = PrivilegeEventType

# Final actions that end a summary suspension (Encl. 7 §2g: "the final action is ...").
_FINAL_ACTIONS = frozenset({E.RESTRICTION, E.REDUCTION, E.SUSPENSION, E.REVOCATION, E.DENIAL})


def _event_where(index: int) -> str:
    return f"{RECORD}/privilege_events/event[{index}]"


# ---------------------------------------------------------------- §6.5 privilege status


def _event_last_day(event: PrivilegeEvent, events: tuple[PrivilegeEvent, ...]) -> dt.date | None:
    """The last day an event is in effect: ``ended_on`` or the day before a reinstatement."""
    end = event.ended_on
    later = sorted(e.on for e in events if e.type is E.REINSTATEMENT and e.on > event.on)
    if later and (end is None or later[0] <= end):
        end = dates.day_before(later[0])
    return end


@rule("PRIV-050")
def restrictions(ctx: Context) -> Iterator[Finding]:
    if ctx.record is None:
        return
    priv, _ = _privileges(ctx)
    events = ctx.events
    # D7: in effect on the as-of date or on any assignment day.
    windows = [(ctx.as_of, ctx.as_of), *((p.start, p.end) for p in ctx.periods)]
    for index, event in enumerate(events, start=1):
        if event.type is not E.RESTRICTION:
            continue
        last = _event_last_day(event, events)
        if not any(_overlaps(event.on, last, first, end) for first, end in windows):
            continue
        problems = []
        if priv is None or priv.restricted is not True:
            problems.append("the privilege list does not show it")
        if event.supervision_arranged is not True:
            problems.append("no supervision arrangement is recorded")
        if problems:
            yield finding(
                "PRIV-050",
                f"{_event_label(event)} is in effect but {' and '.join(problems)}",
                _event_where(index),
            )


@rule("PRIV-051")
def abeyance_notice(ctx: Context) -> Iterator[Finding]:
    limit = ctx.policy.abeyance_max_days
    for index, event in enumerate(ctx.events, start=1):
        if event.type is not E.ABEYANCE:
            continue
        notice = event.notice
        problems = []
        if notice is None or notice.on is None:
            problems.append("no written notice")
        if notice is None or _blank(notice.reason):
            problems.append("no reason")
        if notice is None or notice.term_days is None:
            problems.append("no term in calendar days")
        elif notice.term_days > limit:
            problems.append(f"a stated term of {notice.term_days} days, more than {limit}")
        if problems:
            yield finding(
                "PRIV-051", f"{_event_label(event)} has {', '.join(problems)}", _event_where(index)
            )


@rule("PRIV-052")
def abeyance_became_suspension(ctx: Context) -> Iterator[Finding]:
    """Day 31 of an abeyance with no disposition is a summary suspension (Encl. 7 §2b).

    The conversion is the one ``validity.effective_events`` makes for ICTB-030/031, so
    the two areas cannot disagree about it.
    """
    events = ctx.events
    converted = [
        e
        for e in effective_events(events, ctx.as_of, ctx.policy)
        if all(e is not x for x in events)
    ]
    days = ctx.policy.abeyance_max_days
    for index, event in enumerate(events, start=1):
        if event.type is not E.ABEYANCE:
            continue
        day_after = dates.add_days(event.on, days)
        if any(c.on == day_after for c in converted):
            yield finding(
                "PRIV-052",
                f"{_event_label(event)} reached day {days + 1} on {day_after} with no "
                f"disposition: it is a summary suspension from {day_after}",
                _event_where(index),
            )


@rule("PRIV-053")
def summary_suspension_length(ctx: Context) -> Iterator[Finding]:
    limit = ctx.policy.summary_suspension_max_days
    events = effective_events(ctx.events, ctx.as_of, ctx.policy)  # with PRIV-052's
    for interval in blocking_intervals(events):
        event = interval.event
        if event.type is not E.SUMMARY_SUSPENSION or event.on > ctx.as_of:
            continue
        # It lasts until its end, a reinstatement or the final action; at most to as-of.
        finals = [e.on for e in events if e.type in _FINAL_ACTIONS and e.on > event.on]
        ends = [ctx.as_of, *([interval.end] if interval.end else [])]
        ends += [dates.day_before(day) for day in finals]
        last = min(ends)
        days = dates.inclusive_days(event.on, last)  # D4
        if days <= limit:
            continue
        # Interp. A12: each further 6-month (180-day) interval needs its own approval.
        interval_no = (days - 1) // limit
        approvals = [x for x in event.extensions if x.approved_by_service_on <= last]
        if len(approvals) < interval_no:
            begun = dates.add_days(event.on, limit * interval_no)
            yield finding(
                "PRIV-053",
                f"the summary suspension of {event.on} has lasted {days} calendar days "
                f"(to {last}), more than {limit}, with {len(approvals)} Service-level "
                f"extension approval(s) recorded: none covers the interval begun {begun}",
                _where_of(event, ctx.events),
            )


def _where_of(event: PrivilegeEvent, events: tuple[PrivilegeEvent, ...]) -> str:
    for index, candidate in enumerate(events, start=1):
        if candidate is event:
            return _event_where(index)
    return f"{RECORD}/privilege_events"  # the summary suspension an abeyance became


@rule("PRIV-054")
def not_adverse(ctx: Context) -> Iterator[Finding]:
    for index, event in enumerate(ctx.events, start=1):
        if event.type is E.ABEYANCE:
            text = (
                f"{_event_label(event)} is not an adverse privileging action and is not "
                "reportable to the NPDB"
            )
        elif event.type is E.SUMMARY_SUSPENSION:
            text = (
                f"{_event_label(event)} is not an adverse privileging action; it is "
                "reportable to the NPDB only if the final action is"
            )
        else:
            continue
        if event.npdb_reported_on is not None:
            text += f" (an NPDB report dated {event.npdb_reported_on} is recorded against it)"
        yield finding("PRIV-054", text, _event_where(index))


@rule("PRIV-055")
def npdb_report(ctx: Context) -> Iterator[Finding]:
    limit = ctx.policy.npdb_report_max_days
    for index, event in enumerate(ctx.events, start=1):
        adverse = (
            event.type in _FINAL_ACTIONS and event.basis is not ActionBasis.FACILITY_LIMITATION
        )
        if not adverse or event.final_on is None:
            continue
        # D4: the decision day is day 1, so the last day allowed is final_on + limit - 1.
        last_allowed = dates.add_days(event.final_on, limit - 1)
        reported = event.npdb_reported_on
        if reported is None and ctx.as_of > last_allowed:
            late = "no NPDB report is recorded"
        elif reported is not None and reported > last_allowed:
            late = f"the NPDB report is dated {reported}"
        else:
            continue
        yield finding(
            "PRIV-055",
            f"{_event_label(event)} became final on {event.final_on}; {late}, not within "
            f"{limit} calendar days (by {last_allowed})",
            _event_where(index),
        )
