#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (once) a debug test kernel with KUnit, KASAN, lockdep, kmemleak and
# friends (tools/vm/gomem.kunitconfig), via the kernel's own kunit.py.
# DEBUG_KERNEL names which:
#   6.1      (default) linux-source-6.1, PREEMPT
#   6.12-rt  linux-source-6.12, PREEMPT_RT and PROVE_RAW_LOCK_NESTING
#            (tools/vm/gomem-rt.kunitconfig on top of gomem.kunitconfig)
# The result is cached under $GOMEM_CACHE keyed by the source version and a
# hash of the config files and the kunit.py command, so only the first run
# pays for it (6.1: ~7 min on 2 idle cores; 6.12-rt: ~20-30 min).
#
# An interrupted build resumes where it stopped; a second caller waits for
# a build in progress (flock on DIR.lock).
#
# Prints the build directory (holding arch/x86/boot/bzImage) on stdout.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

DEBUG_KERNEL=${DEBUG_KERNEL:-6.1}
case $DEBUG_KERNEL in
6.1) series=6.1 frag= prefix=debug eta="a few minutes" ;;
# "debug-rt-": the 6.1 directory's name, debug-6.1*, must not match it.
6.12-rt) series=6.12 frag=$GOMEM_TOP/tools/vm/gomem-rt.kunitconfig
	prefix=debug-rt eta="20-30 minutes" ;;
*) die "DEBUG_KERNEL=$DEBUG_KERNEL: no such debug kernel (6.1, 6.12-rt)" ;;
esac

need_pkgs "linux-source-$series" build-essential bc bison flex libelf-dev \
	libssl-dev python3 xz-utils

srcver=$(dpkg-query -W -f='${Version}' "linux-source-$series")
tarball=$(ls "/usr/src/linux-source-$series.tar."* | head -n 1)
src=$GOMEM_CACHE/linux-source-$srcver
cfg=$GOMEM_TOP/tools/vm/gomem.kunitconfig
# The cache key: the config and how kunit.py builds it, nothing else of
# this script, so that moving or tidying the script keeps the cache.
kunit_build=(python3 tools/testing/kunit/kunit.py build --arch=x86_64
	--make_options=KBUILD_VERBOSE=0)
if [ -z "$frag" ]; then
	key=$({ cat "$cfg"; echo "${kunit_build[*]}"; } | sha256sum | cut -c1-12)
else
	# Each option line of the fragment overrides gomem.kunitconfig's
	# through --kconfig_add (comments and blank lines skipped).
	while IFS= read -r line; do
		kunit_build+=("--kconfig_add=$line")
	done < <(grep -E '^(CONFIG_[A-Za-z0-9_]+=.*|# CONFIG_[A-Za-z0-9_]+ is not set)$' "$frag")
	key=$({ cat "$cfg" "$frag"; echo "${kunit_build[*]}"; } |
		sha256sum | cut -c1-12)
fi
build=$GOMEM_CACHE/$prefix-$srcver-$key

if [ -e "$build/.gomem-done" ]; then
	echo "$build"
	exit 0
fi

# One build per key at a time: a second caller waits for the first (two
# builds of one directory would clobber each other).
exec 9>"$build.lock"
if ! flock -n 9; then
	say "waiting for the build of $build another process is running"
	flock 9
fi
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

log=$build/build.log
if [ -e "$build/.config" ] && [ -e "$log" ]; then
	# An interrupted build (killed, or the machine stopped): make
	# carries on from the objects it has (kunit.py redoes the .config
	# if the config changed).
	say "resuming the interrupted $DEBUG_KERNEL debug kernel build in $build"
else
	say "building the $DEBUG_KERNEL debug kernel into $build (once; $eta)"
	rm -rf "$build"
	mkdir -p "$build"
fi
# kunit.py is quiet while make runs; show make's own progress lines.
(cd "$src" && "${kunit_build[@]}" --kunitconfig="$cfg" \
	--build_dir="$build" --jobs="$(nproc)") >>"$log" 2>&1 &
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
	die "debug kernel build failed; full log: $log (the next run resumes it; remove $build to start afresh)"
fi
[ -e "$build/arch/x86/boot/bzImage" ] || die "no bzImage in $build"
touch "$build/.gomem-done"
say "$DEBUG_KERNEL debug kernel ready: $build"
echo "$build"
