#!/usr/bin/env bash
# One command: install what is missing, build, and run every test:
#   0. scripts/check-conversions.sh — no unchecked trapping integer conversion in Sources/
#   1. swift test — unit and component tests (Swift Testing), with a throwaway PostgreSQL
#   2. tests/interop — the real kchat binary driven by kcat, kafka-python, confluent-kafka (pytest, venv),
#      the hub's scale-out topology on PostgreSQL, docker-compose.yml checked
#   3. tests/tui — the real TUI in tmux: the demo loopback, two clients through a hub, a TUI started before its hub
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test

echo "== no trapping integer conversion of outside data (scripts/check-conversions.sh)" >&2
scripts/check-conversions.sh

echo "== swift test (store tests on SQLite and on a PostgreSQL server started for the run)" >&2
KCHAT_REQUIRE_POSTGRES=1 scripts/with-postgres.sh swift test --skip-build

echo "== fuzz smoke (libFuzzer, every target 25 s; docs/FUZZING.md)" >&2
scripts/fuzz.sh --smoke

echo "== interop (kcat, kafka-python, confluent-kafka; scale-out on PostgreSQL; docker-compose.yml)" >&2
if [[ ! -x .venv/bin/pytest ]]; then
    python3 -m venv .venv
    .venv/bin/pip install -q --upgrade pip
fi
.venv/bin/pip install -q -r tests/requirements.txt
# PostgreSQL again for the scale-out topology (kchat serve/api --db postgres://...).
KCHAT_REQUIRE_POSTGRES=1 scripts/with-postgres.sh env KCHAT_BIN="$PWD/.build/debug/kchat" .venv/bin/pytest -q tests/interop

echo "== terminal (tmux)" >&2
KCHAT_BIN="$PWD/.build/debug/kchat" tests/tui/test_tui_demo.sh
KCHAT_BIN="$PWD/.build/debug/kchat" tests/tui/test_chat_e2e.sh
KCHAT_BIN="$PWD/.build/debug/kchat" tests/tui/test_chat_reconnect.sh
