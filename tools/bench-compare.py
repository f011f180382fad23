#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Compare two in-kernel benchmark results (the text of
/sys/kernel/debug/gomem/bench, or make demo's output) by their
machine-readable lines:

    gomem-bench section=alloc pattern=1k allocator=pool ns=386 ...

    tools/bench-compare.py OLD NEW

prints, for every (section, pattern, allocator) in both, old ns, new ns and
new/old; with one file, each allocator's ratio to kmalloc instead.
"""
import sys


def cells(path):
    out = {}
    with open(path, errors='replace') as f:
        for line in f:
            words = line.split()
            if not words or words[0] != 'gomem-bench':
                continue
            kv = dict(w.split('=', 1) for w in words[1:] if '=' in w)
            try:
                key = (kv['section'], kv['pattern'], kv['allocator'])
                out[key] = int(kv['ns'])
            except (KeyError, ValueError):
                continue
    return out


def main(argv):
    if len(argv) not in (2, 3):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    old = cells(argv[1])
    if not old:
        print('no gomem-bench lines in %s' % argv[1], file=sys.stderr)
        return 1
    if len(argv) == 2:
        print('%-8s %-8s %-12s %8s %8s' %
              ('section', 'pattern', 'allocator', 'ns', 'x kmalloc'))
        for (sec, pat, alloc), ns in sorted(old.items()):
            base = old.get((sec, pat, 'kmalloc'))
            ratio = '%.2f' % (ns / base) if base else '-'
            print('%-8s %-8s %-12s %8d %8s' % (sec, pat, alloc, ns, ratio))
        return 0
    new = cells(argv[2])
    print('%-8s %-8s %-12s %8s %8s %8s' %
          ('section', 'pattern', 'allocator', 'old ns', 'new ns', 'new/old'))
    for key in sorted(set(old) | set(new)):
        o, n = old.get(key), new.get(key)
        ratio = '%.2f' % (n / o) if o and n is not None else '-'
        print('%-8s %-8s %-12s %8s %8s %8s' %
              (key + (o if o is not None else '-',
                      n if n is not None else '-', ratio)))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
