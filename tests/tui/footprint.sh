# Sourced by the tmux tests: the footprint of a running TUI from /proc.
#   tui_pid TM-FUNCTION SESSION  -> pid of the kchat process in that tmux pane
#   thread_count PID             -> entries of /proc/PID/task
#   broker_connections PID PORT  -> ESTABLISHED TCP sockets of PID to PORT (socket inodes of
#                                   /proc/PID/fd matched in /proc/PID/net/tcp{,6})
tui_pid() { local shell_pid; shell_pid=$("$1" list-panes -t "$2" -F '#{pane_pid}'); ps -o pid= --ppid "$shell_pid" | head -1 | tr -d ' '; }
thread_count() { ls "/proc/$1/task" | wc -l; }
broker_connections() {
    python3 - "$1" "$2" <<'PY'
import os, sys
pid, port = sys.argv[1], int(sys.argv[2])
inodes = set()
for fd in os.listdir(f"/proc/{pid}/fd"):
    try:
        target = os.readlink(f"/proc/{pid}/fd/{fd}")
    except OSError:
        continue
    if target.startswith("socket:["):
        inodes.add(target[8:-1])
count = 0
for table in ("tcp", "tcp6"):
    try:
        lines = open(f"/proc/{pid}/net/{table}").read().splitlines()[1:]
    except OSError:
        continue
    for line in lines:
        f = line.split()
        if f[9] in inodes and int(f[2].split(":")[1], 16) == port and f[3] == "01":  # 01 = ESTABLISHED
            count += 1
print(count)
PY
}
# watch_thread_peak TM-FUNCTION SESSION FILE &: the most threads the session's kchat ever had,
# sampled every 20 ms from its start (login, the Kafka handles coming up) until it exits, in FILE.
watch_thread_peak() {
    local pid="" most=0 n
    for _ in $(seq 200); do pid=$(tui_pid "$1" "$2"); [[ -n $pid ]] && break; sleep 0.01; done
    [[ -n $pid ]] || return 0
    while n=$(ls "/proc/$pid/task" 2>/dev/null | wc -l) && ((n > 0)); do
        ((n > most)) && most=$n && echo "$most" >"$3"
        sleep 0.02
    done
}

# check_footprint NAME-PREFIX PID PORT: at most 16 threads, 1...4 broker connections (uses ok/fail).
# Threads are sampled every 0.5 s for up to 10 s, stopping once at most 16, and the fewest count:
# libdispatch keeps idle workers several seconds after a burst (logins, REST calls, a reconnect)
# before it reaps them; the steady state is what is checked, and the range is printed.
check_footprint() {
    local threads conns most=0 n i
    threads=999
    for i in $(seq 20); do
        n=$(thread_count "$2")
        ((n < threads)) && threads=$n
        ((n > most)) && most=$n
        ((threads <= 16)) && break
        sleep 0.5
    done
    conns=$(broker_connections "$2" "$3")
    echo "#    $1 (pid $2): $threads threads (up to $most while sampled), $conns TCP connections to the broker"
    if ((threads <= 16)); then
        ok "$1 has at most 16 threads ($threads)"
    else
        fail "$1 has $threads threads (> 16)"
        for t in /proc/"$2"/task/*; do cat "$t/comm"; done | sort | uniq -c | sed 's/^/#    /'
    fi
    ((conns >= 1 && conns <= 4)) && ok "$1 has at most 4 broker connections ($conns)" || fail "$1 has $conns broker connections (want 1...4)"
}
