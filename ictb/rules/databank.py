"""NPDB and HIPDB queries, and the CCQAS record (RULES.md §6.3: PRIV-030..032).

DoDM 6025.13 Encl. 4 §4d-e.  The queries are read from the credential record when it
has them, else from the ICTB; which query counts follows Interp. A5.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ictb.findings import Finding, finding
from ictb.model import DatabankQuery
from ictb.rules import Context, rule
from ictb.rules._record import (
    BRIEF,
    RECORD,
    _blank,
    _describe,
    _needs_privileges,
    _privileges,
)

# ---------------------------------------------------------------- §6.3 NPDB / HIPDB


def _query_used(query: DatabankQuery | None) -> tuple[dt.date | None, str]:
    """Interp. A5: the query made for this action when known, else the most recent one."""
    if query is None:
        return None, "none recorded"
    if query.action_query_on is not None:
        return query.action_query_on, "made for this action"
    return query.queried_on, "the most recent; no query for this action is recorded"


def _bank_where(ctx: Context, bank: str) -> str:
    if ctx.record is not None and getattr(ctx.record, bank) is not None:
        return f"{RECORD}/{bank}"
    return f"{BRIEF}/databank_queries/{bank}"


def _queries(ctx: Context) -> list[tuple[str, DatabankQuery | None, str]]:
    """(bank name, query, location) for the banks this action must have queried."""
    banks: list[tuple[str, DatabankQuery | None, str]] = [
        ("NPDB", ctx.npdb, _bank_where(ctx, "npdb"))
    ]
    # The HIPDB was merged into the NPDB (Interp. A5): one NPDB query can meet both.
    npdb = ctx.npdb
    if npdb is None or npdb.includes_hipdb is not True:
        banks.append(("HIPDB", ctx.hipdb, _bank_where(ctx, "hipdb")))
    return banks


@rule("PRIV-030", "PRIV-031")
def databank_queries(ctx: Context) -> Iterator[Finding]:
    priv, _ = _privileges(ctx)
    if not _needs_privileges(ctx) or priv is None or priv.granted_on is None:
        return
    granted = priv.granted_on
    for bank, query, where in _queries(ctx):
        on, which = _query_used(query)
        if on is None:
            yield finding(
                "PRIV-030",
                f"no {bank} query is recorded for {_describe(priv)}",
                where,
            )
            continue
        if on > granted:  # D8: a same-day query counts
            yield finding(
                "PRIV-030",
                f"the {bank} query used ({which}) is dated {on}, after the grant of "
                f"{_describe(priv)}: no {bank} query on or before {granted} is shown",
                where,
            )
        if priv.prev_action_on is not None and on < priv.prev_action_on:
            yield finding(
                "PRIV-031",
                f"the {bank} query used ({which}) is dated {on}, before the previous "
                f"privileging action of {priv.prev_action_on}: it belongs to an earlier "
                f"cycle, not to {_describe(priv)}",
                where,
            )


@rule("PRIV-032")
def ccqas_record(ctx: Context) -> Iterator[Finding]:
    priv, where = _privileges(ctx)
    if priv is not None and _blank(priv.ccqas_id):
        yield finding("PRIV-032", f"{_describe(priv)} have no CCQAS record", f"{where}/ccqas_id")
