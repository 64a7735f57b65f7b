"""Rule parameters: the numbers and lists the policy sets, kept as data.

The packaged ``data/policy.json`` holds the values of DoDM 6025.13 as RULES.md reads
them; a Service can load its own stricter file with ``--policy``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from functools import cache
from importlib import resources
from pathlib import Path

from ictb.errors import IctbError


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


def _from_dict(raw: dict[str, object], source: str) -> Policy:
    names = {f.name for f in fields(Policy)}
    unknown = set(raw) - names - {"policy_format"}
    missing = names - set(raw)
    if unknown or missing:
        problem = (
            f"unknown keys {sorted(unknown)}" if unknown else f"missing keys {sorted(missing)}"
        )
        raise IctbError(f"policy file: {problem}", path=source)
    values = dict(raw)
    values.pop("policy_format", None)
    try:
        for key in ("expiry_warning_days", "certifying_roles"):
            values[key] = tuple(values[key])  # type: ignore[arg-type]
        policy = Policy(**values)  # type: ignore[arg-type]
    except TypeError as exc:
        raise IctbError(f"policy file: {exc}", path=source) from None
    for f in fields(Policy):
        value = getattr(policy, f.name)
        if f.type == "int" and (not isinstance(value, int) or value <= 0):
            raise IctbError(f"policy file: {f.name} must be a positive whole number", path=source)
    return policy


@cache
def default() -> Policy:
    text = resources.files("ictb").joinpath("data/policy.json").read_text("utf-8")
    return _from_dict(json.loads(text), "ictb/data/policy.json")


def load(path: str | Path) -> Policy:
    try:
        raw = json.loads(Path(path).read_text("utf-8"))
    except FileNotFoundError:
        raise IctbError("no such file", path=str(path)) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise IctbError(f"cannot read policy file: {exc}", path=str(path)) from None
    if not isinstance(raw, dict):
        raise IctbError("policy file must hold a JSON object", path=str(path))
    return _from_dict(raw, str(path))
