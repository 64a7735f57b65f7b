#!/usr/bin/env bash
# Set up everything the tests need on a fresh Debian machine (as root), then run
# ruff, mypy and the whole pytest suite.  .ci/run runs this script.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v xmlsec1 >/dev/null 2>&1; then
    # The interoperability tests verify with an independent XMLDSig implementation.
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq xmlsec1 >/dev/null
fi
. tools/venv.sh "[test]"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
.venv/bin/pytest "$@"
