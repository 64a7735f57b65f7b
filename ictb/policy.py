"""Rule parameters: the numbers and lists the policy sets, kept as data.

The packaged ``data/policy.json`` holds the values of DoDM 6025.13 as RULES.md reads
them; a Service can load its own stricter file with ``--policy``.  Both are read
through :mod:`ictb.jsonconfig` and must fit ``data/schemas/policy.schema.json``: every
key present, every number a whole number in a sensible range, every list of the right
items, so that no policy file can make a rule fail.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path
from typing import Any

from ictb import jsonconfig

WHAT = "policy file"


@dataclass(frozen=True)
class Policy:
    name: str
    privilege_max_months: int
    initial_appointment_max_months: int
    staff_appointment_max_months: int
    temporary_max_days: int
    appointment_lapse_max_days: int
    abeyance_max_days: int
    summary_suspension_max_days: int
    npdb_report_max_days: int
    practice_gap_max_days: int
    current_competence_years: int
    expiry_warning_days: tuple[int, ...]
    privilege_expiry_info_days: int
    certifying_roles: tuple[str, ...]

    def is_certifying_role(self, role: str) -> bool:
        wanted = " ".join(role.split()).casefold()
        return any(wanted == " ".join(r.split()).casefold() for r in self.certifying_roles)


def _from_dict(raw: dict[str, Any]) -> Policy:
    """The policy of a document already valid against ``data/schemas/policy.schema.json``."""
    values = {f.name: raw[f.name] for f in fields(Policy)}
    for key in ("expiry_warning_days", "certifying_roles"):
        values[key] = tuple(values[key])
    return Policy(**values)


@cache
def default() -> Policy:
    """The packaged policy, validated against its schema once per process."""
    return _from_dict(jsonconfig.packaged("data/policy.json", what=WHAT))


def load(path: str | Path) -> Policy:
    """A Service's own policy file; :class:`ictb.errors.ConfigError` (exit 3) when it cannot
    be read or does not fit the schema, naming the JSON path of the problem."""
    return _from_dict(jsonconfig.load(path, jsonconfig.POLICY, what=WHAT))
