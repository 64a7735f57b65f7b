"""The hardened XML parser: hostile corpus, limits, file errors, comments, round trip."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from ictb import xmlsafe
from ictb.errors import InputError, MissingInputError
from ictb.xmlsafe import MAX_DEPTH, parse_bytes, parse_file, serialize

HOSTILE = Path(__file__).resolve().parent / "data" / "hostile"
CORPUS = sorted(HOSTILE.glob("*.xml"))

DOCTYPE_FILES = {
    "billion-laughs.xml",
    "quadratic-blowup.xml",
    "external-entity.xml",
    "external-dtd.xml",
    "parameter-entity.xml",
    "doctype-utf16.xml",
}
EXPECTED_CORPUS = DOCTYPE_FILES | {
    "xinclude.xml",
    "undeclared-entity.xml",
    "malformed.xml",
    "empty.xml",
    "whitespace.xml",
}
PASSWD_MARKER = "root:"


def _rejected(call, *args, **kwargs) -> InputError:  # type: ignore[no-untyped-def]
    """Run ``call`` and return the InputError it raises; anything else fails the test."""
    with pytest.raises(InputError) as info:
        call(*args, **kwargs)
    exc = info.value
    assert type(exc) is InputError, f"expected InputError, got {type(exc).__name__}"
    return exc


def _assert_one_line(exc: InputError) -> None:
    text = str(exc)
    assert text.strip() == text and text
    assert "\n" not in text and "\r" not in text
    assert "Traceback" not in text


def _nested(depth: int) -> bytes:
    return b"<a>" * depth + b"x" + b"</a>" * depth


# --- the hostile corpus --------------------------------------------------------------


def test_corpus_is_complete_and_small() -> None:
    assert {p.name for p in CORPUS} == EXPECTED_CORPUS
    assert (HOSTILE / "empty.xml").stat().st_size == 0
    assert all(p.stat().st_size < 200 * 1024 for p in CORPUS)
    # the quadratic blow-up is a real one: a ~20 KB entity referenced many times
    blowup = (HOSTILE / "quadratic-blowup.xml").read_bytes()
    assert b"a" * 20000 in blowup and blowup.count(b"&a;") >= 1000
    assert (HOSTILE / "doctype-utf16.xml").read_bytes().startswith((b"\xff\xfe", b"\xfe\xff"))


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_hostile_file_raises_input_error(path: Path) -> None:
    exc = _rejected(parse_file, path)
    _assert_one_line(exc)
    assert exc.path == str(path)
    assert str(exc).startswith(str(path))
    assert PASSWD_MARKER not in str(exc) and PASSWD_MARKER not in exc.message
    # no libxml2 exception chained to it: the one-line message is the whole story
    assert exc.__cause__ is None
    assert exc.__context__ is None or exc.__suppress_context__


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_hostile_bytes_raise_input_error(path: Path) -> None:
    exc = _rejected(parse_bytes, path.read_bytes(), "hostile")
    _assert_one_line(exc)
    assert exc.path == "hostile"
    assert PASSWD_MARKER not in str(exc)


@pytest.mark.parametrize("name", sorted(DOCTYPE_FILES))
def test_doctype_files_name_doctype(name: str) -> None:
    exc = _rejected(parse_file, HOSTILE / name)
    assert "DOCTYPE" in exc.message
    assert exc.line == 2  # every corpus DOCTYPE starts on line 2, after the declaration


def test_xinclude_is_named() -> None:
    exc = _rejected(parse_file, HOSTILE / "xinclude.xml")
    assert "XInclude" in exc.message
    assert exc.line == 3


def test_malformed_reports_line_4() -> None:
    path = HOSTILE / "malformed.xml"
    exc = _rejected(parse_file, path)
    assert exc.line == 4
    assert str(exc).startswith(f"{path}:4: ")
    assert "well-formed" in exc.message


def test_undeclared_entity_is_rejected() -> None:
    exc = _rejected(parse_file, HOSTILE / "undeclared-entity.xml")
    assert "entity" in exc.message.lower()
    assert exc.line == 2


@pytest.mark.parametrize("name", ["empty.xml", "whitespace.xml"])
def test_empty_documents_say_empty(name: str) -> None:
    exc = _rejected(parse_file, HOSTILE / name)
    assert "empty" in exc.message


def _utf7(text: str) -> bytes:
    """``text`` in UTF-7 with markup characters base64-encoded, as a UTF-7 encoder may."""
    out = []
    for char in text:
        if char in "<>!&%":
            encoded = base64.b64encode(char.encode("utf-16-be")).decode("ascii").rstrip("=")
            out.append(f"+{encoded}-")
        else:
            out.append(char)
    return b"<?xml version='1.0' encoding='UTF-7'?>" + "".join(out).encode("ascii")


def test_doctype_in_utf7_is_rejected() -> None:
    # The byte-level DOCTYPE scan cannot see "<!DOCTYPE" here, so UTF-7 is refused outright.
    exc = _rejected(parse_bytes, _utf7("<!DOCTYPE a [<!ENTITY x 'y'>]><a>&x;</a>"))
    assert "encoding" in exc.message


def test_external_dtd_in_utf7_is_not_read(tmp_path: Path) -> None:
    present = tmp_path / "present.dtd"
    present.write_text("root:x:0:0:root:/root:/bin/sh\n", "ascii")
    missing = tmp_path / "missing.dtd"
    messages = []
    for target in (present, missing):
        doc = _utf7(f"<!DOCTYPE a SYSTEM '{target.as_uri()}'><a/>")
        exc = _rejected(parse_bytes, doc)
        assert PASSWD_MARKER not in str(exc)
        messages.append(exc.message)
    # An unread file cannot change the answer: same refusal whether it exists or not.
    assert messages[0] == messages[1]
    assert all("encoding" in m for m in messages)


# --- nesting depth -------------------------------------------------------------------


@pytest.mark.parametrize(
    "depth",
    [
        MAX_DEPTH + 1,
        10_000,
    ],
    ids=["max-plus-1", "10000"],
)
def test_too_deep_nesting_is_rejected(tmp_path: Path, depth: int) -> None:
    path = tmp_path / "deep.xml"
    path.write_bytes(_nested(depth))
    exc = _rejected(parse_file, path)
    _assert_one_line(exc)
    assert "nested" in exc.message
    assert str(MAX_DEPTH) in exc.message


def test_nesting_at_max_depth_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "deep.xml"
    path.write_bytes(_nested(MAX_DEPTH))
    node = parse_file(path)
    depth = 1
    while len(node):
        (node,) = node
        depth += 1
    assert depth == MAX_DEPTH
    assert node.text == "x"


def test_max_depth_parameter(tmp_path: Path) -> None:
    assert parse_bytes(_nested(3), max_depth=3).tag == "a"
    exc = _rejected(parse_bytes, _nested(4), max_depth=3)
    assert "nested deeper than 3" in exc.message
    assert exc.line == 1


def test_comments_do_not_count_as_depth() -> None:
    doc = b"<a>" * (MAX_DEPTH - 1) + b"<!--c--><?p?>" * 500 + b"</a>" * (MAX_DEPTH - 1)
    assert parse_bytes(doc).tag == "a"


# --- size limit ----------------------------------------------------------------------


def test_file_over_max_bytes_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "big.xml"
    path.write_bytes(b"<a>" + b"x" * 4096 + b"</a>")
    exc = _rejected(parse_file, path, max_bytes=1024)
    _assert_one_line(exc)
    assert "1024" in exc.message and "limit" in exc.message
    assert exc.path == str(path)


def test_file_at_max_bytes_is_accepted(tmp_path: Path) -> None:
    data = b"<a>" + b"x" * 1017 + b"</a>"
    assert len(data) == 1024
    path = tmp_path / "exact.xml"
    path.write_bytes(data)
    assert parse_file(path, max_bytes=1024).text == "x" * 1017
    path.write_bytes(data + b"\n")
    assert "1024" in _rejected(parse_file, path, max_bytes=1024).message


def test_bytes_over_max_bytes_are_rejected() -> None:
    exc = _rejected(parse_bytes, b"<a>" + b" " * 100 + b"</a>", max_bytes=64)
    assert "64-byte limit" in exc.message


# --- file errors ---------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.xml"
    with pytest.raises(MissingInputError) as info:
        parse_file(path)
    assert not isinstance(info.value, InputError)
    assert "no such file" in info.value.message
    assert info.value.path == str(path)
    assert str(info.value) == f"{path}: no such file"


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(MissingInputError) as info:
        parse_file(tmp_path)
    assert "directory" in info.value.message
    assert info.value.path == str(tmp_path)


# --- a normal document ---------------------------------------------------------------

NORMAL = b"""<?xml version="1.0" encoding="UTF-8"?>
<!-- prolog comment -->
<?xml-stylesheet type="text/xsl" href="ictb.xsl"?>
<ictb:brief xmlns:ictb="urn:example:ictb" xmlns="urn:example:default" version="1">
  <!-- a comment inside -->
  <ictb:purpose>Temporary <!-- injected --> duty</ictb:purpose>
  <?ictb-note keep me?>
  <remarks lang="en">none &amp; nothing &#233;</remarks>
  <empty/>
</ictb:brief>
"""


def test_normal_document_keeps_namespaces_comments_and_pis() -> None:
    root = parse_bytes(NORMAL, "normal.xml")
    assert root.tag == "{urn:example:ictb}brief"
    assert root.get("version") == "1"
    assert root.nsmap == {"ictb": "urn:example:ictb", None: "urn:example:default"}
    purpose = root.find("{urn:example:ictb}purpose")
    assert purpose is not None
    # the comment inside the text is kept as a node, not folded into the text
    assert purpose.text == "Temporary "
    (injected,) = list(purpose)
    assert injected.tag is etree.Comment and injected.text == " injected "
    assert injected.tail == " duty"
    comments = [c.text for c in root.iter(etree.Comment)]
    assert comments == [" a comment inside ", " injected "]
    (pi,) = list(root.iter(etree.ProcessingInstruction))
    assert (pi.target, pi.text) == ("ictb-note", "keep me")
    remarks = root.find("{urn:example:default}remarks")
    assert remarks is not None and remarks.text == "none & nothing é"
    # the prolog keeps its comment and processing instruction too
    stylesheet = root.getprevious()
    assert stylesheet is not None and stylesheet.target == "xml-stylesheet"
    prolog_comment = stylesheet.getprevious()
    assert prolog_comment is not None and prolog_comment.text == " prolog comment "


def test_normal_document_utf16() -> None:
    data = NORMAL.decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
    root = parse_bytes(data.encode("utf-16"))
    assert root.tag == "{urn:example:ictb}brief"
    assert len(list(root.iter(etree.Comment))) == 2


# --- serialize -----------------------------------------------------------------------


def _shape(node: etree._Element) -> list[tuple[object, ...]]:
    """Everything about a subtree that a round trip must keep."""
    return [
        (
            n.tag if isinstance(n.tag, str) else n.tag.__name__,
            getattr(n, "target", None),
            n.text or None,  # "" and None are the same XML
            (n.tail or None) if n is not node else None,
            dict(n.attrib) if isinstance(n.tag, str) else None,
            dict(n.nsmap) if isinstance(n.tag, str) else None,
        )
        for n in node.iter()
    ]


def _c14n(node: etree._Element | etree._ElementTree) -> bytes:
    return etree.tostring(node, method="c14n", with_comments=True)


def test_serialize_writes_utf8_with_declaration() -> None:
    out = serialize(parse_bytes(NORMAL))
    assert out.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert "é".encode() in out


@pytest.mark.parametrize("pretty", [True, False])
def test_serialize_round_trips_document_element(pretty: bool) -> None:
    root = parse_bytes(NORMAL)
    again = parse_bytes(serialize(root, pretty=pretty))
    assert _shape(again) == _shape(root)
    assert _c14n(again) == _c14n(root)


def test_serialize_compact_round_trip_is_exact() -> None:
    root = parse_bytes(b'<a xmlns:p="urn:p"><p:b k="v">t<!--c-->u</p:b><c/>tail</a>')
    again = parse_bytes(serialize(root, pretty=False))
    assert _shape(again) == _shape(root)
    assert _c14n(again) == _c14n(root)


def test_serialize_pretty_keeps_tags_and_text() -> None:
    root = parse_bytes(b"<a><b>x</b><c><d>y</d></c></a>")
    again = parse_bytes(serialize(root))
    assert [n.tag for n in again.iter()] == [n.tag for n in root.iter()]
    assert [(n.text or "").strip() for n in again.iter()] == [
        (n.text or "").strip() for n in root.iter()
    ]
    # a second pass changes nothing: the output is a fixed point
    assert serialize(again) == serialize(parse_bytes(serialize(again)))


def test_serialize_keeps_prolog_comments() -> None:
    root = parse_bytes(NORMAL)
    again = parse_bytes(serialize(root, pretty=False))
    assert _c14n(again.getroottree()) == _c14n(root.getroottree())


def _is_xml_char(char: str) -> bool:
    code = ord(char)
    return (
        char in "\t\n\r"
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )


_XML_TEXT = st.text(st.characters().filter(_is_xml_char), max_size=40)


@settings(max_examples=150, deadline=None)
@given(texts=st.lists(_XML_TEXT, min_size=1, max_size=5), attr=_XML_TEXT)
def test_serialize_round_trips_any_text(texts: list[str], attr: str) -> None:
    root = etree.Element("root", value=attr)
    for i, text in enumerate(texts):
        child = etree.SubElement(root, "item", n=str(i))
        child.text = text
        child.tail = text[::-1]
    for pretty in (False, True):
        again = parse_bytes(serialize(root, pretty=pretty))
        assert again.get("value") == attr
        assert [c.text or "" for c in again] == texts
        if not pretty:
            assert _shape(again) == _shape(root)


def test_parse_uses_fresh_parsers() -> None:
    # a parser keeps an error log; each call gets its own (and never the default parser)
    assert xmlsafe._parser() is not xmlsafe._parser()
