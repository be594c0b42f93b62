#!/usr/bin/env bash
# Soak for issue #13's rare librdkafka abort on consumer close
# (`rd_kafka_q_serve: assert res != RD_KAFKA_OP_RES_PASS`): runs
# ConsumerCloseStressTests (create session, consume from a backlog with messages still
# arriving, shut down while fetched messages are queued) in RUNS test processes of
# CYCLES cycles each, and counts the processes that aborted.
#
#   scripts/consumer-close-soak.sh [RUNS] [CYCLES]     (defaults: 6 runs x 50 cycles = 300)
#
# Needs a debug build with tests (`swift build --build-tests`). Exit status 1 if any run failed.
set -uo pipefail
cd "$(dirname "$0")/.."
runs=${1:-6}
cycles=${2:-50}
aborts=0
failures=0
log=$(mktemp /tmp/consumer-close-soak.XXXXXX)
for run in $(seq 1 "$runs"); do
    KCHAT_CLOSE_CYCLES=$cycles swift test --skip-build --filter ConsumerCloseStressTests >"$log" 2>&1
    status=$?
    if grep -q "assert: res != RD_KAFKA_OP_RES_PASS\|Assertion\|signal 6\|SIGABRT\|Aborted\|rd_kafka_assert" "$log"; then
        aborts=$((aborts + 1))
        echo "run $run: ABORT"
        grep -m3 "assert\|Assert\|signal\|Abort" "$log"
    elif ! grep -q "closingWhileMessagesFlowNeverAborts() passed" "$log"; then
        failures=$((failures + 1))
        echo "run $run: the stress test did not run and pass (status $status)"
        tail -5 "$log"
    elif [[ $status -ne 0 ]]; then
        failures=$((failures + 1))
        echo "run $run: failed (status $status)"
        tail -5 "$log"
    else
        echo "run $run: $cycles cycles, no abort"
    fi
done
rm -f "$log"
echo "consumer close soak: $runs runs x $cycles cycles, aborted runs: $aborts, other failures: $failures"
[[ $aborts -eq 0 && $failures -eq 0 ]]
