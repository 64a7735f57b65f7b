"""Host-nation release (Encl. 4 §8c): withhold identifiers, keep the signature valid.

The redactor never edits certified text: it only drops withheld values (and their
salts) from ``personal_data``, which sits outside the signed brief, and adds a release
marking, also outside it.  It refuses when an identifier of a withheld category appears
anywhere else (RED-022), and scans its own output before writing (RED-001..007).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from lxml import etree

from ictb import detectors, disclosure, ictb_xml, jsonconfig, schema, xmldsig, xmlmap, xmlsafe
from ictb.errors import ConfigError, IctbError
from ictb.findings import Finding, Report, finding
from ictb.model import Address, ContactAddressType, Release

DS_PREFIX = f"{{{xmldsig.DS}}}"

# Detector categories of RED-001..004 and the categories of the profiles.
MANDATORY = {"ssn": "RED-001", "dob": "RED-002", "home_address": "RED-003", "dea": "RED-004"}

_PERSON_AFTER = re.compile(
    r"\b(patient|claimant|complainant)\s+(?:(?:Mr|Mrs|Ms|Dr)\.?\s+)?([A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)"
)
_UNSCANNABLE = ("image/", "application/pdf")
PROFILE_FILE = "profile file"


# ---------------------------------------------------------------- profiles


@dataclass(frozen=True)
class Profile:
    name: str
    description: str
    categories: tuple[str, ...]
    fields: dict[str, str]  # personal field -> category

    def label(self, category: str) -> str:
        return str(_catalog()["categories"].get(category, {}).get("label", category))


@cache
def _catalog() -> dict[str, Any]:
    """The packaged categories and profiles, validated against their schema once."""
    raw: dict[str, Any] = jsonconfig.packaged("data/redaction-profiles.json", what=PROFILE_FILE)
    return raw


def load_profile(name: str, extra: Path | None = None) -> Profile:
    """A packaged profile, or one from a mission's own profile file (same shape and schema,
    ``data/schemas/redaction-profiles.schema.json``)."""
    catalog = _catalog()
    profiles = dict(catalog["profiles"])
    categories = dict(catalog["categories"])
    if extra is not None:
        added = jsonconfig.load(extra, jsonconfig.REDACTION_PROFILES, what=PROFILE_FILE)
        # A mission adds categories and profiles; it cannot narrow the packaged ones (a
        # "ssn" category listing other fields would let the SSN through).
        for key, packaged in (("categories", categories), ("profiles", profiles)):
            redefined = sorted(set(added.get(key, {})) & set(packaged))
            if redefined:
                raise ConfigError(
                    f"{PROFILE_FILE} redefines packaged {key}: {', '.join(redefined)} "
                    "(a profile file may add categories and profiles, not change them)",
                    path=str(extra),
                )
        profiles.update(added.get("profiles", {}))
        categories.update(added.get("categories", {}))
    if name not in profiles:
        raise IctbError(f"no redaction profile {name!r} (known: {', '.join(sorted(profiles))})")
    withhold: list[str] = profiles[name]["withhold"]
    unknown = [c for c in withhold if c not in categories]
    if unknown:
        raise IctbError(f"profile {name!r} names unknown categories: {', '.join(unknown)}")
    # The four §8c names are mandatory for any release profile (Interp. A16).
    lacking = [c for c in MANDATORY if c not in withhold]
    if lacking:
        raise IctbError(
            f"profile {name!r} must withhold {', '.join(lacking)} (Encl. 4 §8c names them)"
        )
    fields = {field: category for category in withhold for field in categories[category]["fields"]}
    description = str(profiles[name].get("description", ""))
    return Profile(name, description, tuple(withhold), fields)


# ---------------------------------------------------------------- what a copy withholds


def _value_text(value: etree._Element) -> list[str]:
    """The value's text, or the lines of its address."""
    text = value.find(ictb_xml.q("text"))
    if text is not None:
        return [xmlmap.text_of(text)]
    address = value.find(ictb_xml.q("address"))
    if address is None:
        return []
    return [line for line in address.itertext() if line.strip()]


def known_values(root: etree._Element, fields: set[str]) -> detectors.KnownValues:
    """The provider's identifiers of the withheld fields, to search for everywhere else."""
    found: dict[str, list[etree._Element]] = {}
    for value in disclosure.values(root).values():
        found.setdefault(value.get("field", ""), []).append(value)
    ssn = next((_value_text(v)[0] for v in found.get("ssn", []) if "ssn" in fields), None)
    dob_text = next((_value_text(v)[0] for v in found.get("dob", []) if "dob" in fields), None)
    addresses = tuple(
        xmlmap.read(Address, v.find(ictb_xml.q("address")))  # type: ignore[arg-type]
        for name in ("home_address", "rc_contact_address")
        if name in fields
        for v in found.get(name, [])
        if v.find(ictb_xml.q("address")) is not None
    )
    dea = tuple(_value_text(v)[0] for v in found.get("dea_number", []) if "dea_number" in fields)
    dob = None
    if dob_text:
        try:
            dob = dt.date.fromisoformat(dob_text.strip())
        except ValueError:
            dob = None
    return detectors.KnownValues(ssn=ssn, dob=dob, home_address=addresses, dea=dea)


@cache
def field_categories() -> dict[str, str]:
    """Each personal field's category, from the packaged catalog (the one place it is said)."""
    return {
        str(field): category
        for category, entry in _catalog()["categories"].items()
        for field in entry["fields"]
    }


def other_known(root: etree._Element) -> list[tuple[str, str]]:
    """(field, text) of the other personal identifiers (RED-005), withheld or kept: a
    profile that keeps one leaves it in the copy, which deserves a warning."""
    return [
        (v.get("field", ""), text)
        for v in disclosure.values(root).values()
        if field_categories().get(v.get("field", "")) not in (None, *MANDATORY)
        for text in _value_text(v)
    ]


def withheld_fields(root: etree._Element, profile: Profile) -> set[str]:
    """The personal fields of this document that the profile withholds.

    A Reserve contact address typed ``business`` is not a home address (RULES.md §10).
    """
    fields = set(profile.fields)
    body = root.find(ictb_xml.q("brief"))
    kind = (
        body.findtext(f"{ictb_xml.q('reserve_component')}/{ictb_xml.q('contact_address_type')}")
        if body is not None
        else None
    )
    if kind == ContactAddressType.BUSINESS.value:
        fields.discard("rc_contact_address")
    return fields


# ---------------------------------------------------------------- scanning


# Elements whose text is base64 of binary data (a digest, a signature value, a
# certificate): no identifier can be written there without breaking them.
_BINARY = frozenset(
    f"{DS_PREFIX}{name}" for name in ("DigestValue", "SignatureValue", "X509Certificate")
)
_BINARY_ATTRIBUTES = frozenset({"digest", "salt"})


def _texts(root: etree._Element, skip: set[etree._Element]) -> Iterator[tuple[str, str]]:
    """(location, text) of every text, attribute, comment and PI of the document,
    outside the subtrees in ``skip``: inside the signature too, and before and after
    the document element."""
    for sibling in (*root.itersiblings(preceding=True), *root.itersiblings()):
        yield "/ (outside the document element)", str(sibling.text or "")
    skipped = [s for s in skip]
    for node in root.iter():
        if any(node is s or _inside(node, s) for s in skipped):
            continue
        if isinstance(node, etree._Comment | etree._ProcessingInstruction):
            parent = node.getparent()
            where = _path(parent) if parent is not None else "/"
            yield f"{where} (comment)", str(node.text or "")
            continue
        where = _path(node)
        # An element's own text nodes, including the text between its children.
        if node.tag not in _BINARY:
            yield where, xmlmap.text_of(node)
        for key, value in node.attrib.items():
            if etree.QName(key).localname not in _BINARY_ATTRIBUTES:
                yield f"{where}/@{etree.QName(key).localname}", value


def _inside(node: etree._Element, ancestor: etree._Element) -> bool:
    return any(a is ancestor for a in node.iterancestors())


def _path(node: etree._Element) -> str:
    names = [
        etree.QName(a).localname
        for a in reversed([node, *node.iterancestors()])
        if isinstance(a.tag, str)
    ]
    return "/" + "/".join(names)


def identifiers_outside_values(
    root: etree._Element, fields: set[str], profile: Profile
) -> list[Finding]:
    """RED-022: a withheld-category identifier where the redactor cannot drop it."""
    values = disclosure.values(root)
    skip = {v for v in values.values() if v.get("field") in fields}
    known = known_values(root, fields)
    others = [(f, text) for f, text in other_known(root) if f in fields]
    found = []
    wanted = set(MANDATORY) & set(profile.categories)
    for where, text in _texts(root, skip):
        if not text.strip():
            continue
        categories = {
            m.category
            for m in detectors.scan(text, known)
            if m.strength == detectors.STRONG and m.category in wanted
        }
        categories |= {field_categories()[f] for f, value in others if value and value in text}
        for category in sorted(categories):
            found.append(
                finding(
                    "RED-022",
                    f"{profile.label(category)} appears in {where}, outside the withholdable "
                    "fields; it cannot be withheld without breaking the signature: the "
                    "sending MTF must issue a corrected ICTB",
                    where,
                )
            )
    return found


def leaks(
    root: etree._Element,
    known: detectors.KnownValues | None,
    others: list[tuple[str, str]],
    withheld: set[str],
    salts: dict[str, bytes],
) -> list[Finding]:
    """RED-001..007, RED-011 and RED-023 on a release copy.

    ``known``, ``others`` and ``salts`` are what the redactor knew of the withheld values;
    a verifier of a copy knows none of them and relies on the patterns.
    """
    found: list[Finding] = []
    codes = {**MANDATORY}
    reported: set[tuple[str, str]] = set()
    for where, text in _texts(root, set()):
        if not text.strip():
            continue
        for match in detectors.scan(text, known):
            if match.strength != detectors.STRONG:
                continue
            key = (codes[match.category], where)
            if key not in reported:
                reported.add(key)
                found.append(
                    finding(
                        codes[match.category],
                        f"the release copy still contains "
                        f"{_article(match.category)} ({match.why}) in {where}",
                        where,
                    )
                )
        for field_name, value in others:
            if value and value in text and ("RED-005", where) not in reported:
                reported.add(("RED-005", where))
                found.append(
                    finding(
                        "RED-005",
                        f"the release copy still contains the "
                        f"{field_name.replace('_', ' ')} in {where}",
                        where,
                    )
                )
        for person in _PERSON_AFTER.finditer(text):
            found.append(
                finding(
                    "RED-006",
                    f"a narrative names a {person.group(1).lower()} in {where}; "
                    "review it before it leaves DoD",
                    where,
                )
            )
    found += _recoverable(root, withheld, salts, known)
    found += _marking(root)
    return found


def _article(category: str) -> str:
    return {
        "ssn": "an SSN",
        "dob": "a date of birth",
        "home_address": "a home address",
        "dea": "a DEA number",
    }[category]


def recoverable(root: etree._Element, withheld: set[str]) -> list[Finding]:
    """RED-007 on a copy whose withheld values are unknown (as at ``verify``)."""
    return _recoverable(root, withheld, {}, None)


def release_findings(root: etree._Element) -> list[Finding]:
    """RED-001..007, RED-011, RED-023 on a copy presented as a release copy."""
    body = root.find(ictb_xml.q("brief"))
    bound = {ref for ref in disclosure.values(root)}
    withheld = {
        name
        for name, slot in (disclosure.slots(body) if body is not None else [])
        if slot.get("ref") not in bound
    }
    return leaks(root, None, [], withheld, {})


def _recoverable(
    root: etree._Element,
    withheld: set[str],
    salts: dict[str, bytes],
    known: detectors.KnownValues | None,
) -> list[Finding]:
    """RED-007: no salt, unsalted digest or weakly salted digest of a withheld value."""
    found = []
    document = etree.tostring(root).decode("utf-8")
    for field_name, salt in salts.items():
        if base64.b64encode(salt).decode("ascii") in document:
            found.append(
                finding(
                    "RED-007",
                    f"the salt of the withheld {field_name} is still in the copy",
                    "/ictb",
                )
            )
    for value in disclosure.values(root).values():
        if value.get("field") in withheld:
            found.append(
                finding(
                    "RED-007",
                    f"the withheld {value.get('field')} value is still in the copy",
                    "/ictb/personal_data",
                )
            )
    if known is not None:
        for _, form in known.patterns():
            for digest in (hashlib.sha256(form.encode()).digest(),):
                if digest.hex() in document or base64.b64encode(digest).decode() in document:
                    found.append(
                        finding(
                            "RED-007",
                            "an unsalted digest of a withheld value is in the copy",
                            "/ictb",
                        )
                    )
    return found


def _marking(root: etree._Element) -> list[Finding]:
    found = []
    marking = root.find(ictb_xml.q("release"))
    release = xmlmap.read(Release, marking) if marking is not None else None
    missing = []
    if release is None:
        missing = ["the whole marking"]
    else:
        for name, value in (
            ("target", release.target),
            ("date", release.released_on),
            ("releasing official", release.official),
            ("withheld categories", release.withheld_categories),
        ):
            if not value:
                missing.append(name)
    if missing:
        found.append(
            finding("RED-011", f"the release marking lacks {', '.join(missing)}", "/ictb/release")
        )
    body = root.find(ictb_xml.q("brief"))
    attachments = body.find(ictb_xml.q("attachments")) if body is not None else None
    for index, item in enumerate(attachments if attachments is not None else (), start=1):
        media = item.findtext(ictb_xml.q("media_type")) or ""
        if media.startswith(_UNSCANNABLE):
            name = item.findtext(ictb_xml.q("name")) or f"attachment {index}"
            found.append(
                finding(
                    "RED-023",
                    f"the attachment {name!r} ({media}) cannot be scanned for identifiers",
                    f"/ictb/brief/attachments/attachment[{index}]",
                )
            )
    return found


# ---------------------------------------------------------------- redacting


@dataclass(frozen=True)
class RedactResult:
    report: Report
    xml: bytes | None  # None when the copy was refused


def redact(
    raw: bytes,
    source: str,
    profile: Profile,
    *,
    released_to: str | None,
    released_by: str | None,
    released_on: dt.date,
) -> RedactResult:
    root = ictb_xml.parse(raw, source)
    body = root.find(ictb_xml.q("brief"))
    assert body is not None
    if root.find(ictb_xml.q("release")) is not None:
        raise IctbError("already a release copy; redact the signed original", path=source)
    try:
        verified = xmldsig.verify(root, body)
    except xmldsig.SignatureProblem as problem:
        code = "ICTB-043" if problem.kind == "algorithm" else "ICTB-040"
        return RedactResult(Report(source, (finding(code, f"not released: {problem}"),)), None)
    signed_body = xmlsafe.parse_bytes(verified.signed_bytes, source)
    intact = disclosure.check(root, signed_body)
    if intact.problems:
        found = [finding("ICTB-040", f"not released: {p}") for p in intact.problems]
        return RedactResult(Report(source, tuple(found)), None)
    fields = withheld_fields(root, profile)
    refusals = identifiers_outside_values(root, fields, profile)
    if refusals:
        return RedactResult(Report(source, tuple(refusals)), None)
    known = known_values(root, fields)
    others = other_known(root)
    salts: dict[str, bytes] = {}
    dropped: list[str] = []
    container = root.find(ictb_xml.q("personal_data"))
    for value in list(container if container is not None else ()):
        name = value.get("field", "")
        if name in fields:
            salts[name] = base64.b64decode(value.get("salt", ""))
            dropped.append(name)
            container.remove(value)  # type: ignore[union-attr]
    if container is not None and len(container) == 0:
        root.remove(container)
    all_withheld = sorted({*dropped, *intact.withheld})
    marking = Release(
        target=released_to,
        released_on=released_on,
        official=released_by,
        withheld_categories=tuple(profile.categories),
        withheld_fields=tuple(all_withheld),
    )
    node = xmlmap.write(marking, "release", schema.ICTB_NS)
    etree.indent(node, level=1)  # outside every signed element, so layout is free
    node.tail = "\n"
    root.append(node)
    found = leaks(root, known, others, set(all_withheld), salts)
    found.append(
        finding("RED-010", "withheld from this copy: " + ", ".join(all_withheld), "/ictb/release")
    )
    report = Report(source, tuple(found), {"withheld": all_withheld, "profile": profile.name})
    if report.errors:
        return RedactResult(report, None)
    schema.require_valid(root, schema.ICTB_XSD, source)
    return RedactResult(report, xmlsafe.serialize(root, pretty=False))
