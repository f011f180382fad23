#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# `make demo`: the main job.  Build gomem.ko against Debian's stock kernel,
# boot that kernel under qemu, load gomem, print its debugfs stats, run the
# in-kernel benchmark through /sys/kernel/debug/gomem/bench, print the
# stats again, unload, power off.  No kernel build: a couple of minutes.
#
# BENCH=... selects what the benchmark runs (default "all"; see README).
# INIT_ON_ALLOC=... the init_on_alloc values to boot with, one boot each
# (default "1 0"); BOOT_ARGS=... more of the kernel command line.
# After gomem's bench, the guest loads the kernel's drm.ko and the drm_mm
# peer examples/gomem_drm_bench and writes BENCH to its bench file: its
# drm_mm lines join gomem's in the report, the charts and bench-compare.
# Each boot's report, a chart of its ratios against kmalloc (with the
# scale and frag sections, a chart of each too: ratios-*-scale.png,
# ratios-*-frag.png) and a picture of the example driver's pool map
# (tools/vm/plot-bench.py, plot-map.py, gnuplot) go to out/demo-results/.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

"$GOMEM_TOP/tools/vm/setup.sh"
kver=$(stock_kver)
src=$("$GOMEM_TOP/tools/vm/build-module.sh" "/usr/src/linux-headers-$kver" \
	"$GOMEM_OUT/stock-$kver")
mapfile -t peer < <(drm_peer_modules "$kver" "$src" "$GOMEM_OUT/kmods-$kver")
if [ ${#peer[@]} -eq 0 ]; then
	say "no drm_mm peer: not built, or no drm module in /lib/modules/$kver"
fi
kmods=$(kernel_module_names "${peer[@]}")
# One boot per init_on_alloc setting (default both: Debian's default 1, then
# 0), so that every ratio against kmalloc, which zeroes under 1, is
# like-for-like; INIT_ON_ALLOC="" boots once with the kernel's default.
rc=0
results=$GOMEM_OUT/demo-results
rm -rf "$results"
mkdir -p "$results"
settings=${INIT_ON_ALLOC-1 0}
for ioa in ${settings:-default}; do
	out=$GOMEM_OUT/demo-init_on_alloc=$ioa
	how="booted with init_on_alloc=$ioa"
	boot=("init_on_alloc=$ioa")
	if [ "$ioa" = default ]; then
		out=$GOMEM_OUT/demo
		how="booted with its default init_on_alloc"
		boot=()
	fi
	set +e
	BOOT_ARGS="${boot[*]} ${BOOT_ARGS:-}" BENCH=${BENCH:-all} KMODS=$kmods \
		TIMEOUT=${TIMEOUT:-300} \
		"$GOMEM_TOP/tools/vm/vm.sh" "/boot/vmlinuz-$kver" demo "$out" \
		"$src/gomem.ko" "$src/examples/gomem_pipe/gomem_pipe.ko" \
		"${peer[@]}" >"$out.verdict" 2>&1
	r=$?
	set -e
	[ $r -eq 0 ] || rc=$r
	echo
	echo "== gomem in Linux $kver (qemu TCG, 2 vCPUs), $how: what the guest reported"
	grep -v '^GOMEM-' "$out/report.log" || true
	echo
	cat "$out.verdict"
	# Keep the run, and draw its ratios against kmalloc.
	cp "$out/report.log" "$results/bench-init_on_alloc=$ioa.txt"
	python3 "$GOMEM_TOP/tools/vm/plot-bench.py" "$out/report.log" \
		"$results/ratios-init_on_alloc=$ioa.png" \
		"Linux $kver, init_on_alloc=$ioa" || rc=1
	python3 "$GOMEM_TOP/tools/vm/plot-map.py" "$out/report.log" \
		"$results/map-init_on_alloc=$ioa.png" \
		"pool gomem_pipe holding 300000 bytes (debugfs map), init_on_alloc=$ioa" ||
		rc=1
done
echo
echo "== results (text and charts): $results"
ls -1 "$results" | sed 's/^/  /'
exit $rc
