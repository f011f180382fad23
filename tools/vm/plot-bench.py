#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Draw one in-kernel benchmark run as a bar chart with gnuplot.

    plot-bench.py REPORT PNG [TITLE]

REPORT holds the run's machine-readable lines (gomem-bench section=alloc
pattern=... allocator=... ns=...), for instance a test kernel's report.log;
PNG gets one group of bars per pattern, one bar per allocator: its time as
a ratio to kmalloc's on a log scale (below 1: faster than kmalloc).
"""
import os
import subprocess
import sys
import tempfile


def main(argv):
    if len(argv) not in (3, 4):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    report, png = argv[1], argv[2]
    title = argv[3] if len(argv) == 4 else 'gomem bench'
    cells, patterns, allocators = {}, [], []
    with open(report, errors='replace') as f:
        for line in f:
            words = line.split()
            if not words or words[0] != 'gomem-bench':
                continue
            kv = dict(w.split('=', 1) for w in words[1:] if '=' in w)
            if kv.get('section') != 'alloc' or 'ns' not in kv:
                continue
            pat, alloc = kv['pattern'], kv['allocator']
            cells[pat, alloc] = int(kv['ns'])
            if pat not in patterns:
                patterns.append(pat)
            if alloc not in allocators:
                allocators.append(alloc)
    if not cells or 'kmalloc' not in allocators:
        print('plot-bench: no gomem-bench lines with kmalloc in %s' % report,
              file=sys.stderr)
        return 1
    allocators.remove('kmalloc')
    # The kernel's first (the cool colours), then gomem's.
    order = ['kzalloc', 'kmem_cache', 'gen_pool', 'pages', 'vmalloc']
    seen = list(allocators)
    allocators.sort(key=lambda a: order.index(a) if a in order
                    else len(order) + seen.index(a))
    with tempfile.TemporaryDirectory() as tmp:
        dat = os.path.join(tmp, 'ratios.dat')
        with open(dat, 'w') as f:
            f.write('pattern ' + ' '.join(allocators) + '\n')
            for pat in patterns:
                base = cells.get((pat, 'kmalloc'))
                row = []
                for alloc in allocators:
                    ns = cells.get((pat, alloc))
                    row.append('%.3f' % (ns / base) if ns and base else '-')
                f.write(pat + ' ' + ' '.join(row) + '\n')
        gp = '''
set terminal pngcairo size 1400,600 font ",10" noenhanced
set output "%s"
# The kernel's allocators in cool colours, gomem's in warm ones.
set linetype 1 lc rgb "#9ecae1"
set linetype 2 lc rgb "#6baed6"
set linetype 3 lc rgb "#3182bd"
set linetype 4 lc rgb "#08519c"
set linetype 5 lc rgb "#bdbdbd"
set linetype 6 lc rgb "#fdd0a2"
set linetype 7 lc rgb "#fdae6b"
set linetype 8 lc rgb "#fd8d3c"
set linetype 9 lc rgb "#e6550d"
set linetype 10 lc rgb "#a63603"
set linetype 11 lc rgb "#de2d26"
set linetype 12 lc rgb "#67000d"
set linetype cycle 12
set title "%s: ns per alloc+free pair as a ratio to kmalloc (log scale; below 1: faster)"
set style data histograms
set style histogram clustered gap 2
set style fill solid 0.8 border -1
set datafile missing "-"
set logscale y
set yrange [0.01:*]
set grid ytics
set key outside right top vertical
set arrow from graph 0, first 1 to graph 1, first 1 nohead dashtype 2 lw 2
plot for [i=2:%d] "%s" using i:xtic(1) title columnheader(i)
''' % (png, title.replace('"', "'"), len(allocators) + 1, dat)
        subprocess.run(['gnuplot'], input=gp, text=True, check=True)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
