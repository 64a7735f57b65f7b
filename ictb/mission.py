"""Mission rosters of DoD foreign humanitarian missions (``xsd/mission-roster.xsd``).

The SMDR reviews the credentials of every provider assigned to the mission and
authorizes the qualified to practise their specialties (DoDM 6025.13 Encl. 4 §8).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from ictb import schema, xmlmap, xmlsafe
from ictb.model import Component, PersonName, items

NS = "urn:ictb:mission-roster:1"
XSD = "mission-roster.xsd"
ROOT = "mission_roster"

# Encl. 4 §8a: "All DoD providers (Active Duty, Reserve Component, DoD civilian employee)
# as well as employees of DoD contractors carrying out contract work".
DOD_COMPONENTS = frozenset(
    {
        Component.AD,
        Component.RC,
        Component.NG,
        Component.DOD_CIVILIAN,
        Component.PSC_CONTRACTOR,
        Component.NPSC_CONTRACTOR,
    }
)
# Only a "Military service member" may be deployed without an MRC (Interp. A14).
SERVICE_MEMBERS = frozenset({Component.AD, Component.RC, Component.NG})


class NgoRole(StrEnum):
    PARTICIPANT = "participant"
    COOPERATING_PARTY = "cooperating_party"


class ReleasedKind(StrEnum):
    DIPLOMA = "diploma"
    STATE_LICENSE = "state_license"
    ICTB = "ictb"


@dataclass(frozen=True)
class Smdr:
    name: str
    title: str | None = None


@dataclass(frozen=True, kw_only=True)
class Mission:
    name: str
    host_nation: str
    start: dt.date
    end: dt.date
    platform: str | None = None
    smdr: Smdr


@dataclass(frozen=True, kw_only=True)
class Ngo:
    id: str
    name: str
    role: NgoRole
    mou_role_stated: bool | None = None
    in_dod_facility_or_platform: bool | None = None
    medical_director: str | None = None
    md_assurance: bool | None = None


@dataclass(frozen=True)
class Mrc:
    issued_on: dt.date | None = None
    expires_on: dt.date | None = None


@dataclass(frozen=True)
class ForeignDocuments:
    training: bool | None = None
    license: bool | None = None
    education: bool | None = None
    specialty: bool | None = None
    competencies: bool | None = None


@dataclass(frozen=True)
class ObservedPractice:
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class ForeignProvider:
    country: str | None = None
    country_license: bool | None = None
    docs: ForeignDocuments | None = None
    observed: ObservedPractice | None = None
    duties_start: dt.date | None = None


@dataclass(frozen=True)
class Authorization:
    by: str | None = None
    on: dt.date | None = None
    specialty: str | None = None
    independent: bool | None = None


@dataclass(frozen=True, kw_only=True)
class ArrivingProvider:
    id: str
    name: PersonName
    specialty: str | None = None
    component: Component
    report_on: dt.date
    depart_on: dt.date
    first_clinical_day: dt.date | None = None
    ictb: str | None = None
    mrc: Mrc | None = None
    deploy_program: str | None = None
    ngo: str | None = None
    ngo_docs_ok: bool | None = None
    us_license: bool | None = None
    foreign: ForeignProvider | None = None
    authorization: Authorization | None = None

    @property
    def is_dod(self) -> bool:
        return self.component in DOD_COMPONENTS

    @property
    def is_foreign(self) -> bool:
        """Licensed in no US jurisdiction (§8f); a US license makes one not foreign."""
        return self.component is Component.FOREIGN and not self.us_license

    @property
    def first_day(self) -> dt.date:
        return self.first_clinical_day or self.report_on


@dataclass(frozen=True)
class ReleasedDocument:
    kind: ReleasedKind
    provider: str
    released_on: dt.date | None = None
    redacted: bool | None = None


@dataclass(frozen=True)
class HostNationRelease:
    required_by_hn: bool | None = None
    return_or_protect_requested: bool | None = None
    documents: tuple[ReleasedDocument, ...] = items("document")


@dataclass(frozen=True, kw_only=True)
class MissionRoster:
    mission: Mission
    ngos: tuple[Ngo, ...] = items("ngo")
    providers: tuple[ArrivingProvider, ...] = items("provider")
    host_nation_release: HostNationRelease | None = None

    def ngo(self, ngo_id: str | None) -> Ngo | None:
        return next((n for n in self.ngos if n.id == ngo_id), None)


def load(path: Path) -> MissionRoster:
    root = schema.parse_document(xmlsafe.read_input(path), str(path), XSD, NS, ROOT)
    return xmlmap.read(MissionRoster, root)
