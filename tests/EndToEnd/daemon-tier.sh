#!/usr/bin/env bash
# The daemon tier's own PC/SC service: runs a command (the Pester daemon tier, the benchmark) inside private network,
# mount and pid namespaces with a pcscd of its own that loads only our vpcd reader, and nothing of it outlives the
# command.
#
#   daemon-tier.sh check                  prints nothing when this machine can run it, else the reason (exit 0)
#   daemon-tier.sh run <vpcd driver .so> <reader name> <work dir> -- <command> [<argument> ...]
#                                         runs the command in the namespaces; exits with its exit code
#
# * Network namespace: vpcd listens on every address (ports 35963/35964) and anyone who reaches them can put a card in
#   its readers. Here only loopback exists, so only the processes of the run (the virtual-card host, started by the
#   tests as a child) reach it, and the machine's own vpcd ports (a pcscd of the machine with vsmartcard-vpcd) are
#   never met.
# * Mount namespace: pcsc-lite 1.9.9 always binds /run/pcscd/pcscd.comm; a private tmpfs on /run/pcscd gives this
#   pcscd a socket of its own while the machine's pcscd keeps its own, and clients are pointed at it with
#   PCSCLITE_CSOCK_NAME. The reader configuration is a folder in <work dir> (pcscd -c), never /etc/reader.conf.d.
# * Pid namespace: the command's shell is its pid 1; when it ends, the kernel ends every process left in it (pcscd,
#   a card host a test did not stop), so no listener remains.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../stop-pid.sh"

# The reason this machine cannot run the tier, or nothing.
cannot_run_reason() {
    [[ "$(uname -s)" == Linux ]] || { echo "it needs Linux"; return; }
    [[ "$(id -u)" == 0 ]] || { echo "it needs root for its private namespaces (unshare --net --mount --pid)"; return; }
    command -v unshare >/dev/null || { echo "it needs unshare (util-linux)"; return; }
    command -v ip >/dev/null || { echo "it needs ip (iproute2) to bring up loopback in its network namespace"; return; }
    if ! unshare --net --mount --pid --fork true 2>/dev/null; then
        echo "private namespaces are not allowed here (unshare --net --mount --pid failed)"; return
    fi
}

run() {
    local driver="$1" name="$2" work="$3"; shift 3
    [[ "${1:-}" == -- ]] && shift
    local reason
    reason="$(cannot_run_reason)"
    if [[ -n "$reason" ]]; then echo "daemon-tier.sh: $reason" >&2; return 1; fi
    [[ -f "$driver" ]] || { echo "daemon-tier.sh: no vpcd driver at $driver" >&2; return 1; }
    mkdir -p "$work"
    # The mount point: pcscd's own folder (the pcscd package's socket unit makes the same one).
    mkdir -p /run/pcscd
    unshare --net --mount --pid --fork --mount-proc --propagation private -- \
        bash "${BASH_SOURCE[0]}" inside "$driver" "$name" "$work" "$@"
}

# ---- inside the private namespaces (pid 1 of its pid namespace) ----------------------------------------------------

inside() {
    local driver="$1" name="$2" work="$3"; shift 3
    ip link set lo up
    mount -t tmpfs -o mode=0755 tmpfs /run/pcscd
    # No USB reader of the machine: pcscd finds USB drivers (CCID, ...) in this folder and would open the machine's
    # readers next to the machine's own pcscd. Hidden here; vpcd's driver is loaded from its own path.
    if [[ -d /usr/lib/pcsc/drivers ]]; then mount -t tmpfs -o ro,mode=0755 tmpfs /usr/lib/pcsc/drivers; fi

    # One entry, as the vsmartcard-vpcd package writes it (DEVICENAME /dev/null:<port>, CHANNELID <port>), with the
    # reader name of the tier. 0x8C7B = 35963, vpcd's first port; its second slot listens on the next one.
    local config="$work/reader.conf.d"
    rm -rf "$config"
    mkdir -p "$config"
    printf 'FRIENDLYNAME "%s"\nDEVICENAME   /dev/null:0x8C7B\nLIBPATH      %s\nCHANNELID    0x8C7B\n' \
        "$name" "$driver" >"$config/fincardpin-vpcd"

    local daemon=/usr/sbin/pcscd
    [[ -x "$daemon" ]] || daemon="$(command -v pcscd)"
    "$daemon" --foreground --info --config "$config" >"$work/pcscd.log" 2>&1 &
    local pcscd=$! i
    export PCSCLITE_CSOCK_NAME=/run/pcscd/pcscd.comm
    for i in $(seq 100); do
        [[ -S "$PCSCLITE_CSOCK_NAME" ]] && break
        kill -0 "$pcscd" 2>/dev/null || { echo "daemon-tier.sh: pcscd exited at start, see $work/pcscd.log" >&2; return 1; }
        sleep 0.1
    done
    [[ -S "$PCSCLITE_CSOCK_NAME" ]] || { echo "daemon-tier.sh: pcscd made no socket within 10 s, see $work/pcscd.log" >&2; return 1; }
    # The vpcd readers come from the configuration right after the socket; wait until vpcd listens on both ports.
    for i in $(seq 100); do
        if grep -qiE '^ *[0-9]+: [0-9A-F]+:8C7B [0-9A-F]+:0000 0A ' /proc/net/tcp /proc/net/tcp6 2>/dev/null &&
            grep -qiE '^ *[0-9]+: [0-9A-F]+:8C7C [0-9A-F]+:0000 0A ' /proc/net/tcp /proc/net/tcp6 2>/dev/null; then
            break
        fi
        sleep 0.1
    done
    echo "   pcscd of the daemon tier: pid $pcscd in its own namespaces, readers '$name 00 00' and '$name 00 01', socket $PCSCLITE_CSOCK_NAME (private), log $work/pcscd.log" >&2

    local status=0
    "$@" || status=$?
    stop_pid "$pcscd"
    return $status
}

case "${1:-}" in
    check) cannot_run_reason ;;
    run) shift; run "$@" ;;
    inside) shift; inside "$@" ;;
    *) echo "usage: $0 check | run <vpcd driver .so> <reader name> <work dir> -- <command> [<argument> ...]" >&2; exit 2 ;;
esac
