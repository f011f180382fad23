#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# kernel-doc on every module source and public header: no kernel-doc
# warning, and every EXPORT_SYMBOL(_NS)_GPL'd function documented with a
# "Context:" and (unless it returns void) a "Return:" section.
# The 6.1 tree, by name: a cache that also holds 6.12 (make check-all)
# must not change which script judges.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

"$GOMEM_TOP/tools/vm/debug-kernel.sh" >/dev/null
kd=$GOMEM_CACHE/linux-source-$(dpkg-query -W -f='${Version}' \
	linux-source-6.1)/scripts/kernel-doc
cd "$GOMEM_TOP"
files=(gomem_*.c gomem_*.h include/gomem/*.h examples/*/*.c)

pass=0 failn=0
warn=$("$kd" -v -none "${files[@]}" 2>&1 | grep -v ': info: ' || true)
if [ -n "$warn" ]; then
	echo "$warn"
	failn=$((failn + 1))
else
	pass=$((pass + 1))
fi

# Each exported function (those exported only to the KUnit suites too;
# exported variables aside): its kernel-doc block, up to the definition.
for sym in $(sed -n -e 's/^EXPORT_SYMBOL_GPL(\([a-z0-9_]*\));/\1/p' \
		 -e 's/^EXPORT_SYMBOL_IF_KUNIT(\([a-z0-9_]*\));.*/\1/p' \
		 gomem_*.c); do
	f=$(grep -lE "^EXPORT_SYMBOL(_GPL|_IF_KUNIT)\($sym\)" gomem_*.c | head -n 1)
	grep -qE "^[a-z].*[ *]$sym\(" "$f" || continue	# a variable
	doc=$(awk -v s="$sym" '
		/^\/\*\*/ { buf = ""; indoc = 1 }
		indoc { buf = buf $0 "\n" }
		/\*\// { indoc = 0 }
		$0 ~ "^[a-z].*[ *]" s "\\(" && !indoc && buf != "" { print buf; exit }
	' "$f")
	problem=
	if ! grep -q "^ \* $sym() - " <<<"$doc"; then
		problem="no kernel-doc"
	elif ! grep -q '^ \* Context:' <<<"$doc"; then
		problem="no Context: line"
	elif ! grep -q '^ \* Return:' <<<"$doc" &&
	     ! grep -qE "^(static )?void \*?$sym\(|^void $sym\(" "$f"; then
		problem="no Return: line"
	fi
	if [ -n "$problem" ]; then
		echo "kernel-doc: $f: $sym: $problem"
		failn=$((failn + 1))
	else
		pass=$((pass + 1))
	fi
done
echo "kernel-doc: $pass passed, $failn failed"
[ "$failn" -eq 0 ]
