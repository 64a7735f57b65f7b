"""Batch-build rosters: a CSV with one row per assignment period.

Columns: ``record, gaining_facility, purpose, period_start, period_end`` and optionally
``gaining_facility_name`` and ``appraisal_request``.  Rows for the same record and
gaining facility make one ICTB with several periods (Encl. 4 §5e).  Record paths are
relative to the roster's folder.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ictb.build import Assignment
from ictb.dates import parse_date
from ictb.errors import InputError
from ictb.model import Facility, Period
from ictb.xmlsafe import char_problem, read_input

REQUIRED = ("record", "gaining_facility", "purpose", "period_start", "period_end")


def read(path: Path) -> list[tuple[Path, Assignment]]:
    """The (record path, assignment) jobs of a roster, in first-appearance order."""
    source = str(path)
    try:
        text = read_input(path).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("not a UTF-8 CSV file", path=source) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = reader.fieldnames or []
        rows = [(reader.line_num, row) for row in reader]
    except csv.Error as exc:  # e.g. a field longer than the csv module takes
        raise InputError(f"not a CSV file: {exc}", path=source, line=reader.line_num + 1) from None
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InputError(f"roster lacks the column(s) {', '.join(missing)}", path=source, line=1)
    groups: dict[tuple[str, str], dict[str, object]] = {}
    for line, row in rows:
        values = {k: (v or "").strip() for k, v in row.items() if k is not None}
        if not any(values.values()):
            continue
        for column, value in values.items():
            # Every field goes into an ICTB (or names a file): XML cannot hold these.
            problem = char_problem(value)
            if problem is not None:
                raise InputError(f"{column} contains {problem}", path=source, line=line)
        for column in ("record", "gaining_facility", "period_start", "period_end"):
            if not values.get(column):
                raise InputError(f"empty {column}", path=source, line=line)
        try:
            start = parse_date(values["period_start"])
        except ValueError as exc:
            raise InputError(f"period_start: {exc}", path=source, line=line) from None
        try:
            end = parse_date(values["period_end"])
        except ValueError as exc:
            raise InputError(f"period_end: {exc}", path=source, line=line) from None
        if end < start:
            raise InputError("period ends before it starts", path=source, line=line)
        key = (values["record"], values["gaining_facility"])
        group = groups.setdefault(
            key,
            {
                "purpose": values.get("purpose") or None,
                "periods": [],
                "name": values.get("gaining_facility_name") or None,
                "appraisal": values.get("appraisal_request") or None,
            },
        )
        purpose = values.get("purpose") or None
        if purpose and group["purpose"] and purpose != group["purpose"]:
            raise InputError(
                "rows for the same record and gaining facility give different purposes",
                path=source,
                line=line,
            )
        group["purpose"] = group["purpose"] or purpose
        periods = group["periods"]
        assert isinstance(periods, list)
        periods.append(Period(facility_id=values["gaining_facility"], start=start, end=end))
    if not groups:
        raise InputError("roster has no rows", path=source)
    base = path.parent
    jobs = []
    for (record, gaining), group in groups.items():
        periods = group["periods"]
        assert isinstance(periods, list)
        name, purpose, appraisal = group["name"], group["purpose"], group["appraisal"]
        jobs.append(
            (
                base / record,
                Assignment(
                    gaining=Facility(id=gaining, name=name if isinstance(name, str) else None),
                    purpose=purpose if isinstance(purpose, str) else None,
                    periods=tuple(sorted(periods, key=lambda p: p.start)),
                    appraisal_request=appraisal if isinstance(appraisal, str) else None,
                ),
            )
        )
    return jobs
