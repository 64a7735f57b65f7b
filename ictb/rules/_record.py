"""Helpers the PRIV and LIC rule modules share: where things are, and which privileges.

The PRIV modules (RULES.md §6.1-§6.6) judge the same privileges and name them, their
appointments and their events the same way; the LIC modules (§7.1-§7.3) point their
findings to the same record and ICTB locations.  The privilege categories (Interp. A10)
live here because every PRIV module reads them; ``ictb.rules.privileges`` re-exports
:func:`normalize_category`.
"""

from __future__ import annotations

import datetime as dt

from ictb.model import Appointment, PrivilegeEvent, Privileges
from ictb.rules import Context

RECORD = "/credential_record"
BRIEF = "/ictb/brief"

REGULAR, SUPERVISED, TEMPORARY = "regular", "supervised", "temporary"

# Interp. A10: the old words of Encl. 4 §5e ("provisional to defined privileges").
_CATEGORY_WORDS = {
    "regular": REGULAR,
    "defined": REGULAR,
    "supervised": SUPERVISED,
    "provisional": SUPERVISED,
    "temporary": TEMPORARY,
}


def normalize_category(text: str | None) -> str | None:
    """``regular``, ``supervised`` or ``temporary``; None when the text is none of them.

    Interp. A10: "provisional" means supervised and "defined" means regular.  Case,
    spacing and a trailing word "privileges" do not matter.
    """
    if text is None:
        return None
    words = " ".join(text.split()).casefold()
    words = words.removesuffix(" privileges").strip()
    return _CATEGORY_WORDS.get(words)


# ---------------------------------------------------------------- privileges


def _privileges(ctx: Context) -> tuple[Privileges | None, str]:
    """The privileges the rules judge, and where they came from."""
    if ctx.record is not None and ctx.record.privileges is not None:
        return ctx.record.privileges, f"{RECORD}/privileges"
    return ctx.brief.privileges, f"{BRIEF}/privileges"


def _needs_privileges(ctx: Context) -> bool:
    provider = ctx.provider
    return (provider is None or provider.is_privileged) and not ctx.brief.non_privileged


def _category(priv: Privileges | None) -> str | None:
    return normalize_category(priv.category) if priv is not None else None


def _describe(priv: Privileges) -> str:
    """The privileges as a message names them, e.g. 'the regular privileges granted ...'."""
    what = (priv.category or "unstated-category").strip()
    category = normalize_category(priv.category)
    if category is not None and category != what.casefold():
        what = f"{what} (= {category}, Interp. A10)"
    ccqas = f" ({priv.ccqas_id})" if priv.ccqas_id else ""
    granted = priv.granted_on or "on an unknown date"
    expiring = priv.expires_on or "on an unknown date"
    return f"the {what} privileges{ccqas} granted {granted}, expiring {expiring}"


def _appt_label(appt: Appointment) -> str:
    at = f" at {appt.dod_mtf}" if appt.dod_mtf else ""
    end = appt.end or "open"
    return f"the {appt.type.value.replace('_', '-')} appointment{at} ({appt.start}..{end})"


def _appt_where(index: int) -> str:
    return f"{RECORD}/appointments/appointment[{index}]"


def _event_label(event: PrivilegeEvent) -> str:
    return f"the {event.type.value.replace('_', ' ')} of {event.on}"


def _overlaps(start: dt.date, end: dt.date | None, first: dt.date, last: dt.date | None) -> bool:
    """Do the periods ``[start, end]`` and ``[first, last]`` share a day (None: open)?"""
    return (last is None or start <= last) and (end is None or first <= end)


def _blank(text: str | None) -> bool:
    return text is None or not text.strip()
