# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the gomem scripts under tools/vm/.  Source, do not run.

GOMEM_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
GOMEM_CACHE=${GOMEM_CACHE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/gomem}
GOMEM_OUT=${GOMEM_OUT:-$GOMEM_TOP/out}
mkdir -p "$GOMEM_CACHE" "$GOMEM_OUT"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# need_pkgs PKG...: install the Debian packages that are missing (idempotent,
# and silent when everything is there already).
need_pkgs() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q 'install ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	[ "$(id -u)" -eq 0 ] || die "need root to install: ${missing[*]}"
	say "installing ${missing[*]}"
	apt-get update -q >&2 || die "apt-get update failed"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends "${missing[@]}" >&2 ||
		die "apt-get install failed"
}

# What every test kernel run needs on the host.
need_qemu_pkgs() {
	need_pkgs qemu-system-x86 busybox-static cpio kmod gzip make gcc \
		python3
}

# kernel_pkgs NAME: the image and headers metapackages of a kernel of the
# matrix (tools/vm/kernels).
kernel_pkgs() {
	awk -v n="$1" '$1 == n { print $2, $3; f = 1 } END { exit !f }' \
		"$GOMEM_TOP/tools/vm/kernels" || die "no kernel '$1' in tools/vm/kernels"
}

# kernel_ver NAME: the version (uname -r) the image metapackage of NAME
# depends on, e.g. 6.1.0-57-amd64 for "stock".
kernel_ver() {
	local img v
	img=$(kernel_pkgs "$1" | cut -d' ' -f1)
	v=$(dpkg-query -W -f='${Depends}' "$img" 2>/dev/null |
		tr ',' '\n' | sed -n 's/^ *linux-image-\([^ ]*\).*/\1/p' | head -n 1)
	[ -n "$v" ] || die "$img is not installed"
	echo "$v"
}

# kernel_names: the names of the kernels of the matrix, in table order.
kernel_names() {
	awk '!/^#/ && NF { print $1 }' "$GOMEM_TOP/tools/vm/kernels"
}

# name_kver NAME: the version of kernel NAME of the matrix (kernel_ver; for
# "stock", the kernel KVER names when set); its image and headers must be
# installed.
name_kver() {
	local v

	if [ "$1" = stock ] && [ -n "${KVER:-}" ]; then
		v=$KVER
	else
		v=$(kernel_ver "$1") || exit 1
	fi
	[ -e "/boot/vmlinuz-$v" ] || die "no /boot/vmlinuz-$v"
	[ -e "/usr/src/linux-headers-$v/Makefile" ] ||
		die "no headers for $v (/usr/src/linux-headers-$v)"
	echo "$v"
}

# stock_kver: Debian's stock kernel (what linux-image-amd64 depends on), or
# the kernel KVER names; it must have its image and headers installed.
stock_kver() {
	name_kver stock
}

# need_kernel NAME: install the image and headers of kernel NAME of the
# matrix and what booting it takes; print its version (name_kver).
need_kernel() {
	local pkgs

	need_qemu_pkgs
	pkgs=$(kernel_pkgs "$1") || exit 1
	# shellcheck disable=SC2086 # two package names
	need_pkgs $pkgs
	name_kver "$1"
}

# need_stock_kernel: install Debian's stock kernel and headers; print the
# version chosen (stock_kver).
need_stock_kernel() {
	need_kernel stock
}

# mirror_sources DIR: copy the module's sources into DIR/src (afresh, so
# copies of deleted files never linger) and print DIR/src.
mirror_sources() {
	rm -rf "$1/src"
	mkdir -p "$1/src"
	(cd "$GOMEM_TOP" &&
		cp -r Kbuild Makefile VERSION ./*.c ./*.h include kunit examples \
			"$1/src/")
	echo "$1/src"
}

# kernel_module_chain KVER NAME DIR: module NAME of the installed kernel KVER
# and the modules it depends on (modprobe --show-depends, in load order),
# uncompressed into DIR (the guest's busybox insmod takes plain .ko files);
# print their paths, one a line.  Nothing when NAME is built in or missing.
kernel_module_chain() {
	local kver=$1 name=$2 dir=$3 path base

	mkdir -p "$dir"
	modprobe -S "$kver" --show-depends "$name" 2>/dev/null |
		awk '$1 == "insmod" { print $2 }' |
		while read -r path; do
			base=$(basename "$path")
			base=${base%.xz}
			base=${base%.zst}
			base=${base%.gz}
			case $path in
			*.xz) xz -dc "$path" >"$dir/$base" ;;
			*.zst) zstd -q -dc "$path" >"$dir/$base" ;;
			*.gz) gzip -dc "$path" >"$dir/$base" ;;
			*) cp "$path" "$dir/$base" ;;
			esac
			echo "$dir/$base"
		done
}

# drm_peer_modules KVER SRC DIR: what the guest needs for the drm_mm peer
# of the benchmark (examples/gomem_drm_bench): the kernel's drm.ko and its
# dependencies (kernel_module_chain into DIR), then the peer built under
# SRC (build-module.sh); print their paths in load order, or nothing when
# the peer was not built or the kernel has no drm module.
drm_peer_modules() {
	local peer=$2/examples/gomem_drm_bench/gomem_drm_bench.ko chain

	[ -e "$peer" ] || return 0
	chain=$(kernel_module_chain "$1" drm "$3")
	[ -n "$chain" ] || return 0
	echo "$chain"
	echo "$peer"
}

# kernel_module_names PATH...: the names of the kernel's modules in a list
# drm_peer_modules printed (all but the last, the peer), space-separated:
# the guest's KMODS (vm.sh).
kernel_module_names() {
	local p names=()

	for p in "$@"; do
		p=$(basename "$p")
		[ "$p" = gomem_drm_bench.ko ] || names+=("${p%.ko}")
	done
	echo "${names[*]}"
}
