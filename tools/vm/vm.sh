#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot a test kernel under qemu (TCG) with a busybox initramfs holding the
# given modules and tools/vm/guest/init, then judge the run with verdict.py.
#
#   vm.sh KERNEL MODE OUTDIR [MODULE.ko ...]
#
# Environment: SMP (default 2), MEM (default 1536M), TIMEOUT (seconds,
# default 1200: a KUnit boot takes about 5 minutes on an idle machine, several
# times that when other guests share the cores), ALLOWED_TAINT (default 12288: out-of-tree + unsigned),
# BENCH (demo mode: what to write to the bench file), DEBUGFS_FILES (smoke),
# KMODS (the kernel's modules among MODULE.ko, in load order, that the guest
# loads before the drm_mm peer gomem_drm_bench.ko: drm and its dependencies),
# PEER_BENCH (smoke mode: what to write to the peer's bench file),
# BOOT_ARGS (added to the kernel command line, e.g. "init_on_alloc=0"),
# SOAK_SECONDS (modes kunit and soak: how long gomem_soak.ko runs; 0 none).
# The command line always has no_timer_check: under TCG on a loaded host the
# boot-time IO-APIC timer check can miss ticks and panic ("IO-APIC + timer
# doesn't work!"), as on any virtual machine.
#
# OUTDIR receives console.log (ttyS0: the kernel console), report.log
# (ttyS1: what the guest init reports) and verdict.txt.  Exit status is the
# verdict's: 0 only when everything passed.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -ge 3 ] || die "usage: vm.sh KERNEL MODE OUTDIR [MODULE.ko ...]"
kernel=$1 mode=$2 out=$3
shift 3
need_qemu_pkgs

mkdir -p "$out"
rm -f "$out/console.log" "$out/report.log" "$out/verdict.txt"
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

mkdir -p "$root"/{bin,dev,proc,sys,tmp}
cp /bin/busybox "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
cp "$GOMEM_TOP/tools/vm/guest/init" "$root/init"
chmod +x "$root/init"
for m in "$@"; do
	cp "$m" "$root/"
done
cat > "$root/gomem.conf" <<CONF
MODE='$mode'
ALLOWED_TAINT='${ALLOWED_TAINT:-12288}'
BENCH='${BENCH:-all}'
DEBUGFS_FILES='${DEBUGFS_FILES:-stats}'
KMODS='${KMODS:-}'
PEER_BENCH='${PEER_BENCH:-alloc frag iters=200}'
SOAK_SECONDS='${SOAK_SECONDS:-0}'
CONF
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$out/initrd.gz"

bios=()
[ -e /usr/share/qemu/qboot.rom ] && bios=(-bios qboot.rom)

say "booting $(basename "$kernel") under qemu (TCG, mode $mode${BOOT_ARGS:+, $BOOT_ARGS}); logs in $out"
start=$(date +%s)
set +e
timeout --foreground -k 10 "${TIMEOUT:-1200}" \
	qemu-system-x86_64 -accel tcg -m "${MEM:-1536M}" -smp "${SMP:-2}" \
	"${bios[@]}" -display none -monitor none -nic none -no-reboot \
	-serial "file:$out/console.log" -serial "file:$out/report.log" \
	-kernel "$kernel" -initrd "$out/initrd.gz" \
	-append "console=ttyS0 panic=-1 oops=panic printk.time=1 no_timer_check ${BOOT_ARGS:-}" \
	</dev/null
qrc=$?
set -e
echo "qemu exit $qrc after $(($(date +%s) - start)) s" > "$out/qemu.txt"
[ $qrc -eq 124 ] && echo "qemu: timed out after ${TIMEOUT:-1200} s" >> "$out/qemu.txt"

python3 "$GOMEM_TOP/tools/vm/verdict.py" "$out" | tee "$out/verdict.txt"
exit "${PIPESTATUS[0]}"
