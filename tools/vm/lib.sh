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
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >&2 ||
		die "apt-get install failed"
}

# What every test kernel run needs on the host.
need_qemu_pkgs() {
	need_pkgs qemu-system-x86 busybox-static cpio kmod gzip make gcc \
		python3
}

# stock_kver: the newest Debian kernel that has both image and headers.
stock_kver() {
	local v best=
	for v in $(ls /boot 2>/dev/null | sed -n 's/^vmlinuz-//p' | sort -V); do
		[ -e "/usr/src/linux-headers-$v/Makefile" ] && best=$v
	done
	[ -n "$best" ] || die "no Debian kernel with headers installed"
	echo "$best"
}

# need_stock_kernel: install Debian's stock kernel and headers; print version.
need_stock_kernel() {
	need_qemu_pkgs
	need_pkgs linux-image-amd64 linux-headers-amd64
	stock_kver
}

# mirror_sources DIR: copy the module's sources into DIR/src (afresh, so
# copies of deleted files never linger) and print DIR/src.
mirror_sources() {
	rm -rf "$1/src"
	mkdir -p "$1/src"
	(cd "$GOMEM_TOP" && cp -r Kbuild Makefile ./*.c ./*.h include kunit "$1/src/")
	echo "$1/src"
}
