"""The ICTB document (``xsd/ictb.xsd``): :class:`ictb.model.Brief` to XML and back.

Withholdable identifiers never sit in the brief itself: each has a slot element there
(``<ssn ref="pd-ssn"/>``) and its value sits in ``personal_data``, outside the content
the certifying signature covers, so a host-nation copy can drop it (Encl. 4 §8c).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Any

from lxml import etree

from ictb import schema, xmlmap, xmlsafe
from ictb.errors import InputError
from ictb.model import (
    Address,
    Attachment,
    Brief,
    Certification,
    CredentialList,
    DatabankQuery,
    Facility,
    FileReview,
    Observer,
    Period,
    PointOfContact,
    Privileges,
    Provider,
    Release,
    ReserveDetails,
    Source,
    Training,
)
from ictb.model import Credential as CredentialModel

NS = schema.ICTB_NS
VERSION = "1.0"

# §5f element number of each brief section (for `source` and for messages).
SECTION_ELEMENT = {
    "provider": 1,
    "education": 2,
    "licensure": 3,
    "board_certifications": 4,
    "life_support": 5,
    "privileges": 6,
    "databank_queries": 7,
    "assignment": 8,
    "observer": 9,
    "file_review": 10,
    "point_of_contact": 11,
    "certification": 12,
    "reserve_component": 13,
}


def q(name: str) -> str:
    return f"{{{NS}}}{name}"


def brief_id(document_id: str) -> str:
    """The XML Id of the certified content (an NCName, so it cannot start with a digit)."""
    return f"ictb-{document_id}"


# ---------------------------------------------------------------- writing


class _PersonalValues:
    """Collects withholdable values while the brief is written; hands out slot refs."""

    def __init__(self) -> None:
        self.values: list[tuple[str, str, Any]] = []

    def __call__(self, field: str, value: Any) -> str:
        count = sum(1 for _, f, _ in self.values if f == field)
        ref = f"pd-{field}" if count == 0 else f"pd-{field}-{count + 1}"
        self.values.append((ref, field, value))
        return ref

    def element(self) -> etree._Element | None:
        if not self.values:
            return None
        container = etree.Element(q("personal_data"))
        for ref, field, value in self.values:
            node = etree.SubElement(container, q("value"), id=ref, field=field)
            if isinstance(value, Address):
                xmlmap.fill(etree.SubElement(node, q("address")), value, NS)
            else:
                etree.SubElement(node, q("text")).text = xmlmap.scalar_text(value)
        return container


def to_element(brief: Brief) -> etree._Element:
    """The ICTB document for ``brief``."""
    root = etree.Element(q("ictb"), nsmap={None: NS}, version=VERSION)
    body = etree.SubElement(root, q("brief"), Id=brief_id(brief.document_id))
    personal = _PersonalValues()

    def text(name: str, value: Any, parent: etree._Element = body) -> None:
        if value is not None:
            etree.SubElement(parent, q(name)).text = xmlmap.scalar_text(value)

    def section(name: str) -> etree._Element:
        node = etree.SubElement(body, q(name))
        source = brief.sources.get(SECTION_ELEMENT[name])
        if source is not None:
            node.set("source", source.value)
        return node

    def data(name: str, obj: Any, **kw: Any) -> None:
        if obj is not None:
            xmlmap.fill(section(name), obj, NS, personal=personal, **kw)

    text("document_id", brief.document_id)
    text("issued_on", brief.issued_on)
    text("supersedes", brief.supersedes)
    xmlmap.fill(etree.SubElement(body, q("sending_facility")), brief.sending, NS)
    xmlmap.fill(etree.SubElement(body, q("gaining_facility")), brief.gaining, NS)
    assignment = section("assignment")
    text("purpose", brief.purpose, assignment)
    text("appraisal_request", brief.appraisal_request, assignment)
    for period in brief.periods:
        xmlmap.fill(etree.SubElement(assignment, q("period")), period, NS)
    data("provider", brief.provider, exclude=frozenset({"privileged"}))
    if brief.education is not None:
        edu = section("education")
        for training in brief.education:
            xmlmap.fill(etree.SubElement(edu, q("training")), training, NS)
    for name, listing in (
        ("licensure", brief.licensure),
        ("board_certifications", brief.boards),
        ("life_support", brief.life_support),
    ):
        if listing is not None:
            node = section(name)
            if listing.none:
                etree.SubElement(node, q("none"))
            for credential in listing.credentials:
                child = etree.SubElement(node, q("credential"))
                xmlmap.fill(child, credential, NS, personal=personal)
    if brief.privileges is not None or brief.non_privileged:
        node = section("privileges")
        if brief.non_privileged:
            etree.SubElement(node, q("non_privileged"))
        if brief.privileges is not None:
            xmlmap.fill(node, brief.privileges, NS)
    if brief.npdb is not None or brief.hipdb is not None:
        node = section("databank_queries")
        for name, query in (("npdb", brief.npdb), ("hipdb", brief.hipdb)):
            if query is not None:
                xmlmap.fill(etree.SubElement(node, q(name)), query, NS)
    data("observer", brief.observer)
    data("file_review", brief.file_review)
    data("point_of_contact", brief.point_of_contact)
    data("certification", brief.certification)
    data("reserve_component", brief.reserve)
    text("remarks", brief.remarks)
    if brief.attachments:
        node = etree.SubElement(body, q("attachments"))
        for attachment in brief.attachments:
            xmlmap.fill(etree.SubElement(node, q("attachment")), attachment, NS)
    text("application_attached", brief.application_attached)
    personal_data = personal.element()
    if personal_data is not None:
        root.append(personal_data)
    if brief.release is not None:
        xmlmap.fill(etree.SubElement(root, q("release")), brief.release, NS)
    return root


def to_bytes(brief: Brief) -> bytes:
    return xmlsafe.serialize(to_element(brief))


# ---------------------------------------------------------------- reading


def load(path: str | Path, data: bytes | None = None) -> Brief:
    """Read and schema-validate an ICTB file."""
    source = str(path)
    raw = xmlsafe.read_input(path) if data is None else data
    return from_element(parse(raw, source), source)


def parse(raw: bytes, source: str) -> etree._Element:
    root = xmlsafe.parse_bytes(raw, source)
    check_root(root, source)
    schema.require_valid(root, schema.ICTB_XSD, source)
    return root


def check_root(root: etree._Element, source: str) -> None:
    if root.tag != q("ictb"):
        raise InputError(
            f"not an ICTB (root element {xmlmap.localname(root)!r}, expected 'ictb' "
            f"in namespace {NS})",
            path=source,
            line=root.sourceline,
            code="INPUT-004",
        )


class _PersonalLookup:
    """Resolves slot refs to values in ``personal_data``; remembers what was withheld."""

    def __init__(self, root: etree._Element, source: str) -> None:
        self.source = source
        self.values: dict[str, etree._Element] = {}
        self.withheld: set[str] = set()
        container = root.find(q("personal_data"))
        for node in container if container is not None else ():
            if not isinstance(node.tag, str):
                continue
            ref = node.get("id", "")
            if ref in self.values:
                raise InputError(
                    f"personal value id {ref!r} appears twice",
                    path=source,
                    line=node.sourceline,
                    code="INPUT-004",
                )
            self.values[ref] = node

    def __call__(self, field: str, ref: str, kind: Any) -> Any:
        node = self.values.get(ref)
        if node is None:
            self.withheld.add(field)
            return None
        if node.get("field") != field:
            raise InputError(
                f"personal value {ref!r} is for {node.get('field')!r} but its slot is {field!r}",
                path=self.source,
                line=node.sourceline,
                code="INPUT-004",
            )
        address = node.find(q("address"))
        if kind is Address:
            if address is None:
                raise InputError(
                    f"{field} must be an address",
                    path=self.source,
                    line=node.sourceline,
                    code="INPUT-004",
                )
            return xmlmap.read(Address, address)
        if address is not None:
            raise InputError(
                f"{field} must be text", path=self.source, line=node.sourceline, code="INPUT-004"
            )
        text_node = node.find(q("text"))
        text = xmlmap.text_of(text_node) if text_node is not None else ""
        try:
            return xmlmap.scalar_value(kind, text)
        except ValueError:
            raise InputError(
                f"{field} is not a valid {kind.__name__}",
                path=self.source,
                line=node.sourceline,
                code="INPUT-004",
            ) from None


def from_element(
    root: etree._Element, source: str = "<ictb>", *, brief_element: etree._Element | None = None
) -> Brief:
    """Build the model from a schema-valid ICTB.

    ``brief_element`` is the certified content to read instead of the document's own
    ``brief`` child: after signature verification, only what the signature covered.
    """
    body = brief_element if brief_element is not None else root.find(q("brief"))
    if body is None:  # the schema requires it; kept for callers that skipped validation
        raise InputError("no brief element", path=source, code="INPUT-004")
    personal = _PersonalLookup(root, source)

    def child(name: str) -> etree._Element | None:
        return body.find(q(name))

    def obj(cls: type[Any], name: str, parent: etree._Element | None = body) -> Any:
        node = parent.find(q(name)) if parent is not None else None
        return None if node is None else xmlmap.read(cls, node, personal=personal)

    def date(name: str) -> dt.date:
        return dt.date.fromisoformat((body.findtext(q(name)) or "").strip())

    sources: dict[int, Source] = {}
    for name, number in SECTION_ELEMENT.items():
        node = child(name)
        declared = node.get("source") if node is not None else None
        if declared:
            sources[number] = Source(declared)

    def credentials(name: str) -> CredentialList | None:
        node = child(name)
        if node is None:
            return None
        return CredentialList(
            credentials=tuple(
                xmlmap.read(CredentialModel, c, personal=personal)
                for c in node.findall(q("credential"))
            ),
            none=node.find(q("none")) is not None,
        )

    assignment = child("assignment")
    privileges = child("privileges")
    databanks = child("databank_queries")
    education = child("education")
    attachments = child("attachments")
    application = body.findtext(q("application_attached"))
    release = obj(Release, "release", root)
    brief = Brief(
        document_id=(body.findtext(q("document_id")) or "").strip(),
        issued_on=date("issued_on"),
        supersedes=body.findtext(q("supersedes")),
        sending=obj(Facility, "sending_facility"),
        gaining=obj(Facility, "gaining_facility"),
        purpose=assignment.findtext(q("purpose")) if assignment is not None else None,
        appraisal_request=(
            assignment.findtext(q("appraisal_request")) if assignment is not None else None
        ),
        periods=tuple(
            xmlmap.read(Period, p)
            for p in (assignment if assignment is not None else ())
            if xmlmap.localname(p) == "period"
        ),
        provider=obj(Provider, "provider"),
        education=(
            None
            if education is None
            else tuple(xmlmap.read(Training, t) for t in education.findall(q("training")))
        ),
        licensure=credentials("licensure"),
        boards=credentials("board_certifications"),
        life_support=credentials("life_support"),
        privileges=(
            xmlmap.read(Privileges, privileges)
            if privileges is not None
            and [xmlmap.localname(c) for c in privileges] != ["non_privileged"]
            else None
        ),
        non_privileged=privileges is not None and privileges.find(q("non_privileged")) is not None,
        npdb=obj(DatabankQuery, "npdb", databanks),
        hipdb=obj(DatabankQuery, "hipdb", databanks),
        observer=obj(Observer, "observer"),
        file_review=obj(FileReview, "file_review"),
        point_of_contact=obj(PointOfContact, "point_of_contact"),
        certification=obj(Certification, "certification"),
        reserve=obj(ReserveDetails, "reserve_component"),
        remarks=body.findtext(q("remarks")),
        attachments=tuple(
            xmlmap.read(Attachment, a)
            for a in (attachments.findall(q("attachment")) if attachments is not None else ())
        ),
        application_attached=None if application is None else application.strip() in ("true", "1"),
        sources=sources,
        withheld=frozenset(personal.withheld),
        release=release,
        signed=root.find(f"{{{schema.DSIG_NS}}}Signature") is not None,
    )
    if brief.provider is not None:
        # `privileged` is carried by §5f(6) in the ICTB, not by §5f(1).
        provider = replace(brief.provider, privileged=not brief.non_privileged)
        brief = replace(brief, provider=provider)
    return brief
