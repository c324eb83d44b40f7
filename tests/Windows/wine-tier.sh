#!/usr/bin/env bash
# The Windows end-to-end tier: the engine's WindowsPcscApi (winscard.dll) executed for real, under Wine 10, against
# a real pcscd with our virtual cards behind vsmartcard-vpcd.
#
#   wine-tier.sh prepare                 builds (once) the cached Debian 13 chroot with Wine 10, pcscd, vpcd and a
#                                        Wine prefix; prints "ready <dir>" or "skip <reason>" (exit 0 both ways) and
#                                        exits non-zero only when preparing was possible but failed.
#   wine-tier.sh run <program dir> <card host dll> <work dir> [<PowerShell program dir> <module dir>]
#                                        runs the win-x64 test program in private namespaces (network, mount, pid),
#                                        phase by phase, printing one "[pass] …" / "[FAIL] …" line per check; with
#                                        the last two, also the cmdlets in PowerShell 7.6 hosted under Wine.
#
# Why a chroot: Debian 12's own Wine 8 has a stub winscard.dll; Wine implements winscard over libpcsclite from 9.0,
# and its libpcsclite must match the pcscd it talks to, so the chroot brings its own pcscd. Why namespaces: the
# chroot's pcscd and vpcd ports must never meet the host's pcscd or the regular end-to-end tier's vpcd ports.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../stop-pid.sh"

CACHE="${FINCARDPIN_WINE_CACHE:-/var/cache/fincardpin-wine}"
ROOTFS="$CACHE/trixie"
# Bump when the recipe below changes: an older cache is then rebuilt instead of half-matching.
RECIPE=1
STAMP="$ROOTFS/.fincardpin-recipe"
# Written only by a debootstrap that checked the archive's signatures (--force-check-gpg): a cache without it (made
# before the check, or by an older copy of this script) is made again.
VERIFIED="$ROOTFS/.fincardpin-gpg-checked"
KEYRING="${FINCARDPIN_DEBIAN_KEYRING:-/usr/share/keyrings/debian-archive-keyring.gpg}"
MIRROR="${FINCARDPIN_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
PREFIX_IN_CHROOT=/opt/fincardpin-wineprefix
# The vpcd reader's FRIENDLYNAME in this tier: named as pcsc-lite names a CCID reader, brackets and all, so that the
# Windows binding and the cmdlets under Wine also work on names like users' own. The programs get it from the
# environment (FINCARDPIN_WINE_READER_NAME); pcsc-lite numbers the two slots " 00 00" and " 00 01".
READER_NAME='HID Global OMNIKEY 3x21 Smart Card Reader [OMNIKEY 3x21 Smart Card Reader]'

log() { printf '   %s\n' "$*" >&2; }

# The reason this machine cannot run the tier, or nothing.
cannot_run_reason() {
    [[ "$(uname -s)" == Linux ]] || { echo "not Linux"; return; }
    [[ "$(uname -m)" == x86_64 ]] || { echo "not x86_64 (Wine's win-x64 needs an x86_64 host)"; return; }
    [[ "$(id -u)" == 0 ]] || { echo "not root (debootstrap, chroot and unshare need root)"; return; }
    command -v unshare >/dev/null || { echo "no unshare (util-linux)"; return; }
    if ! unshare --net --mount --pid --fork true 2>/dev/null; then
        echo "private namespaces are not allowed here (unshare --net --mount --pid failed)"; return
    fi
    if ! command -v debootstrap >/dev/null && ! command -v apt-get >/dev/null; then
        echo "no debootstrap and no apt-get to install it"; return
    fi
}

# Runs a command inside the chroot with /proc and /dev, in a mount namespace of its own (nothing leaks to the host).
in_chroot() {
    local root="$1"; shift
    unshare --mount --propagation private -- bash -c '
        root="$1"; shift
        mount -t proc proc "$root/proc"
        mount --rbind /dev "$root/dev"
        mount -t tmpfs tmpfs "$root/tmp"
        exec chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
            DEBIAN_FRONTEND=noninteractive "$@"' _ "$root" "$@"
}

# A preparing step failed: when the Debian archive could not be reached, the tier cannot run here (a skip, with the
# reason); any other failure is a broken recipe (exit 1, counted as a failure).
step_failed() {
    local step="$1" logfile="$2"
    tail -20 "$logfile" >&2
    if grep -qiE "Failed getting release file|Couldn't download|Could not resolve|Temporary failure resolving|Failed to fetch|Connection (refused|timed out)|Unable to connect" "$logfile"; then
        echo "skip the Debian 13 archive ($MIRROR) could not be reached ($step; see $logfile)"
        return 0
    fi
    echo "$step failed, see $logfile" >&2
    return 1
}

# The Debian archive keyring with the trixie signing keys, and gpgv to check with: installed with apt-get when missing
# (apt-get checks what it installs with the keys the machine already trusts); exit 1 when they cannot be had.
check_keyring() {
    if [[ ! -s "$KEYRING" ]] || ! command -v gpgv >/dev/null; then
        log "installing debian-archive-keyring and gpgv (apt-get)"
        { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debian-archive-keyring gpgv >/dev/null 2>&1 ||
            { apt-get update -qq >/dev/null 2>&1 &&
                DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debian-archive-keyring gpgv >/dev/null 2>&1; }; } || true
    fi
    [[ -s "$KEYRING" ]] || { echo "the Debian archive keyring $KEYRING is missing and could not be installed: debootstrap's downloads cannot be checked" >&2; return 1; }
    command -v gpgv >/dev/null || { echo "gpgv is missing and could not be installed: debootstrap's downloads cannot be checked" >&2; return 1; }
    # A keyring older than Debian 13 cannot check trixie's Release file: say so now rather than after the download
    # (gpg only reads the file here, in a home of its own; without gpg, debootstrap's own check decides).
    if command -v gpg >/dev/null; then
        local home keys
        home="$(mktemp -d)"
        keys="$(GNUPGHOME="$home" gpg --batch --show-keys --with-colons "$KEYRING" 2>/dev/null || true)"
        rm -rf "$home"
        grep -q '^uid:.*(13/trixie)' <<<"$keys" || { echo "the keyring $KEYRING holds no Debian 13 (trixie) key: update debian-archive-keyring" >&2; return 1; }
    fi
}

prepare() {
    local reason
    reason="$(cannot_run_reason)"
    if [[ -n "$reason" ]]; then echo "skip $reason"; return 0; fi

    mkdir -p "$CACHE"
    exec 9>"$CACHE/.lock"
    flock 9 # two worktrees preparing at once build it once
    if [[ -f "$STAMP" && "$(cat "$STAMP")" == "$RECIPE" && -f "$VERIFIED" ]]; then echo "ready $ROOTFS"; return 0; fi

    if ! command -v debootstrap >/dev/null; then
        log "installing debootstrap (apt-get)"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null 2>&1 ||
            { apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null 2>&1; } ||
            { echo "skip debootstrap is not installed and apt-get could not install it"; return 0; }
    fi
    if [[ ! -e /usr/share/debootstrap/scripts/trixie ]]; then
        echo "skip this debootstrap does not know Debian 13 (trixie)"; return 0
    fi

    # What debootstrap downloads is run as root: it is checked against the Debian archive keyring, which must be
    # there and hold the trixie signing keys before anything is fetched. Without it the tier fails, never falls back
    # to unchecked downloads.
    check_keyring || return 1

    local partial="$CACHE/trixie.partial" started=$SECONDS
    rm -rf "$partial" "$ROOTFS"
    log "debootstrap trixie into $partial (signatures checked against $KEYRING)"
    # In a mount namespace of its own: debootstrap mounts /proc in the target, which must not outlive it on the host.
    unshare --mount --propagation private -- env LC_ALL=C debootstrap --force-check-gpg --keyring="$KEYRING" --variant=minbase \
        trixie "$partial" "$MIRROR" >"$CACHE/debootstrap.log" 2>&1 ||
        { step_failed "debootstrap" "$CACHE/debootstrap.log"; return; }
    grep -q '^I: Valid Release signature' "$CACHE/debootstrap.log" ||
        { echo "debootstrap reports no valid Release signature, see $CACHE/debootstrap.log" >&2; return 1; }
    log "debootstrap done ($((SECONDS - started)) s)"

    # apt must start no services in the chroot (pcscd would otherwise try to).
    printf '#!/bin/sh\nexit 101\n' >"$partial/usr/sbin/policy-rc.d"
    chmod +x "$partial/usr/sbin/policy-rc.d"
    in_chroot "$partial" apt-get update -qq >"$CACHE/apt.log" 2>&1 &&
        in_chroot "$partial" apt-get install -y -qq --no-install-recommends \
            wine wine64 pcscd vsmartcard-vpcd libpcsclite1 iproute2 >>"$CACHE/apt.log" 2>&1 ||
        { step_failed "apt-get in the chroot" "$CACHE/apt.log"; return; }
    in_chroot "$partial" apt-get clean
    log "wine, pcscd, vpcd installed ($((SECONDS - started)) s)"

    # A prefix made once; mscoree/mshtml off so wineboot does not look for Wine Mono and Gecko (not reachable here).
    in_chroot "$partial" sh -c "WINEPREFIX=$PREFIX_IN_CHROOT WINEDLLOVERRIDES='mscoree,mshtml=' WINEDEBUG=-all \
        wine wineboot -i && WINEPREFIX=$PREFIX_IN_CHROOT wineserver -w" >"$CACHE/wineboot.log" 2>&1 ||
        { tail -20 "$CACHE/wineboot.log" >&2; echo "wineboot failed, see $CACHE/wineboot.log" >&2; return 1; }
    [[ -f "$partial$PREFIX_IN_CHROOT/system.reg" ]] || { echo "wineboot made no prefix" >&2; return 1; }
    log "Wine prefix made ($((SECONDS - started)) s)"

    echo "$RECIPE" >"$partial/.fincardpin-recipe"
    grep '^I: Valid Release signature' "$CACHE/debootstrap.log" | head -1 >"$partial/.fincardpin-gpg-checked"
    mv "$partial" "$ROOTFS"
    echo "ready $ROOTFS"
}


# Prints "[FAIL] <what>: <why>" for a step of the tier itself that broke, so that it counts as a failed check.
fail_step() { printf '[FAIL] wine-tier: %s\n' "$*"; }

run() {
    local program="$1" card_host="$2" work="$3" powershell="${4:-}" module="${5:-}"
    [[ -f "$STAMP" && "$(cat "$STAMP")" == "$RECIPE" ]] || { fail_step "no prepared chroot in $ROOTFS (run prepare first)"; return 1; }
    [[ -f "$program/FinCardPin.WineTests.exe" ]] || { fail_step "no published test program in $program"; return 1; }
    mkdir -p "$work"
    rm -f "$work"/*.json "$work"/*.log "$work"/*.events "$work"/*.ready

    # The cards' state files, written by the same host that will serve them.
    dotnet "$card_host" new-card "$work/identity.json" --profile IdentityThalesV5 --t0 --serial 1111111111 \
        --pin1 1234 --pin2 123456 --activation-code 12345678 >/dev/null &&
    dotnet "$card_host" new-card "$work/organisation.json" --profile OrganisationIdemiaIdMe --serial 2222222222 \
        --pin1 4321 --pin2 654321 --activation-code 87654321 >/dev/null &&
    dotnet "$card_host" new-card "$work/ps-identity.json" --profile IdentityThalesV5 --t0 --serial 3333333333 \
        --pin1 1234 --pin2 123456 --activation-code 12345678 >/dev/null &&
    dotnet "$card_host" new-card "$work/ps-organisation.json" --profile OrganisationIdemiaIdMe --serial 4444444444 \
        --pin1 4321 --pin2 654321 --activation-code 87654321 >/dev/null || { fail_step "could not write the card state files"; return 1; }

    exec 9>"$CACHE/.lock"
    flock 9 # one Wine tier at a time uses the cached chroot
    local scratch status=0
    scratch="$(mktemp -d /tmp/fincardpin-wine.XXXXXX)"
    unshare --net --mount --pid --fork --mount-proc --propagation private -- \
        bash "${BASH_SOURCE[0]}" inside "$program" "$card_host" "$work" "$powershell" "$module" "$scratch" || status=$?
    rmdir "$scratch" 2>/dev/null || true
    return $status
}

# ---- inside the private namespaces (pid 1 of its pid namespace: everything it starts ends with it) ----------------

PCSCD_PID=
CONTAINED=

# Runs one phase of a Windows program under Wine; its check lines go to stdout, a program that did not get as far
# as checking (or crashed) becomes a failed check.
wine_phase() {
    local phase="$1" status=0; shift
    chroot "$ROOTFS" /usr/bin/env -i HOME=/root PATH=/usr/bin:/bin LANG=C.UTF-8 WINEPREFIX="$PREFIX_IN_CHROOT" \
        WINEDEBUG=-all FINCARDPIN_WINE_READER_NAME="$READER_NAME" timeout 180 wine "$@" >"$CONTAINED/$phase.out" 2>"$CONTAINED/$phase.err" || status=$?
    grep -E '^\[(pass|FAIL)\] ' "$CONTAINED/$phase.out" || true
    if ! grep -qE '^\[(pass|FAIL)\] ' "$CONTAINED/$phase.out" || [[ $status -gt 1 ]]; then
        fail_step "phase $phase: the test program ended with exit code $status: $(tail -c 600 "$CONTAINED/$phase.err" | tr '\n' ' ')"
    fi
}

start_pcscd() {
    local config="$1"
    chroot "$ROOTFS" /usr/sbin/pcscd -f -i --disable-polkit -c "$config" >"$CONTAINED/pcscd.log" 2>&1 &
    PCSCD_PID=$!
    local i
    for i in $(seq 100); do
        [[ -S "$ROOTFS/run/pcscd/pcscd.comm" ]] && { sleep 0.5; return 0; } # readers from reader.conf come right after
        kill -0 "$PCSCD_PID" 2>/dev/null || break
        sleep 0.1
    done
    fail_step "the chroot's pcscd did not start: $(tail -c 600 "$CONTAINED/pcscd.log" | tr '\n' ' ')"
    return 1
}

stop_pcscd() {
    [[ -n "$PCSCD_PID" ]] || return 0
    stop_pid "$PCSCD_PID"
    PCSCD_PID=
    rm -f "$ROOTFS/run/pcscd/pcscd.comm"
}

host_command() {
    local reply
    echo "$1" >&"${HOST[1]}"
    if ! IFS= read -r -t 20 reply <&"${HOST[0]}" || [[ "$reply" != ok* ]]; then
        fail_step "virtual-card host: '$1' -> ${reply:-no answer}"
        return 1
    fi
}

inside() {
    trap 'fail_step "setting up the namespaces failed at line $LINENO: $BASH_COMMAND"' ERR
    local program="$1" card_host="$2" work="$3" powershell="$4" module="$5" scratch="$6"
    local tests='/opt/fincardpin-wine-tests/FinCardPin.WineTests.exe' cmdlets='/opt/fincardpin-wine-powershell/FinCardPin.WinePowerShell.exe'
    CONTAINED="$work/logs"
    mkdir -p "$CONTAINED"
    ip link set lo up
    mount -t proc proc "$ROOTFS/proc"
    mount --rbind /dev "$ROOTFS/dev"
    mount -t sysfs sysfs "$ROOTFS/sys"
    mount -t tmpfs tmpfs "$ROOTFS/tmp"
    mount -t tmpfs tmpfs "$ROOTFS/run"
    mkdir -p "$ROOTFS/run/pcscd" "$ROOTFS/run/empty-reader-conf" "$ROOTFS/run/vpcd-reader-conf" "$ROOTFS/opt/fincardpin-wine-tests" "$ROOTFS/mnt/work"
    mount --bind "$program" "$ROOTFS/opt/fincardpin-wine-tests"
    mount --bind "$work" "$ROOTFS/mnt/work"
    if [[ -n "$powershell" ]]; then
        mkdir -p "$ROOTFS/opt/fincardpin-wine-powershell" "$ROOTFS/opt/fincardpin-module"
        mount --bind "$powershell" "$ROOTFS/opt/fincardpin-wine-powershell"
        mount --bind "$module" "$ROOTFS/opt/fincardpin-module"
    fi
    # Keep the cached prefix as it was made: this run's registry writes go to a throw-away layer in memory.
    mount -t tmpfs tmpfs "$scratch"
    mkdir -p "$scratch/upper" "$scratch/work"
    mount -t overlay overlay -o "lowerdir=$ROOTFS$PREFIX_IN_CHROOT,upperdir=$scratch/upper,workdir=$scratch/work" \
        "$ROOTFS$PREFIX_IN_CHROOT"

    # 1. No PC/SC service at all: what Windows shows when the Smart Card service is stopped.
    wine_phase no-service "$tests" no-service 'Z:\mnt\work'
    [[ -z "$powershell" ]] || wine_phase cmdlets-no-service "$cmdlets" cmdlets-no-service 'Z:\opt\fincardpin-module\FinCardPin.psd1' 'Z:\mnt\work'

    # 2. A service without any reader.
    start_pcscd /run/empty-reader-conf && wine_phase no-readers "$tests" no-readers 'Z:\mnt\work'
    stop_pcscd

    # 3. The two vpcd readers, empty: the package's configuration, under this tier's reader name.
    sed "s|^FRIENDLYNAME.*|FRIENDLYNAME \"$READER_NAME\"|" "$ROOTFS/etc/reader.conf.d/vpcd" >"$ROOTFS/run/vpcd-reader-conf/vpcd"
    start_pcscd /run/vpcd-reader-conf || return 0
    wine_phase empty-readers "$tests" empty-readers 'Z:\mnt\work'

    # 4. The identity card (T=0) in slot 0, the organisation card (T=1) in slot 1, served by the Linux host.
    coproc HOST { exec dotnet "$card_host" 2>"$CONTAINED/card-host.err"; }
    host_command "insert 0 $work/identity.json $work/identity.log" &&
        host_command "insert 1 $work/organisation.json $work/organisation.log" || return 0
    wine_phase cards "$tests" cards 'Z:\mnt\work'

    # 5. The organisation card out and in again.
    host_command "remove 1" || return 0
    sleep 1.5 # pcscd notices a removal ~0.4 s later
    host_command "insert 1 $work/organisation.json $work/organisation.log" || return 0
    wine_phase reinserted "$tests" reinserted 'Z:\mnt\work'

    # 6. The organisation card taken out while the program holds handles to it.
    wine_phase removal "$tests" removal 'Z:\mnt\work' &
    local phase_pid=$! i
    for i in $(seq 600); do [[ -f "$work/removal.ready" ]] && break; sleep 0.1; done
    host_command "remove 1" || true
    wait "$phase_pid" || true

    # 7. The cmdlets in PowerShell hosted under Wine, on two fresh cards.
    if [[ -n "$powershell" ]]; then
        host_command "remove 0" && host_command "remove 1" || return 0
        sleep 1.5
        host_command "insert 0 $work/ps-identity.json $work/ps-identity.log" &&
            host_command "insert 1 $work/ps-organisation.json $work/ps-organisation.log" || return 0
        wine_phase cmdlets "$cmdlets" cmdlets 'Z:\opt\fincardpin-module\FinCardPin.psd1' 'Z:\mnt\work'
    fi

    host_command quit || true
    stop_pcscd
}

case "${1:-}" in
    prepare) prepare ;;
    run) shift; run "$@" ;;
    inside) shift; inside "$@" ;;
    *) echo "usage: $0 prepare | run <program dir> <card host dll> <work dir> [<PowerShell program dir> <module dir>]" >&2; exit 2 ;;
esac
