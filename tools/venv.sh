# Sourced by tools/demo.sh and tools/test.sh: create .venv with the project installed.
# Usage: . tools/venv.sh [EXTRAS]
set -euo pipefail
if ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c "import ensurepip" 2>/dev/null; then
    # Debian ships venv support separately from python3.
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
fi
if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
.venv/bin/pip install -q --disable-pip-version-check -e ".${1:-}"
