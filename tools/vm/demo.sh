#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# `make demo`: the main job.  Build gomem.ko against Debian's stock kernel,
# boot that kernel under qemu, load gomem, print its debugfs stats, run the
# in-kernel benchmark through /sys/kernel/debug/gomem/bench, print the
# stats again, unload, power off.  No kernel build: a couple of minutes.
#
# BENCH=... selects what the benchmark runs (default "all"; see README).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

"$GOMEM_TOP/tools/vm/setup.sh"
kver=$(stock_kver)
src=$("$GOMEM_TOP/tools/vm/build-module.sh" "/usr/src/linux-headers-$kver" \
	"$GOMEM_OUT/stock-$kver")
out=$GOMEM_OUT/demo
set +e
BENCH=${BENCH:-all} TIMEOUT=${TIMEOUT:-300} \
	"$GOMEM_TOP/tools/vm/vm.sh" "/boot/vmlinuz-$kver" demo "$out" \
	"$src/gomem.ko" "$src/examples/gomem_pipe/gomem_pipe.ko" >"$out.verdict" 2>&1
rc=$?
set -e
echo
echo "== gomem in Linux $kver (qemu TCG, 2 vCPUs): what the guest reported"
grep -v '^GOMEM-' "$out/report.log" || true
echo
cat "$out.verdict"
exit $rc
