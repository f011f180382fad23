#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Compare two in-kernel benchmark results (the text of
/sys/kernel/debug/gomem/bench, or make demo's output) by their
machine-readable lines (tools/benchlines.py parses them):

    gomem-bench section=alloc pattern=1k allocator=pool ns=386 ...

    tools/bench-compare.py OLD NEW
    tools/bench-compare.py --table RUN [ALLOCATOR ...]

prints, for every (section, pattern, allocator, cpus) in both, the old
value, the new one and new/old (alloc: ns, lower is better; scale: ops/s,
higher is better; frag: peak reserved / peak live, lower is better).  With
one file: alloc cells with their ratio to kmalloc, scale cells with their
ratio to the same allocator on one CPU, frag cells as they are.  With
--table: the alloc section of one run as a table, a row per pattern, a
column per allocator (the ones named, or all), ns per pair and then the
ratio to kmalloc; for putting the lines of several modules of one boot
(gomem's bench and its drm_mm peer, examples/gomem_drm_bench) side by side.
"""
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlines  # noqa: E402

HEAD = '%-8s %-8s %-14s %4s %12s %12s %8s'


def one(path):
    c = benchlines.cells(path)
    if not c:
        print('no gomem-bench lines in %s' % path, file=sys.stderr)
        return 1
    print(HEAD % ('section', 'pattern', 'allocator', 'cpus', 'value',
                  'ratio', 'to'))
    for (sec, pat, alloc, cpus), v in c.items():
        if sec == 'alloc':
            base, to = c.get((sec, pat, 'kmalloc', cpus)), 'kmalloc'
        elif sec == 'scale':
            base, to = c.get((sec, pat, alloc, '1')), '1 cpu'
        else:
            base, to = None, ''
        ratio = '%.2f' % (v / base) if base else '-'
        print(HEAD % (sec, pat, alloc, cpus or '-', benchlines.fmt(sec, v),
                      ratio, to))
    return 0


def two(old_path, new_path):
    old, new = benchlines.cells(old_path), benchlines.cells(new_path)
    if not old or not new:
        print('no gomem-bench lines in %s' %
              (old_path if not old else new_path), file=sys.stderr)
        return 1
    print(HEAD % ('section', 'pattern', 'allocator', 'cpus', 'old', 'new',
                  'new/old'))
    keys = list(old) + [k for k in new if k not in old]
    for key in keys:
        sec = key[0]
        o, n = old.get(key), new.get(key)
        ratio = '%.2f' % (n / o) if o and n is not None else '-'
        print(HEAD % (key[:3] + (key[3] or '-', benchlines.fmt(sec, o),
                                 benchlines.fmt(sec, n), ratio)))
    print('(alloc ns and frag ratios: below 1 is better; scale ops/s: '
          'above 1)')
    return 0


def table(path, wanted):
    c = {k: v for k, v in benchlines.cells(path).items() if k[0] == 'alloc'}
    if not c:
        print('no alloc lines in %s' % path, file=sys.stderr)
        return 1
    pats, allocs = [], []
    for _, pat, alloc, _ in c:
        if pat not in pats:
            pats.append(pat)
        if alloc not in allocs:
            allocs.append(alloc)
    allocs = wanted or allocs
    width = max([14] + [len(a) for a in allocs])
    for title, ratio in (('ns per alloc+free pair', False),
                         ('the same, as a ratio to kmalloc', True)):
        print(title)
        print('%-8s' % 'pattern' + ''.join(' %*s' % (width, a)
                                           for a in allocs))
        for pat in pats:
            base = c.get(('alloc', pat, 'kmalloc', ''))
            cells = []
            for a in allocs:
                v = c.get(('alloc', pat, a, ''))
                if v is None or (ratio and not base):
                    cells.append('-')
                else:
                    cells.append('%.2f' % (v / base) if ratio else '%d' % v)
            print('%-8s' % pat + ''.join(' %*s' % (width, x) for x in cells))
        if not ratio:
            print()
    return 0


def main(argv):
    if len(argv) >= 3 and argv[1] == '--table':
        return table(argv[2], argv[3:])
    if len(argv) == 2:
        return one(argv[1])
    if len(argv) == 3:
        return two(argv[1], argv[2])
    print(__doc__.strip(), file=sys.stderr)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv))
