#!/usr/bin/env bash
# Coverage-guided fuzzing with libFuzzer (docs/FUZZING.md).
#   scripts/fuzz.sh [--merge] [SECONDS] [TARGET...]   run each TARGET (default: all) for SECONDS (default 60)
#   scripts/fuzz.sh --smoke                           CI: every target for 25 s
#   scripts/fuzz.sh --build-only                      only build .build-fuzz/release/kchat-fuzz
# Builds (incrementally) in its own scratch path .build-fuzz with -sanitize=fuzzer,address; the
# normal build is untouched. Targets run one after another (one core). New corpus entries go to
# .build-fuzz/corpus/TARGET (the committed seeds in Fuzz/Corpus/TARGET are only read) unless --merge,
# which merges the new coverage into Fuzz/Corpus/TARGET. Crash reproducers go to Fuzz/Artifacts/TARGET
# (gitignored); the script then exits 1 naming them. Extra libFuzzer flags: FUZZ_FLAGS="-max_len=..."
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=60 merge=0 build_only=0 targets=()
for arg in "$@"; do
    case "$arg" in
        --smoke) seconds=25 ;;
        --merge) merge=1 ;;
        --build-only) build_only=1 ;;
        -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
        ''|*[!0-9]*) targets+=("$arg") ;;
        *) seconds="$arg" ;;
    esac
done
all_targets=(kafka moderation control tui api)
[[ ${#targets[@]} -gt 0 ]] || targets=("${all_targets[@]}")
for t in "${targets[@]}"; do
    [[ " ${all_targets[*]} " == *" $t "* ]] || { echo "fuzz.sh: unknown target '$t' (${all_targets[*]})" >&2; exit 2; }
done

scratch=.build-fuzz
echo "== building kchat-fuzz with libFuzzer + ASan in $scratch" >&2
start=$(date +%s)
# lld: the system gold fails to link Swift objects with the fuzzer runtime (internal error in
# format_file_lineno). -enable-testing: the kafka target drives EmbeddedBroker internals.
swift build -c release --scratch-path "$scratch" --product kchat-fuzz --toolset "$PWD/Fuzz/lld-toolset.json" \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -enable-testing -Xswiftc -DKCHAT_FUZZING >&2
echo "== build took $(( $(date +%s) - start )) s" >&2
bin="$scratch/release/kchat-fuzz"
[[ $build_only -eq 0 ]] || exit 0

# The Swift runtime's own crash handler would race ASan's report; libFuzzer prints the stack.
export SWIFT_BACKTRACE="${SWIFT_BACKTRACE:-enable=no}"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:handle_abort=1}"
failed=()
summary=()
for t in "${targets[@]}"; do
    corpus="$scratch/corpus/$t" artifacts="Fuzz/Artifacts/$t" log="$scratch/logs/$t.log"
    mkdir -p "$corpus" "$artifacts" "$scratch/logs" "Fuzz/Corpus/$t"
    # api runs slowly, so libFuzzer's gradual length growth would keep its bodies under ~100 bytes.
    case "$t" in kafka) max_len=65536 extra="" ;; api) max_len=8192 extra="-len_control=0" ;;
                 moderation) max_len=8192 extra="" ;; *) max_len=4096 extra="" ;; esac
    before=$(ls "$artifacts" | wc -l)
    echo "== fuzzing $t for ${seconds}s (log: $log)" >&2
    status=0 t0=$(date +%s)
    # New inputs go to the first directory ($corpus); Fuzz/Corpus/$t is only read.
    # shellcheck disable=SC2086
    "$bin" "$t" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=4096 -detect_leaks=0 \
        -max_len="$max_len" $extra -print_final_stats=1 -artifact_prefix="$artifacts/" ${FUZZ_FLAGS:-} "$corpus" "Fuzz/Corpus/$t" \
        >"$log" 2>&1 || status=$?
    ran=$(( $(date +%s) - t0 ))
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo "?")
    new=$(grep -o 'stat::new_units_added: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    result=ok
    if [[ $status -ne 0 || $(ls "$artifacts" | wc -l) -ne $before ]]; then
        result="CRASH"
        failed+=("$t")
        echo "!! $t: libFuzzer exited $status; the end of $log:" >&2
        grep -E 'ERROR|Fatal error|invariant|#[0-9]+ 0x|SUMMARY|Test unit written|^0x' "$log" | head -40 >&2 || true
        for f in $(ls -t "$artifacts" | head -n $(( $(ls "$artifacts" | wc -l) - before ))); do
            echo "!! reproducer: $artifacts/$f   (replay: $bin $t $artifacts/$f, or swift run kchat-fuzz $t $artifacts/$f)" >&2
        done
    fi
    if [[ $merge -eq 1 ]]; then
        "$bin" "$t" -merge=1 -detect_leaks=0 "Fuzz/Corpus/$t" "$corpus" >>"$log" 2>&1 || true
        echo "== merged new coverage of $t into Fuzz/Corpus/$t" >&2
    fi
    summary+=("$(printf '%-11s %6ss %10s execs %7s exec/s  cov %6s  new %5s  %s' "$t" "$ran" "$execs" "$rate" "$cov" "$new" "$result")")
done

echo "== summary" >&2
printf '%s\n' "${summary[@]}" >&2
if [[ ${#failed[@]} -gt 0 ]]; then
    echo "fuzz.sh: crashes in: ${failed[*]} (reproducers in Fuzz/Artifacts/)" >&2
    exit 1
fi
