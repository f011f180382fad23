#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# KUnit in the debug kernel: build gomem.ko and gomem_test.ko against the
# cached debug kernel (tools/vm/debug-kernel.sh builds it once), boot it under
# qemu with 2 CPUs, load both modules (the suites run at load), copy every
# gomem* suite's KTAP from debugfs, unload, run 20 rounds of the module
# lifecycle with the example driver as a second user (load, use, an rmmod
# of gomem that must be refused, unload), run kmemleak, and judge: any
# failed case, any splat (KASAN, lockdep, WARNING, ...), leak or taint
# fails the run.
#
# The kernel boots with init_on_alloc=1, as Debian's kernels do by default,
# so that the gomem_init suite checks that gomem zeroes what it hands out;
# INIT_ARGS replaces that (e.g. INIT_ARGS="init_on_alloc=0 init_on_free=1"
# checks zeroing on free, INIT_ARGS="init_on_alloc=0" that nothing zeroes).
#
# Between gomem_test.ko's unload and the lifecycle, the soak runs for
# SOAK_SECONDS (default 20; 0 to skip): gomem_soak.ko, the every-context
# stress on two pools (make soak runs it for 30 minutes); the verdict
# requires its suite and its "gomem-soak: seconds=..." line.
#
# A test that provokes a caller bug on purpose must wrap the call in
# GOMEM_EXPECT_MISUSE() (kunit/gomem_kunit.h); any other WARNING fails.
#
# Then a second, short boot runs gomem_kasan_test.ko alone (mode kasan,
# with kasan_multi_shot): its cases expect KASAN reports in gomem memory,
# which taint the kernel (B) and turn lockdep off for the rest of a boot,
# so they never share one with the suites above.  Its verdict requires
# exactly one report at each address the suite announces, and fails on
# any other; logs in out/kunit-kasan/.  The script fails if either boot
# does.
#
# DEBUG_KERNEL chooses the debug kernel (tools/vm/debug-kernel.sh): 6.1
# (default; out/debug, out/kunit) or 6.12-rt, PREEMPT_RT with raw-lock
# nesting checks (out/debug-6.12-rt, out/kunit-6.12-rt), which runs
# slower under TCG (vm.sh's 1200 s timeout covers it; TIMEOUT= to change).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

export DEBUG_KERNEL=${DEBUG_KERNEL:-6.1}
sfx=
if [ "$DEBUG_KERNEL" != 6.1 ]; then
	sfx=-$DEBUG_KERNEL
	export TIMEOUT=${TIMEOUT:-1200}
fi
kbuild=$("$GOMEM_TOP/tools/vm/debug-kernel.sh")
# gomem_soak.ko's length is built in (Kbuild, GOMEM_SOAK_SECONDS).
export GOMEM_SOAK_SECONDS=${SOAK_SECONDS:-20}
src=$(GOMEM_KUNIT=y "$GOMEM_TOP/tools/vm/build-module.sh" "$kbuild" \
	"$GOMEM_OUT/debug$sfx")
[ -e "$src/gomem_test.ko" ] || die "gomem_test.ko was not built"
[ -e "$src/gomem_kasan_test.ko" ] || die "gomem_kasan_test.ko was not built"
[ -e "$src/gomem_soak.ko" ] || die "gomem_soak.ko was not built"
rc=0
# Allowed taint: out-of-tree (O, 4096) and KUnit test (N, 262144).
ALLOWED_TAINT=$((4096 + 262144)) MEM=${MEM:-768M} \
	SOAK_SECONDS=$GOMEM_SOAK_SECONDS \
	BOOT_ARGS="${INIT_ARGS-init_on_alloc=1} ${BOOT_ARGS:-}" \
	"$GOMEM_TOP/tools/vm/vm.sh" "$kbuild/arch/x86/boot/bzImage" kunit \
	"$GOMEM_OUT/kunit$sfx" "$src/gomem.ko" "$src/gomem_test.ko" \
	"$src/gomem_soak.ko" \
	"$src/examples/gomem_pipe/gomem_pipe.ko" || rc=$?
# ... and bad page (B, 32): what every KASAN report adds.
ALLOWED_TAINT=$((4096 + 262144 + 32)) MEM=${MEM:-768M} \
	BOOT_ARGS="kasan_multi_shot ${INIT_ARGS-init_on_alloc=1} ${BOOT_ARGS:-}" \
	"$GOMEM_TOP/tools/vm/vm.sh" "$kbuild/arch/x86/boot/bzImage" kasan \
	"$GOMEM_OUT/kunit-kasan$sfx" "$src/gomem.ko" \
	"$src/gomem_kasan_test.ko" || rc=$?
exit $rc
