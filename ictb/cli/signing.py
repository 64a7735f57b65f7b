"""``ictb sign``: the certifying signature of §5f(12); ``ictb verify``: its check on arrival."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ictb.cli.batch import expiry_lines, run_batch, signer_headline
from ictb.cli.options import (
    as_of_option,
    current_clock,
    deliver,
    document_text,
    expand_inputs,
    format_option,
    jobs_option,
    load_policy,
    output_options,
    parse_periods,
    passphrase_options,
    policy_option,
    read_passphrase,
    today,
    worker_count,
    written_headline,
)

if TYPE_CHECKING:
    from ictb.findings import Report


@click.command()
@click.argument("ictbs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--key",
    "key_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The signing key (encrypted PKCS#8 PEM or DER).",
)
@click.option(
    "--cert",
    "cert_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The signing certificate (PEM; may be followed by its chain).",
)
@click.option(
    "--chain",
    "chain_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Intermediate CA certificates to include (PEM).",
)
@click.option(
    "--pkcs12",
    "p12_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A PKCS#12 bundle with the key, certificate and chain (instead of --key).",
)
@passphrase_options()
@click.option(
    "--signer-name",
    callback=document_text,
    help="The certifying official's name [default: the ICTB's §5f(12)].",
)
@click.option(
    "--signer-role",
    callback=document_text,
    help="The official's role [default: the ICTB's §5f(12)].",
)
@output_options("signed ICTB", "NAME.signed.ictb.xml")
@policy_option
@jobs_option
@format_option
def sign(
    ictbs: tuple[Path, ...],
    key_file: Path | None,
    cert_file: Path | None,
    chain_file: Path | None,
    p12_file: Path | None,
    passphrase_file: Path | None,
    passphrase_env: str,
    signer_name: str | None,
    signer_role: str | None,
    out_dir: Path,
    output: Path | None,
    force: bool,
    policy_file: Path | None,
    output_format: str,
    workers: int | None,
) -> int:
    """Sign ICTBs with the certifying signature of §5f(12) (W3C XML Signature).

    The signature covers the brief, the signer's name and role and the signing time, and
    a salted digest of each withholdable identifier; the identifiers themselves stay
    outside it, so a host-nation copy without them still verifies.  An ICTB with a §5f
    error (ICTB-001..014, ICTB-032) or an identifier in free text (RED-020) is refused,
    as is an expired certificate or one without the digitalSignature key usage.

    \b
    Examples:
      ictb sign out/*.ictb.xml --key keys/demo-signer.key.pem --cert keys/demo-signer.pem \\
          --passphrase-file keys/demo-passphrase.txt --out-dir signed/
      ictb sign brief.ictb.xml --pkcs12 commander.p12 -o brief.signed.ictb.xml
    """
    from ictb import ictb_xml, keys, signing
    from ictb.findings import Report

    if p12_file is not None and (key_file or cert_file):
        raise click.UsageError("give either --pkcs12 or --key with --cert")
    if p12_file is None and not (key_file and cert_file):
        raise click.UsageError("--key and --cert (or --pkcs12) are required")
    # A folder is expanded to the unsigned ICTBs in it; signed copies are not signed again.
    paths = [
        p
        for p in expand_inputs(ictbs, ("*.ictb.xml",))
        if p in ictbs or not p.name.endswith(".signed.ictb.xml")
    ]
    if output is not None and len(paths) != 1:
        raise click.UsageError("-o/--output takes exactly one ICTB; use --out-dir for several")
    passphrase = read_passphrase(passphrase_file, passphrase_env, what="the signing key")
    material = (
        keys.load_pkcs12(p12_file, passphrase)
        if p12_file is not None
        else keys.load_signing_material(key_file, cert_file, chain_file, passphrase)  # type: ignore[arg-type]
    )
    policy = load_policy(policy_file)
    signed_at = current_clock().now()
    signing.check_material(material, signed_at)  # refuse once, before any document
    to_stdout = output is not None and str(output) == "-"

    from ictb.xmlsafe import read_input

    def sign_one(path: Path) -> Report:
        document = ictb_xml.parse(read_input(path), str(path))
        result = signing.sign(
            ictb_xml.from_element(document, str(path)),
            str(path),
            material,
            signed_at=signed_at,
            policy=policy,
            signer_name=signer_name,
            signer_role=signer_role,
            document=document,
        )
        target = None
        if result.xml is not None:
            chosen = None if to_stdout else output or out_dir / signed_name(path)
            target = deliver(result.xml, chosen, source=path, overwrite=force)
        facts = {"signed": result.xml is not None, "output": str(target) if target else None}
        return Report(result.report.document, result.report.findings, facts)

    return run_batch(
        "sign",
        paths,
        sign_one,
        accepted=lambda report: bool(report.facts.get("signed")),
        headline=written_headline("signed"),
        words=("signed", "refused"),
        output_format=output_format,
        quiet=to_stdout,
        workers=1 if to_stdout else worker_count(workers),
        output_of=lambda path: None if to_stdout else output or out_dir / signed_name(path),
    )


def signed_name(path: Path) -> str:
    name = path.name
    stem = name[: -len(".ictb.xml")] if name.endswith(".ictb.xml") else path.stem
    return f"{stem}.signed.ictb.xml"


@click.command()
@click.argument("ictbs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--trust",
    type=click.Path(path_type=Path),
    help="The trust store: a PEM file or a directory of them.  Required: nothing "
    "else is ever trusted.",
)
@as_of_option
@click.option(
    "--period",
    "periods",
    multiple=True,
    callback=parse_periods,
    metavar="START..END",
    help="A further assignment period to check.",
)
@click.option(
    "--confirmations",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The gaining facility's renewal confirmations (§5e).",
)
@click.option(
    "--signature-only",
    is_flag=True,
    help="Check the signature and trust only, not the content rules.",
)
@click.option("--strict", is_flag=True, help="Reject on warnings too (exit 1).")
@policy_option
@jobs_option
@format_option
def verify(
    ictbs: tuple[Path, ...],
    trust: Path | None,
    as_of: dt.date | None,
    periods: tuple[Any, ...],
    confirmations: Path | None,
    signature_only: bool,
    strict: bool,
    policy_file: Path | None,
    output_format: str,
    workers: int | None,
) -> int:
    """Verify signed ICTBs at the gaining facility, offline, against a trust store.

    Checks the XML Signature over the brief, the algorithms (SHA-256 or stronger; ECDSA
    P-256/P-384 or RSA 2048+), the signer's chain to the trust store at the signing time
    and its digitalSignature key usage, each identifier still present against its
    certified digest, and then the check rules on the signed content only.  Reports the
    signer, the signing time and which identifiers were withheld (a release copy).

    \b
    Example:
      ictb verify signed/*.ictb.xml --trust keys/demo-trust/ --as-of 2026-12-01
    """
    from ictb import check as check_module
    from ictb import check_context, keys
    from ictb import verify as verify_module
    from ictb.errors import TrustConfigError
    from ictb.xmlsafe import read_input

    if trust is None:
        raise TrustConfigError(
            "no trust store: give --trust with the sending facilities' CA certificates "
            "(there is no default)"
        )
    store = keys.TrustStore.load(trust)
    policy = load_policy(policy_file)
    day = as_of or today()
    context: dict[str, Any] = {}
    if confirmations is not None:
        context["confirmations"] = check_context.load_confirmations(confirmations).confirmations
    check_options = (
        None
        if signature_only
        else check_module.CheckOptions(
            as_of=day, policy=policy, extra_periods=periods, context=context
        )
    )
    options = verify_module.VerifyOptions(store, day, policy, check_options)

    def verify_one(path: Path) -> Report:
        return verify_module.verify(read_input(path), str(path), options).report

    return run_batch(
        "verify",
        list(expand_inputs(ictbs, ("*.xml",))),
        verify_one,
        accepted=lambda report: report.accepted(strict=strict),
        headline=signer_headline,
        details=expiry_lines,
        output_format=output_format,
        workers=worker_count(workers),
    )
