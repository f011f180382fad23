#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The `dkms` step of `make check`, as root: the Debian package end to end.
# Build it (`make deb`), install it with apt (its postinst has DKMS build
# gomem.ko), have DKMS install gomem.ko for every kernel of the matrix
# (tools/vm/kernels) and check what it installed, build the example driver
# against the INSTALLED headers and Module.symvers only (not the build
# tree), boot each kernel under qemu with the DKMS-built gomem.ko and that
# driver (vm.sh smoke mode), then purge the package and check that nothing
# of it is left.  Idempotent: a gomem package, DKMS registration or DKMS
# file left by an earlier run is removed first.  Logs in out/dkms/.
#
# DKMS_KERNELS= names the kernels of the matrix to use (default: all).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" -eq 0 ] || die "the dkms step installs a package: run it as root"
need_qemu_pkgs
need_pkgs dkms dh-dkms debhelper dpkg-dev xz-utils
ver=$(cat "$GOMEM_TOP/VERSION")
arch=$(uname -m)
out=$GOMEM_OUT/dkms
rm -rf "$out"
mkdir -p "$out"
pass=0 failn=0
ok() { echo "dkms: ok: $*"; pass=$((pass + 1)); }
bad() { echo "dkms: FAIL: $*"; failn=$((failn + 1)); }
finish() {
	echo "dkms: $pass passed, $failn failed"
	exit $((failn > 0))
}
t0=$(date +%s)
lap() { echo "dkms: $1 took $(($(date +%s) - t0)) s"; t0=$(date +%s); }

# Every gomem the DKMS way on this machine: the package, any DKMS
# registration (a `dkms add` from a tree, a failed run), their files.
remove_gomem() {
	local v

	if dpkg-query -W -f='${Status}' gomem-dkms 2>/dev/null |
		grep -qv 'not-installed'; then
		DEBIAN_FRONTEND=noninteractive apt-get purge -y -q gomem-dkms
	fi
	for v in $(dkms status -m gomem | sed -n 's|^gomem/\([^,:]*\)[,:].*|\1|p' |
		sort -u); do
		dkms remove -m gomem -v "$v" --all
	done
}

# leftovers: what a gomem package or DKMS leaves behind, one path a line.
leftovers() {
	ls -d /usr/src/gomem-* /var/lib/dkms/gomem 2>/dev/null || true
	find /lib/modules -path '*/updates/dkms/gomem.ko*' 2>/dev/null || true
}

say "dkms: removing what an earlier run left"
remove_gomem >"$out/cleanup.log" 2>&1 || { cat "$out/cleanup.log"; die "could not remove the old gomem package"; }
stale=
for f in $(leftovers); do
	echo "dkms: removing leftover $f"
	rm -rf "$f"
	stale=y
done
if [ -n "${DKMS_KERNELS:-}" ]; then
	read -r -a names <<<"$DKMS_KERNELS"
else
	mapfile -t names < <(kernel_names)
fi
declare -A kv
for n in "${names[@]}"; do
	kv[$n]=$(need_kernel "$n")
done
if [ -n "$stale" ]; then
	for kver in "${kv[@]}"; do
		depmod "$kver"
	done
fi
lap cleanup

say "dkms: make deb"
if deb=$(make -s -C "$GOMEM_TOP" deb); then
	ok "make deb: ${deb##*/}"
else
	bad "make deb"
	finish
fi
lap "make deb"

say "dkms: installing ${deb##*/} (DKMS builds gomem.ko)"
if DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
	"$deb" >"$out/install.log" 2>&1; then
	ok "apt-get install ${deb##*/}"
else
	cat "$out/install.log"
	bad "apt-get install ${deb##*/}"
fi
dpkg -L gomem-dkms >"$out/files.txt" 2>/dev/null || true
lap "install"

if [ -e "/usr/src/gomem-$ver/include/gomem/gomem.h" ]; then
	ok "headers in /usr/src/gomem-$ver/include/gomem"
else
	bad "no /usr/src/gomem-$ver/include/gomem/gomem.h"
fi

for n in "${names[@]}"; do
	kver=${kv[$n]}
	dir=$out/$n
	mkdir -p "$dir"
	# The postinst builds for the running kernel and the newest one (all
	# kernels when the running one is not installed): make sure of each.
	if ! dkms status -m gomem -v "$ver" -k "$kver" 2>/dev/null |
		grep -q ': installed'; then
		dkms install -m gomem -v "$ver" -k "$kver" >"$dir/dkms-install.log" 2>&1 ||
			{ cat "$dir/dkms-install.log"; bad "$n: dkms install -k $kver"; continue; }
	fi
	ko=$(find "/lib/modules/$kver/updates/dkms" -name 'gomem.ko*' 2>/dev/null | head -n 1)
	symvers=/var/lib/dkms/gomem/$ver/$kver/$arch/Module.symvers
	if [ -n "$ko" ] && [ "$(modinfo -k "$kver" -F version gomem 2>/dev/null)" = "$ver" ] &&
		[ "$(modinfo -k "$kver" -F filename gomem)" = "$ko" ]; then
		ok "$n: DKMS installed $ko, version $ver, in depmod's index"
	else
		bad "$n: no gomem.ko $ver from DKMS in /lib/modules/$kver/updates/dkms"
		continue
	fi
	if grep -q 'gomem_malloc' "$symvers" 2>/dev/null; then
		ok "$n: Module.symvers kept as $symvers"
	else
		bad "$n: no Module.symvers with gomem's exports at $symvers"
		continue
	fi

	# The consumer, from the installed files only.
	cp "$GOMEM_TOP"/examples/gomem_pipe/{Kbuild,Makefile,gomem_pipe.c} "$dir/"
	if make -C "$dir" KDIR="/usr/src/linux-headers-$kver" \
		GOMEM="/usr/src/gomem-$ver" GOMEM_SYMVERS="$symvers" W=1 \
		>"$dir/build.log" 2>&1 && ! grep -E 'warning:|error:' "$dir/build.log"; then
		ok "$n: gomem_pipe built W=1 against the installed headers and Module.symvers"
	else
		cat "$dir/build.log"
		bad "$n: gomem_pipe against the installed gomem"
		continue
	fi

	case $ko in
	*.xz) xz -dc "$ko" >"$dir/gomem.ko" ;;
	*.zst) zstd -qdc "$ko" >"$dir/gomem.ko" ;;
	*.gz) gzip -dc "$ko" >"$dir/gomem.ko" ;;
	*) cp "$ko" "$dir/gomem.ko" ;;
	esac
	if DEBUGFS_FILES="stats pools bench" TIMEOUT=${TIMEOUT:-300} \
		"$GOMEM_TOP/tools/vm/vm.sh" "/boot/vmlinuz-$kver" smoke "$dir/smoke" \
		"$dir/gomem.ko" "$dir/gomem_pipe.ko" >"$dir/vm.log" 2>&1; then
		ok "$n: Linux $kver boots, DKMS's gomem.ko and the consumer load, round trip, unload, no splat"
	else
		# (renamed so that check.sh does not count the verdict twice)
		sed "s/^verdict:/vm verdict:/" "$dir/vm.log"
		bad "$n: smoke run with DKMS's gomem.ko in Linux $kver (see $dir/smoke)"
	fi
	lap "$n"
done

say "dkms: purging gomem-dkms"
if DEBIAN_FRONTEND=noninteractive apt-get purge -y -q gomem-dkms \
	>"$out/purge.log" 2>&1; then
	ok "apt-get purge gomem-dkms"
else
	cat "$out/purge.log"
	bad "apt-get purge gomem-dkms"
fi
left=$(leftovers)
while read -r f; do
	if [ -f "$f" ]; then
		left+=$'\n'"$f"
	fi
done <"$out/files.txt"
if [ -n "$(dkms status -m gomem)" ]; then
	left+=$'\n'"dkms status: $(dkms status -m gomem)"
fi
for kver in "${kv[@]}"; do
	case $(modinfo -k "$kver" -F filename gomem 2>/dev/null) in
	*/updates/dkms/*) left+=$'\n'"gomem still in depmod's index of $kver" ;;
	esac
done
left=$(sed '/^$/d' <<<"$left")
if [ -z "$left" ]; then
	ok "purged: no file, DKMS registration or depmod entry left"
else
	bad "left after purge: $left"
fi
lap purge
finish
