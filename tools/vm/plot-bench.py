#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Draw one in-kernel benchmark run as bar charts with gnuplot.

    plot-bench.py REPORT PNG [TITLE]

REPORT holds the run's machine-readable lines (tools/benchlines.py parses
them), for instance a test kernel's report.log.  With an alloc section, PNG
gets one group of bars
per pattern of the alloc section, one bar per allocator: its time as a
ratio to kmalloc's on a log scale (below 1: faster than kmalloc).  When
the run has a scale section, PNG with -scale before .png gets each
allocator's all-CPU rate over its one-CPU rate; with a frag section, -frag
gets each allocator's peak reserved over peak live bytes.
"""
import os
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the tree
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))))
import benchlines  # noqa: E402

# The kernel's allocators in cool colours (drm_mm, from the peer module
# examples/gomem_drm_bench, in greens), gomem's in warm ones.
COLOURS = {
    'kmalloc': '#c6dbef', 'kzalloc': '#9ecae1', 'kmem_cache': '#6baed6',
    'gen_pool': '#3182bd', 'drm_mm': '#31a354', 'drm_mm-low': '#a1d99b',
    'drm_mm+kmalloc': '#006d2c', 'pages': '#08519c', 'vmalloc': '#bdbdbd',
    'treap': '#fdd0a2', 'avl': '#fdae6b', 'treap+qc': '#fd8d3c',
    'avl+qc': '#e6550d', 'pool': '#a63603', 'pool-pcp': '#de2d26',
    'pool+z': '#67000d', 'buddy': '#fcbba1',
}


KERNEL_ORDER = ['kmalloc', 'kzalloc', 'kmem_cache', 'gen_pool', 'drm_mm',
                'drm_mm-low', 'drm_mm+kmalloc', 'pages', 'vmalloc']


def order(allocators):
    """The kernel's allocators first (the cool colours), then gomem's."""
    seen = list(allocators)
    return sorted(seen, key=lambda a: KERNEL_ORDER.index(a)
                  if a in KERNEL_ORDER else len(KERNEL_ORDER) + seen.index(a))


def histogram(png, title, columns, rows, extra):
    """rows: [(label, [value or None per column])]; one bar per column."""
    with tempfile.TemporaryDirectory() as tmp:
        dat = os.path.join(tmp, 'bars.dat')
        with open(dat, 'w') as f:
            f.write('row ' + ' '.join(columns) + '\n')
            for label, vals in rows:
                f.write(label + ' ' + ' '.join(
                    '%.3f' % v if v else '-' for v in vals) + '\n')
        gp = '''
set terminal pngcairo size 1400,600 font ",10" noenhanced
set output "%s"
colours = "%s"
set title "%s"
set style data histograms
set style histogram clustered gap 2
set style fill solid 0.8 border -1
set datafile missing "-"
set grid ytics
set key outside right top vertical
%s
plot for [i=2:%d] "%s" using i:xtic(1) title columnheader(i) \\
	lc rgb word(colours, i - 1)
''' % (png, ' '.join(COLOURS.get(c, '#969696') for c in columns),
       title.replace('"', "'"), extra, len(columns) + 1, dat)
        subprocess.run(['gnuplot'], input=gp, text=True, check=True)


def suffixed(png, what):
    stem, ext = os.path.splitext(png)
    return stem + '-' + what + (ext or '.png')


def main(argv):
    if len(argv) not in (3, 4):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    report, png = argv[1], argv[2]
    title = argv[3] if len(argv) == 4 else 'gomem bench'
    cells = benchlines.cells(report)

    def section(sec):
        got = {k[1:]: v for k, v in cells.items() if k[0] == sec}
        pats, allocs = [], []
        for pat, alloc, _ in got:
            if pat not in pats:
                pats.append(pat)
            if alloc not in allocs:
                allocs.append(alloc)
        return got, pats, allocs

    if not cells:
        print('plot-bench: no gomem-bench lines in %s' % report,
              file=sys.stderr)
        return 1
    got, patterns, allocators = section('alloc')
    if got and 'kmalloc' not in allocators:
        print('plot-bench: alloc lines without kmalloc in %s' % report,
              file=sys.stderr)
        return 1
    if got:
        allocators.remove('kmalloc')
        allocators = order(allocators)
        rows = []
        for pat in patterns:
            base = got.get((pat, 'kmalloc', ''))
            rows.append((pat, [got[pat, a, ''] / base
                               if got.get((pat, a, '')) and base else None
                               for a in allocators]))
        histogram(png, '%s: ns per alloc+free pair as a ratio to kmalloc '
                  '(log scale; below 1: faster)' % title, allocators, rows,
                  'set logscale y\nset yrange [0.01:*]\n'
                  'set arrow from graph 0, first 1 to graph 1, first 1 '
                  'nohead dashtype 2 lw 2')

    got, patterns, allocators = section('scale')
    if got:
        allc = max(int(c) for _, _, c in got if c)
        rows = []
        for pat in patterns:
            vals = []
            for a in allocators:
                one, every = got.get((pat, a, '1')), got.get((pat, a,
                                                              str(allc)))
                vals.append(every / one if one and every else None)
            rows.append((pat, vals))
        histogram(suffixed(png, 'scale'),
                  '%s: pairs per second on %d CPUs over one CPU (one '
                  'kthread per CPU; %d.0 is linear)' % (title, allc, allc),
                  order(allocators), [(p, [v[allocators.index(a)]
                                           for a in order(allocators)])
                                      for p, v in rows],
                  'set yrange [0:*]\n'
                  'set arrow from graph 0, first 1 to graph 1, first 1 '
                  'nohead dashtype 2 lw 2')

    got, patterns, allocators = section('frag')
    if got:
        allocators = order(allocators)
        histogram(suffixed(png, 'frag'),
                  '%s: peak reserved / peak live bytes, media-like trace '
                  '(1.0: no overhead)' % title, allocators,
                  [(p, [got.get((p, a, '')) for a in allocators])
                   for p in patterns],
                  'set yrange [0:*]\n'
                  'set arrow from graph 0, first 1 to graph 1, first 1 '
                  'nohead dashtype 2 lw 2')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
