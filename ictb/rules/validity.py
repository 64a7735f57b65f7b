"""ICTB validity (Encl. 4 §5e): is the ICTB usable on a given day?"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ictb import dates
from ictb.findings import Finding, finding
from ictb.model import PrivilegeEvent, PrivilegeEventType
from ictb.rules import Context, rule

# Events that take privileges out of effect while they last (Encl. 7 §2b, §2g; A11).
_BLOCKING = frozenset(
    {
        PrivilegeEventType.ABEYANCE,
        PrivilegeEventType.SUMMARY_SUSPENSION,
        PrivilegeEventType.SUSPENSION,
        PrivilegeEventType.REVOCATION,
    }
)


def blocking_event_on(events: tuple[PrivilegeEvent, ...], day: dt.date) -> PrivilegeEvent | None:
    """The abeyance, suspension or revocation in effect on ``day``, if any.

    An event ends on its ``ended_on`` date or at a later reinstatement; a revocation
    lasts until a reinstatement.
    """
    reinstatements = sorted(e.on for e in events if e.type is PrivilegeEventType.REINSTATEMENT)
    for event in events:
        if event.type not in _BLOCKING or event.on > day:
            continue
        end = event.ended_on
        later = [r for r in reinstatements if r > event.on]
        if later and (end is None or later[0] <= end):
            end = later[0] - dates.ONE_DAY
        if end is None or day <= end:
            return event
    return None


@rule("ICTB-032")
def issued_while_current(ctx: Context) -> Iterator[Finding]:
    brief = ctx.brief
    if brief.non_privileged:
        return
    priv = brief.privileges
    events = ctx.record.privilege_events if ctx.record is not None else ()
    days = {"issued": brief.issued_on}
    if brief.certification is not None and brief.certification.signed_on is not None:
        days["certified"] = brief.certification.signed_on
    for label, day in days.items():
        if priv is None or priv.expires_on is None:
            continue  # ICTB-006 reports the missing privileges
        if not dates.current_on(day, priv.granted_on, priv.expires_on):
            yield finding(
                "ICTB-032",
                f"the ICTB was {label} on {day} when the sending privileges were not current "
                f"(granted {priv.granted_on or 'on an unknown date'}, expiring {priv.expires_on})",
                "/ictb/brief/issued_on" if label == "issued" else "/ictb/brief/certification",
            )
            continue
        blocking = blocking_event_on(events, day)
        if blocking is not None:
            yield finding(
                "ICTB-032",
                f"the ICTB was {label} on {day} while the sending privileges were not in "
                f"effect ({blocking.type.value.replace('_', ' ')} from {blocking.on})",
                "/ictb/brief/issued_on" if label == "issued" else "/ictb/brief/certification",
            )
