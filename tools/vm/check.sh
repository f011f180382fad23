#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# `make check`: every test.  Installs what it needs, then runs each step
# even when an earlier one failed, and closes with one line
# "check: N passed, N failed" (the sum of every step's own counts; a step
# that fails without counting a failure adds one).  Exits non-zero on any
# failure.  Each step's full output is in out/check/<step>.log.
#
# Steps: the verdict's own tests, userspace harness under ASan/UBSan,
# libFuzzer smoke runs, KUnit in the debug kernel (KASAN, lockdep,
# kmemleak), a smoke run in each kernel of tools/vm/kernels (Debian's 6.1
# and 6.12, stock and PREEMPT_RT), the DKMS package installed, used by a
# consumer and purged, every public prototype linked from a consumer
# module, sparse, kernel-doc, checkpatch --strict.  Module builds are W=1
# and fail on warnings.
#
# `check.sh --all` (`make check-all`) adds one step after kunit:
# kunit-6.12-rt, the suites in the 6.12 PREEMPT_RT debug kernel with
# raw-lock nesting checks (DEBUG_KERNEL=6.12-rt tools/vm/kunit.sh), whose
# first build takes 20-30 minutes; CI runs `make check`.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

all=
case ${1:-} in
--all) all=y ;;
'') ;;
*) die "usage: check.sh [--all]" ;;
esac

"$GOMEM_TOP/tools/vm/setup.sh" || die "setup failed"
logdir=$GOMEM_OUT/check
mkdir -p "$logdir"
total_pass=0 total_fail=0 summary=()

step() {
	local name=$1 log=$logdir/$1.log t0 rc p f
	shift
	say "check: $name"
	t0=$(date +%s)
	"$@" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	# Sum the "N passed, N failed" lines the step printed.
	p=$(sed -nE 's/^([A-Za-z_-]+: )?([0-9]+) passed, ([0-9]+) failed.*/\2/p' "$log" |
		awk '{s += $1} END {print s + 0}')
	f=$(sed -nE 's/^([A-Za-z_-]+: )?([0-9]+) passed, ([0-9]+) failed.*/\3/p' "$log" |
		awk '{s += $1} END {print s + 0}')
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
	fi
	if [ "$rc" -eq 0 ] && [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
		p=1
	fi
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
	summary+=("$(printf '%-14s %s  %4d passed, %d failed  (%ds)  %s' "$name" \
		"$([ "$rc" -eq 0 ] && echo ok || echo FAIL)" "$p" "$f" \
		$(($(date +%s) - t0)) "$log")")
}

# smoke_label NAME: the step name of a kernel of the matrix, by version
# ("stock" is 6.1, "rt" is 6.1-rt).
smoke_label() {
	case $1 in
	stock) echo 6.1 ;;
	rt) echo 6.1-rt ;;
	*) echo "$1" ;;
	esac
}

t_start=$(date +%s)
step verdict python3 "$GOMEM_TOP/tools/vm/selftest/verdict_test.py"
step userspace make -C "$GOMEM_TOP/tools" test
step fuzz make -C "$GOMEM_TOP/tools" fuzz-smoke
step kunit "$GOMEM_TOP/tools/vm/kunit.sh"
if [ -n "$all" ]; then
	step kunit-6.12-rt env DEBUG_KERNEL=6.12-rt "$GOMEM_TOP/tools/vm/kunit.sh"
fi
# One smoke step per kernel of the matrix (tools/vm/kernels).
for k in $(kernel_names); do
	step "smoke-$(smoke_label "$k")" "$GOMEM_TOP/tools/vm/smoke.sh" "$k"
done
step dkms "$GOMEM_TOP/tools/vm/dkms.sh"
step api-link "$GOMEM_TOP/tools/vm/api-link.sh"
step sparse "$GOMEM_TOP/tools/vm/sparse.sh"
step kernel-doc "$GOMEM_TOP/tools/vm/kerneldoc.sh"
step checkpatch "$GOMEM_TOP/tools/vm/checkpatch.sh"

echo
echo "== make check${all:+-all} summary ($(($(date +%s) - t_start)) s)"
printf '  %s\n' "${summary[@]}"
echo "check: $total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
