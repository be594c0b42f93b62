#!/usr/bin/env bash
# One command: install what is missing, build, and run every test: the Swift unit/integration
# tests, then the interop suite (kcat, kafka-python, confluent-kafka against the embedded broker).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test

echo "== swift test" >&2
swift test --skip-build

echo "== interop (kcat, kafka-python, confluent-kafka)" >&2
if [[ ! -x .venv/bin/pytest ]]; then
    python3 -m venv .venv
    .venv/bin/pip install -q --upgrade pip
fi
.venv/bin/pip install -q -r tests/requirements.txt
KCHAT_BIN="$PWD/.build/debug/kchat" .venv/bin/pytest -q tests/interop
