"""A strict W3C XML Signature profile for the ICTB's certifying signature.

One profile, nothing else accepted:

* one ``ds:Signature``, a child of the document element, beside the signed ``brief``;
* one ``Reference`` whose URI is ``#`` + the Id of that ``brief`` element, the only
  element in the document carrying that Id (no signature wrapping);
* exclusive canonicalization (without comments) as the only transform and as the
  SignedInfo canonicalization; no comment or processing instruction may sit inside
  the signed content, since canonicalization would hide it;
* SHA-256/384/512 digests; ECDSA P-256/P-384 or RSA (>= 2048 bits) with SHA-2;
* the signer's certificate, and its chain, in ``KeyInfo/X509Data``.

Documents signed this way verify with any conforming verifier (``xmlsec1 --verify
--id-attr:Id urn:ictb:ictb:1:brief``), and documents that ``xmlsec1`` signs with the
same profile verify here.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from dataclasses import dataclass

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)
from cryptography.hazmat.primitives.serialization import Encoding
from lxml import etree

from ictb.keys import ALLOWED_CURVES, MIN_RSA_BITS, PrivateKey, readable

DS = "http://www.w3.org/2000/09/xmldsig#"
EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"

DIGESTS = {
    "http://www.w3.org/2001/04/xmlenc#sha256": "sha256",
    "http://www.w3.org/2001/04/xmldsig-more#sha384": "sha384",
    "http://www.w3.org/2001/04/xmlenc#sha512": "sha512",
}
DIGEST_SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"

_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}
SIGNATURE_METHODS = {
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256": ("ec", "sha256"),
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384": ("ec", "sha384"),
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512": ("ec", "sha512"),
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256": ("rsa", "sha256"),
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384": ("rsa", "sha384"),
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512": ("rsa", "sha512"),
}


def ds(name: str) -> str:
    return f"{{{DS}}}{name}"


def c14n(node: etree._Element) -> bytes:
    """Exclusive XML canonicalization, without comments."""
    return etree.tostring(node, method="c14n", exclusive=True, with_comments=False)


def _method_for(key: PrivateKey) -> str:
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return "http://www.w3.org/2001/04/xmldsig-more#ecdsa-" + (
            "sha384" if key.curve.name == "secp384r1" else "sha256"
        )
    return "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"


# ---------------------------------------------------------------- signing


def sign(
    root: etree._Element,
    signed: etree._Element,
    key: PrivateKey,
    certificates: list[x509.Certificate],
    *,
    before: etree._Element | None = None,
) -> etree._Element:
    """Sign the element ``signed`` (which must carry an ``Id``) in the document ``root``.

    The ``ds:Signature`` is inserted as a child of ``root`` (before ``before`` when
    given, else last) and returned.
    """
    target = signed.get("Id")
    if not target:
        raise ValueError("the element to sign has no Id")
    method = _method_for(key)
    _, hash_name = SIGNATURE_METHODS[method]
    signature = etree.Element(ds("Signature"), nsmap={"ds": DS})
    info = etree.SubElement(signature, ds("SignedInfo"))
    etree.SubElement(info, ds("CanonicalizationMethod"), Algorithm=EXC_C14N)
    etree.SubElement(info, ds("SignatureMethod"), Algorithm=method)
    reference = etree.SubElement(info, ds("Reference"), URI=f"#{target}")
    transforms = etree.SubElement(reference, ds("Transforms"))
    etree.SubElement(transforms, ds("Transform"), Algorithm=EXC_C14N)
    etree.SubElement(reference, ds("DigestMethod"), Algorithm=DIGEST_SHA256)
    etree.SubElement(reference, ds("DigestValue")).text = base64.b64encode(
        hashlib.sha256(c14n(signed)).digest()
    ).decode("ascii")
    value = etree.SubElement(signature, ds("SignatureValue"))
    x509_data = etree.SubElement(etree.SubElement(signature, ds("KeyInfo")), ds("X509Data"))
    for cert in certificates:
        etree.SubElement(x509_data, ds("X509Certificate")).text = base64.b64encode(
            cert.public_bytes(Encoding.DER)
        ).decode("ascii")
    # The signature is placed first, so SignedInfo is canonicalized in its final context.
    if before is not None:
        before.addprevious(signature)
    else:
        root.append(signature)
    value.text = base64.b64encode(_sign_bytes(key, c14n(info), hash_name)).decode("ascii")
    return signature


def _sign_bytes(key: PrivateKey, data: bytes, hash_name: str) -> bytes:
    algorithm = _HASHES[hash_name]()
    if isinstance(key, ec.EllipticCurvePrivateKey):
        r, s = decode_dss_signature(key.sign(data, ec.ECDSA(algorithm)))
        size = (key.curve.key_size + 7) // 8
        return r.to_bytes(size, "big") + s.to_bytes(size, "big")  # XMLDSig: raw r || s
    return key.sign(data, padding.PKCS1v15(), algorithm)


# ---------------------------------------------------------------- verifying


class SignatureProblem(Exception):
    """The signature is absent, malformed, outside the profile, or does not verify.

    ``kind`` is ``"integrity"`` (ICTB-040) or ``"algorithm"`` (ICTB-043).
    """

    def __init__(self, message: str, kind: str = "integrity"):
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class Verified:
    """What a valid signature covers, and who made it (trust is checked separately)."""

    signed_bytes: bytes  # the canonical form of the signed element: read only this
    signer: x509.Certificate
    others: tuple[x509.Certificate, ...]
    signature_method: str


def verify(root: etree._Element, signed: etree._Element) -> Verified:
    """Verify the signature over ``signed``, which the caller located by position.

    Raises :class:`SignatureProblem` for anything outside the profile.
    """
    signatures = list(root.iter(ds("Signature")))
    if not signatures:
        raise SignatureProblem("the document has no signature")
    if len(signatures) > 1:
        raise SignatureProblem(f"expected one signature, found {len(signatures)}")
    signature = signatures[0]
    if signature.getparent() is not root:
        raise SignatureProblem("the signature is not where the profile puts it")
    strays = [c for c in root if isinstance(c.tag, str) and c.tag.startswith(f"{{{DS}}}")]
    if strays != [signature]:
        raise SignatureProblem("only one ds:Signature may sit beside the brief")
    info, value, key_info = _children(signature, ["SignedInfo", "SignatureValue", "KeyInfo"])
    canon, method_el, reference = _children(
        info, ["CanonicalizationMethod", "SignatureMethod", "Reference"]
    )
    _algorithm(canon, {EXC_C14N}, "canonicalization", kind="algorithm")
    method = _algorithm(method_el, set(SIGNATURE_METHODS), "signature method", kind="algorithm")
    target = signed.get("Id")
    if not target or reference.get("URI") != f"#{target}":
        raise SignatureProblem("the signature does not refer to the brief")
    if set(reference.attrib) - {"URI", "Id", "Type"}:
        raise SignatureProblem("unexpected Reference attributes")
    _only_id(root, target, signed)
    transforms, digest_method, digest_value = _children(
        reference, ["Transforms", "DigestMethod", "DigestValue"]
    )
    (transform,) = _children(transforms, ["Transform"])
    _algorithm(transform, {EXC_C14N}, "transform", kind="algorithm")
    digest_name = DIGESTS.get(_algorithm(digest_method, set(DIGESTS), "digest", kind="algorithm"))
    assert digest_name is not None
    hidden = next(signed.iter(etree.Comment, etree.ProcessingInstruction), None)
    if hidden is not None:
        raise SignatureProblem(
            "a comment or processing instruction sits inside the signed content "
            f"(line {hidden.sourceline})"
        )
    signed_bytes = c14n(signed)
    actual = hashlib.new(digest_name, signed_bytes).digest()
    if not hmac.compare_digest(actual, _b64(digest_value.text, "DigestValue")):
        raise SignatureProblem("the signed content was changed after signing (digest mismatch)")
    certs = _certificates(key_info)
    signer = _leaf(certs)
    kind, hash_name = SIGNATURE_METHODS[method]
    key = _check_key(signer, kind)
    raw = _b64(value.text, "SignatureValue")
    try:
        _verify_bytes(key, c14n(info), raw, hash_name)
    except (InvalidSignature, ValueError):
        raise SignatureProblem(
            "the signature value does not verify with the signer's key"
        ) from None
    return Verified(signed_bytes, signer, tuple(c for c in certs if c is not signer), method)


def _children(node: etree._Element, names: list[str]) -> list[etree._Element]:
    found = [c for c in node if not isinstance(c, etree._Comment | etree._ProcessingInstruction)]
    tags = [c.tag for c in found]
    if tags != [ds(n) for n in names] or (node.text or "").strip():
        raise SignatureProblem(
            f"ds:{etree.QName(node).localname} must hold exactly {', '.join(names)}"
        )
    for child in node:
        if isinstance(child, etree._Comment | etree._ProcessingInstruction):
            raise SignatureProblem("comments are not allowed inside the signature")
    return found


def _algorithm(
    node: etree._Element, allowed: set[str], what: str, *, kind: str = "integrity"
) -> str:
    algorithm = node.get("Algorithm", "")
    if algorithm not in allowed:
        raise SignatureProblem(f"{what} {algorithm or '(none)'} is not allowed", kind)
    if len(node) or (node.text or "").strip():
        raise SignatureProblem(f"the {what} takes no parameters")
    return algorithm


# Every element with an attribute named Id, ID or id (in any namespace) of that value.
_ID_HOLDERS = etree.XPath("//*[@*[translate(local-name(), 'ID', 'id') = 'id'][. = $target]]")


def _only_id(root: etree._Element, target: str, signed: etree._Element) -> None:
    holders = _ID_HOLDERS(root, target=target)
    if holders != [signed]:
        raise SignatureProblem(f"the Id {target!r} is carried by {len(holders)} elements")


def _b64(text: str | None, what: str) -> bytes:
    try:
        return base64.b64decode("".join((text or "").split()), validate=True)
    except (binascii.Error, ValueError):
        raise SignatureProblem(f"{what} is not base64") from None


def _certificates(key_info: etree._Element) -> list[x509.Certificate]:
    (x509_data,) = _children(key_info, ["X509Data"])
    certs = []
    for node in x509_data:
        if node.tag != ds("X509Certificate"):
            raise SignatureProblem("X509Data may hold only X509Certificate elements")
        try:
            der = _b64(node.text, "X509Certificate")
            certs.append(readable(x509.load_der_x509_certificate(der)))
        except ValueError:
            raise SignatureProblem("an X509Certificate cannot be read") from None
    if not certs:
        raise SignatureProblem("the signature carries no certificate")
    return certs


def _leaf(certs: list[x509.Certificate]) -> x509.Certificate:
    """The one certificate that issued none of the others."""
    if len(certs) == 1:
        return certs[0]
    issuers = {c.issuer for c in certs if c.issuer != c.subject}
    leaves = [c for c in certs if c.subject not in issuers]
    if len(leaves) != 1:
        raise SignatureProblem("cannot tell the signer's certificate from the chain")
    return leaves[0]


def _check_key(cert: x509.Certificate, kind: str) -> ec.EllipticCurvePublicKey | rsa.RSAPublicKey:
    try:
        key = cert.public_key()
    except (ValueError, UnsupportedAlgorithm):
        # cryptography reads the key only now: an EC point off its curve, a malformed
        # RSA key or an unknown key type.  The signer is unusable, not the program broken.
        raise SignatureProblem(
            "the signer's certificate holds an invalid or unsupported public key", "algorithm"
        ) from None
    if kind == "ec":
        if not isinstance(key, ec.EllipticCurvePublicKey) or key.curve.name not in ALLOWED_CURVES:
            raise SignatureProblem("the signer's key is not an allowed ECDSA key", "algorithm")
    elif not isinstance(key, rsa.RSAPublicKey) or key.key_size < MIN_RSA_BITS:
        raise SignatureProblem(f"the signer's key is not RSA of {MIN_RSA_BITS}+ bits", "algorithm")
    return key


def _verify_bytes(
    key: ec.EllipticCurvePublicKey | rsa.RSAPublicKey, data: bytes, raw: bytes, hash_name: str
) -> None:
    algorithm = _HASHES[hash_name]()
    if isinstance(key, ec.EllipticCurvePublicKey):
        size = (key.curve.key_size + 7) // 8
        if len(raw) != 2 * size:
            raise InvalidSignature
        r, s = int.from_bytes(raw[:size], "big"), int.from_bytes(raw[size:], "big")
        key.verify(encode_dss_signature(r, s), data, ec.ECDSA(algorithm))
    elif isinstance(key, rsa.RSAPublicKey):
        key.verify(raw, data, padding.PKCS1v15(), algorithm)
    else:
        raise InvalidSignature
