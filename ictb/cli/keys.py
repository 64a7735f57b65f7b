"""``ictb keygen``: facility signing keys with a CSR or a demo certificate, and a demo CA."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from ictb.cli.options import certificate_name, current_clock, passphrase_options, read_passphrase
from ictb.errors import EXIT_OK, IctbError

# A certificate's validity: at least a day, at most a century (far beyond any real one,
# and well inside what a certificate's dates can hold).
DAYS = click.IntRange(min=1, max=36525)


def _prefix_option(ctx: click.Context, param: click.Parameter, value: Path) -> Path:
    """--out names files (PREFIX.key.pem...): it needs a last part to add to."""
    if value.name in ("", ".", ".."):
        raise click.BadParameter("give a file name prefix, e.g. keys/nmcsd")
    return value


@click.group()
def keygen() -> None:
    """Make signing keys: a facility key with a CSR or a demo certificate, or a demo CA.

    Private keys are PKCS#8, encrypted with a passphrase of at least 12 characters
    (PBKDF2-HMAC-SHA256, 600,000 iterations, AES-256-CBC), and written with mode 0600.
    Passphrases come from a file, an environment variable or a prompt, never from the
    command line.

    \b
    Examples:
      ictb keygen ca --out keys/demo-ca --name "ICTB Demo CA"
      ictb keygen signer --out keys/nmcsd --name "CAPT Jane Roe" --role "MTF Commander" \\
          --facility-name "Naval Medical Center San Diego" --facility-id N00259 --csr
    """


@keygen.command("ca")
@click.option(
    "--out",
    "prefix",
    required=True,
    type=click.Path(path_type=Path),
    callback=_prefix_option,
    help="Writes PREFIX.key.pem and PREFIX.pem.",
)
@click.option("--name", required=True, callback=certificate_name, help="The CA's common name.")
@click.option("--days", default=3650, type=DAYS, show_default=True, help="Validity in days.")
@click.option("--rsa", is_flag=True, help="RSA-3072 instead of ECDSA P-256.")
@click.option("--force", is_flag=True, help="Replace existing files.")
@passphrase_options(what="the new CA key")
def keygen_ca(
    prefix: Path,
    name: str,
    days: int,
    rsa: bool,
    force: bool,
    passphrase_file: Path | None,
    passphrase_env: str,
) -> int:
    """Make a small demo CA that issues facility signing certificates (demos and tests)."""
    from ictb import keys

    passphrase = read_passphrase(
        passphrase_file, passphrase_env, what="the new CA key", confirm=True
    )
    keys.check_new_passphrase(passphrase, source=passphrase_file)
    key = keys.generate_key("rsa" if rsa else "ec")
    cert = keys.make_ca(key, name, not_before=current_clock().now() - _day(), days=days)
    key_path, cert_path = _with_suffix(prefix, ".key.pem"), _with_suffix(prefix, ".pem")
    write_all(
        [
            (key_path, keys.encrypted_pkcs8(key, passphrase), 0o600),
            (cert_path, keys.pem(cert), 0o644),
        ],
        overwrite=force,
    )
    click.echo(f"wrote {key_path} (encrypted, mode 0600) and {cert_path}")
    click.echo(f"SHA-256 fingerprint {keys.fingerprint(cert)}")
    return EXIT_OK


@keygen.command("signer")
@click.option(
    "--out",
    "prefix",
    required=True,
    type=click.Path(path_type=Path),
    callback=_prefix_option,
    help="Writes PREFIX.key.pem and PREFIX.csr.pem (or PREFIX.pem with --ca-cert).",
)
@click.option(
    "--name",
    required=True,
    callback=certificate_name,
    help="The certifying official's name (certificate CN).",
)
@click.option(
    "--role",
    callback=certificate_name,
    default="MTF Commander",
    show_default=True,
    help="The official's role (certificate title).",
)
@click.option(
    "--facility-name",
    required=True,
    callback=certificate_name,
    help="Organization: the facility's name.",
)
@click.option(
    "--facility-id",
    callback=certificate_name,
    help="Organizational unit: the facility's identifier.",
)
@click.option("--csr", is_flag=True, help="Write a certificate signing request for your PKI.")
@click.option(
    "--ca-cert",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Issue the certificate with this demo CA instead of writing a CSR.",
)
@click.option(
    "--ca-key", type=click.Path(dir_okay=False, path_type=Path), help="The demo CA's private key."
)
@click.option(
    "--days", default=730, type=DAYS, show_default=True, help="Certificate validity in days."
)
@click.option("--rsa", is_flag=True, help="RSA-3072 instead of ECDSA P-256.")
@click.option("--force", is_flag=True, help="Replace existing files.")
@passphrase_options(what="the new signing key")
@passphrase_options("ca", what="the CA key")
def keygen_signer(
    prefix: Path,
    name: str,
    role: str,
    facility_name: str,
    facility_id: str | None,
    csr: bool,
    ca_cert: Path | None,
    ca_key: Path | None,
    days: int,
    rsa: bool,
    force: bool,
    passphrase_file: Path | None,
    passphrase_env: str,
    ca_passphrase_file: Path | None,
    ca_passphrase_env: str,
) -> int:
    """Make a facility signing key, with a CSR or a certificate from a demo CA."""
    from ictb import keys

    if csr == bool(ca_cert):
        raise click.UsageError("give either --csr or --ca-cert (with --ca-key)")
    if ca_cert is not None and ca_key is None:
        raise click.UsageError("--ca-cert needs --ca-key")
    issuer = None
    if ca_cert is not None and ca_key is not None:
        ca_pass = read_passphrase(
            ca_passphrase_file, ca_passphrase_env, what="the CA key", option="--ca-passphrase-file"
        )
        issuer = (keys.load_private_key(ca_key, ca_pass), keys.load_certificates(ca_cert)[0])
    passphrase = read_passphrase(
        passphrase_file, passphrase_env, what="the new signing key", confirm=True
    )
    keys.check_new_passphrase(passphrase, source=passphrase_file)
    key = keys.generate_key("rsa" if rsa else "ec")
    key_path = _with_suffix(prefix, ".key.pem")
    if issuer is None:
        request = keys.make_csr(
            key, common=name, facility_name=facility_name, facility_id=facility_id, role=role
        )
        out_path, data = _with_suffix(prefix, ".csr.pem"), keys.pem(request)
    else:
        cert = keys.issue_signer_certificate(
            issuer[0],
            issuer[1],
            key.public_key(),
            common=name,
            facility_name=facility_name,
            facility_id=facility_id,
            role=role,
            not_before=current_clock().now() - _day(),
            days=days,
        )
        out_path, data = _with_suffix(prefix, ".pem"), keys.pem(cert)
    write_all(
        [(key_path, keys.encrypted_pkcs8(key, passphrase), 0o600), (out_path, data, 0o644)],
        overwrite=force,
    )
    click.echo(f"wrote {key_path} (encrypted, mode 0600) and {out_path}")
    return EXIT_OK


def write_all(files: list[tuple[Path, bytes, int]], *, overwrite: bool) -> None:
    """Write a set of files that belong together: all of them, or none if one exists."""
    from ictb.outputs import atomic_write

    if not overwrite:
        for path, _, _ in files:
            try:
                exists = path.exists()
            except OSError as exc:  # e.g. a name longer than the file system takes
                raise IctbError(f"cannot write: {exc.strerror}", path=str(path)) from None
            if exists:
                raise IctbError("already exists (use --force to replace it)", path=str(path))
    for path, data, mode in files:
        atomic_write(path, data, overwrite=overwrite, mode=mode)


def _with_suffix(prefix: Path, suffix: str) -> Path:
    return prefix.with_name(prefix.name + suffix)


def _day() -> dt.timedelta:
    return dt.timedelta(days=1)
