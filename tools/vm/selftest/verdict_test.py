#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Tests of tools/vm/verdict.py on made-up runs: the verdict must fail every
kind of broken run and pass a clean one.  Run by `make check`."""
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
VERDICT = os.path.join(HERE, '..', 'verdict.py')

KTAP_OK = """GOMEM-KTAP-BEGIN gomem_x
KTAP version 1
1..1
    KTAP version 1
    # Subtest: gomem_x
    1..3
    ok 1 first
    ok 2 second # SKIP not here
        ok 1 param-1
    ok 3 third
ok 1 gomem_x
GOMEM-KTAP-END"""

LEAK_OURS = """GOMEM-KMEMLEAK-BEGIN
unreferenced object 0xffff888001089640 (size 64):
  comm "insmod", pid 60, jiffies 4294892296
  backtrace:
    [<(____ptrval____)>] __kmalloc+0x1d5/0x3a0
    [<(____ptrval____)>] gomem_pool_create+0x14/0x40 [gomem]
    [<(____ptrval____)>] do_one_initcall+0x46/0xe3
GOMEM-KMEMLEAK-END"""

LEAK_BOOT = """GOMEM-KMEMLEAK-BEGIN
unreferenced object 0xffff888001089640 (size 216):
  comm "swapper/0", pid 0, jiffies 4294892296
  backtrace:
    [<(____ptrval____)>] kmem_cache_create+0xd/0x20
    [<(____ptrval____)>] acpi_os_create_cache+0x14/0x40
    [<(____ptrval____)>] start_kernel+0x2fe/0x378
GOMEM-KMEMLEAK-END"""

CLEAN_CONSOLE = """[    1.000000] Run /init as init process
[    2.000000] gomem: loaded
[    3.000000] gomem: unloaded"""


KASAN_RULE = '[    2.1] ' + '=' * 66


def kasan_report(addr, kind='use-after-free', access='Read'):
    """A KASAN report on the console, as 6.1 prints it."""
    return '\n'.join([
        KASAN_RULE,
        f'[    2.1] BUG: KASAN: {kind} in kasan_read+0x1d/0x30 '
        '[gomem_kasan_test]',
        f'[    2.1] {access} of size 1 at addr {addr} by task '
        'kunit_try_catch/80',
        '[    2.1] ',
        '[    2.1] Call Trace:',
        '[    2.1]  <TASK>',
        '[    2.1]  dump_stack_lvl+0x5b/0x77',
        '[    2.1]  </TASK>',
        KASAN_RULE,
        '[    2.1] Disabling lock debugging due to kernel taint'])


def expect(addr):
    return f'[    2.0] gomem-kasan-expect: {addr}'


A1, A2 = 'ffffc90000a45000', 'ffffc90000a45025'
KASAN_CONSOLE = '\n'.join([CLEAN_CONSOLE, expect(A1), kasan_report(A1),
                           expect(A2),
                           kasan_report(A2, 'vmalloc-out-of-bounds',
                                        'Write')])


def run(report, console, qemu='qemu exit 0 after 5 s'):
    with tempfile.TemporaryDirectory() as d:
        for name, text in (('report.log', report), ('console.log', console),
                           ('qemu.txt', qemu)):
            with open(os.path.join(d, name), 'w') as f:
                f.write(text + '\n')
        p = subprocess.run([sys.executable, VERDICT, d], capture_output=True,
                           text=True)
        return p.returncode, p.stdout


def wrap(body, mode='kunit', soak=0):
    return (f'GOMEM-BEGIN mode={mode} soak={soak}\n' + body +
            '\nGOMEM-END')


KTAP_SOAK = KTAP_OK.replace('gomem_x', 'gomem_soak')
SOAK_LINE = ('[  30.0] gomem-soak: seconds=20 cpus=2 ops=81234 '
             'bytes_checked=123456789 trims=900 checks=120 shrinks=70 '
             'wall_s=21 errors=0')
SOAK_CONSOLE = CLEAN_CONSOLE + '\n' + SOAK_LINE


CASES = [
    # (name, report, console, expected exit, text expected in the output)
    ('clean run passes', wrap(KTAP_OK), CLEAN_CONSOLE, 0,
     'verdict: 3 passed, 0 failed, 1 skipped'),
    ('failed case fails',
     wrap(KTAP_OK.replace('ok 3 third', 'not ok 3 third')
          .replace('ok 1 gomem_x', 'not ok 1 gomem_x')),
     CLEAN_CONSOLE, 1, 'case third failed'),
    ('lost case line of a failed suite fails',
     wrap(KTAP_OK.replace('    ok 3 third\n', '')
          .replace('ok 1 gomem_x', 'not ok 1 gomem_x')),
     CLEAN_CONSOLE, 1, 'lost'),
    ('suite without closing line fails',
     wrap(KTAP_OK.replace('ok 1 gomem_x\n', '')), CLEAN_CONSOLE, 1,
     'no suite result line'),
    ('WARNING splat fails', wrap(KTAP_OK),
     CLEAN_CONSOLE + '\n[    2.5] WARNING: CPU: 0 PID: 1 at x.c:1 f+0x0/0x1',
     1, 'kernel splat'),
    ('KASAN report fails', wrap(KTAP_OK),
     CLEAN_CONSOLE + '\n[    2.5] BUG: KASAN: slab-out-of-bounds in f',
     1, 'kernel splat'),
    ('lockdep report fails', wrap(KTAP_OK),
     CLEAN_CONSOLE + '\n[    2.5] WARNING: possible circular locking '
     'dependency detected', 1, 'kernel splat'),
    ('insmod failure fails',
     wrap('GOMEM-FAIL insmod gomem.ko exited 12'), CLEAN_CONSOLE, 1,
     'insmod gomem.ko exited 12'),
    ('hang or crash fails', 'GOMEM-BEGIN mode=kunit\n' + KTAP_OK,
     CLEAN_CONSOLE, 1, 'did not finish'),
    ('kmemleak object of ours fails',
     wrap(KTAP_OK + '\n' + LEAK_OURS), CLEAN_CONSOLE, 1,
     'kmemleak: 1 unreferenced object'),
    ('kmemleak object from early boot is set aside',
     wrap(KTAP_OK + '\n' + LEAK_BOOT), CLEAN_CONSOLE, 0,
     'verdict: 3 passed, 0 failed'),
    ('kasan boot: each expected report matched passes',
     wrap(KTAP_OK, 'kasan'), KASAN_CONSOLE, 0,
     'kasan: 2 expected report(s) matched'),
    ('kasan boot: an expected report that never came fails',
     wrap(KTAP_OK, 'kasan'), KASAN_CONSOLE + '\n' + expect(A1), 1,
     'no KASAN report at the expected address ' + A1),
    ('kasan boot: a report at another address fails',
     wrap(KTAP_OK, 'kasan'),
     '\n'.join([CLEAN_CONSOLE, expect(A1), kasan_report(A2)]), 1,
     'kernel splat'),
    ('kasan boot: a second report for one expectation fails',
     wrap(KTAP_OK, 'kasan'), KASAN_CONSOLE + '\n' + kasan_report(A2), 1,
     'kernel splat'),
    ('kasan boot: a splat outside the reports still fails',
     wrap(KTAP_OK, 'kasan'),
     KASAN_CONSOLE + '\n[    2.5] WARNING: CPU: 0 PID: 1 at x.c:1 f+0x0/0x1',
     1, 'kernel splat'),
    ('expected KASAN reports outside the kasan boot fail',
     wrap(KTAP_OK), KASAN_CONSOLE, 1, 'kernel splat'),
    ('soak with its suite and line passes',
     wrap(KTAP_OK + '\n' + KTAP_SOAK, soak=20), SOAK_CONSOLE, 0,
     'soak: seconds=20 cpus=2 ops=81234'),
    ('soak asked but its suite missing fails',
     wrap(KTAP_OK, soak=20), SOAK_CONSOLE, 1, 'no gomem_soak suite'),
    ('soak asked but its line missing fails',
     wrap(KTAP_OK + '\n' + KTAP_SOAK, soak=20), CLEAN_CONSOLE, 1,
     'no "gomem-soak: seconds=..." line'),
    ('soak with errors fails',
     wrap(KTAP_OK + '\n' + KTAP_SOAK, soak=20),
     SOAK_CONSOLE.replace('errors=0', 'errors=3'), 1, 'soak: 3 error(s)'),
    ('soak that ran another time fails',
     wrap(KTAP_OK + '\n' + KTAP_SOAK, soak=1800), SOAK_CONSOLE, 1,
     'not the 1800 s asked'),
    ('soak with no operations fails',
     wrap(KTAP_OK + '\n' + KTAP_SOAK, soak=20),
     SOAK_CONSOLE.replace('ops=81234', 'ops=0'), 1, 'no operations'),
    ('soak with a failed case fails',
     wrap(KTAP_OK + '\n' + KTAP_SOAK.replace('ok 1 gomem_soak',
                                             'not ok 1 gomem_soak'),
          soak=20), SOAK_CONSOLE, 1, 'gomem_soak: suite reports not ok'),
]


def main():
    passed = failed = 0
    for name, report, console, want_rc, want_text in CASES:
        rc, out = run(report, console)
        if rc == want_rc and want_text in out:
            passed += 1
        else:
            failed += 1
            print(f'FAIL {name}: exit {rc} (want {want_rc}), '
                  f'want "{want_text}" in:\n{out}')
    print(f'verdict-selftest: {passed} passed, {failed} failed')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
