#!/usr/bin/env bash
# Set up a local virtual environment and run the end-to-end demo on samples/.
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/venv.sh
.venv/bin/ictb demo "$@"
