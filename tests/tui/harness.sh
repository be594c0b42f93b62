# Sourced by the tmux tests that run kchat against a hub: set SOCKET first. Gives KCHAT_BIN
# (absolute), DATA (a temporary directory), PORT and HTTP (free ports), `tm` (tmux on SOCKET),
# and the checks: ok/fail (counted in passed/failed), screen, check, check_absent, type_line.
KCHAT_BIN=${KCHAT_BIN:-.build/debug/kchat}
KCHAT_BIN=$(cd "$(dirname "$KCHAT_BIN")" && pwd)/$(basename "$KCHAT_BIN")
DATA=$(mktemp -d)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PORT=$(free_port)
HTTP=$(free_port)
tm() { tmux -u -L "$SOCKET" -f /dev/null "$@"; }

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok   - $1"; }
fail() { failed=$((failed + 1)); echo "FAIL - $1"; }
screen() { tm capture-pane -p -t "$1" 2>/dev/null || true; }
check() { # check NAME SESSION TEXT [SECONDS]: the session's screen shows TEXT within SECONDS
    local deadline=$((SECONDS + ${4:-10}))
    while ((SECONDS <= deadline)); do
        if screen "$2" | grep -qF -- "$3"; then ok "$1"; return 0; fi
        sleep 0.2
    done
    fail "$1 (no '$3' on $2's screen)"
    screen "$2" | sed 's/^/| /'
}
check_absent() { # check_absent NAME SESSION TEXT
    if screen "$2" | grep -qF -- "$3"; then
        fail "$1 ('$3' is on $2's screen)"; screen "$2" | sed 's/^/| /'
    else
        ok "$1"
    fi
}
type_line() { tm send-keys -t "$1" -l -- "$2"; tm send-keys -t "$1" Enter; }
