#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Judge one test-kernel run made by tools/vm/vm.sh.

Reads OUTDIR/report.log (what the guest init reported on ttyS1: KTAP copied
from /sys/kernel/debug/kunit/<suite>/results, GOMEM-FAIL lines, GOMEM-END)
and OUTDIR/console.log (the kernel console), and fails the run on:
  - any failed or missing KUnit case, or a suite that reports "not ok";
  - any GOMEM-FAIL line (a module that failed to load or unload, taint,
    a missing debugfs file);
  - any object kmemleak reports after unloading, but those allocated while
    the kernel booted (backtrace through start_kernel);
  - any kernel splat on the console (BUG, WARNING, KASAN, UBSAN, lockdep,
    Oops, Call Trace, panic, hung task, RCU stall);
  - a run that did not reach GOMEM-END (hang, crash, timeout).

A run in mode "kasan" (GOMEM-BEGIN mode=kasan: the boot of its own for
kunit/gomem_kasan_test.c) expects KASAN reports: the suite prints
"gomem-kasan-expect: <addr>" before each access that must be reported, and
each such line must be followed by exactly one KASAN report at that
address; those reports (from their opening "====" line to their closing
one) are set aside, and any other report, or an expected one that never
came, fails the run.  In every other mode a KASAN report fails the run.

A run that names a soak (GOMEM-BEGIN ... soak=N, N > 0: the guest loaded
gomem_soak.ko with seconds=N) must show the suite gomem_soak with no case
failed and the console line "gomem-soak: seconds=N ... ops=K ...
errors=0" with K > 0; a soak that did not run, or ran for another time,
fails.
Prints one line per suite, each problem, and a closing
"verdict: N passed, N failed, N skipped" line; exits 1 on any failure.

KTAP is read from debugfs rather than the console because a module-loaded
suite's console output interleaves with other printk lines.  In 6.1 a
case's debugfs log holds only 512 bytes, so a long failure log can lose the
case's own result line: the suite's closing line, printed separately, is
therefore authoritative, and a missing case line counts as failed in a
failed suite.
"""
import os
import re
import sys

SPLATS = [
    r'\bBUG: ',
    r'\bWARNING: ',
    r'\bKASAN: ',
    r'\bUBSAN: ',
    r'\bOops\b',
    r'\bCall Trace:',
    r'\bKernel panic\b',
    r'\bgeneral protection fault\b',
    r'\bkernel BUG at\b',
    r'\bINFO: task .* blocked for more than\b',
    r'\brcu: INFO: .* stall',
    r'\bpossible recursive locking detected\b',
    r'\binconsistent lock state\b',
    r'\bpossible circular locking dependency\b',
]
SPLAT_RE = re.compile('|'.join(SPLATS))
CASE_RE = re.compile(r'^    (ok|not ok) (\d+) (\S+)(?:\s+#\s*(SKIP|skip).*)?$')
PLAN_RE = re.compile(r'^    1\.\.(\d+)$')
SUITE_RE = re.compile(r'^(ok|not ok) \d+ (\S+)')
TIME_RE = re.compile(r'^\[\s*\d+\.\d+\]\s?')
EXPECT_RE = re.compile(r'gomem-kasan-expect: ([0-9a-f]+)$')
KASAN_RE = re.compile(r'BUG: KASAN: ')
KASAN_ADDR_RE = re.compile(r'(?:Read|Write) of size \d+ at addr ([0-9a-f]+)')
RULE = '=' * 66
SOAK_RE = re.compile(r'gomem-soak: seconds=(\d+) cpus=(\d+) ops=(\d+) '
                     r'bytes_checked=(\d+) .*errors=(\d+)$')
BEGIN_SOAK_RE = re.compile(r'^GOMEM-BEGIN .*\bsoak=(\d+)\b')


def read(path):
    try:
        with open(path, errors='replace') as f:
            return f.read().replace('\r', '').splitlines()
    except FileNotFoundError:
        return []


def parse_suites(report):
    """Yield (suite, lines) for each KTAP block in the report."""
    suite, lines = None, []
    for line in report:
        if line.startswith('GOMEM-KTAP-BEGIN '):
            suite, lines = line.split(None, 1)[1], []
        elif line.startswith('GOMEM-KTAP-END') and suite:
            yield suite, lines
            suite = None
        elif suite:
            lines.append(line)


def judge_suite(name, lines):
    """Return (passed, failed, skipped, problems) for one suite."""
    passed = failed = skipped = 0
    problems = []
    plan = None
    suite_ok = None
    seen = 0
    for line in lines:
        m = PLAN_RE.match(line)
        if m and plan is None:
            plan = int(m.group(1))
            continue
        m = CASE_RE.match(line)
        if m:
            seen += 1
            if m.group(4):
                skipped += 1
            elif m.group(1) == 'ok':
                passed += 1
            else:
                failed += 1
                problems.append(f'{name}: case {m.group(3)} failed')
            continue
        m = SUITE_RE.match(line)
        if m:
            suite_ok = m.group(1) == 'ok'
    missing = (plan or 0) - seen
    if suite_ok is None:
        problems.append(f'{name}: no suite result line (crashed?)')
        failed += max(missing, 1)
    elif missing > 0:
        if suite_ok:
            passed += missing  # the suite passed, so every case did
        else:
            failed += missing
            problems.append(f'{name}: {missing} case result(s) lost '
                            'from the 512-byte log of a failed suite')
    if suite_ok is False and failed == 0:
        failed = 1
        problems.append(f'{name}: suite reports not ok')
    return passed, failed, skipped, problems


def judge_kmemleak(report):
    """Split the kmemleak report the guest copied after unloading into
    (objects that count, number set aside).  The scans before the test can
    miss some objects the kernel allocated while booting (ACPI caches made
    from start_kernel, seen here); an object whose backtrace goes through
    start_kernel was allocated before any module could load, so it is set
    aside.  Every other object fails the run."""
    objects, cur, inside = [], None, False
    for line in report:
        if line.startswith('GOMEM-KMEMLEAK-BEGIN'):
            inside = True
        elif line.startswith('GOMEM-KMEMLEAK-END'):
            inside = False
        elif inside and line.startswith('unreferenced object'):
            cur = [line]
            objects.append(cur)
        elif inside and cur is not None:
            cur.append(line)
    ours = [o[0] for o in objects
            if not any('start_kernel+' in line for line in o)]
    return ours, len(objects) - len(ours)


def kasan_reports(text):
    """Yield (first, last, addr) for each KASAN report in the console
    lines @text (timestamps removed): the lines from its opening rule to
    its closing one, and the address it names (None if it names none)."""
    i = 0
    while i < len(text):
        if not KASAN_RE.search(text[i]):
            i += 1
            continue
        first = i - 1 if i and text[i - 1].strip() == RULE else i
        last, addr = i, None
        for j in range(i + 1, len(text)):
            m = KASAN_ADDR_RE.search(text[j])
            if m and addr is None:
                addr = m.group(1)
            if text[j].strip() == RULE:
                last = j
                break
            if KASAN_RE.search(text[j]):
                last = j - 1  # the next report: this one lost its end
                break
        else:
            last = len(text) - 1
        yield first, last, addr
        i = last + 1


def judge_kasan(text):
    """Match expected KASAN reports (mode kasan).  Return (indices of the
    console lines that belong to matched reports, number matched,
    problems)."""
    waiting = []  # addresses announced and not yet reported
    marks = {}
    for i, line in enumerate(text):
        m = EXPECT_RE.search(line)
        if m:
            marks[i] = m.group(1)
    taken, matched, problems = set(), 0, []
    reports = list(kasan_reports(text))
    r = 0
    for i in range(len(text) + 1):
        while r < len(reports) and reports[r][0] == i:
            first, last, addr = reports[r]
            if addr is not None and addr in waiting:
                waiting.remove(addr)
                taken.update(range(first, last + 1))
                matched += 1
            r += 1
        if i in marks:
            if waiting:
                problems.append('kasan: no KASAN report at the expected '
                                f'address {waiting[0]}')
                waiting = []
            waiting.append(marks[i])
    for addr in waiting:
        problems.append(f'kasan: no KASAN report at the expected address '
                        f'{addr}')
    return taken, matched, problems


def judge_soak(report, text, suites):
    """Check the soak a run names (GOMEM-BEGIN soak=N).  Return (passed,
    failed, problems)."""
    want = 0
    for line in report:
        m = BEGIN_SOAK_RE.match(line)
        if m:
            want = int(m.group(1))
    if not want:
        return 0, 0, []
    problems = []
    if 'gomem_soak' not in suites:
        problems.append('soak: no gomem_soak suite in the report')
    lines = [m for m in map(SOAK_RE.search, text) if m]
    if not lines:
        problems.append('soak: no "gomem-soak: seconds=..." line on the '
                        'console')
    else:
        secs, cpus, ops, checked, errors = map(int, lines[-1].groups())
        print(f'  soak: seconds={secs} cpus={cpus} ops={ops} '
              f'bytes_checked={checked} errors={errors}')
        if secs != want:
            problems.append(f'soak: ran {secs} s, not the {want} s asked')
        if ops <= 0:
            problems.append('soak: no operations done')
        if errors:
            problems.append(f'soak: {errors} error(s)')
    return (0 if problems else 1), len(problems), problems


def main():
    out = sys.argv[1]
    report = read(os.path.join(out, 'report.log'))
    console = read(os.path.join(out, 'console.log'))
    qemu = read(os.path.join(out, 'qemu.txt'))
    passed = failed = skipped = 0
    problems = []

    suites = set()
    for suite, lines in parse_suites(report):
        suites.add(suite)
        p, f, s, probs = judge_suite(suite, lines)
        print(f'  suite {suite}: {p} passed, {f} failed, {s} skipped')
        passed += p
        failed += f
        skipped += s
        problems += probs

    for line in report:
        if line.startswith('GOMEM-FAIL '):
            problems.append('guest: ' + line[len('GOMEM-FAIL '):])
            failed += 1
    if 'GOMEM-END' not in report:
        problems.append('the run did not finish (hang, crash or timeout): '
                        + ' '.join(qemu))
        failed += 1

    ours, boot = judge_kmemleak(report)
    if boot:
        print(f'  kmemleak: {boot} object(s) allocated during early boot '
              '(start_kernel) set aside')
    if ours:
        failed += 1
        problems.append(f'kmemleak: {len(ours)} unreferenced object(s) '
                        f'after unloading; first: {ours[0]}')

    text = [TIME_RE.sub('', line) for line in console]
    expected = set()
    if any(line.startswith('GOMEM-BEGIN ') and 'mode=kasan' in line.split()
           for line in report):
        expected, matched, probs = judge_kasan(text)
        print(f'  kasan: {matched} expected report(s) matched by address')
        passed += matched
        failed += len(probs)
        problems += probs
    p, f, probs = judge_soak(report, text, suites)
    passed += p
    failed += f
    problems += probs
    splats = []
    for i, line in enumerate(text):
        if i not in expected and SPLAT_RE.search(line):
            splats.append((i + 1, line))
    if splats:
        failed += 1
        first_line, first = splats[0]
        problems.append(f'kernel splat on the console ({len(splats)} lines); '
                        f'first at console.log:{first_line}: {first}')
        if 'WARNING:' in first:
            problems.append('  (a test that provokes a caller bug on purpose '
                            'wraps it in GOMEM_EXPECT_MISUSE(), '
                            'kunit/gomem_kunit.h)')
    elif report:
        passed += 1  # the clean-console check

    for p in problems:
        print('  FAIL ' + p)
    if failed:
        print(f'  logs: {out}/console.log (kernel), {out}/report.log (guest)')
    line = f'verdict: {passed} passed, {failed} failed'
    if skipped:
        line += f', {skipped} skipped'
    print(line)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
