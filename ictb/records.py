"""Credential records: read from XML or JSON (one schema defines both), written as either."""

from __future__ import annotations

import json
from pathlib import Path

from lxml import etree

from ictb import schema, xmlmap, xmlsafe
from ictb.model import CredentialRecord

ROOT_TAG = "credential_record"


def load(path: str | Path, data: bytes | None = None) -> CredentialRecord:
    """Read a credential record file (XML or JSON, told apart by its first character)."""
    source = str(path)
    raw = xmlsafe.read_input(path) if data is None else data
    return from_element(parse(raw, source), source)


def parse(raw: bytes, source: str) -> etree._Element:
    """The schema-valid XML form of a record given as XML or JSON bytes."""
    return schema.parse_document(
        raw, source, schema.RECORD_XSD, schema.RECORD_NS, ROOT_TAG, model=CredentialRecord
    )


def from_element(root: etree._Element, source: str = "<record>") -> CredentialRecord:
    return xmlmap.read(CredentialRecord, root)


def to_element(record: CredentialRecord) -> etree._Element:
    return xmlmap.write(record, ROOT_TAG, schema.RECORD_NS)


def to_xml_bytes(record: CredentialRecord) -> bytes:
    return xmlsafe.serialize(to_element(record))


def to_json_text(record: CredentialRecord) -> str:
    obj = schema.xml_to_json_obj(to_element(record), schema.RECORD_XSD)
    return json.dumps(obj, indent=2, ensure_ascii=False) + "\n"
