"""The end-to-end demo on ``samples/``: what a credentialing office would see."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import stat
from pathlib import Path
from typing import Any

import click

from ictb import (
    build,
    check,
    check_context,
    detailee,
    keys,
    mission,
    records,
    redaction,
    roster,
    signing,
    smdr,
    verify,
)
from ictb.errors import EXIT_OK, EXIT_REJECTED, IctbError, InputError
from ictb.findings import Report
from ictb.model import Brief, Facility, Period
from ictb.outputs import atomic_write
from ictb.policy import default as default_policy

MARKER = ".ictb-demo"
DEMO_PRIVATE_KEYS = ("demo-ca.key.pem", "demo-signer.key.pem")


def protect_demo_keys(keys_dir: Path) -> None:
    """Make the demo's private key files readable by their owner only (mode 0600).

    git keeps no file mode but the executable bit, so a fresh checkout leaves the demo
    keys readable by everyone, and a private key file like that is refused when loaded.
    Their passphrase is published (keys/README.md), so this hides nothing: it lets the
    demo, the README examples and the sample generators load them as they would a real
    key.  A file whose mode cannot be changed is left alone; loading it says how to fix it.
    """
    if os.name != "posix":
        return
    for name in DEMO_PRIVATE_KEYS:
        path = keys_dir / name
        with contextlib.suppress(OSError):
            if stat.S_IMODE(path.stat().st_mode) & 0o077:
                path.chmod(0o600)


def prepare(out_dir: Path) -> None:
    """Empty the demo's own folder; refuse to touch a folder the demo did not make."""
    if out_dir.exists():
        if not (out_dir / MARKER).exists() and any(out_dir.iterdir()):
            raise IctbError(
                "exists and was not made by the demo; choose another --out-dir", path=str(out_dir)
            )
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    (out_dir / MARKER).write_text("written by 'ictb demo'; replaced on each run\n")


def heading(text: str) -> None:
    click.secho(f"\n{text}", bold=True)


def codes(report: Report) -> str:
    return ", ".join(sorted({f.code for f in report.findings})) or "no findings"


class Demo:
    def __init__(self, samples: Path, keys_dir: Path, out_dir: Path, as_of: dt.date) -> None:
        self.samples, self.keys_dir, self.out, self.as_of = samples, keys_dir, out_dir, as_of
        self.policy = default_policy()
        self.ok = True
        self.built: dict[str, tuple[Path, Brief]] = {}

    def expect(self, good: bool) -> str:
        self.ok = self.ok and good
        return "" if good else "   <-- UNEXPECTED"

    # 1
    def build_all(self) -> None:
        roster_path = self.samples / "roster.csv"
        heading(f"1. Build an ICTB for every provider in {roster_path} (as of {self.as_of})")
        for record_path, assignment in roster.read(roster_path):
            record = records.load(record_path)
            result = build.build(
                record,
                assignment,
                issued_on=self.as_of,
                policy=self.policy,
                source=str(record_path),
            )
            name = record.provider.display_name()
            if result.xml is None or result.brief is None:
                click.echo(f"   REFUSED {name:<28} {codes(result.report)}{self.expect(False)}")
                continue
            target = self.out / "ictbs" / f"{record_path.stem}--{assignment.gaining.id}.ictb.xml"
            atomic_write(target, result.xml, overwrite=True)
            self.built[target.name] = (target, result.brief)
            periods = ", ".join(f"{p.start}..{p.end}" for p in assignment.periods)
            verdict = result.report.verdict.value
            notes = ", ".join(sorted({f.code for f in result.report.warnings}))
            click.echo(
                f"   built   {name:<28} -> {assignment.gaining.id:<7} {periods}  "
                f"[{verdict}{': ' + notes if notes else ''}]"
            )

    # 2
    def refuse_invalid(self) -> None:
        invalid = self.samples / "invalid"
        heading(f"2. Every bad record in {invalid} is refused with its code")
        assignment = build.Assignment(
            gaining=Facility(id="N68094", name="Naval Hospital Camp Pendleton"),
            purpose="Demonstration assignment",
            periods=(Period(start=dt.date(2026, 12, 1), end=dt.date(2027, 1, 31)),),
        )
        for path in sorted(p for p in invalid.iterdir() if p.is_file()):
            expected = path.name.split("--", 1)[0]
            try:
                result = build.build(
                    records.load(path),
                    assignment,
                    issued_on=self.as_of,
                    policy=self.policy,
                    source=str(path),
                )
                found = {f.code for f in result.report.errors}
            except InputError as exc:
                found = {exc.code}
            good = expected in found
            click.echo(f"   refused  {path.name:<58} {', '.join(sorted(found))}{self.expect(good)}")

    # 3
    def checks(self) -> None:
        heading("3. The gaining facility checks: valid, needs review, invalid")
        context = self.samples / "check"
        cases: list[tuple[str, str, tuple[Period, ...], dict[str, Any], str]] = [
            (
                "cardiologist, with the gaining grant",
                "01-",
                (),
                {"grant": check_context.load_grant(context / "gaining-grant-01.xml")},
                "valid",
            ),
            ("pediatrician whose BLS card expired", "12-", (), {}, "needs review"),
            (
                "the same, renewal confirmed with the file holder",
                "12-",
                (),
                {
                    "confirmations": check_context.load_confirmations(
                        context / "renewal-confirmations.json"
                    ).confirmations
                },
                "valid",
            ),
            (
                "the same, 'renewed' on the provider's word only",
                "12-",
                (),
                {
                    "confirmations": check_context.load_confirmations(
                        context / "provider-says-renewed.json"
                    ).confirmations
                },
                "needs review",
            ),
            (
                "surgeon kept on past his temporary privileges",
                "10-",
                (Period(start=dt.date(2026, 12, 10), end=dt.date(2026, 12, 20)),),
                {},
                "invalid",
            ),
        ]
        for label, prefix, extra_periods, context_docs, expected in cases:
            path, brief = self.find(prefix)
            options = check.CheckOptions(
                as_of=self.as_of,
                policy=self.policy,
                extra_periods=extra_periods,
                context=context_docs,
            )
            report = check.check(brief, str(path), options)
            through = report.facts.get("valid_through")
            click.echo(
                f"   {report.verdict.value.upper():<12} {label:<50} valid through {through}; "
                f"{codes(report)}{self.expect(report.verdict.value == expected)}"
            )

    def find(self, prefix: str) -> tuple[Path, Brief]:
        for name, entry in sorted(self.built.items()):
            if name.startswith(prefix):
                return entry
        raise IctbError(f"no built ICTB for {prefix}*", path=str(self.out))

    # 4
    def sign_and_verify(self) -> None:
        heading("4. Each sending commander signs; the gaining facility verifies offline")
        passphrase = (self.keys_dir / "demo-passphrase.txt").read_bytes().splitlines()[0]
        ca_key = keys.load_private_key(self.keys_dir / "demo-ca.key.pem", passphrase)
        ca = keys.load_certificates(self.keys_dir / "demo-ca.pem")[0]
        trust = keys.TrustStore.load(self.keys_dir / "demo-trust")
        # Signed at noon of the demo day, so the demo gives the same answers on any day.
        now = dt.datetime.combine(self.as_of, dt.time(12), tzinfo=dt.UTC)
        signers: dict[str, keys.SigningMaterial] = {}
        options = verify.VerifyOptions(
            trust,
            self.as_of,
            self.policy,
            check.CheckOptions(as_of=self.as_of, policy=self.policy),
        )
        for name, (path, brief) in sorted(self.built.items()):
            facility = brief.sending
            if facility.id not in signers:
                # The demo CA issues each sending facility's commander a certificate.
                key = keys.generate_key()
                cert = keys.issue_signer_certificate(
                    ca_key,
                    ca,
                    key.public_key(),
                    common=(brief.certification and brief.certification.name) or "Commander",
                    facility_name=facility.name or facility.id,
                    facility_id=facility.id,
                    role="MTF Commander",
                    not_before=now - dt.timedelta(days=1),
                    days=365,
                )
                signers[facility.id] = keys.SigningMaterial(key, cert)
            result = signing.sign(
                brief, str(path), signers[facility.id], signed_at=now, policy=self.policy
            )
            if result.xml is None:
                click.echo(f"   REFUSED {name}: {codes(result.report)}{self.expect(False)}")
                continue
            target = self.out / "signed" / name.replace(".ictb.xml", ".signed.ictb.xml")
            atomic_write(target, result.xml, overwrite=True)
            outcome = verify.verify(result.xml, str(target), options).report
            click.echo(
                f"   signed + verified  {target.name:<62} {outcome.verdict.value}"
                f"{self.expect(not outcome.errors)}"
            )

    # 5
    def tampering(self) -> None:
        heading("5. Tampered and untrusted copies are rejected")
        signed = sorted((self.out / "signed").glob("12-*.signed.ictb.xml"))[0]
        original = signed.read_bytes()
        trust = keys.TrustStore.load(self.keys_dir / "demo-trust")
        options = verify.VerifyOptions(trust, self.as_of, self.policy, None)
        other_ca_key = keys.generate_key()
        other = keys.TrustStore(
            (
                keys.make_ca(
                    other_ca_key,
                    "Some other CA",
                    not_before=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
                    days=3650,
                ),
            ),
            "other",
        )
        cases = [
            (
                "privilege list edited after signing",
                original.replace(b"Pediatric", b"Neonatal", 1),
                options,
                "ICTB-040",
            ),
            ("a disclosed identifier altered", _alter_ssn(original), options, "ICTB-040"),
            (
                "verified against a trust store without the sender's CA",
                original,
                verify.VerifyOptions(other, self.as_of, self.policy, None),
                "ICTB-043",
            ),
        ]
        for label, data, opts, expected in cases:
            report = verify.verify(data, "tampered.xml", opts).report
            found = {f.code for f in report.errors}
            click.echo(
                f"   {report.verdict.value.upper():<8} {label:<58} {', '.join(sorted(found))}"
                f"{self.expect(expected in found)}"
            )
        atomic_write(
            self.out / "tampered" / "12-edited.signed.ictb.xml", cases[0][1], overwrite=True
        )


def release_copy(demo: Demo) -> None:
    heading("6. Host-nation release (§8c): identifiers withheld, the signature still verifies")
    signed = sorted((demo.out / "signed").glob("12-*.signed.ictb.xml"))[0]
    original = signed.read_bytes()
    result = redaction.redact(
        original,
        str(signed),
        redaction.load_profile("host-nation"),
        released_to="Republic of Palau",
        released_by="CAPT A. Smdr, MC, USN (SMDR)",
        released_on=demo.as_of,
    )
    if result.xml is None:
        click.echo(f"   REFUSED {signed.name}: {codes(result.report)}{demo.expect(False)}")
        return
    target = demo.out / "release" / signed.name.replace(".signed.", ".release.")
    atomic_write(target, result.xml, overwrite=True)
    withheld = ", ".join(result.report.facts["withheld"])
    click.echo(f"   released {target.name}: withheld {withheld}")
    trust = keys.TrustStore.load(demo.keys_dir / "demo-trust")
    options = verify.VerifyOptions(trust, demo.as_of, demo.policy, None)
    outcome = verify.verify(result.xml, str(target), options).report
    click.echo(
        f"   {outcome.verdict.value.upper():<8} the copy verifies against the sending facility's "
        f"signature, release copy: {outcome.facts.get('release_copy')}"
        f"{demo.expect(not outcome.errors and bool(outcome.facts.get('release_copy')))}"
    )
    leaked = [form for form in _identifier_forms(original) if form.encode() in result.xml]
    click.echo(
        f"   leak scan of the copy: {len(leaked)} of the withheld values found"
        f"{demo.expect(not leaked)}"
    )


DHS_DAY = dt.date(2026, 12, 20)  # the detailee samples are written as of this day
DHS_EXPECTED = {
    "01": "valid",
    "02": "needs review",
    "03": "valid",
    "04": "invalid",
    "05": "invalid",
    "06": "needs review",
    "07": "invalid",
}


def detailee_packets(demo: Demo) -> None:
    folder = demo.samples / "detailee"
    if not folder.is_dir():
        return
    heading(
        f"7. DHS detailee packets in {folder} (as of {DHS_DAY}; a DoD detailee's "
        "signed ICTB is verified too)"
    )
    trust = keys.TrustStore.load(demo.keys_dir / "demo-trust")
    for path in sorted(folder.iterdir()):
        if path.name.endswith(".ictb.xml") or path.suffix not in (".xml", ".json"):
            continue
        report = detailee.validate(
            detailee.load(path), str(path), as_of=DHS_DAY, packet_dir=folder, trust=trust
        )
        expected = DHS_EXPECTED.get(path.name[:2])
        shown = sorted({f.code for f in report.findings} - {"DHS-040"})
        click.echo(
            f"   {report.verdict.value.upper():<12} {path.name:<52} {', '.join(shown) or '-'}"
            f"{demo.expect(expected is None or report.verdict.value == expected)}"
        )


MISSION_DAY = dt.date(2027, 1, 3)  # the mission samples are written as of this day


def mission_review(demo: Demo) -> None:
    roster_path = demo.samples / "mission" / "roster.xml"
    if not roster_path.is_file():
        return
    roster = mission.load(roster_path)
    heading(
        f"8. SMDR review of {roster.mission.name} ({roster.mission.host_nation}), "
        f"as of {MISSION_DAY}"
    )
    trust = keys.TrustStore.load(demo.keys_dir / "demo-trust")
    result = smdr.review(
        roster, roster_path.parent, trust=trust, as_of=MISSION_DAY, policy=demo.policy
    )
    for outcome in result.outcomes:
        codes_shown = ", ".join(sorted({f.code for f in outcome.report.errors})) or (
            f"{outcome.specialty}, {outcome.practice}, through {outcome.valid_through}"
            if outcome.status == smdr.CLEARED
            else "HUM-014"
        )
        click.echo(
            f"   {outcome.status.upper():<27} {outcome.provider.name.display():<34} {codes_shown}"
        )
    bundle = demo.out / "mission-release"
    manifest = smdr.release_bundle(
        result, bundle, trust=trust, as_of=MISSION_DAY, policy=demo.policy, overwrite=True
    )
    totals = result.totals
    click.echo(
        f"   {totals[smdr.CLEARED]} cleared, {totals[smdr.NOT_CLEARED]} not cleared, "
        f"{totals[smdr.OUTSIDE]} outside SMDR verification; host-nation bundle: "
        f"{len(manifest['copies'])} verified redacted copies in {bundle}/"
        f"{demo.expect(totals[smdr.NOT_CLEARED] == 3 and len(manifest['copies']) > 0)}"
    )


def _identifier_forms(document: bytes) -> list[str]:
    """Every common written form of the SSN and date of birth in a signed ICTB."""
    from ictb import xmlsafe

    root = xmlsafe.parse_bytes(document, "<signed>")
    known = redaction.known_values(root, {"ssn", "dob", "home_address", "dea_number"})
    return [form for _, form in known.patterns()]


def _alter_ssn(document: bytes) -> bytes:
    marker = b'field="ssn"'
    start = document.index(marker)
    text_start = document.index(b"<text>", start) + len(b"<text>")
    digit = document[text_start + 4 : text_start + 5]
    replacement = b"1" if digit != b"1" else b"2"
    return document[: text_start + 4] + replacement + document[text_start + 5 :]


def run(samples: Path, out_dir: Path, *, as_of: dt.date, keys_dir: Path | None = None) -> int:
    if not (samples / "roster.csv").is_file():
        raise IctbError(
            "no roster.csv here; run the demo from the project folder or give --samples",
            path=str(samples),
        )
    prepare(out_dir)
    demo = Demo(samples, keys_dir or samples.parent / "keys", out_dir, as_of)
    protect_demo_keys(demo.keys_dir)
    demo.build_all()
    demo.refuse_invalid()
    demo.checks()
    demo.sign_and_verify()
    demo.tampering()
    release_copy(demo)
    detailee_packets(demo)
    mission_review(demo)
    click.echo(f"\nOutputs in {out_dir}/")
    if not demo.ok:
        click.secho("Some steps did not give the expected result (marked UNEXPECTED).", fg="red")
    return EXIT_OK if demo.ok else EXIT_REJECTED
