"""The credentials file and primary-source verification (RULES.md §6.4: PRIV-040..045).

DoDM 6025.13 Encl. 4 §3.  The credentials file and PSV dates exist only in a credential
record, so these rules stay silent without one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from ictb import dates
from ictb.findings import Finding, finding
from ictb.model import (
    AppointmentType,
    CredentialKind,
    CredentialRecord,
    CredentialStatus,
    Discipline,
    PracticeHistoryEntry,
    Psv,
    PsvStatus,
    TrainingKind,
)
from ictb.rules import Context, rule
from ictb.rules._record import (
    RECORD,
    TEMPORARY,
    _appt_label,
    _blank,
    _category,
    _describe,
    _needs_privileges,
    _privileges,
)

A = AppointmentType

# §3c(3)(g): the disciplines that can hold a DEA registration and so need one on file.
DEA_ELIGIBLE = frozenset(
    {Discipline.PHYSICIAN, Discipline.DENTIST, Discipline.PA, Discipline.APN, Discipline.PODIATRIST}
)

# §3c(1)(d): what the license history must list.
_LICENSE_KINDS = frozenset({CredentialKind.LICENSE, CredentialKind.REGISTRATION})
# §3c(1)(d)-(e): credentials that need PSV; each is re-verified when renewed.
_PSV_CREDENTIAL_KINDS = frozenset(
    {
        CredentialKind.LICENSE,
        CredentialKind.REGISTRATION,
        CredentialKind.CERTIFICATION,
        CredentialKind.BOARD,
    }
)


# ---------------------------------------------------------------- §6.4 credentials file, PSV


@dataclass(frozen=True)
class _Grant:
    """A privileging or appointment decision that needed PSV first (§3b)."""

    what: str
    on: dt.date
    temporary: bool


@dataclass(frozen=True)
class _PsvItem:
    """A §3c(1)(a)-(g) item (Interp. A19) and its primary-source verification."""

    label: str
    where: str
    psv: Psv | None
    held_from: dt.date | None  # the item exists from this day (completed or effective)
    held_until: dt.date | None
    renewable: bool  # re-verified at each renewal, so CCQAS keeps the latest PSV date

    def held_on(self, day: dt.date) -> bool:
        return dates.current_on(day, self.held_from, self.held_until)

    def gap(self, grant: _Grant) -> str | None:
        """What is wrong with this item's PSV for ``grant``, or None when nothing is."""
        psv = self.psv
        if psv is None or psv.status is PsvStatus.ABSENT:
            return f"{self.label} had no primary-source verification before {grant.what}"
        if psv.primary is False:
            return f"{self.label} was verified only through a secondary source ({grant.what})"
        if psv.on is None:
            return (
                f"{self.label} has an undated verification, so PSV before {grant.what} is not shown"
            )
        # A renewed credential is verified again after the grant; the later date then
        # shows that re-verification, not a late first one.
        if psv.on > grant.on and not self.renewable:
            return f"{self.label} was primary-source verified on {psv.on}, after {grant.what}"
        return None


def _grants(ctx: Context, record: CredentialRecord) -> list[_Grant]:
    grants = []
    priv, _ = _privileges(ctx)
    if priv is not None and priv.granted_on is not None:
        temporary = _category(priv) == TEMPORARY
        grants.append(_Grant(_describe(priv), priv.granted_on, temporary))
    grants += [_Grant(_appt_label(a), a.start, a.type is A.TEMPORARY) for a in record.appointments]
    return grants


def _is_ecfmg(text: str | None) -> bool:
    folded = (text or "").casefold()
    return "ecfmg" in folded or "educational commission for foreign medical" in folded


def _psv_items(record: CredentialRecord) -> list[_PsvItem]:
    items = [
        _PsvItem(
            training.title or training.kind.value,
            f"{RECORD}/education/training[{i}]",
            training.psv,
            training.completed_on,
            None,
            renewable=False,
        )
        for i, training in enumerate(record.education, start=1)
    ]
    ecfmg_needed = record.provider.fmg is True and (
        (record.provider.fmg_school_country or "").strip().casefold() not in ("canada", "ca")
    )
    ecfmg_found = False
    for i, cred in enumerate(record.credentials, start=1):
        where = f"{RECORD}/credentials/credential[{i}]"
        if any(_is_ecfmg(t) for t in (cred.title, cred.issuer, cred.body)):
            ecfmg_found = True
            # §3c(1)(c): verified once, and needed before any grant.
            items.append(_PsvItem(cred.label(), where, cred.psv, None, None, renewable=False))
        elif cred.kind in _PSV_CREDENTIAL_KINDS:
            items.append(
                _PsvItem(cred.label(), where, cred.psv, cred.effective_on, cred.expires_on, True)
            )
    if ecfmg_needed and not ecfmg_found:
        items.append(
            _PsvItem(
                "the ECFMG certificate of a foreign medical graduate",
                f"{RECORD}/credentials",
                None,
                None,
                None,
                renewable=False,
            )
        )
    return items


@rule("PRIV-040", "PRIV-041")
def primary_source_verification(ctx: Context) -> Iterator[Finding]:
    record = ctx.record
    if record is None:
        return
    grants = _grants(ctx, record)
    for item in _psv_items(record):
        failed = [
            (grant, why)
            for grant in grants
            if item.held_on(grant.on)
            for why in [item.gap(grant)]
            if why is not None
        ]
        if not failed:
            continue
        # Interp. A21: an error for regular/supervised privileges or a staff
        # appointment; only a warning where nothing but temporary grants is affected.
        firm = [(grant, why) for grant, why in failed if not grant.temporary]
        _, why = min(firm or failed, key=lambda pair: pair[0].on)  # the earliest grant
        yield finding("PRIV-040" if firm else "PRIV-041", why, item.where)


@rule("PRIV-042")
def license_history(ctx: Context) -> Iterator[Finding]:
    record = ctx.record
    if record is None or record.credentials_file is None:
        return
    entries = record.credentials_file.license_history
    where = f"{RECORD}/credentials_file/license_history"
    for cred in record.credentials:
        if cred.kind in _LICENSE_KINDS and not any(
            _same_license(cred.issuer, cred.number, e.issuer, e.number) for e in entries
        ):
            yield finding(
                "PRIV-042",
                f"the license history does not list {cred.label()}",
                where,
            )
    for index, entry in enumerate(entries, start=1):
        reasons = []
        if entry.status not in (None, CredentialStatus.ACTIVE):
            reasons.append(entry.status.value)
        if entry.disciplined:
            reasons.append("disciplined")
        if reasons and _blank(entry.explanation):
            yield finding(
                "PRIV-042",
                f"the license history entry {entry.issuer or index} is {' and '.join(reasons)} "
                "but has no explanation",
                f"{where}/entry[{index}]",
            )


def _number(text: str | None) -> str:
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def _same_license(
    issuer: str | None, number: str | None, other_issuer: str | None, other_number: str | None
) -> bool:
    if _number(number) and _number(other_number):
        return _number(number) == _number(other_number)
    a, b = (issuer or "").casefold(), (other_issuer or "").casefold()
    return bool(a and b) and (a in b or b in a)


@rule("PRIV-043")
def practice_gaps(ctx: Context) -> Iterator[Finding]:
    record = ctx.record
    if record is None or record.credentials_file is None:
        return
    # §3c(1)(f): back 10 years, or to the qualifying degree if that is later.
    start = dates.anniversary(ctx.as_of, -120)
    degrees = [
        t.completed_on
        for t in record.education
        if t.kind is TrainingKind.DEGREE and t.completed_on is not None
    ]
    if degrees:
        start = max(start, max(degrees))
    limit = ctx.policy.practice_gap_max_days  # Interp. A22
    where = f"{RECORD}/credentials_file/practice_history"
    for first, last, following in _practice_gaps(
        record.credentials_file.practice_history, start, ctx.as_of
    ):
        days = dates.inclusive_days(first, last)
        explained = following is not None and not _blank(following.explanation)
        if days > limit and not explained:
            yield finding(
                "PRIV-043",
                f"the practice chronology has an unexplained gap of {days} days "
                f"({first}..{last}), more than {limit}",
                where,
            )


def _practice_gaps(
    entries: tuple[PracticeHistoryEntry, ...], start: dt.date, end: dt.date
) -> Iterator[tuple[dt.date, dt.date, PracticeHistoryEntry | None]]:
    """Days in ``[start, end]`` no entry covers: (first, last, the entry that follows)."""
    cursor = start
    for entry in sorted(entries, key=lambda e: e.start):
        if entry.start > end:
            break
        if entry.start > cursor:
            yield cursor, dates.day_before(entry.start), entry
        covered_to = entry.end if entry.end is not None else end
        if covered_to >= end:
            return
        cursor = max(cursor, dates.day_after(covered_to))
    if cursor <= end:
        yield cursor, end, None


@rule("PRIV-044")
def credentials_file_items(ctx: Context) -> Iterator[Finding]:
    record = ctx.record
    if record is None or record.credentials_file is None or not _needs_privileges(ctx):
        return
    file = record.credentials_file
    provider = record.provider
    dea_needed = (
        provider.discipline in DEA_ELIGIBLE
        and not file.dea_exception
        and not any(c.kind is CredentialKind.DEA for c in record.credentials)
    )
    wanted = {
        "(b) statement of ability and proof of current competence": file.ability_statement,
        "(c) DHHS and TRICARE sanction-list query": file.sanction_query_on,
        "(d) confirmed health-status statement": file.health_statement_confirmed,
        "(e) two competency letters": len(file.competency_letters) >= 2,
        "(f) continuing-education evidence": file.ce_current,
        "(g) DEA certificate (or an ASD(HA) exception)": not dea_needed,
        "(h) NPI": not _blank(file.npi),
        "(i) FBI background check": file.fbi_check_on,
        "(i) State criminal-history check": file.state_check_on,
        "(j) signed consent to inspection": file.consent_signed,
        "(k) signed accuracy attestation": file.accuracy_signed,
        "(l) signed agreement to follow the bylaws": file.bylaws_signed,
    }
    missing = [name for name, value in wanted.items() if value in (None, False)]
    if missing:
        yield finding(
            "PRIV-044",
            f"the credentials file lacks §3c(3) item(s): {'; '.join(missing)}",
            f"{RECORD}/credentials_file",
        )


@rule("PRIV-045")
def competency_letters(ctx: Context) -> Iterator[Finding]:
    record = ctx.record
    if record is None or record.credentials_file is None:
        return
    for index, letter in enumerate(record.credentials_file.competency_letters, start=1):
        who = f"the competency letter from {letter.author or f'author {index}'}"
        problems = []
        if letter.specialty_match is False:
            problems.append("is not from the same or a similar specialty")
        elif letter.specialty_match is None:
            problems.append("does not show it is from the same or a similar specialty")
        # §3c(3)(e): "the period of time and/or the last time" observed.
        if _blank(letter.observed_period) and letter.last_observed_on is None:
            problems.append("gives neither the period observed nor the last date observed")
        if problems:
            yield finding(
                "PRIV-045",
                f"{who} {' and '.join(problems)}",
                f"{RECORD}/credentials_file/competency_letter[{index}]",
            )
