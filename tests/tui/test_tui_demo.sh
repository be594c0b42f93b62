#!/usr/bin/env bash
# Drives `kchat tui-demo` (the ncurses UI on a loopback, no Kafka) in a real terminal: a detached
# tmux pane on a private server. Asserts on `tmux capture-pane` text (and -e escapes).
#
#   KCHAT_BIN=.build/debug/kchat tests/tui/test_tui_demo.sh
#
# Prints `tui: N passed, M failed` last; exits non-zero when anything failed.
set -euo pipefail
cd "$(dirname "$0")/../.."

KCHAT_BIN=${KCHAT_BIN:-.build/debug/kchat}
[[ -x $KCHAT_BIN ]] || { echo "tui: kchat binary not found at $KCHAT_BIN (set KCHAT_BIN)" >&2; exit 2; }
command -v tmux >/dev/null || { echo "tui: tmux is not installed" >&2; exit 2; }
KCHAT_BIN=$(cd "$(dirname "$KCHAT_BIN")" && pwd)/$(basename "$KCHAT_BIN")

SOCKET="kchat-test-$$"
tm() { tmux -u -L "$SOCKET" -f /dev/null "$@"; }
SOCKET_PATH=${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$SOCKET
cleanup() {
    tm kill-server >/dev/null 2>&1 || true
    rm -f "$SOCKET_PATH"
}
trap cleanup EXIT INT TERM

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok   - $1"; }
fail() {
    failed=$((failed + 1))
    echo "FAIL - $1"
    echo "----- screen -----"
    screen | sed 's/^/| /'
    echo "------------------"
}

screen() { tm capture-pane -p -t "$SESSION" 2>/dev/null || true; }
screen_escapes() { tm capture-pane -p -e -t "$SESSION" 2>/dev/null || true; }

# Waits stop early once the whole run is past this many seconds (keeps a failing run < 60 s).
BUDGET=45
deadline_for() { local d=$((SECONDS + $1)); echo $((d < BUDGET ? d : (SECONDS < BUDGET ? BUDGET : SECONDS))); }

# wait_for TEXT [SECONDS]: poll the screen until it contains TEXT (fixed string).
wait_for() {
    local deadline
    deadline=$(deadline_for "${2:-5}")
    while ((SECONDS <= deadline)); do
        screen | grep -qF -- "$1" && return 0
        sleep 0.1
    done
    return 1
}

# wait_gone TEXT [SECONDS]: poll until the screen no longer contains TEXT.
wait_gone() {
    local deadline
    deadline=$(deadline_for "${2:-5}")
    while ((SECONDS <= deadline)); do
        screen | grep -qF -- "$1" || return 0
        sleep 0.1
    done
    return 1
}

check() { # check NAME COMMAND...
    local name=$1
    shift
    if "$@"; then pass "$name"; else fail "$name"; fi
}

type_line() { tm send-keys -t "$SESSION" -l -- "$1"; tm send-keys -t "$SESSION" Enter; }
key() { tm send-keys -t "$SESSION" "$@"; }

# start NAME: a detached 100x30 session running the demo, then the exit code and tty modes.
# LANG/LC_* are removed so the driver's UTF-8 locale fallback is exercised too.
start() {
    SESSION=$1
    tm new-session -d -s "$SESSION" -x 100 -y 30 \
        "env -u LANG -u LC_ALL -u LC_CTYPE '$KCHAT_BIN' tui-demo --user alice; echo KCHAT_EXIT=\$?; stty -a; sleep 60"
}

# terminal_restored: the program exited and left the tty cooked, echoing, on the main screen.
terminal_restored() {
    wait_for "KCHAT_EXIT=" 5 || return 1
    local modes
    modes=$(screen)
    grep -qE '(^| )icanon( |$)' <<<"$modes" && grep -qE '(^| )echo( |$)' <<<"$modes" \
        && grep -qE '(^| )icrnl( |$)' <<<"$modes" \
        && [[ $(tm display -p -t "$SESSION" '#{alternate_on}#{cursor_flag}#{mouse_any_flag}') == "010" ]]
}

# no_sgr_from_text: the rows with hostile text carry no SGR/OSC from it (their ␛[31m is literal;
# the renderer's own colours on those rows are the time, the nick and the reset).
no_sgr_from_text() {
    local red c1
    red=$(screen_escapes | grep -F "red" || true)
    c1=$(screen_escapes | grep -F "C1 " || true)
    [[ -n $red && $red != *$'\e[31m'* && $red != *$'\e]'* ]] \
        && [[ -n $c1 && $c1 != *$'\e[32m'* && $c1 != *$'\e[3'[0-7]'m'* ]]
}

# signal_kchat SIG: send SIG to the kchat process in the current session's pane.
signal_kchat() {
    local shell_pid kchat_pid
    shell_pid=$(tm display -p -t "$SESSION" '#{pane_pid}')
    kchat_pid=$(pgrep -P "$shell_pid" || true)
    [[ -n $kchat_pid ]] && kill "-$1" "$kchat_pid"
}

# ---------------------------------------------------------------------------------------------
start main

check "starts and shows the channel list with general" wait_for " general " 10
if ((failed > 0)); then
    echo "tui: $passed passed, $failed failed (the demo did not start)"
    exit 1
fi
check "bob's messages are shown" wait_for "bob: hi alice, welcome to the kchat demo"
check "history is loaded" wait_for "history message 40"
check "escape sequences in messages are shown visibly" wait_for "␛[31mred␛[0m ␛]0;title␇"
check "no SGR from message text reaches the terminal" no_sgr_from_text
check "no OSC from message text reaches the terminal (pane title)" \
    test "$(tm display -p -t main '#{pane_title}')" != "title"
check "C1 controls, bidi overrides, BEL and TAB are shown inert" \
    wait_for "C1 ␛[32mgreen␛[0m, bidi ⟨RLO⟩desrever⟨PDF⟩, bell␇, tab    end"
check "CJK and emoji are shown" wait_for "你好，世界 👋 こんにちは 🎉 한국어"
check "status line names user, channel and connection" wait_for "[alice] #general | loopback | connected: demo"

type_line "hello world"
check "typing a message shows it" wait_for "alice: hello world"

type_line "demo-warn"
check "a warning for me shows the banner" wait_for "Warning 2/3: your message in #general was moderated  (Esc to dismiss)"
key Escape
check "Esc dismisses the warning banner" wait_gone "Warning 2/3"

key PPage
check "PgUp scrolls back and shows -MORE(n)-" wait_for "-MORE("
key Escape
check "Esc jumps back to the newest message" wait_gone "-MORE("

# Mouse wheel as the terminal reports it (X10 encoding, what kmous=\E[M in tmux's terminfo says):
# button byte 96 = wheel up, 97 = wheel down.
key -l $'\e[M`++'
check "mouse wheel up scrolls back" wait_for "-MORE("
key -l $'\e[Ma++'
check "mouse wheel down returns to the newest message" wait_gone "-MORE("

tm resize-window -t main -x 40 -y 12
check "resized to 40x12 still renders" wait_for "[alice] #general"
check "40x12 keeps a narrower channel list and wraps messages" wait_for " general    │"
tm resize-window -t main -x 15 -y 5
check "15x5 shows the too-small message" wait_for "small (15x5)"
tm resize-window -t main -x 100 -y 30
check "back to 100x30 renders the full layout" wait_for "bob: hi alice, welcome to the kchat demo"

type_line "/join #random"
check "/join #random adds and selects the channel" wait_for "[alice] #random"
check "the channel list shows random" wait_for " random "
key Up
check "Up switches to the previous channel" wait_for "[alice] #general"
key Down
check "Down switches to the next channel" wait_for "[alice] #random"

key C-p
check "Ctrl-P recalls the input history" wait_for "> /join #random"
key C-u

type_line "demo-block"
check "a block for me shows the blocked banner" wait_for "You are blocked: too many warnings (3/3)"
check "input is disabled while blocked" wait_for "input disabled (you are blocked)"

type_line "/quit"
check "/quit exits with status 0 and restores the terminal" terminal_restored
check "exit status is 0" wait_for "KCHAT_EXIT=0"

# ---------------------------------------------------------------------------------------------
start sigint
wait_for " general " 10 || true
key C-c
check "Ctrl-C (SIGINT) quits and restores the terminal" terminal_restored

start sigterm
wait_for " general " 10 || true
check "SIGTERM reaches kchat" signal_kchat TERM
check "SIGTERM quits and restores the terminal" terminal_restored

echo "tui: $passed passed, $failed failed"
((failed == 0))
