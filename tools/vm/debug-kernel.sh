#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (once) the debug test kernel: linux-source-6.1 with KUnit, KASAN,
# lockdep, kmemleak and friends (tools/vm/gomem.kunitconfig), via the kernel's
# own kunit.py.  The result is cached under $GOMEM_CACHE keyed by the source
# version and a hash of the config, so only the first run pays for it.
#
# Prints the build directory (holding arch/x86/boot/bzImage) on stdout.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

need_pkgs linux-source-6.1 build-essential bc bison flex libelf-dev \
	libssl-dev python3 xz-utils

srcver=$(dpkg-query -W -f='${Version}' linux-source-6.1)
tarball=$(ls /usr/src/linux-source-6.1.tar.* | head -n 1)
src=$GOMEM_CACHE/linux-source-$srcver
cfg=$GOMEM_TOP/tools/vm/gomem.kunitconfig
# The cache key: the config and how kunit.py builds it, nothing else of
# this script, so that moving or tidying the script keeps the cache.
kunit_build=(python3 tools/testing/kunit/kunit.py build --arch=x86_64
	--make_options=KBUILD_VERBOSE=0)
key=$({ cat "$cfg"; echo "${kunit_build[*]}"; } | sha256sum | cut -c1-12)
build=$GOMEM_CACHE/debug-$srcver-$key

if [ -e "$build/.gomem-done" ]; then
	echo "$build"
	exit 0
fi

if [ ! -e "$src/.gomem-unpacked" ]; then
	say "unpacking $tarball"
	rm -rf "$src" "$src.tmp"
	mkdir -p "$src.tmp"
	tar -xf "$tarball" -C "$src.tmp" --strip-components=1
	touch "$src.tmp/.gomem-unpacked"
	mv "$src.tmp" "$src"
fi

say "building the debug kernel into $build (once; a few minutes)"
rm -rf "$build"
mkdir -p "$build"
log=$build/build.log
# kunit.py is quiet while make runs; show make's own progress lines.
(cd "$src" && "${kunit_build[@]}" --kunitconfig="$cfg" \
	--build_dir="$build" --jobs="$(nproc)") >"$log" 2>&1 &
pid=$!
n=0
while kill -0 "$pid" 2>/dev/null; do
	sleep 10
	n=$((n + 10))
	objs=$(find "$build" -name '*.o' 2>/dev/null | wc -l)
	printf '  [%4ds] %6d objects built\n' "$n" "$objs" >&2
done
if ! wait "$pid"; then
	tail -n 40 "$log" >&2
	die "debug kernel build failed; full log: $log"
fi
[ -e "$build/arch/x86/boot/bzImage" ] || die "no bzImage in $build"
touch "$build/.gomem-done"
say "debug kernel ready: $build"
echo "$build"
