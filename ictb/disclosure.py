"""Salted digests that bind withholdable values into the certified content.

Each value in ``personal_data`` gets a fresh random salt of 128 bits; its slot in the
signed brief carries ``SHA-256(domain, field name, salt, canonical value)``.  A copy
without the value (and its salt) still verifies, and the digest alone does not let
anyone guess the value: an SSN has only 10^9 values, so an unsalted digest would
(RULES.md RED-007, Interp. A17).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from dataclasses import dataclass, field

from lxml import etree

from ictb.schema import ICTB_NS
from ictb.xmldsig import c14n

SALT_BYTES = 16
DOMAIN = b"urn:ictb:personal-value:1"

# Slot element name in the brief -> the personal field name of its value.
SLOT_FIELDS = {
    "ssn": "ssn",
    "dob": "dob",
    "home_address": "home_address",
    "home_phone": "home_phone",
    "personal_email": "personal_email",
    "dod_id": "dod_id",
    "passport_number": "passport_number",
    "dea_number": "dea_number",
}
# In the §5f(13) block the same element names carry the reserve contact values.
RESERVE_SLOT_FIELDS = {"contact_address": "rc_contact_address", "home_phone": "rc_home_phone"}


def q(name: str) -> str:
    return f"{{{ICTB_NS}}}{name}"


def digest(field_name: str, salt: bytes, value: etree._Element) -> bytes:
    """The digest of one value: its ``text`` or ``address`` child, canonicalized."""
    content = next(iter(c for c in value if isinstance(c.tag, str)), None)
    if content is None:
        raise ValueError("empty personal value")
    material = b"\0".join((DOMAIN, field_name.encode("ascii"), salt, c14n(content)))
    return hashlib.sha256(material).digest()


_WITH_REF = etree.XPath(".//*[@ref]")


def slots(brief: etree._Element) -> list[tuple[str, etree._Element]]:
    """(personal field, slot element) for every slot in the brief."""
    out = []
    for node in _WITH_REF(brief):
        name = etree.QName(node).localname
        parent = node.getparent()
        in_reserve = parent is not None and etree.QName(parent).localname == "reserve_component"
        mapping = RESERVE_SLOT_FIELDS if in_reserve else SLOT_FIELDS
        if name in mapping:
            out.append((mapping[name], node))
    return out


def values(root: etree._Element) -> dict[str, etree._Element]:
    """The personal values by id; an id given twice is refused (one could shadow the other)."""
    container = root.find(q("personal_data"))
    out: dict[str, etree._Element] = {}
    for value in container if container is not None else ():
        if not isinstance(value.tag, str):
            continue
        ref = value.get("id", "")
        if ref in out:
            raise DuplicateValueError(ref)
        out[ref] = value
    return out


class DuplicateValueError(ValueError):
    """Two personal values share one id."""


def bind(root: etree._Element, brief: etree._Element) -> None:
    """Salt every value and put its digest on its slot (before signing)."""
    by_id = values(root)
    for field_name, slot in slots(brief):
        value = by_id.get(slot.get("ref", ""))
        if value is None or value.get("field") != field_name:
            raise ValueError(f"the {field_name} slot has no matching value")
        salt = os.urandom(SALT_BYTES)
        value.set("salt", base64.b64encode(salt).decode("ascii"))
        slot.set("digest", base64.b64encode(digest(field_name, salt, value)).decode("ascii"))


@dataclass
class Disclosures:
    """What a signed copy discloses, and what is wrong with it."""

    present: list[str] = field(default_factory=list)
    withheld: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _b64(text: str | None) -> bytes | None:
    try:
        return base64.b64decode(text or "", validate=True) if text else None
    except (binascii.Error, ValueError):
        return None


def check(root: etree._Element, signed_brief: etree._Element) -> Disclosures:
    """Check every value present against the digest on its slot in the signed brief.

    ``signed_brief`` must be the signed content as verified, not the document's own
    (possibly altered) brief element.  A value nothing refers to, a value under another
    field's slot and a value that does not match are all problems.
    """
    result = Disclosures()
    try:
        by_id = values(root)
    except DuplicateValueError as exc:
        result.problems.append(f"personal value id {exc.args[0]!r} appears twice")
        return result
    container = root.find(q("personal_data"))
    if container is not None:
        hidden = next(container.iter(etree.Comment, etree.ProcessingInstruction), None)
        if hidden is not None:
            result.problems.append(
                "a comment or processing instruction sits inside the personal data"
            )
            return result
    used: set[str] = set()
    for field_name, slot in slots(signed_brief):
        ref = slot.get("ref", "")
        certified = _b64(slot.get("digest"))
        if certified is None:
            result.problems.append(f"the {field_name} slot carries no certified digest")
            continue
        value = by_id.get(ref)
        if value is None:
            result.withheld.append(field_name)
            continue
        used.add(ref)
        if value.get("field") != field_name:
            result.problems.append(
                f"the value under the {field_name} slot is marked {value.get('field')!r}"
            )
            continue
        salt = _b64(value.get("salt"))
        if salt is None or len(salt) < SALT_BYTES:
            result.problems.append(f"the {field_name} value has no salt of 128 bits or more")
            continue
        try:
            actual = digest(field_name, salt, value)
        except ValueError:
            result.problems.append(f"the {field_name} value is empty")
            continue
        if not hmac.compare_digest(actual, certified):
            result.problems.append(
                f"the disclosed {field_name} does not match the value that was certified"
            )
            continue
        result.present.append(field_name)
    for ref, value in by_id.items():
        if ref not in used:
            result.problems.append(
                f"personal value {ref!r} ({value.get('field')}) is not bound to any slot "
                "of the signed content"
            )
    return result
