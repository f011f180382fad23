#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build gomem.ko (and gomem_test.ko with GOMEM_KUNIT=y in the environment,
# for a kernel with KUnit), then the example driver examples/gomem_pipe
# against it, and the drm_mm peer examples/gomem_drm_bench when KDIR's
# Module.symvers has drm_mm (drm.ko built: Debian's kernels; not the KUnit
# debug kernels), for KDIR with W=1, in a copy of the sources under OUTDIR
# so that builds for different kernels never share objects.  Any compiler
# warning fails.
#
#   build-module.sh KDIR OUTDIR
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -eq 2 ] || die "usage: build-module.sh KDIR OUTDIR"
kdir=$1 out=$2
mkdir -p "$out"
mirror_sources "$out" >/dev/null
log=$out/build.log
if ! make -C "$kdir" M="$out/src" W=1 GOMEM_KUNIT="${GOMEM_KUNIT:-}" \
	-j"$(nproc)" modules >"$log" 2>&1; then
	cat "$log" >&2
	die "module build against $kdir failed"
fi
# The example consumer, built as README.md tells driver authors to.
if ! make -C "$out/src/examples/gomem_pipe" KDIR="$kdir" GOMEM="$out/src" \
	W=1 >>"$log" 2>&1; then
	cat "$log" >&2
	die "example driver build against $kdir failed"
fi
# The drm_mm peer of the benchmark (README.md, "The in-kernel benchmark").
if grep -qw drm_mm_insert_node_in_range "$kdir/Module.symvers" 2>/dev/null; then
	if ! make -C "$out/src/examples/gomem_drm_bench" KDIR="$kdir" \
		GOMEM="$out/src" W=1 >>"$log" 2>&1; then
		cat "$log" >&2
		die "drm_mm peer build against $kdir failed"
	fi
else
	echo "gomem_drm_bench: skipped, no drm_mm in $kdir/Module.symvers" >>"$log"
fi
if grep -E 'warning:|error:' "$log" >&2; then
	die "module build against $kdir has warnings (W=1); see $log"
fi
echo "$out/src"
