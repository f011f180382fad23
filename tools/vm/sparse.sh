#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# sparse (make C=2) over every module source, against the debug kernel's
# build tree; any sparse warning fails.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

need_pkgs sparse
kbuild=$("$GOMEM_TOP/tools/vm/debug-kernel.sh")
out=$GOMEM_OUT/sparse
rm -rf "$out"
mirror_sources "$out" >/dev/null
make -C "$kbuild" M="$out/src" C=2 CHECK=sparse GOMEM_KUNIT=y -j"$(nproc)" modules \
	>"$out/build.log" 2>&1 || { cat "$out/build.log"; die "sparse build failed"; }
n=$(grep -cE 'warning:|error:' "$out/build.log" || true)
grep -E 'warning:|error:' "$out/build.log" || true
files=$(grep -c '^  CHECK ' "$out/build.log" || true)
echo "sparse: $((files)) passed, $n failed"
[ "$n" -eq 0 ]
