#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Smoke run in one kernel of the matrix (tools/vm/kernels; default
# "stock", Debian's stock kernel, or the one KVER names): install its image
# and headers, build gomem.ko and the example driver against the headers
# (W=1), boot the kernel under qemu, load gomem, check its debugfs files,
# run the example driver's round trip, load the kernel's drm.ko and the
# drm_mm peer of the benchmark (examples/gomem_drm_bench) and check that its
# lines arrive (PEER_BENCH, default a short run), unload, and judge the log (no
# splat, no taint beyond out-of-tree + unsigned).  Logs in out/smoke/NAME/.
#
#   smoke.sh [NAME]
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -le 1 ] || die "usage: smoke.sh [NAME]"
name=${1:-stock}
t0=$(date +%s)
kver=$(need_kernel "$name")
say "smoke $name: Linux $kver"
src=$("$GOMEM_TOP/tools/vm/build-module.sh" "/usr/src/linux-headers-$kver" \
	"$GOMEM_OUT/$name-$kver")
mapfile -t peer < <(drm_peer_modules "$kver" "$src" "$GOMEM_OUT/kmods-$kver")
[ ${#peer[@]} -gt 0 ] ||
	say "smoke $name: no drm_mm peer (not built, or no drm module for $kver)"
kmods=$(kernel_module_names "${peer[@]}")
t1=$(date +%s)
rc=0
KMODS=$kmods DEBUGFS_FILES=${DEBUGFS_FILES:-"stats pools bench"} \
	"$GOMEM_TOP/tools/vm/vm.sh" "/boot/vmlinuz-$kver" smoke \
	"$GOMEM_OUT/smoke/$name" "$src/gomem.ko" \
	"$src/examples/gomem_pipe/gomem_pipe.ko" "${peer[@]}" || rc=$?
t2=$(date +%s)
echo "smoke $name: Linux $kver: build $((t1 - t0)) s, boot $((t2 - t1)) s," \
	"$([ $rc -eq 0 ] && echo ok || echo FAILED)"
exit $rc
