#!/usr/bin/env bash
# The PIN-pad tier's own PC/SC service: runs a command (the Pester suite tagged PinPad) inside private network, mount
# and pid namespaces with a pcscd of its own whose only reader is an emulated serial GemPC Pinpad: Debian's own CCID
# driver for serial readers (libccidtwin.so, package libccid) drives a pseudo-terminal, and on the terminal's other end
# the virtual-card host emulates the reader (FinCardPin.VirtualCard.Host pinpad) in front of a virtual card.
#
#   pinpad-tier.sh check                  prints nothing when this machine can run it, else the reason (exit 0)
#   pinpad-tier.sh run <libccidtwin.so> <card host .dll> <reader name> <work dir> -- <command> [<argument> ...]
#                                         runs the command in the namespaces; exits with its exit code
#
# The command gets PCSCLITE_CSOCK_NAME (this pcscd's socket), FINCARDPIN_PINPAD_CONTROL (the emulator's control
# folder: files card, keypad and reader, and the emulator's wire.log; see PinPad/CcidPinPadReader.cs) and
# FINCARDPIN_PINPAD_READER (the reader as pcsc-lite names it: "<reader name> 00 00").
#
# * Mount namespace: pcsc-lite 1.9.9 always binds /run/pcscd/pcscd.comm (it does not read PCSCLITE_CSOCK_NAME; only
#   the client library does), so a private tmpfs on /run/pcscd gives this pcscd a socket of its own while the
#   machine's pcscd keeps its own. The machine's USB drivers are hidden (a tmpfs on /usr/lib/pcsc/drivers) so that this
#   pcscd never opens a reader of the machine; the serial driver is loaded from its own path (LIBPATH).
# * Network namespace: nothing listens here, but the tier is then sealed like the daemon tier.
# * Pid namespace: the command's shell is its pid 1; when it ends, the kernel ends every process left in it.
# pcscd and the emulator are stopped by their pids when the command ends.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../stop-pid.sh"

cannot_run_reason() {
    [[ "$(uname -s)" == Linux ]] || { echo "it needs Linux"; return; }
    [[ "$(id -u)" == 0 ]] || { echo "it needs root for its private namespaces (unshare --net --mount --pid)"; return; }
    command -v unshare >/dev/null || { echo "it needs unshare (util-linux)"; return; }
    command -v ip >/dev/null || { echo "it needs ip (iproute2) to bring up loopback in its network namespace"; return; }
    [[ -c /dev/ptmx ]] || { echo "it needs pseudo-terminals (/dev/ptmx)"; return; }
    if ! unshare --net --mount --pid --fork true 2>/dev/null; then
        echo "private namespaces are not allowed here (unshare --net --mount --pid failed)"; return
    fi
}

run() {
    local driver="$1" host="$2" name="$3" work="$4"; shift 4
    [[ "${1:-}" == -- ]] && shift
    local reason
    reason="$(cannot_run_reason)"
    if [[ -n "$reason" ]]; then echo "pinpad-tier.sh: $reason" >&2; return 1; fi
    [[ -f "$driver" ]] || { echo "pinpad-tier.sh: no libccidtwin.so at $driver" >&2; return 1; }
    [[ -f "$host" ]] || { echo "pinpad-tier.sh: no virtual-card host at $host" >&2; return 1; }
    mkdir -p "$work" /run/pcscd
    unshare --net --mount --pid --fork --mount-proc --propagation private -- \
        bash "${BASH_SOURCE[0]}" inside "$driver" "$host" "$name" "$work" "$@"
}

# ---- inside the private namespaces (pid 1 of its pid namespace) ----------------------------------------------------

inside() {
    local driver="$1" host="$2" name="$3" work="$4"; shift 4
    ip link set lo up
    mount -t tmpfs -o mode=0755 tmpfs /run/pcscd
    if [[ -d /usr/lib/pcsc/drivers ]]; then mount -t tmpfs -o ro,mode=0755 tmpfs /usr/lib/pcsc/drivers; fi

    local control="$work/pinpad" link="$work/ttyPinPad"
    rm -rf "$control" "$link"
    mkdir -p "$control"

    # The emulator first: the driver opens the terminal as soon as pcscd reads the configuration.
    local dotnet
    dotnet="$(command -v dotnet)"
    # --pin-digits 4-8: its firmware reports the digit limits of a Gemalto CT700 (GET_FIRMWARE_FEATURES), which
    # libccid passes on as bMinPINSize/bMaxPINSize.
    "$dotnet" "$host" pinpad --link "$link" --control "$control" --pin-digits 4-8 </dev/null >"$work/emulator.out" 2>&1 &
    local emulator=$! i
    for i in $(seq 200); do
        [[ -L "$link" ]] && break
        kill -0 "$emulator" 2>/dev/null || { echo "pinpad-tier.sh: the emulator exited at start, see $work/emulator.out" >&2; return 1; }
        sleep 0.1
    done
    [[ -L "$link" ]] || { echo "pinpad-tier.sh: the emulator made no terminal within 20 s, see $work/emulator.out" >&2; kill "$emulator"; return 1; }

    # One entry, as libccid's own example (/etc/reader.conf.d/libccidtwin) has it, with the tier's reader name.
    local config="$work/reader.conf.d"
    rm -rf "$config"
    mkdir -p "$config"
    printf 'FRIENDLYNAME "%s"\nDEVICENAME   %s:GemPCPinPad\nLIBPATH      %s\n' "$name" "$link" "$driver" >"$config/fincardpin-pinpad"

    local daemon=/usr/sbin/pcscd
    [[ -x "$daemon" ]] || daemon="$(command -v pcscd)"
    # libccid's log level: critical + info (its "Fix ..." lines say what it changed in a structure); never its COMM
    # level, which would dump every frame, codes typed on the keyboard included.
    LIBCCID_ifdLogLevel=0x0003 "$daemon" --foreground --info --config "$config" >"$work/pcscd.log" 2>&1 &
    local pcscd=$!
    export PCSCLITE_CSOCK_NAME=/run/pcscd/pcscd.comm
    for i in $(seq 100); do
        [[ -S "$PCSCLITE_CSOCK_NAME" ]] && break
        kill -0 "$pcscd" 2>/dev/null || { echo "pinpad-tier.sh: pcscd exited at start, see $work/pcscd.log" >&2; kill "$emulator"; return 1; }
        sleep 0.1
    done
    if [[ ! -S "$PCSCLITE_CSOCK_NAME" ]]; then
        echo "pinpad-tier.sh: pcscd made no socket within 10 s, see $work/pcscd.log" >&2
        stop_pid "$pcscd"; stop_pid "$emulator"; return 1
    fi
    # The reader is there once the driver has set the reader's card-movement mode (its last step when it opens it).
    for i in $(seq 100); do
        grep -q -- '-> Escape 01 01 01' "$control/wire.log" 2>/dev/null && break
        sleep 0.1
    done
    if ! grep -q -- '-> Escape 01 01 01' "$control/wire.log" 2>/dev/null; then
        echo "pinpad-tier.sh: libccidtwin did not open the emulated reader within 10 s, see $work/pcscd.log and $control/wire.log" >&2
        stop_pid "$pcscd"; stop_pid "$emulator"; return 1
    fi
    export FINCARDPIN_PINPAD_CONTROL="$control" FINCARDPIN_PINPAD_READER="$name 00 00"
    echo "   pcscd of the PIN-pad tier: pid $pcscd, reader '$name 00 00' (libccidtwin on $link, emulator pid $emulator), socket $PCSCLITE_CSOCK_NAME (private), logs $work/pcscd.log and $control/wire.log" >&2

    local status=0
    "$@" || status=$?
    stop_pid "$pcscd"
    stop_pid "$emulator"
    return $status
}

case "${1:-}" in
    check) cannot_run_reason ;;
    run) shift; run "$@" ;;
    inside) shift; inside "$@" ;;
    *) echo "usage: $0 check | run <libccidtwin.so> <card host .dll> <reader name> <work dir> -- <command> [<argument> ...]" >&2; exit 2 ;;
esac
