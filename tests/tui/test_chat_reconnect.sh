#!/usr/bin/env bash
# The TUI on one Kafka session, against a hub that is not there yet: dave's `kchat chat` starts
# with nothing listening on the broker port, says so, queues what he types (pending, not failed),
# then `kchat serve` starts on that port: the TUI recovers by itself ("connected"), receives a
# message sent afterwards with `kchat send`, and what dave typed while the hub was down reaches
# the topic (`kchat read`). Then the footprint of the running TUI, from /proc: at most 16 threads
# and at most 4 TCP connections to the broker port (one producer + one consumer handle). Last,
# the hub stops and starts again under the running TUI: it says disconnected, queues, reconnects.
# Authentication is on (kchat serve's default): dave registered on an earlier run of the hub, so
# his TUI starts with his saved token while the hub is away; erin's commands log in as they go.
#
#   KCHAT_BIN=.build/debug/kchat tests/tui/test_chat_reconnect.sh   (last line: `chat-reconnect: N passed, M failed`)
set -euo pipefail
cd "$(dirname "$0")/../.."

SOCKET="kchat-reconnect-$$"
source tests/tui/harness.sh
cleanup() {
    tm kill-server >/dev/null 2>&1 || true
    [[ -n ${HUB_PID:-} ]] && kill "$HUB_PID" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$DATA"
}
trap cleanup EXIT INT TERM
source tests/tui/footprint.sh

# 0. An earlier run of the hub, where dave logged in (his token is kept in his data directory).
export KCHAT_PASSWORD="a long enough password"
start_hub() {
    KCHAT_DATA="$DATA/hub" "$KCHAT_BIN" serve --listen "127.0.0.1:$PORT" --http "127.0.0.1:$HTTP" >>"$DATA/hub.out" 2>&1 &
    HUB_PID=$!
    for _ in $(seq 100); do (echo >"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done
    for _ in $(seq 100); do (echo >"/dev/tcp/127.0.0.1/$HTTP") 2>/dev/null && break; sleep 0.1; done
}
start_hub
if KCHAT_DATA="$DATA/dave" "$KCHAT_BIN" login -u dave --api "http://127.0.0.1:$HTTP" | grep -q "registered and logged in"; then
    ok "dave registers on an earlier run of the hub"
else
    fail "dave's login"
fi
kill "$HUB_PID"; wait "$HUB_PID" 2>/dev/null || true
client=(--brokers "127.0.0.1:$PORT" --api "http://127.0.0.1:$HTTP" --data "$DATA/erin")

# 1. dave starts before the hub.
tm new-session -d -s dave -x 100 -y 24 "KCHAT_DATA='$DATA/dave' '$KCHAT_BIN' chat -u dave --brokers 127.0.0.1:$PORT --api http://127.0.0.1:$HTTP --no-autostart; echo EXITED=\$?; sleep 30"
check "with no hub the status line says disconnected" dave "disconnected" 20
check_absent "and never connected" dave " connected"
type_line dave "typed while the hub was down"
check "what dave types while down is shown" dave "typed while the hub was down" 5
sleep 12
check_absent "and has not failed after 12 s (queued, not timed out)" dave "failed"
check_absent "the TUI is still running" dave "EXITED="

# 2. The hub comes up on that port.
start_hub
check "dave's TUI recovers by itself" dave " connected" 40

# 3. Messages flow both ways.
sent=0
for _ in $(seq 20); do
    if "$KCHAT_BIN" send "${client[@]}" -u erin -c general "hello dave from erin" >/dev/null 2>&1; then sent=1; break; fi
    sleep 1
done
((sent)) && ok "kchat send is acknowledged" || fail "kchat send"
check "dave receives a message sent after the hub came up" dave "erin: hello dave from erin" 20
found=0
for _ in $(seq 30); do
    if "$KCHAT_BIN" read "${client[@]}" -u erin -c general 2>/dev/null | grep -qF "typed while the hub was down"; then found=1; break; fi
    sleep 1
done
((found)) && ok "what dave typed while the hub was down was delivered (kchat read)" || fail "dave's queued message never reached chat_controlled"
count=$("$KCHAT_BIN" read "${client[@]}" -u erin -c general 2>/dev/null | grep -cF "typed while the hub was down" || true)
[[ $count == 1 ]] && ok "and delivered once" || fail "delivered $count times"
check_absent "dave's screen shows no failure" dave "failed"

# 4. Footprint of the running TUI, from /proc (one session: one producer + one consumer handle).
pid=$(tui_pid tm dave)
if [[ -z $pid || ! -d /proc/$pid ]]; then
    fail "no kchat process in dave's pane"
else
    check_footprint "dave's TUI" "$pid" "$PORT"
fi

# 5. The hub stops and comes back (same data) while dave is connected.
kill "$HUB_PID"; wait "$HUB_PID" 2>/dev/null || true
check "when the hub stops the status line says disconnected" dave "disconnected" 30
type_line dave "typed during the restart"
sleep 12
check_absent "what dave typed during the restart has not failed after 12 s" dave "failed"
start_hub
check "dave's TUI reconnects by itself" dave " connected" 40
found=0
for _ in $(seq 30); do
    if "$KCHAT_BIN" read "${client[@]}" -u erin -c general 2>/dev/null | grep -qF "typed during the restart"; then found=1; break; fi
    sleep 1
done
((found)) && ok "what dave typed during the restart was delivered" || fail "dave's message typed during the restart never reached chat_controlled"
"$KCHAT_BIN" send "${client[@]}" -u erin -c general "welcome back dave" >/dev/null 2>&1 || true
check "dave receives messages after the restart" dave "erin: welcome back dave" 20

type_line dave "/quit"
check "dave's client exits cleanly" dave "EXITED=0" 15

echo "chat-reconnect: $passed passed, $failed failed"
((failed == 0))
