#!/usr/bin/env bash
# Set up everything the tests need on a fresh Debian machine (as root), then run
# ruff, mypy and the whole pytest suite.  .ci/run runs this script.
set -euo pipefail
cd "$(dirname "$0")/.."

# xmlsec1: the interoperability tests verify with an independent XMLDSig implementation.
# faketime: the suite runs a second time years ahead, so no test depends on today's date.
# openssl: the key tests check that OpenSSL reads the keys ictb writes, and make PKCS#12
# bundles the way OpenSSL users do.
missing=()
command -v xmlsec1 >/dev/null 2>&1 || missing+=(xmlsec1)
command -v faketime >/dev/null 2>&1 || missing+=(faketime)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
if [ ${#missing[@]} -gt 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
. tools/venv.sh "[test]"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
echo "== pytest, on today's date"
.venv/bin/pytest "$@"
ahead="${ICTB_TEST_YEARS_AHEAD:-3}"
echo "== pytest again, with the clock moved ${ahead} years ahead ($(faketime -f "+${ahead}y" date -u +%F))"
faketime -f "+${ahead}y" .venv/bin/pytest "$@"
