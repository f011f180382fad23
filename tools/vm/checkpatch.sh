#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# checkpatch.pl --strict on every C source and header of the project, using
# the script from the linux-source-6.1 tree that debug-kernel.sh unpacks.
# tools/testing/include/ is left out: its shims restate kernel macros as the kernel
# spells them.
# The 6.1 tree, by name: a cache that also holds 6.12 (make check-all)
# must not change which script judges.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kbuild=$("$GOMEM_TOP/tools/vm/debug-kernel.sh")
cp=$GOMEM_CACHE/linux-source-$(dpkg-query -W -f='${Version}' \
	linux-source-6.1)/scripts/checkpatch.pl
[ -x "$cp" ] || die "no checkpatch.pl under $GOMEM_CACHE"

cd "$GOMEM_TOP"
pass=0 failn=0
while read -r f; do
	# libFuzzer fixes the name of its entry point.
	ignore=
	case $f in
	tools/testing/fuzz/*) ignore=--ignore=CAMELCASE ;;
	# The one place the KUnit sources test the kernel version.
	kunit/gomem_compat.h) ignore=--ignore=LINUX_VERSION_CODE,CONSTANT_COMPARISON ;;
	# TRACE_EVENT()'s own layout, which the kernel's trace headers share.
	include/trace/events/*) ignore=--ignore=PARENTHESIS_ALIGNMENT,OPEN_ENDED_LINE ;;
	esac
	if out=$("$cp" --no-tree --strict --quiet --show-types $ignore -f "$f" 2>&1) &&
	   [ -z "$out" ]; then
		pass=$((pass + 1))
	else
		failn=$((failn + 1))
		echo "checkpatch: $f"
		echo "$out" | sed 's/^/    /'
	fi
done < <(git ls-files -co --exclude-standard -- '*.c' '*.h' | grep -v -e '^out/' -e '^tools/testing/include/')
echo "checkpatch: $pass passed, $failn failed"
[ $failn -eq 0 ]
