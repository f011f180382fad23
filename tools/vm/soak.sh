#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# `make soak`: the every-context stress (kunit/gomem_stress.c) on two pools
# for SOAK_MINUTES (default 30) in the 6.1 debug kernel, every detector on
# (KASAN, lockdep, atomic-sleep, UBSAN, kmemleak).  Builds gomem.ko and
# gomem_soak.ko as tools/vm/kunit.sh does, boots with 2 CPUs, loads
# gomem_soak.ko built to run SOAK_MINUTES*60 seconds (its KUnit suite
# gomem_soak runs at load), unloads, runs kmemleak and judges: the suite passed, its
# line "gomem-soak: seconds=N ... ops=K ... errors=0" is on the console
# with K > 0, and there is no splat, leak or taint.  Prints that line and
# the wall time.  Logs in out/soak/.  Not part of `make check`, which runs
# a 20 s soak in kunit.sh's boot.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

minutes=${SOAK_MINUTES:-30}
case $minutes in
'' | *[!0-9]*) die "SOAK_MINUTES must be a whole number of minutes" ;;
esac
[ "$minutes" -gt 0 ] || die "SOAK_MINUTES must be at least 1"
export DEBUG_KERNEL=6.1
kbuild=$("$GOMEM_TOP/tools/vm/debug-kernel.sh")
# The length is built into gomem_soak.ko (Kbuild, GOMEM_SOAK_SECONDS), in
# a build directory of its own: kunit.sh's builds the 20 s one.
export GOMEM_SOAK_SECONDS=$((minutes * 60))
src=$(GOMEM_KUNIT=y "$GOMEM_TOP/tools/vm/build-module.sh" "$kbuild" \
	"$GOMEM_OUT/debug-soak")
[ -e "$src/gomem_soak.ko" ] || die "gomem_soak.ko was not built"
out=$GOMEM_OUT/soak
say "soak: $minutes minutes in the debug kernel; logs in $out"
t0=$(date +%s)
rc=0
# The boot (about 2 minutes under TCG), the last part's checks, unload and
# kmemleak's scans: 15 minutes of margin over the soak itself.
SOAK_SECONDS=$GOMEM_SOAK_SECONDS TIMEOUT=${TIMEOUT:-$((minutes * 60 + 900))} \
	ALLOWED_TAINT=$((4096 + 262144)) MEM=${MEM:-768M} \
	BOOT_ARGS="init_on_alloc=1 ${BOOT_ARGS:-}" \
	"$GOMEM_TOP/tools/vm/vm.sh" "$kbuild/arch/x86/boot/bzImage" soak \
	"$out" "$src/gomem.ko" "$src/gomem_soak.ko" || rc=$?
grep -ho 'gomem-soak: .*' "$out/console.log" | tr -d '\r' || true
qemu=$(head -n 1 "$out/qemu.txt" 2>/dev/null || true)
echo "soak: wall time $(($(date +%s) - t0)) s; $qemu"
exit $rc
