# Sourced by the tier scripts (tests/EndToEnd/daemon-tier.sh, pinpad-tier.sh, tests/Windows/wine-tier.sh).
#
# stop_pid <pid>: stops a process this script started, by its pid: TERM, up to 5 s to end, then KILL. Every wait of a
# test run is bounded, also the one for a daemon that ignores TERM.
stop_pid() {
    local pid="$1" tick
    [[ -n "$pid" ]] || return 0
    kill "$pid" 2>/dev/null || return 0
    for tick in $(seq 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -0 "$pid" 2>/dev/null && { echo "stop_pid: $pid did not end within 5 s of TERM: KILL" >&2; kill -KILL "$pid" 2>/dev/null || true; }
    wait "$pid" 2>/dev/null || true
}
