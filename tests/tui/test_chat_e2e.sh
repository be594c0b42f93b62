#!/usr/bin/env bash
# Two real `kchat` clients in tmux against a real hub (`kchat serve`: embedded broker +
# moderator): alice and bob chat, bob swears (masked on alice's screen, warning banner on his),
# gets blocked at the third warning (red banner, input disabled; alice sees an inline notice),
# alice sends bob a DM (through their inboxes, not chat_controlled), alice quits (bob sees her leave); alice's TUI has at most 16 threads and 4 broker connections
# (one Kafka session); a new TUI of bob knows he is blocked when his block is older than the tail
# of chat_control it reads (the REST API says so). Authentication is on (kchat serve's default):
# bob types his password at the first start (registering him), his next start asks nothing (the
# saved token), alice's comes from $KCHAT_PASSWORD; the raw records the test injects are produced
# with a service token minted from the hub's secret. Then the autostart path: `kchat` with no brokers configured starts the
# local hub in the background, and `kchat stop` stops it.
#
#   KCHAT_BIN=.build/debug/kchat tests/tui/test_chat_e2e.sh      (last line: `chat-e2e: N passed, M failed`)
set -euo pipefail
cd "$(dirname "$0")/../.."

SOCKET="kchat-e2e-$$"
source tests/tui/harness.sh
cleanup() {
    tm kill-server >/dev/null 2>&1 || true
    [[ -n ${HUB_PID:-} ]] && kill "$HUB_PID" 2>/dev/null || true
    KCHAT_DATA="$DATA/auto" "$KCHAT_BIN" stop >/dev/null 2>&1 || true
    wait 2>/dev/null || true
    rm -rf "$DATA"
}
trap cleanup EXIT INT TERM
source tests/tui/footprint.sh

KCHAT_DATA="$DATA/hub" "$KCHAT_BIN" serve --listen "127.0.0.1:$PORT" --http "127.0.0.1:$HTTP" >"$DATA/hub.out" 2>&1 &
HUB_PID=$!
for _ in $(seq 100); do (echo >"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done
for _ in $(seq 100); do (echo >"/dev/tcp/127.0.0.1/$HTTP") 2>/dev/null && break; sleep 0.1; done
# Raw records (poison, floods) come from a service principal: a token minted with the hub's secret,
# given to kcat as the PLAIN password (users may not write the topics the clients read).
SERVICE_TOKEN=$("$KCHAT_BIN" token --data "$DATA/hub" --user test-injector --role service)
as_service=(-X security.protocol=SASL_PLAINTEXT -X sasl.mechanisms=PLAIN -X sasl.username=test-injector -X "sasl.password=$SERVICE_TOKEN")

client() { # client USER [SESSION [DATA]]: logs in with $KCHAT_PASSWORD when it is set in the command
    tm new-session -d -s "${2:-$1}" -x 100 -y 24 "${PASSWORD_ENV:-} KCHAT_DATA='$DATA/${3:-${2:-$1}}' '$KCHAT_BIN' chat -u $1 --brokers 127.0.0.1:$PORT --api http://127.0.0.1:$HTTP; echo EXITED=\$?; sleep 30"
}
PASSWORD_ENV="KCHAT_PASSWORD='alice secret 1'" client alice
watch_thread_peak tm alice "$DATA/alice-threads" &
PASSWORD_ENV="env -u KCHAT_PASSWORD" client bob
check "bob's first start asks his password" bob "Password for bob" 20
tm send-keys -t bob -l -- "bob secret 22"
tm send-keys -t bob Enter
check_absent "the password is not echoed" bob "bob secret 22"
check "alice is connected" alice "connected" 20
check "bob is connected" bob "connected" 20
sleep 1
# One Kafka session per TUI (it was 38 threads and 11 broker connections with five sessions).
check_footprint "alice's TUI" "$(tui_pid tm alice)" "$PORT"
# Not only in steady state: from its start, through the login (REST) and the Kafka handles coming up.
peak=$(cat "$DATA/alice-threads" 2>/dev/null || echo 0)
echo "#    alice's TUI: at most $peak threads since it started (sampled every 20 ms)"
if ((peak > 0 && peak <= 16)); then ok "alice's TUI never had more than 16 threads ($peak)"
else fail "alice's TUI had $peak threads at its peak (limit 16)"; fi

type_line alice "hello bob"
check "bob sees alice's message" bob "alice: hello bob"
type_line bob "hi alice, what the fuck"
check "alice sees bob's message masked" alice "bob: hi alice, what the ****"
check_absent "alice never sees the raw word" alice "fuck"
check "bob gets a warning banner" bob "Warning 1/3"
tm send-keys -t bob Escape
sleep 0.5
check_absent "Esc dismisses the banner" bob "Warning 1/3"

# Private DMs (issue 12 item 5): the moderator writes them to the two inboxes, never to
# chat_controlled; bob's TUI finds his inbox once the moderator has created it.
type_line alice "/msg bob psst only for you"
check "alice sees her DM" alice "alice: psst only for you"
check "bob's TUI gets the DM channel from his inbox" bob "@alice"
tm send-keys -t bob Down
check "bob reads the DM" bob "alice: psst only for you"
tm send-keys -t bob Up
tm send-keys -t alice Up
if kcat -b "127.0.0.1:$PORT" "${as_service[@]}" -C -t chat_controlled -e -q 2>/dev/null | grep -q "psst only for you"; then
    fail "the DM is on chat_controlled"
else
    ok "the DM is not on chat_controlled"
fi
if kcat -b "127.0.0.1:$PORT" "${as_service[@]}" -C -t chat_inbox.bob -e -q 2>/dev/null | grep -q "psst only for you"; then
    ok "the DM is in chat_inbox.bob"
else
    fail "the DM is not in chat_inbox.bob"
fi

# Poison records on the topics the clients read (a timestamp past year 9999 once killed every TUI):
# each client skips them, logs one line, and goes on.
printf '%s\n' '{"id":"p1","channel":"general","author":"eve","data":"poisoned","timestamp":1e19}' '{{{' |
    kcat -b "127.0.0.1:$PORT" "${as_service[@]}" -P -t chat_controlled -k general
printf '%s\n' '{"type":"blocked","user":"bob","timestamp":1e19}' |
    kcat -b "127.0.0.1:$PORT" "${as_service[@]}" -P -t chat_control -k bob
type_line alice "after the poison"
check "bob receives what follows poison records" bob "alice: after the poison"
check_absent "the poison record is not shown" bob "poisoned"
check_absent "a block that cannot be read does not block" bob "You are blocked"
if grep -q "skipped chat_controlled" "$DATA"/bob/*.log 2>/dev/null; then
    ok "the skipped record is logged"
else
    fail "no 'skipped chat_controlled' line in bob's log"; ls -la "$DATA/bob" || true
fi

# Bracketed paste: 20 lines pasted at once (one of them /quit) are one message; nothing runs.
paste_text=$(for i in $(seq -w 1 20); do if [[ $i == 10 ]]; then echo "/quit"; else echo "pasted line $i"; fi; done)
tm set-buffer -b paste20 -- "$paste_text"
tm paste-buffer -p -d -b paste20 -t alice
sleep 0.5
tm send-keys -t alice Enter
check "bob receives the pasted text" bob "pasted line 20"
check "the paste is one message (its first line carries the nick)" bob "alice: pasted line 01" 2
check_absent "its other lines are not messages of their own" bob "alice: pasted line 20"
check_absent "a pasted /quit is text: alice is still running" alice "EXITED="
check "the pasted /quit line is shown as text" bob "/quit"

type_line bob "shit two"
type_line bob "shit three"
check "bob is blocked at the third warning" bob "You are blocked"
check "bob's input is disabled" bob "input disabled"
check "alice sees the inline block notice" alice "bob has been blocked"
type_line bob "let me talk"
sleep 2
check_absent "a blocked user's text does not reach alice" alice "let me talk"

type_line alice "/stats"
check "/stats answers from the REST API" alice "warnings 3"
type_line alice "/users"
check "/users lists users with their state" alice "bob (blocked)"
type_line alice "/quit"
check "alice's client exits cleanly" alice "EXITED=0"
check "bob sees alice leave" bob "alice left"

# A new TUI of bob after 2,100 more events about him: his block is no longer in the tail of
# chat_control read at start (2,000 per partition), so the REST API's blocked flag says it.
for _ in $(seq 2100); do echo '{"type":"leave","user":"bob","channel":"nowhere","timestamp":"2026-11-28T11:00:00.000Z"}'; done |
    kcat -b "127.0.0.1:$PORT" "${as_service[@]}" -P -t chat_control -k bob
PASSWORD_ENV="env -u KCHAT_PASSWORD" client bob bob2 bob  # bob's data: his saved token, no password asked
check "with no password asked (his saved token), a new TUI of bob knows he is blocked (beyond the tail: from the REST API)" bob2 "You are blocked" 30

# Autostart: no brokers configured, nothing on localhost:9092 -> the hub starts in the background.
if (echo >/dev/tcp/127.0.0.1/9092) 2>/dev/null; then
    echo "skip - autostart (something already listens on 9092)"
else
    tm new-session -d -s carol -x 100 -y 24 "env -u KCHAT_BROKERS KCHAT_PASSWORD='carol secret 3' KCHAT_DATA='$DATA/auto' '$KCHAT_BIN' chat -u carol; echo EXITED=\$?; sleep 30"
    check "autostart says so" carol "Started the local hub" 30
    check "autostarted hub is connected" carol "connected" 20
    type_line carol "/quit"
    check "carol exits" carol "EXITED=0"
    if KCHAT_DATA="$DATA/auto" "$KCHAT_BIN" stop | grep -q "hub stopped"; then
        ok "kchat stop stops the background hub"
    else
        fail "kchat stop"
    fi
fi

echo "chat-e2e: $passed passed, $failed failed"
((failed == 0))
