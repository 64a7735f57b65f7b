"""Regenerate the foreign humanitarian mission sample in ``samples/mission/`` (demo keys only).

    /tmp/venv/bin/python tools/make_mission_samples.py [OUT_DIR]

The mission is invented: Continuing Promise 2027 aboard USNS Comfort (T-AH-20), host
nation the Republic of Honduras, 2027-01-04 to 2027-02-26, SMDR a Navy captain.  Every
person, number and address is invented; the SSNs are in the never-assigned 900 area.

The script writes, for the DoD providers (all staffed from Naval Medical Center San
Diego, N00259, whose commander is the demo signer in ``keys/``):

- ``samples/mission/records/NN-<id>.json``: the credential record;
- ``samples/mission/ictbs/<id>.signed.ictb.xml``: the ICTB built from it (issued
  2026-12-01, assignment = the provider's mission window, cut short at the expiry of
  the sending privileges, since ``build`` refuses more; gaining facility USNS Comfort),
  signed with the demo keys at a fixed time;

and for the whole mission ``samples/mission/roster.xml`` and the same roster as
``roster.json``.  Given ``OUT_DIR``, it writes there instead (the tests compare).

Records and rosters are byte-identical from run to run, and the ICTB document ids are
fixed, but ECDSA signatures are randomized: the signed ICTBs' bytes differ on every
run (their content and verdict do not).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from ictb import (
    build,
    detectors,
    keys,
    mission,
    policy,
    records,
    schema,
    signing,
    xmlmap,
    xmlsafe,
)
from ictb.demo import protect_demo_keys
from ictb.findings import Report
from ictb.mission import (
    ArrivingProvider,
    Authorization,
    ForeignDocuments,
    ForeignProvider,
    HostNationRelease,
    Mission,
    MissionRoster,
    Mrc,
    Ngo,
    NgoRole,
    ObservedPractice,
    ReleasedDocument,
    ReleasedKind,
    Smdr,
)
from ictb.model import Component, Facility, Period, PersonName
from ictb.outputs import atomic_write

ROOT = Path(__file__).resolve().parents[1]
KEYS = ROOT / "keys"
OUT = ROOT / "samples" / "mission"

ISSUED_ON = dt.date(2026, 12, 1)
SIGNED_AT = dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC)
# uuid5 namespace for the ICTB document ids, so that they are the same on every run.
ID_NAMESPACE = uuid.UUID("6f1d9a52-3c87-4e0b-9a41-2d5c7e8b0f13")

MISSION_START = dt.date(2027, 1, 4)
MISSION_END = dt.date(2027, 2, 26)
SMDR_NAME = "CAPT Rosalind H. Achterberg, MC, USN"

NMCSD = {"id": "N00259", "name": "Naval Medical Center San Diego", "location": "San Diego, CA"}
COMFORT = Facility(
    id="T-AH-20",
    name="USNS Comfort (T-AH-20)",
    location="Embarked; Puerto Castilla and Trujillo, Colon, Republic of Honduras",
)
PURPOSE = (
    "Continuing Promise 2027, a DoD foreign humanitarian mission aboard USNS Comfort "
    "(T-AH-20) in the Republic of Honduras: review and authorization to practise by the "
    "mission's Senior Medical Department Representative (DoDM 6025.13 Encl. 4 para 8a)."
)
POINT_OF_CONTACT = {
    "name": "Ms. Annelise R. Bergstrom-Achebe",
    "title": "Credentials Coordinator, Medical Staff Services",
    "phone": "619-555-0161",
    "fax": "619-555-0162",
    "email": "annelise.r.bergstrom-achebe.civ@health.mil",
}
CERTIFYING_OFFICIAL = {"name": "RDML Cordelia F. Umberhaven, MC, USN", "role": "MTF Commander"}
FILE_REVIEW = {
    "reviewed_on": "2026-11-24",
    "statement": (
        "I certify that the credentials file of this provider was reviewed and is accurately "
        "reflected in this brief as of the date of the review. No other relevant information "
        "is present in the credentials file."
    ),
    "other_info": {"present": False},
}


# ---------------------------------------------------------------- identifiers (RULES.md §15)


def npi(base9: str) -> str:
    """An NPI with its Luhn check digit (prefix 80840, i.e. add 24)."""
    return base9 + str(detectors.npi_check_digit(base9))


def dea(letters: str, six: str) -> str:
    """A DEA registration number with its check digit."""
    return f"{letters}{six}{detectors.dea_check_digit(letters + six)}"


# ---------------------------------------------------------------- record building blocks


def psv(on: str) -> dict[str, Any]:
    return {"status": "present", "on": on, "primary": True}


def training(
    kind: str, title: str, institution: str, completed: str, verified: str, **more: Any
) -> dict[str, Any]:
    item: dict[str, Any] = {"kind": kind, "title": title, "institution": institution}
    if "specialty" in more:
        item["specialty"] = more.pop("specialty")
    item["completed_on"] = completed
    if "pgy" in more:
        item["pgy"] = more.pop("pgy")
    item["accredited"] = more.pop("accredited", True)
    item["psv"] = psv(verified)
    assert not more, more
    return item


def credential(
    kind: str,
    title: str,
    issuer: str,
    number: str,
    effective: str,
    expires: str,
    verified: str,
    *,
    issuer_type: str = "state",
    authorizing: bool = False,
    body: str | None = None,
    restriction: bool = False,
    fee_exempt: bool = False,
    multistate: bool = False,
) -> dict[str, Any]:
    item: dict[str, Any] = {"kind": kind, "title": title}
    if authorizing:
        item["authorizing"] = True
    item["issuer"] = issuer
    item["issuer_type"] = issuer_type
    if body:
        item["body"] = body
    item.update(number=number, effective_on=effective, expires_on=expires, status="active")
    if restriction:
        item["restriction"] = "none"
    if fee_exempt:
        item["fee_exempt"] = True
    if multistate:
        item["multistate"] = True
    item["psv"] = psv(verified)
    return item


def license_(
    title: str, issuer: str, number: str, eff: str, exp: str, ver: str, **kw: Any
) -> dict[str, Any]:
    return credential(
        "license", title, issuer, number, eff, exp, ver, authorizing=True, restriction=True, **kw
    )


def dea_registration(number: str, state: str, eff: str, exp: str, ver: str) -> dict[str, Any]:
    return credential(
        "dea",
        f"DEA controlled substance registration, Schedules 2-5 ({state})",
        "U.S. Drug Enforcement Administration",
        number,
        eff,
        exp,
        ver,
        issuer_type="national_body",
        restriction=True,
        fee_exempt=True,
    )


def board(
    title: str, issuer: str, body: str, number: str, eff: str, exp: str, ver: str
) -> dict[str, Any]:
    return credential(
        "board", title, issuer, number, eff, exp, ver, issuer_type="national_body", body=body
    )


def life_support(title: str, number: str, eff: str, exp: str, ver: str) -> dict[str, Any]:
    return credential(
        "life_support",
        title,
        "American Heart Association",
        number,
        eff,
        exp,
        ver,
        issuer_type="national_body",
    )


BLS = "Basic Life Support (BLS) Provider"
ACLS = "Advanced Cardiovascular Life Support (ACLS) Provider"
PALS = "Pediatric Advanced Life Support (PALS) Provider"


@dataclass
class Person:
    """One DoD provider: what the credential record and the roster need."""

    key: str
    given: str
    middle: str
    family: str
    ssn: str
    dob: str
    home_line: str
    city: str
    postal_code: str
    home_phone: str
    specialty: str
    discipline: str
    component: str
    record: dict[str, Any] = field(default_factory=dict)


def provider_block(p: Person, rank: dict[str, str]) -> dict[str, Any]:
    block: dict[str, Any] = {
        "name": {"given": p.given, "middle": p.middle, "family": p.family},
        **rank,
        "ssn": p.ssn,
        "dob": p.dob,
        "home_address": {
            "line": [p.home_line],
            "city": p.city,
            "state": "CA",
            "postal_code": p.postal_code,
            "country": "USA",
        },
        "home_phone": p.home_phone,
        "specialty": p.specialty,
        "discipline": p.discipline,
        "component": p.component,
        "privileged": True,
    }
    if p.discipline == "physician":
        block["fmg"] = False
    return block


def credentials_file(
    licenses: list[dict[str, Any]],
    practice: list[dict[str, Any]],
    letters: list[dict[str, Any]],
    *,
    query_on: str,
    npi_number: str,
    accession_check_on: str,
) -> dict[str, Any]:
    return {
        "license_history": {"entry": licenses},
        "practice_history": {"entry": practice},
        "sanction_query_on": query_on,
        "ability_statement": True,
        "health_statement_confirmed": True,
        "competency_letter": letters,
        "ce_current": True,
        "npi": npi_number,
        "fbi_check_on": accession_check_on,
        "state_check_on": accession_check_on,
        "consent_signed": True,
        "accuracy_signed": True,
        "bylaws_signed": True,
    }


def record(
    p: Person,
    record_id: str,
    *,
    rank: dict[str, str],
    education: list[dict[str, Any]],
    exam: dict[str, str] | None,
    creds: list[dict[str, Any]],
    privileges: dict[str, Any],
    npdb: dict[str, Any],
    cfile: dict[str, Any],
    observer: dict[str, Any],
    remarks: str | None = None,
    reserve: dict[str, Any] | None = None,
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "record_id": record_id,
        "sending_facility": dict(NMCSD),
        "provider": provider_block(p, rank),
        "education": {"training": education},
    }
    if exam:
        out["exam"] = exam
    out.update(
        credentials={"credential": creds},
        privileges={"facility": NMCSD["name"], **privileges},
        npdb={"reported": False, "includes_hipdb": True, **npdb},
        credentials_file=cfile,
        observer={**observer, "other_info": {"present": False}},
        file_review=FILE_REVIEW,
        point_of_contact=POINT_OF_CONTACT,
        certifying_official=CERTIFYING_OFFICIAL,
    )
    if remarks:
        out["remarks"] = remarks
    if reserve:
        out["reserve"] = reserve
    return out


# ---------------------------------------------------------------- the DoD providers


def dod_people() -> list[Person]:
    people: list[Person] = []

    # 1. Active duty emergency physician: cleared, authorized 2026-12-28.
    p = Person(
        "ad-emergency-physician", "Dashiell", "Pieter", "Kvaran",
        "931-52-7740", "1985-08-17", "4120 Coronado Vista Court", "San Diego", "92107",
        "619-555-0173", "Emergency Medicine", "physician", "ad",
    )  # fmt: skip
    p.record = record(
        p,
        "NMCSD-CR-2026-1104",
        rank={"rank": "LCDR (O-4)", "corps": "Medical Corps"},
        education=[
            training(
                "degree",
                "Doctor of Medicine (MD)",
                "University of Minnesota Medical School",
                "2011-05-13",
                "2014-07-09",
            ),
            training(
                "internship",
                "Emergency medicine internship (PGY-1)",
                "Naval Medical Center San Diego",
                "2012-06-30",
                "2014-07-09",
                specialty="Emergency Medicine",
                pgy=1,
            ),
            training(
                "residency",
                "Emergency medicine residency (ACGME accredited)",
                "Naval Medical Center San Diego",
                "2014-06-30",
                "2014-07-09",
                specialty="Emergency Medicine",
                pgy=3,
            ),
        ],
        exam={"name": "USMLE Step 3", "final_step_on": "2012-02-22"},
        creds=[
            license_(
                "Physician and surgeon license",
                "Minnesota Board of Medical Practice",
                "58714",
                "2026-01-01",
                "2027-12-31",
                "2026-09-14",
            ),
            dea_registration(dea("FK", "318452"), "MN", "2025-03-01", "2028-02-29", "2026-09-14"),
            board(
                "Emergency Medicine",
                "American Board of Emergency Medicine",
                "ABEM",
                "ABEM-2015-40817",
                "2015-11-20",
                "2030-12-31",
                "2026-09-14",
            ),
            life_support(BLS, "262217403385", "2026-03-10", "2028-03-31", "2026-03-16"),
            life_support(ACLS, "262217403412", "2026-03-11", "2028-03-31", "2026-03-16"),
            life_support(PALS, "262217403457", "2026-03-12", "2028-03-31", "2026-03-16"),
        ],
        privileges={
            "category": "regular",
            "granted_on": "2025-10-06",
            "expires_on": "2027-10-05",
            "privilege": [
                "Emergency medicine core: evaluation, stabilization and treatment of adult and "
                "pediatric patients of all acuity levels",
                "Advanced airway management, including rapid sequence intubation and "
                "cricothyrotomy",
                "Procedural sedation and analgesia, adult and pediatric",
                "Point-of-care ultrasound, including FAST and ultrasound-guided vascular access",
                "Tube thoracostomy, central venous catheterization and arterial lines",
                "Fracture and dislocation reduction and splinting",
                "Complex laceration repair",
            ],
            "restricted": False,
            "independent": True,
            "ccqas_id": "N-PRV-2025-310482",
            "prev_action_on": "2023-10-09",
        },
        npdb={"queried_on": "2026-11-16", "action_query_on": "2025-09-22"},
        cfile=credentials_file(
            [
                {
                    "issuer": "Minnesota Board of Medical Practice",
                    "number": "58714",
                    "status": "active",
                    "disciplined": False,
                }
            ],
            [
                {
                    "start": "2011-06-20",
                    "end": "2014-06-30",
                    "description": "Emergency medicine internship and residency, Naval Medical "
                    "Center San Diego",
                },
                {
                    "start": "2014-07-01",
                    "end": "2017-06-30",
                    "description": "Staff emergency physician, Naval Hospital Okinawa, Japan",
                },
                {
                    "start": "2017-07-01",
                    "end": "2019-06-30",
                    "description": "Surgical company emergency physician, 1st Medical Battalion, "
                    "Camp Pendleton, CA",
                },
                {
                    "start": "2019-07-01",
                    "description": "Staff emergency physician, Naval Medical Center San Diego",
                },
            ],
            [
                {
                    "author": "CDR Felicity J. Arceneaux, MC, USN, Chair, Department of Emergency "
                    "Medicine, Naval Medical Center San Diego",
                    "specialty_match": True,
                    "observed_period": "July 2019 to August 2025",
                    "last_observed_on": "2025-08-29",
                },
                {
                    "author": "CAPT Horatio B. Lindgren, MC, USN, Residency Program Director, "
                    "Emergency Medicine, Naval Medical Center San Diego",
                    "specialty_match": True,
                    "observed_period": "July 2011 to June 2014",
                    "last_observed_on": "2014-06-27",
                },
            ],
            query_on="2025-09-22",
            npi_number=npi("148263095"),
            accession_check_on="2011-04-18",
        ),
        observer={
            "statement": "LCDR Kvaran practises the full scope of his emergency medicine "
            "privileges, including procedural sedation and advanced airway management, with "
            "ongoing professional practice evaluation results within department benchmarks. He "
            "led the department's mass-casualty drills this year, teaches residents well and "
            "conducts himself with integrity.",
            "name": "CDR Felicity J. Arceneaux, MC, USN",
            "title": "Chair, Department of Emergency Medicine",
            "phone": "619-555-0175",
            "email": "felicity.j.arceneaux.mil@health.mil",
        },
    )
    people.append(p)

    # 2. Active duty general surgeon: cleared, authorized 2027-01-02.
    p = Person(
        "ad-general-surgeon", "Marguerite", "Solveig", "Ellingboe",
        "946-20-1587", "1979-11-23", "1876 Rosecrans Heights Lane", "San Diego", "92106",
        "619-555-0182", "General Surgery", "physician", "ad",
    )  # fmt: skip
    p.record = record(
        p,
        "NMCSD-CR-2026-1105",
        rank={"rank": "CDR (O-5)", "corps": "Medical Corps"},
        education=[
            training(
                "degree",
                "Doctor of Medicine (MD)",
                "Georgetown University School of Medicine",
                "2006-05-20",
                "2011-07-12",
            ),
            training(
                "internship",
                "General surgery internship (PGY-1)",
                "Naval Medical Center Portsmouth",
                "2007-06-30",
                "2011-07-12",
                specialty="General Surgery",
                pgy=1,
            ),
            training(
                "residency",
                "General surgery residency (ACGME accredited)",
                "Naval Medical Center San Diego",
                "2011-06-30",
                "2011-07-12",
                specialty="General Surgery",
                pgy=5,
            ),
        ],
        exam={"name": "USMLE Step 3", "final_step_on": "2007-03-14"},
        creds=[
            license_(
                "Physician license",
                "Virginia Board of Medicine",
                "0101261874",
                "2026-06-01",
                "2028-05-31",
                "2026-06-19",
            ),
            dea_registration(dea("BE", "742618"), "VA", "2024-09-01", "2027-08-31", "2026-06-19"),
            board(
                "Surgery",
                "American Board of Surgery",
                "ABS",
                "ABS-059812",
                "2012-06-15",
                "2032-12-31",
                "2026-06-19",
            ),
            life_support(BLS, "255108927746", "2025-10-06", "2027-10-31", "2025-10-14"),
            life_support(ACLS, "255108927791", "2025-10-07", "2027-10-31", "2025-10-14"),
        ],
        privileges={
            "category": "regular",
            "granted_on": "2026-03-02",
            "expires_on": "2028-03-01",
            "privilege": [
                "General surgery core: evaluation and operative and non-operative management of "
                "adult patients with surgical conditions of the abdomen, alimentary tract, "
                "breast, skin and soft tissue",
                "Open and laparoscopic cholecystectomy, appendectomy and hernia repair",
                "Exploratory laparotomy and bowel resection",
                "Excision of soft-tissue masses and lipomas",
                "Thyroidectomy",
                "Trauma surgery and damage-control procedures",
                "Upper and lower gastrointestinal endoscopy",
            ],
            "restricted": False,
            "independent": True,
            "ccqas_id": "N-PRV-2026-114907",
            "prev_action_on": "2024-03-04",
        },
        npdb={"queried_on": "2026-11-16", "action_query_on": "2026-02-17"},
        cfile=credentials_file(
            [
                {
                    "issuer": "Virginia Board of Medicine",
                    "number": "0101261874",
                    "status": "active",
                    "disciplined": False,
                }
            ],
            [
                {
                    "start": "2006-06-19",
                    "end": "2011-06-30",
                    "description": "General surgery internship and residency, Naval Medical "
                    "Centers Portsmouth and San Diego",
                },
                {
                    "start": "2011-07-01",
                    "end": "2014-06-30",
                    "description": "Staff general surgeon, Naval Hospital Camp Lejeune, NC",
                },
                {
                    "start": "2014-07-01",
                    "end": "2016-06-30",
                    "description": "Surgeon, Expeditionary Resuscitative Surgical System, "
                    "1st Medical Battalion, Camp Pendleton, CA",
                },
                {
                    "start": "2016-07-01",
                    "description": "Staff general surgeon, Naval Medical Center San Diego",
                },
            ],
            [
                {
                    "author": "CAPT Ignatius W. Farraday, MC, USN, Chair, Department of General "
                    "Surgery, Naval Medical Center San Diego",
                    "specialty_match": True,
                    "observed_period": "July 2016 to January 2026",
                    "last_observed_on": "2026-01-30",
                },
                {
                    "author": "CDR Beatrix N. Halloran-Oduya, MC, USN, Staff Surgeon, Naval "
                    "Medical Center San Diego",
                    "specialty_match": True,
                    "observed_period": "March 2020 to January 2026",
                    "last_observed_on": "2026-01-23",
                },
            ],
            query_on="2026-02-17",
            npi_number=npi("172904638"),
            accession_check_on="2006-04-03",
        ),
        observer={
            "statement": "CDR Ellingboe is an accomplished general and trauma surgeon whose "
            "operative outcomes and complication rates are within department benchmarks on "
            "every ongoing professional practice evaluation. She is a two-time Continuing "
            "Promise veteran, works well in austere settings and her professional conduct is "
            "exemplary.",
            "name": "CAPT Ignatius W. Farraday, MC, USN",
            "title": "Chair, Department of General Surgery",
            "phone": "619-555-0186",
            "email": "ignatius.w.farraday.mil@health.mil",
        },
    )
    people.append(p)

    # 3. Active duty critical care nurse: cleared; not yet authorized (first day 2027-01-06).
    p = Person(
        "ad-critical-care-nurse", "Josefina", "Adela", "Brannigan",
        "958-63-2019", "1991-02-09", "7742 Mission Gorge Terrace", "San Diego", "92120",
        "619-555-0191", "Critical Care Nursing", "rn", "ad",
    )  # fmt: skip
    p.record = record(
        p,
        "NMCSD-CR-2026-1106",
        rank={"rank": "LT (O-3)", "corps": "Nurse Corps"},
        education=[
            training(
                "degree",
                "Bachelor of Science in Nursing (BSN)",
                "San Diego State University School of Nursing",
                "2013-05-18",
                "2014-01-21",
            ),
            training(
                "other",
                "Critical care nursing course (Navy Critical Care Nurse Training Program)",
                "Naval Medical Center San Diego",
                "2018-09-28",
                "2018-10-09",
                specialty="Critical Care Nursing",
                accredited=True,
            ),
        ],
        exam=None,
        creds=[
            license_(
                "Registered Nurse (multistate, Nurse Licensure Compact)",
                "Arizona State Board of Nursing",
                "RN271408",
                "2025-11-01",
                "2029-10-31",
                "2025-11-17",
                multistate=True,
            ),
            board(
                "Critical Care Registered Nurse (CCRN), adult",
                "AACN Certification Corporation",
                "AACN Certification Corporation",
                "CC-0815532",
                "2024-08-01",
                "2027-07-31",
                "2025-11-17",
            ),
            life_support(BLS, "259941087723", "2025-06-02", "2027-06-30", "2025-06-09"),
            life_support(ACLS, "259941087768", "2025-06-03", "2027-06-30", "2025-06-09"),
        ],
        privileges={
            "category": "regular",
            "granted_on": "2025-12-01",
            "expires_on": "2027-11-30",
            "privilege": [
                "Registered nurse practice in adult intensive and intermediate care, including "
                "care of mechanically ventilated patients",
                "Titration of vasoactive, sedation and analgesic infusions per approved protocols",
                "Arterial and central venous line management and invasive hemodynamic monitoring",
                "Intra-facility transport of ventilated patients",
                "Rapid response and code team member",
            ],
            "restricted": False,
            "ccqas_id": "N-PRV-2025-338016",
            "prev_action_on": "2023-12-04",
        },
        npdb={"queried_on": "2026-11-16", "action_query_on": "2025-11-17"},
        cfile=credentials_file(
            [
                {
                    "issuer": "Arizona State Board of Nursing (RN, multistate)",
                    "number": "RN271408",
                    "status": "active",
                    "disciplined": False,
                }
            ],
            [
                {
                    "start": "2013-06-03",
                    "end": "2013-08-09",
                    "description": "Officer Development School, Newport, RI",
                    "explanation": "Officer training before the first nursing assignment.",
                },
                {
                    "start": "2013-08-12",
                    "end": "2018-06-30",
                    "description": "Staff nurse, medical-surgical and step-down units, Naval "
                    "Medical Center San Diego",
                },
                {
                    "start": "2018-07-02",
                    "description": "Critical care nurse, intensive care unit, Naval Medical "
                    "Center San Diego",
                },
            ],
            [
                {
                    "author": "CDR Philippa G. Osei-Vandermeer, NC, USN, Division Officer, "
                    "Intensive Care Unit, Naval Medical Center San Diego",
                    "specialty_match": True,
                    "observed_period": "July 2021 to October 2025",
                    "last_observed_on": "2025-10-31",
                },
                {
                    "author": "LCDR Dominic A. Rautenberg, MC, USN, ICU Medical Director, Naval "
                    "Medical Center San Diego",
                    "specialty_match": True,
                    "observed_period": "January 2023 to October 2025",
                    "last_observed_on": "2025-10-24",
                },
            ],
            query_on="2025-11-17",
            npi_number=npi("138552907"),
            accession_check_on="2013-03-11",
        ),
        observer={
            "statement": "LT Brannigan gives skilled, safe care to the sickest adult patients in "
            "our intensive care unit and is one of our most trusted charge nurses. She "
            "completes competency validations ahead of schedule, precepts new critical care "
            "nurses and models honest, patient-centred professional conduct.",
            "name": "CDR Philippa G. Osei-Vandermeer, NC, USN",
            "title": "Division Officer, Intensive Care Unit",
            "phone": "619-555-0194",
            "email": "philippa.g.osei-vandermeer.mil@health.mil",
        },
        remarks="Multistate license issued by the provider's declared primary state of "
        "residence under the Nurse Licensure Compact.",
    )
    people.append(p)

    # 4. Reserve anesthesiologist: cleared; joins 2027-02-01, not yet authorized.
    p = Person(
        "rc-anesthesiologist", "Leopold", "Viggo", "Sandqvist",
        "927-84-3561", "1977-06-04", "2315 Lantern Crest Way", "Carlsbad", "92008",
        "760-555-0128", "Anesthesiology", "physician", "rc",
    )  # fmt: skip
    p.record = record(
        p,
        "NMCSD-CR-2026-1107",
        rank={"rank": "CDR (O-5), USNR", "corps": "Medical Corps"},
        education=[
            training(
                "degree",
                "Doctor of Medicine (MD)",
                "University of California, Irvine, School of Medicine",
                "2004-06-12",
                "2012-02-06",
            ),
            training(
                "internship",
                "Transitional year internship (PGY-1)",
                "Scripps Mercy Hospital, San Diego",
                "2005-06-30",
                "2012-02-06",
                specialty="Transitional Year",
                pgy=1,
            ),
            training(
                "residency",
                "Anesthesiology residency (ACGME accredited)",
                "University of California, San Diego",
                "2008-06-30",
                "2012-02-06",
                specialty="Anesthesiology",
                pgy=4,
            ),
        ],
        exam={"name": "USMLE Step 3", "final_step_on": "2005-05-18"},
        creds=[
            license_(
                "Physician and Surgeon license",
                "Medical Board of California",
                "A 104583",
                "2025-07-01",
                "2027-06-30",
                "2026-01-05",
            ),
            dea_registration(dea("FS", "560913"), "CA", "2025-05-01", "2028-04-30", "2026-01-05"),
            board(
                "Anesthesiology",
                "American Board of Anesthesiology",
                "ABA",
                "ABA-41208",
                "2009-10-16",
                "2029-12-31",
                "2026-01-05",
            ),
            life_support(BLS, "253370416628", "2025-08-18", "2027-08-31", "2025-08-25"),
            life_support(ACLS, "253370416673", "2025-08-19", "2027-08-31", "2025-08-25"),
        ],
        privileges={
            "category": "regular",
            "granted_on": "2026-01-12",
            "expires_on": "2028-01-11",
            "privilege": [
                "Anesthesiology core: general, regional and monitored anesthesia care for adult "
                "and pediatric patients aged two years and older",
                "Peripheral nerve blocks and neuraxial anesthesia",
                "Advanced airway management, including fiberoptic intubation",
                "Invasive hemodynamic monitoring: arterial and central venous catheters",
                "Acute perioperative pain management",
            ],
            "restricted": False,
            "independent": True,
            "ccqas_id": "N-PRV-2026-100377",
            "prev_action_on": "2024-01-08",
        },
        npdb={"queried_on": "2026-11-16", "action_query_on": "2025-12-29"},
        cfile=credentials_file(
            [
                {
                    "issuer": "Medical Board of California",
                    "number": "A 104583",
                    "status": "active",
                    "disciplined": False,
                },
            ],
            [
                {
                    "start": "2004-06-21",
                    "end": "2008-06-30",
                    "description": "Transitional internship, Scripps Mercy Hospital, and "
                    "anesthesiology residency, University of California, San Diego",
                },
                {
                    "start": "2008-07-01",
                    "description": "Attending anesthesiologist, Tri-City Coastal Anesthesia "
                    "Medical Group, Oceanside, CA (civilian practice)",
                },
                {
                    "start": "2011-09-12",
                    "description": "Anesthesiologist, Navy Reserve, Expeditionary Medical Facility "
                    "unit (drilling with Naval Medical Center San Diego)",
                },
            ],
            [
                {
                    "author": "CAPT Wendeline O. Marchbanks, MC, USN, Chair, Department of "
                    "Anesthesiology, Naval Medical Center San Diego",
                    "specialty_match": True,
                    "observed_period": "Annual training and drill weekends, 2019 to 2025",
                    "last_observed_on": "2025-06-20",
                },
                {
                    "author": "Dr. Evander T. Morrissette, MD, Chief of Anesthesia, Tri-City "
                    "Coastal Medical Center",
                    "specialty_match": True,
                    "observed_period": "2008 to 2025",
                    "last_observed_on": "2025-11-28",
                },
            ],
            query_on="2025-12-29",
            npi_number=npi("158420376"),
            accession_check_on="2011-07-14",
        ),
        observer={
            "statement": "CDR Sandqvist has provided general and regional anaesthesia at Naval "
            "Medical Center San Diego during every annual training period since 2019, with "
            "outcomes within department benchmarks. He practises the same scope full time in "
            "his civilian group, is calm in emergencies and is a respected teacher.",
            "name": "CAPT Wendeline O. Marchbanks, MC, USN",
            "title": "Chair, Department of Anesthesiology",
            "phone": "619-555-0137",
            "email": "wendeline.o.marchbanks.mil@health.mil",
        },
        reserve={
            "civ_position": "Attending anesthesiologist and partner",
            "civ_employer": "Tri-City Coastal Anesthesia Medical Group",
            "civ_privileges": "Full anesthesiology core privileges, including regional and "
            "neuraxial anesthesia, pediatric anesthesia for patients aged two and older, "
            "advanced airway management and invasive monitoring.",
            "self_employed": False,
            "facility": [
                "Tri-City Coastal Medical Center, Oceanside, CA",
                "Palomar Ridge Surgery Center, Vista, CA",
            ],
            "majority_location": "Tri-City Coastal Medical Center, Oceanside, CA (about 85 "
            "percent of cases)",
            "applicable_privileges": "Anesthesiology core, regional and neuraxial anesthesia "
            "and invasive monitoring, held at both civilian facilities and matching the Naval "
            "Medical Center San Diego privilege list.",
            "contact_address": {
                "line": [
                    "Tri-City Coastal Anesthesia Medical Group",
                    "4002 Vista Way, Suite 305",
                ],
                "city": "Oceanside",
                "state": "CA",
                "postal_code": "92056",
                "country": "USA",
            },
            "contact_address_type": "business",
            "business_phone": "760-555-0130",
            "home_phone": "760-555-0128",
            "last_tour": {
                "mtf": "Naval Medical Center San Diego, Department of Anesthesiology",
                "start": "2026-06-08",
                "end": "2026-06-19",
            },
        },
    )
    people.append(p)

    # 5. DoD civilian clinical pharmacist with a current MRC: cleared, authorized 2026-12-30.
    p = Person(
        "civ-pharmacist", "Rosamund", "Ilse", "Thackeray",
        "963-07-4418", "1982-09-26", "918 Otay Lakes Crossing", "Chula Vista", "91913",
        "619-555-0146", "Clinical Pharmacist (Ambulatory Care)", "pharmacist",
        "dod_civilian",
    )  # fmt: skip
    p.record = record(
        p,
        "NMCSD-CR-2026-1108",
        rank={"rating": "GS-0660-13", "corps": "Department of the Navy civilian"},
        education=[
            training(
                "degree",
                "Doctor of Pharmacy (PharmD)",
                "University of California, San Francisco, School of Pharmacy",
                "2008-06-14",
                "2010-08-02",
            ),
            training(
                "residency",
                "PGY1 pharmacy residency (ASHP accredited)",
                "VA San Diego Healthcare System",
                "2009-06-30",
                "2010-08-02",
                specialty="Pharmacy Practice",
                pgy=1,
            ),
            training(
                "residency",
                "PGY2 ambulatory care pharmacy residency (ASHP accredited)",
                "VA San Diego Healthcare System",
                "2010-06-30",
                "2010-08-02",
                specialty="Ambulatory Care Pharmacy",
                pgy=2,
            ),
        ],
        exam=None,
        creds=[
            license_(
                "Pharmacist license",
                "California State Board of Pharmacy",
                "RPH 71482",
                "2025-10-01",
                "2027-09-30",
                "2026-03-02",
            ),
            credential(
                "registration",
                "Advanced Practice Pharmacist recognition",
                "California State Board of Pharmacy",
                "APH 2104",
                "2025-10-01",
                "2027-09-30",
                "2026-03-02",
            ),
            board(
                "Board Certified Ambulatory Care Pharmacist (BCACP)",
                "Board of Pharmacy Specialties",
                "BPS",
                "BCACP-2013508",
                "2013-12-01",
                "2027-12-31",
                "2026-03-02",
            ),
            life_support(BLS, "257745012283", "2025-09-15", "2027-09-30", "2025-09-22"),
        ],
        privileges={
            "category": "regular",
            "granted_on": "2026-03-16",
            "expires_on": "2028-03-15",
            "privilege": [
                "Medication therapy management for diabetes, hypertension, dyslipidemia and "
                "anticoagulation under approved clinic protocols",
                "Initiate, modify and discontinue non-controlled medications within protocol",
                "Order and interpret laboratory tests to monitor drug therapy",
                "Immunization administration",
            ],
            "restricted": False,
            "independent": True,
            "ccqas_id": "N-PRV-2026-121554",
            "prev_action_on": "2024-03-18",
        },
        npdb={"queried_on": "2026-11-16", "action_query_on": "2026-03-02"},
        cfile=credentials_file(
            [
                {
                    "issuer": "California State Board of Pharmacy",
                    "number": "RPH 71482",
                    "status": "active",
                    "disciplined": False,
                },
                {
                    "issuer": "California State Board of Pharmacy (Advanced Practice "
                    "Pharmacist recognition)",
                    "number": "APH 2104",
                    "status": "active",
                    "disciplined": False,
                },
            ],
            [
                {
                    "start": "2008-07-01",
                    "end": "2010-06-30",
                    "description": "PGY1 and PGY2 pharmacy residencies, VA San Diego Healthcare "
                    "System",
                },
                {
                    "start": "2010-07-12",
                    "end": "2016-08-31",
                    "description": "Clinical pharmacist, anticoagulation and primary care clinics, "
                    "VA San Diego Healthcare System",
                },
                {
                    "start": "2016-09-06",
                    "description": "Clinical pharmacist practitioner (civil service), Naval "
                    "Medical Center San Diego",
                },
            ],
            [
                {
                    "author": "CDR Augustus L. Prendergast, MSC, USN, Director of Pharmacy, "
                    "Naval Medical Center San Diego",
                    "specialty_match": True,
                    "observed_period": "September 2016 to February 2026",
                    "last_observed_on": "2026-02-27",
                },
                {
                    "author": "Dr. Yolanda S. Achterhof, PharmD, Clinical Pharmacy Manager, Naval "
                    "Medical Center San Diego",
                    "specialty_match": True,
                    "observed_period": "2019 to 2026",
                    "last_observed_on": "2026-02-20",
                },
            ],
            query_on="2026-03-02",
            npi_number=npi("126703849"),
            accession_check_on="2016-07-18",
        ),
        observer={
            "statement": "Dr. Thackeray runs our ambulatory care pharmacotherapy clinics to a "
            "high standard; her protocol adherence and patient outcomes are consistently within "
            "benchmarks on every peer review. She deployed on Pacific Partnership 2024 and "
            "adapts quickly to austere settings.",
            "name": "CDR Augustus L. Prendergast, MSC, USN",
            "title": "Director of Pharmacy",
            "phone": "619-555-0149",
            "email": "augustus.l.prendergast.mil@health.mil",
        },
    )
    people.append(p)

    # 6. Personal services contractor pediatrician: cleared, authorized 2027-01-02.
    p = Person(
        "psc-pediatrician", "Anneliese", "Marisol", "Quintanilla-Hart",
        "982-41-6630", "1983-03-15", "5531 Del Cerro Ridge Road", "San Diego", "92120",
        "619-555-0153", "Pediatrics", "physician", "psc_contractor",
    )  # fmt: skip
    p.record = record(
        p,
        "NMCSD-CR-2026-1109",
        rank={"employment_category": "Personal services contractor (PSC), staff pediatrician"},
        education=[
            training(
                "degree",
                "Doctor of Medicine (MD)",
                "University of Texas Health Science Center at San Antonio, Long School of Medicine",
                "2009-05-30",
                "2018-05-21",
            ),
            training(
                "residency",
                "Pediatrics residency (ACGME accredited)",
                "Rady Children's Hospital San Diego / University of California, San Diego",
                "2012-06-30",
                "2018-05-21",
                specialty="Pediatrics",
                pgy=3,
            ),
        ],
        exam={"name": "USMLE Step 3", "final_step_on": "2010-04-21"},
        creds=[
            license_(
                "Physician and Surgeon license",
                "Medical Board of California",
                "A 121946",
                "2026-03-01",
                "2028-02-29",
                "2026-04-13",
            ),
            dea_registration(dea("FQ", "207394"), "CA", "2024-11-01", "2027-10-31", "2026-04-13"),
            board(
                "Pediatrics",
                "American Board of Pediatrics",
                "ABP",
                "ABP-1093372",
                "2012-10-30",
                "2030-12-31",
                "2026-04-13",
            ),
            life_support(BLS, "250081375514", "2025-07-14", "2027-07-31", "2025-07-21"),
            life_support(PALS, "250081375569", "2025-07-15", "2027-07-31", "2025-07-21"),
        ],
        privileges={
            "category": "regular",
            "granted_on": "2026-05-04",
            "expires_on": "2028-05-03",
            "privilege": [
                "General pediatrics core: evaluation and management of newborns, infants, "
                "children and adolescents, outpatient and inpatient",
                "Newborn resuscitation and care of the well newborn",
                "Procedural sedation, pediatric, in the emergency department and clinic",
                "Lumbar puncture, incision and drainage, simple laceration repair",
            ],
            "restricted": False,
            "independent": True,
            "ccqas_id": "N-PRV-2026-140288",
            "prev_action_on": "2024-05-06",
        },
        npdb={"queried_on": "2026-11-16", "action_query_on": "2026-04-20"},
        cfile=credentials_file(
            [
                {
                    "issuer": "Medical Board of California",
                    "number": "A 121946",
                    "status": "active",
                    "disciplined": False,
                }
            ],
            [
                {
                    "start": "2009-06-22",
                    "end": "2012-06-30",
                    "description": "Pediatrics residency, Rady Children's Hospital San Diego",
                },
                {
                    "start": "2012-07-01",
                    "end": "2018-04-30",
                    "description": "General pediatrician, Sunrise Valley Pediatric Associates, "
                    "El Cajon, CA",
                },
                {
                    "start": "2018-05-07",
                    "description": "Staff pediatrician (personal services contract), Naval Medical "
                    "Center San Diego",
                },
            ],
            [
                {
                    "author": "CDR Leontyne V. Abernathy-Sato, MC, USN, Chair, Department of "
                    "Pediatrics, Naval Medical Center San Diego",
                    "specialty_match": True,
                    "observed_period": "May 2018 to March 2026",
                    "last_observed_on": "2026-03-27",
                },
                {
                    "author": "Dr. Rupert E. Calloway-Nunez, MD, Medical Director, Sunrise Valley "
                    "Pediatric Associates",
                    "specialty_match": True,
                    "observed_period": "2012 to 2018",
                    "last_observed_on": "2018-04-27",
                },
            ],
            query_on="2026-04-20",
            npi_number=npi("160834719"),
            accession_check_on="2018-03-26",
        ),
        observer={
            "statement": "Dr. Quintanilla-Hart is an excellent general pediatrician; her "
            "clinical judgment, documentation and family communication are consistently rated "
            "highly in peer review and patient feedback. She supported the hospital's "
            "pediatric surge plan during two respiratory seasons and her conduct is "
            "exemplary.",
            "name": "CDR Leontyne V. Abernathy-Sato, MC, USN",
            "title": "Chair, Department of Pediatrics",
            "phone": "619-555-0157",
            "email": "leontyne.v.abernathy-sato.mil@health.mil",
        },
        remarks="Employee of Harborline Clinical Staffing, LLC, under a personal services "
        "contract with Naval Medical Center San Diego; the contract covers deployment on "
        "Continuing Promise 2027.",
    )
    people.append(p)

    # 7. Active duty dentist deployed as an individual augmentee, no MRC: cleared (HUM-004).
    p = Person(
        "ad-dentist-ia", "Cormac", "Desmond", "Ashworth",
        "974-36-8052", "1990-12-01", "3308 Point Loma Bluffs Drive", "San Diego", "92106",
        "619-555-0166", "General Dentistry (AEGD)", "dentist", "ad",
    )  # fmt: skip
    p.record = record(
        p,
        "NMCSD-CR-2026-1110",
        rank={"rank": "LT (O-3)", "corps": "Dental Corps"},
        education=[
            training(
                "degree",
                "Doctor of Dental Medicine (DMD)",
                "Oregon Health & Science University School of Dentistry",
                "2017-06-10",
                "2018-07-16",
            ),
            training(
                "residency",
                "Advanced Education in General Dentistry, 12 months (CODA accredited)",
                "Naval Postgraduate Dental School AEGD program, Naval Medical Center San Diego",
                "2018-06-30",
                "2018-07-16",
                specialty="General Dentistry",
                pgy=1,
            ),
        ],
        exam=None,
        creds=[
            license_(
                "Dentist license",
                "Oregon Board of Dentistry",
                "D9471",
                "2026-04-01",
                "2028-03-31",
                "2026-04-20",
            ),
            dea_registration(dea("FA", "619027"), "OR", "2025-01-01", "2027-12-31", "2026-04-20"),
            life_support(BLS, "251663097742", "2025-11-03", "2027-11-30", "2025-11-10"),
        ],
        privileges={
            "category": "regular",
            "granted_on": "2026-04-27",
            "expires_on": "2028-04-26",
            "privilege": [
                "Comprehensive oral examination, diagnosis and treatment planning for adult and "
                "pediatric patients",
                "Direct restorations and simple indirect restorations",
                "Simple and surgical extractions, including erupted third molars",
                "Incision and drainage of odontogenic infections",
                "Local anesthesia and nitrous oxide-oxygen inhalation sedation",
            ],
            "restricted": False,
            "independent": True,
            "ccqas_id": "N-PRV-2026-133610",
            "prev_action_on": "2024-04-29",
        },
        npdb={"queried_on": "2026-11-16", "action_query_on": "2026-04-13"},
        cfile=credentials_file(
            [
                {
                    "issuer": "Oregon Board of Dentistry",
                    "number": "D9471",
                    "status": "active",
                    "disciplined": False,
                }
            ],
            [
                {
                    "start": "2017-07-05",
                    "end": "2018-06-30",
                    "description": "AEGD residency, Naval Postgraduate Dental School, San Diego",
                },
                {
                    "start": "2018-07-02",
                    "end": "2021-06-30",
                    "description": "General dentist, 3rd Dental Battalion, Okinawa, Japan",
                },
                {
                    "start": "2021-07-01",
                    "description": "General dentist, Naval Medical Center San Diego dental clinics",
                },
            ],
            [
                {
                    "author": "CAPT Octavia R. Blomqvist, DC, USN, Director, Dental Services, "
                    "Naval Medical Center San Diego",
                    "specialty_match": True,
                    "observed_period": "July 2021 to March 2026",
                    "last_observed_on": "2026-03-31",
                },
                {
                    "author": "CDR Thaddeus M. Ekwueme, DC, USN, Department Head, General "
                    "Dentistry, Naval Medical Center San Diego",
                    "specialty_match": True,
                    "observed_period": "2022 to 2026",
                    "last_observed_on": "2026-03-27",
                },
            ],
            query_on="2026-04-13",
            npi_number=npi("115829460"),
            accession_check_on="2017-05-08",
        ),
        observer={
            "statement": "LT Ashworth provides comprehensive general dentistry, including "
            "surgical extractions, with quality of care within directorate benchmarks on "
            "every peer review. He is efficient in high-volume clinics, which suits "
            "humanitarian dental care ashore, and his conduct is exemplary.",
            "name": "CAPT Octavia R. Blomqvist, DC, USN",
            "title": "Director, Dental Services",
            "phone": "619-555-0169",
            "email": "octavia.r.blomqvist.mil@health.mil",
        },
    )
    people.append(p)

    # 8. Active duty family physician whose privileges expire mid-mission: not cleared
    #    (ICTB-021 -> HUM-005).  Already authorized by the SMDR on 2026-12-28.
    p = Person(
        "ad-family-physician", "Winifred", "Amara", "Okafor-Strand",
        "915-73-0294", "1986-07-30", "6127 Linda Vista Parkway", "San Diego", "92111",
        "619-555-0178", "Family Medicine", "physician", "ad",
    )  # fmt: skip
    p.record = record(
        p,
        "NMCSD-CR-2026-1111",
        rank={"rank": "LCDR (O-4)", "corps": "Medical Corps"},
        education=[
            training(
                "degree",
                "Doctor of Osteopathic Medicine (DO)",
                "Western University of "
                "Health Sciences, College of Osteopathic Medicine of the Pacific",
                "2012-05-19",
                "2015-07-13",
            ),
            training(
                "internship",
                "Family medicine internship (PGY-1)",
                "Naval Hospital Camp Pendleton Family Medicine Residency",
                "2013-06-30",
                "2015-07-13",
                specialty="Family Medicine",
                pgy=1,
            ),
            training(
                "residency",
                "Family medicine residency (ACGME accredited)",
                "Naval Hospital Camp Pendleton Family Medicine Residency",
                "2015-06-30",
                "2015-07-13",
                specialty="Family Medicine",
                pgy=3,
            ),
        ],
        exam={"name": "COMLEX-USA Level 3", "final_step_on": "2013-04-09"},
        creds=[
            license_(
                "Osteopathic physician and surgeon license",
                "Osteopathic Medical Board of California",
                "20A 14382",
                "2025-08-01",
                "2027-07-31",
                "2025-01-13",
            ),
            dea_registration(dea("FO", "845270"), "CA", "2024-07-01", "2027-06-30", "2025-01-13"),
            board(
                "Family Medicine",
                "American Board of Family Medicine",
                "ABFM",
                "ABFM-2015-80442",
                "2015-07-24",
                "2030-12-31",
                "2025-01-13",
            ),
            life_support(BLS, "254471930085", "2025-04-07", "2027-04-30", "2025-04-14"),
            life_support(ACLS, "254471930131", "2025-04-08", "2027-04-30", "2025-04-14"),
        ],
        privileges={
            "category": "regular",
            "granted_on": "2025-02-03",
            "expires_on": "2027-02-02",
            "privilege": [
                "Family medicine core: evaluation and management of patients of all ages, "
                "outpatient and inpatient",
                "Well-child care and adolescent preventive care",
                "Women's health, including contraception and cervical cancer screening",
                "Skin biopsy and excision of benign skin lesions",
                "Simple laceration repair, joint aspiration and injection",
                "Osteopathic manipulative treatment",
            ],
            "restricted": False,
            "independent": True,
            "ccqas_id": "N-PRV-2025-104471",
            "prev_action_on": "2023-02-06",
        },
        npdb={"queried_on": "2026-11-16", "action_query_on": "2025-01-20"},
        cfile=credentials_file(
            [
                {
                    "issuer": "Osteopathic Medical Board of California",
                    "number": "20A 14382",
                    "status": "active",
                    "disciplined": False,
                }
            ],
            [
                {
                    "start": "2012-06-18",
                    "end": "2015-06-30",
                    "description": "Family medicine internship and residency, Naval Hospital Camp "
                    "Pendleton",
                },
                {
                    "start": "2015-07-01",
                    "end": "2018-06-30",
                    "description": "Battalion surgeon, 1st Marine Regiment, Camp Pendleton, CA",
                },
                {
                    "start": "2018-07-02",
                    "description": "Staff family physician, Naval Medical Center San Diego",
                },
            ],
            [
                {
                    "author": "CDR Bartholomew E. Szczepanski, MC, USN, Chair, Department of "
                    "Family Medicine, Naval Medical Center San Diego",
                    "specialty_match": True,
                    "observed_period": "July 2018 to December 2024",
                    "last_observed_on": "2024-12-20",
                },
                {
                    "author": "LCDR Genevieve P. Mbeki-Lawson, MC, USN, Staff Family Physician, "
                    "Naval Medical Center San Diego",
                    "specialty_match": True,
                    "observed_period": "2020 to 2024",
                    "last_observed_on": "2024-12-13",
                },
            ],
            query_on="2025-01-20",
            npi_number=npi("190357264"),
            accession_check_on="2012-04-02",
        ),
        observer={
            "statement": "LCDR Okafor-Strand is a skilled family physician whose clinical "
            "quality measures and peer reviews are consistently within department "
            "benchmarks. She precepts family medicine residents, has served as an "
            "operational battalion surgeon and conducts herself with integrity.",
            "name": "CDR Bartholomew E. Szczepanski, MC, USN",
            "title": "Chair, Department of Family Medicine",
            "phone": "619-555-0181",
            "email": "bartholomew.e.szczepanski.mil@health.mil",
        },
        remarks="Reappointment and renewal of privileges are in progress; the credentials "
        "committee meets in February 2027.",
    )
    people.append(p)

    # 9. DoD civilian physical therapist, deployed through the DoD Expeditionary Civilian
    #    program with no MRC: not cleared (HUM-003; the exemption is for service members).
    p = Person(
        "civ-physical-therapist", "Evander", "Lucius", "Harrowgate",
        "939-68-5127", "1988-04-19", "2744 Clairemont Mesa Court", "San Diego", "92117",
        "858-555-0142", "Physical Therapy (Orthopaedics)", "physical_therapist",
        "dod_civilian",
    )  # fmt: skip
    p.record = record(
        p,
        "NMCSD-CR-2026-1112",
        rank={"rating": "GS-0633-12", "corps": "Department of the Navy civilian"},
        education=[
            training(
                "degree",
                "Doctor of Physical Therapy (DPT)",
                "University of Southern "
                "California, Division of Biokinesiology and Physical Therapy",
                "2013-05-10",
                "2019-08-26",
            ),
            training(
                "residency",
                "Orthopaedic physical therapy residency (ABPTRFE accredited)",
                "Kaiser Permanente Southern California",
                "2014-08-31",
                "2019-08-26",
                specialty="Orthopaedic Physical Therapy",
                pgy=1,
            ),
        ],
        exam=None,
        creds=[
            license_(
                "Physical therapist license",
                "Physical Therapy Board of California",
                "PT 45873",
                "2025-05-01",
                "2027-04-30",
                "2025-10-06",
            ),
            board(
                "Board-Certified Clinical Specialist in Orthopaedic Physical Therapy (OCS)",
                "American Board of Physical Therapy Specialties",
                "ABPTS",
                "OCS-2016-11874",
                "2016-06-30",
                "2036-06-30",
                "2025-10-06",
            ),
            life_support(BLS, "256610348827", "2025-09-08", "2027-09-30", "2025-09-15"),
        ],
        privileges={
            "category": "regular",
            "granted_on": "2025-10-20",
            "expires_on": "2027-10-19",
            "privilege": [
                "Physical therapy evaluation and treatment of musculoskeletal conditions, "
                "direct access",
                "Ordering of plain radiographs of the extremities and spine",
                "Dry needling",
                "Spinal and peripheral joint manipulation",
            ],
            "restricted": False,
            "independent": True,
            "ccqas_id": "N-PRV-2025-317730",
            "prev_action_on": "2023-10-23",
        },
        npdb={"queried_on": "2026-11-16", "action_query_on": "2025-10-06"},
        cfile=credentials_file(
            [
                {
                    "issuer": "Physical Therapy Board of California",
                    "number": "PT 45873",
                    "status": "active",
                    "disciplined": False,
                }
            ],
            [
                {
                    "start": "2013-09-03",
                    "end": "2014-08-31",
                    "description": "Orthopaedic physical therapy residency, Kaiser Permanente "
                    "Southern California",
                },
                {
                    "start": "2014-09-08",
                    "end": "2019-08-09",
                    "description": "Staff physical therapist, Kaiser Permanente San Diego Medical "
                    "Center",
                },
                {
                    "start": "2019-08-19",
                    "description": "Physical therapist (civil service), Naval Medical Center San "
                    "Diego",
                },
            ],
            [
                {
                    "author": "LCDR Perpetua J. Vanterpool, MSC, USN, Head, Physical Therapy "
                    "Department, Naval Medical Center San Diego",
                    "specialty_match": True,
                    "observed_period": "August 2019 to September 2025",
                    "last_observed_on": "2025-09-26",
                },
                {
                    "author": "Dr. Maximilian R. Oduya-Kerr, DPT, Clinical Supervisor, Naval "
                    "Medical Center San Diego",
                    "specialty_match": True,
                    "observed_period": "2021 to 2025",
                    "last_observed_on": "2025-09-19",
                },
            ],
            query_on="2025-10-06",
            npi_number=npi("187304526"),
            accession_check_on="2019-07-01",
        ),
        observer={
            "statement": "Dr. Harrowgate is an excellent orthopaedic physical therapist whose "
            "outcomes and documentation meet every department standard. He runs the direct "
            "access musculoskeletal clinic and his professional conduct is exemplary.",
            "name": "LCDR Perpetua J. Vanterpool, MSC, USN",
            "title": "Head, Physical Therapy Department",
            "phone": "619-555-0144",
            "email": "perpetua.j.vanterpool.mil@health.mil",
        },
    )
    people.append(p)
    return people


# ---------------------------------------------------------------- the roster


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def name_of(p: Person) -> PersonName:
    return PersonName(given=p.given, middle=p.middle, family=p.family)


def mrc(issued: str, expires: str) -> Mrc:
    return Mrc(issued_on=d(issued), expires_on=d(expires))


def authorized(on: str, specialty: str, independent: bool = True) -> Authorization:
    return Authorization(by=SMDR_NAME, on=d(on), specialty=specialty, independent=independent)


def ictb_path(key: str) -> str:
    return f"ictbs/{key}.signed.ictb.xml"


def dod_arrivals(people: list[Person]) -> list[ArrivingProvider]:
    by_key = {p.key: p for p in people}

    def dod(key: str, report: str, depart: str, first: str, **more: Any) -> ArrivingProvider:
        p = by_key[key]
        return ArrivingProvider(
            id=key,
            name=name_of(p),
            specialty=p.specialty,
            component=Component(p.component),
            report_on=d(report),
            depart_on=d(depart),
            first_clinical_day=d(first),
            ictb=ictb_path(key),
            **more,
        )

    return [
        dod("ad-emergency-physician", "2027-01-04", "2027-02-26", "2027-01-05",
            mrc=mrc("2026-10-20", "2027-10-19"),
            authorization=authorized("2026-12-28", "Emergency Medicine")),
        dod("ad-general-surgeon", "2027-01-04", "2027-02-26", "2027-01-05",
            mrc=mrc("2026-10-27", "2027-10-26"),
            authorization=authorized("2027-01-02", "General Surgery")),
        dod("ad-critical-care-nurse", "2027-01-04", "2027-02-26", "2027-01-06",
            mrc=mrc("2026-10-20", "2027-10-19")),
        dod("rc-anesthesiologist", "2027-02-01", "2027-02-26", "2027-02-02",
            mrc=mrc("2026-11-14", "2027-11-13")),
        dod("civ-pharmacist", "2027-01-04", "2027-02-26", "2027-01-05",
            mrc=mrc("2026-11-02", "2027-11-01"),
            authorization=authorized("2026-12-30", "Clinical Pharmacist (Ambulatory Care)")),
        dod("psc-pediatrician", "2027-01-04", "2027-02-26", "2027-01-05",
            mrc=mrc("2026-10-29", "2027-10-28"),
            authorization=authorized("2027-01-02", "Pediatrics")),
        dod("ad-dentist-ia", "2027-01-04", "2027-02-26", "2027-01-06",
            deploy_program="Navy Individual Augmentee (IA) program"),
        dod("ad-family-physician", "2027-01-04", "2027-02-26", "2027-01-05",
            mrc=mrc("2026-10-20", "2027-10-19"),
            authorization=authorized("2026-12-28", "Family Medicine")),
        dod("civ-physical-therapist", "2027-01-04", "2027-02-26", "2027-01-06",
            deploy_program="DoD Expeditionary Civilian (DoD EC) program"),
    ]  # fmt: skip


NGOS = (
    Ngo(
        id="hagmm",
        name="Hands Across the Gulf Medical Mission",
        role=NgoRole.PARTICIPANT,
        mou_role_stated=True,
        in_dod_facility_or_platform=True,
        medical_director="Dr. Esperanza L. Whitcombe, MD",
    ),
    Ngo(
        id="lfa",
        name="Lifeline Field Alliance",
        role=NgoRole.COOPERATING_PARTY,
        mou_role_stated=True,
        in_dod_facility_or_platform=False,
        medical_director="Dr. Bartholomew K. Nnamdi-Varga, MD",
        md_assurance=True,
    ),
)


def other_arrivals() -> list[ArrivingProvider]:
    all_docs = ForeignDocuments(
        training=True, license=True, education=True, specialty=True, competencies=True
    )
    return [
        # 10. NGO participant member, Medical Director's documentation complete: cleared.
        ArrivingProvider(
            id="ngo-ophthalmologist",
            name=PersonName(given="Renata", middle="Giulia", family="Castellucci"),
            specialty="Ophthalmology",
            component=Component.NGO_MEMBER,
            report_on=d("2027-01-11"),
            depart_on=d("2027-01-29"),
            first_clinical_day=d("2027-01-12"),
            ngo="hagmm",
            ngo_docs_ok=True,
            us_license=True,
            authorization=authorized("2027-01-02", "Ophthalmology"),
        ),
        # 11. NGO participant member without the Medical Director's documentation: HUM-010.
        ArrivingProvider(
            id="ngo-perioperative-nurse",
            name=PersonName(given="Nathaniel", middle="Pryce", family="Okonjo-Baird"),
            specialty="Perioperative Nursing",
            component=Component.NGO_MEMBER,
            report_on=d("2027-01-11"),
            depart_on=d("2027-01-29"),
            first_clinical_day=d("2027-01-12"),
            ngo="hagmm",
            ngo_docs_ok=False,
            us_license=True,
        ),
        # 12. Member of a cooperating-party NGO working ashore: outside SMDR verification.
        ArrivingProvider(
            id="lfa-family-physician",
            name=PersonName(given="Ines", middle="Marlene", family="Aldana-Fuchs"),
            specialty="Family Medicine",
            component=Component.NGO_MEMBER,
            report_on=d("2027-01-04"),
            depart_on=d("2027-02-26"),
            ngo="lfa",
            us_license=True,
        ),
        # 13. Honduran internist, observed practice completed before duties: cleared.
        ArrivingProvider(
            id="hn-internist",
            name=PersonName(given="Marco", middle="Antonio", family="Zelaya Funes"),
            specialty="Internal Medicine",
            component=Component.FOREIGN,
            report_on=d("2027-01-05"),
            depart_on=d("2027-02-26"),
            first_clinical_day=d("2027-01-11"),
            foreign=ForeignProvider(
                country="Republic of Honduras",
                country_license=True,
                docs=all_docs,
                observed=ObservedPractice(start=d("2027-01-05"), end=d("2027-01-08")),
                duties_start=d("2027-01-11"),
            ),
        ),
        # 14. Honduran nurse with duties from the second day and no observed practice:
        #     cleared, with the HUM-022 warning for the SMDR.
        ArrivingProvider(
            id="hn-obstetric-nurse",
            name=PersonName(given="Karla", middle="Yamileth", family="Mejia Bonilla"),
            specialty="Obstetric Nursing",
            component=Component.FOREIGN,
            report_on=d("2027-01-05"),
            depart_on=d("2027-02-26"),
            first_clinical_day=d("2027-01-06"),
            foreign=ForeignProvider(
                country="Republic of Honduras",
                country_license=True,
                docs=all_docs,
                duties_start=d("2027-01-06"),
            ),
        ),
    ]


def roster(people: list[Person]) -> MissionRoster:
    return MissionRoster(
        mission=Mission(
            name="Continuing Promise 2027",
            host_nation="Republic of Honduras",
            start=MISSION_START,
            end=MISSION_END,
            platform="USNS Comfort (T-AH-20)",
            smdr=Smdr(
                name=SMDR_NAME,
                title="Senior Medical Department Representative; Commanding Officer, Military "
                "Treatment Facility, USNS Comfort",
            ),
        ),
        ngos=NGOS,
        providers=tuple(dod_arrivals(people) + other_arrivals()),
        host_nation_release=HostNationRelease(
            required_by_hn=True,
            return_or_protect_requested=True,
            documents=(
                ReleasedDocument(
                    kind=ReleasedKind.DIPLOMA,
                    provider="ad-general-surgeon",
                    released_on=d("2026-12-18"),
                ),
                ReleasedDocument(
                    kind=ReleasedKind.STATE_LICENSE,
                    provider="ad-general-surgeon",
                    released_on=d("2026-12-18"),
                ),
                ReleasedDocument(
                    kind=ReleasedKind.ICTB,
                    provider="ad-general-surgeon",
                    released_on=d("2027-01-03"),
                    redacted=True,
                ),
            ),
        ),
    )


# ---------------------------------------------------------------- writing


def write_records(out: Path, people: list[Person]) -> dict[str, Path]:
    paths = {}
    for number, p in enumerate(people, start=1):
        path = out / "records" / f"{number:02d}-{p.key}.json"
        raw = (json.dumps(p.record, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
        # Normalize through the schema, so the file is exactly what ``convert`` would write.
        text = records.to_json_text(records.load(path, raw))
        atomic_write(path, text.encode("utf-8"), overwrite=True)
        paths[p.key] = path
    return paths


def refuse(source: str, step: str, report: Report) -> NoReturn:
    problems = "; ".join(f"{f.code} {f.message}" for f in report.errors)
    raise SystemExit(f"{source}: {step} refused: {problems}")


def privileges_end(p: Person) -> dt.date:
    return d(p.record["privileges"]["expires_on"])


def write_ictbs(
    out: Path, people: list[Person], arrivals: list[ArrivingProvider], paths: dict[str, Path]
) -> None:
    protect_demo_keys(KEYS)  # a fresh checkout leaves them readable by all
    passphrase = (KEYS / "demo-passphrase.txt").read_bytes().splitlines()[0]
    material = keys.load_signing_material(
        KEYS / "demo-signer.key.pem", KEYS / "demo-signer.pem", None, passphrase
    )
    rules_policy = policy.default()
    windows = {a.id: a for a in arrivals}
    for p in people:
        arrival = windows[p.key]
        source = f"records/{paths[p.key].name}"
        # ``build`` refuses an assignment running past the sending privileges (PRIV-001),
        # so an ICTB can only cover the days they are in effect; the roster keeps the
        # whole mission window, and the SMDR review finds the gap (ICTB-021, HUM-005).
        end = min(arrival.depart_on, privileges_end(p))
        assignment = build.Assignment(
            gaining=COMFORT,
            purpose=PURPOSE,
            periods=(Period(facility_id=COMFORT.id, start=arrival.report_on, end=end),),
        )
        built = build.build(
            records.load(paths[p.key]),
            assignment,
            issued_on=ISSUED_ON,
            policy=rules_policy,
            source=source,
            document_id=str(uuid.uuid5(ID_NAMESPACE, p.key)),
        )
        if built.brief is None:
            refuse(source, "build", built.report)
        signed = signing.sign(
            built.brief, source, material, signed_at=SIGNED_AT, policy=rules_policy
        )
        if signed.xml is None:
            refuse(source, "signing", signed.report)
        atomic_write(out / ictb_path(p.key), signed.xml, overwrite=True)


def write_roster(out: Path, value: MissionRoster) -> None:
    element = xmlmap.write(value, mission.ROOT, mission.NS)
    schema.require_valid(element, mission.XSD, "roster.xml")
    atomic_write(out / "roster.xml", xmlsafe.serialize(element), overwrite=True)
    obj = schema.xml_to_json_obj(element, mission.XSD)
    text = json.dumps(obj, indent=2, ensure_ascii=False) + "\n"
    atomic_write(out / "roster.json", text.encode("utf-8"), overwrite=True)
    if mission.load(out / "roster.json") != mission.load(out / "roster.xml"):
        raise SystemExit("roster.json and roster.xml differ when loaded")


def main(argv: list[str]) -> int:
    if len(argv) > 1 or (argv and argv[0].startswith("-")):
        print(
            "usage: make_mission_samples.py [OUT_DIR]  (default: samples/mission)", file=sys.stderr
        )
        return 2
    out = Path(argv[0]) if argv else OUT
    people = dod_people()
    value = roster(people)
    paths = write_records(out, people)
    write_ictbs(out, people, list(value.providers), paths)
    write_roster(out, value)
    done = f"{len(people)} records and signed ICTBs, roster.xml, roster.json"
    print(f"wrote {out}/: {done}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
