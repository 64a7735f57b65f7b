"""The one hardened XML parser: every XML read in ictb goes through this module.

No DTD (internal or external), no entity declarations or expansion, no network, no
XInclude, bounded size and nesting depth.  A hostile or malformed document raises
:class:`ictb.errors.InputError` with the line where the problem is, never a traceback.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from lxml import etree

from ictb.errors import InputError, MissingInputError

MAX_DOCUMENT_BYTES = 8 * 1024 * 1024
MAX_DEPTH = 64

XINCLUDE_NAMESPACES = frozenset(
    {"http://www.w3.org/2001/XInclude", "http://www.w3.org/2003/XInclude"}
)

# A DOCTYPE is refused before libxml2 sees it, in the encodings a document may use.
_DOCTYPE_PATTERNS = tuple(
    re.compile(re.escape("<!DOCTYPE".encode(enc)))
    for enc in ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
)
_ENTITY_PATTERN = re.compile(rb"<!ENTITY")
_DECLARED_ENCODING = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_ALLOWED_ENCODINGS = frozenset({"utf-8", "utf8", "utf-16", "utf16", "us-ascii", "ascii"})


class _RefuseExternal(etree.Resolver):
    """Refuses every external resource, except the project's own schema files."""

    def __init__(self, allowed_prefix: str | None) -> None:
        super().__init__()
        self.allowed_prefix = allowed_prefix

    def resolve(self, system_url: str | None, public_id: str | None, context: object) -> None:
        if self.allowed_prefix and system_url and system_url.startswith(self.allowed_prefix):
            return None  # default loading, for xs:include of a sibling schema
        raise _ExternalRefused(system_url or public_id or "")


class _ExternalRefused(Exception):
    pass


def _check_encoding(data: bytes, source: str) -> None:
    # A DOCTYPE hidden in an exotic encoding (UTF-7...) would slip past the byte scan,
    # so only UTF-8 (and ASCII) and UTF-16 with a byte-order mark are accepted.
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return
    match = _DECLARED_ENCODING.match(data.lstrip(b"\xef\xbb\xbf"))
    if match and match.group(1).decode("ascii").lower() not in _ALLOWED_ENCODINGS:
        raise InputError(
            f"unsupported encoding {match.group(1).decode('ascii')!r} (use UTF-8)",
            path=source,
            line=1,
        )


def _parser(base_url: str | None = None) -> etree.XMLParser:
    # A fresh parser per call: lxml parsers keep state (error logs) and are not
    # safe to share between threads.
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        attribute_defaults=False,
        huge_tree=False,
        remove_blank_text=False,
        collect_ids=False,
    )
    allowed = base_url.rsplit("/", 1)[0] + "/" if base_url else None
    parser.resolvers.add(_RefuseExternal(allowed))
    return parser


def parse_bytes(
    data: bytes,
    source: str = "<input>",
    *,
    max_bytes: int = MAX_DOCUMENT_BYTES,
    max_depth: int = MAX_DEPTH,
    base_url: str | None = None,
) -> etree._Element:
    """Parse ``data`` as a standalone XML document and return its root element.

    ``base_url`` is only for the project's own schemas, whose ``xs:include`` is
    resolved relative to it.
    """
    if len(data) > max_bytes:
        raise InputError(
            f"document is larger than the {max_bytes}-byte limit", path=source, code="INPUT-003"
        )
    if not data.strip():
        raise InputError("empty document", path=source)
    _check_encoding(data, source)
    for pattern in (*_DOCTYPE_PATTERNS, _ENTITY_PATTERN):
        match = pattern.search(data)
        if match:
            line = data.count(b"\n", 0, match.start()) + 1
            raise InputError(
                "DOCTYPE and entity declarations are not allowed",
                path=source,
                line=line,
                code="INPUT-002",
            )
    try:
        root = etree.fromstring(data, _parser(base_url), base_url=base_url)  # noqa: TID251
    except _ExternalRefused:
        raise InputError(
            "external resources are not allowed", path=source, code="INPUT-002"
        ) from None
    except etree.XMLSyntaxError as exc:
        syntax_line = exc.lineno or None
        message = _syntax_message(exc)
        if "depth" in message.lower():
            # libxml2 stops at its own depth limit before ours can see the tree
            raise InputError(
                f"elements nested deeper than {max_depth} levels",
                path=source,
                line=syntax_line,
                code="INPUT-003",
            ) from None
        raise InputError(f"not well-formed XML: {message}", path=source, line=syntax_line) from None
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise InputError(
            "DOCTYPE declarations are not allowed", path=source, line=1, code="INPUT-002"
        )
    _check_structure(root, source, max_depth)
    return root


def parse_file(path: str | Path, *, max_bytes: int = MAX_DOCUMENT_BYTES) -> etree._Element:
    """Read and parse an XML file; ``-`` is not handled here (see :func:`read_input`)."""
    return parse_bytes(read_input(path, max_bytes=max_bytes), str(path), max_bytes=max_bytes)


def read_input(path: str | Path, *, max_bytes: int = MAX_DOCUMENT_BYTES) -> bytes:
    """Read at most ``max_bytes`` + 1 bytes of a file, so an oversized input is not loaded."""
    p = Path(path)
    try:
        with p.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise MissingInputError("no such file", path=str(path)) from None
    except IsADirectoryError:
        raise MissingInputError("is a directory", path=str(path)) from None
    except OSError as exc:
        raise MissingInputError(f"cannot read: {exc.strerror}", path=str(path)) from None
    if len(data) > max_bytes:
        raise InputError(
            f"document is larger than the {max_bytes}-byte limit", path=str(path), code="INPUT-003"
        )
    return data


def _syntax_message(exc: etree.XMLSyntaxError) -> str:
    text = str(exc.msg if getattr(exc, "msg", None) else exc)
    # libxml2 appends "(line N, column M)"; the line is reported separately.
    return re.sub(r",?\s*line \d+, column \d+\s*$", "", text).strip() or "syntax error"


@lru_cache(maxsize=8)
def _too_deep(max_depth: int) -> etree.XPath:
    # An element at depth max_depth + 1 exists iff this path matches: one C-level query
    # instead of a Python walk over every node.
    return etree.XPath("/*" + "/*" * max_depth)


_XINCLUDE = etree.XPath(
    "//*[namespace-uri() = $a or namespace-uri() = $b]",
)


def _check_structure(root: etree._Element, source: str, max_depth: int) -> None:
    deep = _too_deep(max_depth)(root)
    if deep:
        node = deep[0]
        raise InputError(
            f"elements nested deeper than {max_depth} levels",
            path=source,
            line=node.sourceline,
            code="INPUT-003",
        )
    a, b = sorted(XINCLUDE_NAMESPACES)
    included = _XINCLUDE(root, a=a, b=b)
    if included:
        raise InputError(
            "XInclude is not allowed",
            path=source,
            line=included[0].sourceline,
            code="INPUT-002",
        )
    # Entity references cannot occur: a DOCTYPE (the only place to declare one) is
    # refused before parsing, and an undeclared reference is a syntax error.


# Anything but a character of XML 1.0 (§2.2): the C0 controls other than tab, line feed
# and carriage return, lone surrogates (from a JSON "\ud800" or an undecodable file
# name), U+FFFE and U+FFFF.
_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def char_problem(text: str) -> str | None:
    """What in ``text`` no XML document can hold (the first such character, by its code
    point, never the text), or None when it can all go into a document."""
    found = _NOT_XML_CHAR.search(text)
    if found is None:
        return None
    code = ord(found.group())
    if code < 0x20:
        return f"a control character (U+{code:04X})"
    if 0xD800 <= code <= 0xDFFF:
        return f"an unpaired surrogate (U+{code:04X})"
    return f"a non-character (U+{code:04X})"


def serialize(root: etree._Element, *, pretty: bool = True) -> bytes:
    """Serialize an element as a UTF-8 XML document.

    A root element is serialized with its document, so comments and processing
    instructions around it are kept.  Signed content must use ``pretty=False``.
    """
    node: etree._Element | etree._ElementTree = root
    if root.getparent() is None:
        node = root.getroottree()
    return etree.tostring(node, xml_declaration=True, encoding="UTF-8", pretty_print=pretty)
