#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Draw the first pool map found in a test kernel's report as an image.

    plot-map.py REPORT PNG [TITLE]

A map is what /sys/kernel/debug/gomem/<pool>/map prints: one line per
arena, a strip of cells ('#' in use, ':' partly free, 'p' parked, '.'
free).  The image has one row per arena, one coloured square per cell.
"""
import os
import re
import subprocess
import sys
import tempfile

LINE = re.compile(r'^\s*(\d+)\s+(\d+)\s+(\d+) \|([#:p.]+)\|')
VALUE = {'.': 0, 'p': 1, ':': 2, '#': 3}


def main(argv):
    if len(argv) not in (3, 4):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    report, png = argv[1], argv[2]
    title = argv[3] if len(argv) == 4 else 'gomem pool map'
    rows = []
    with open(report, errors='replace') as f:
        for line in f:
            m = LINE.match(line)
            if m:
                rows.append((int(m.group(2)), m.group(4)))
            elif rows:
                break		# the first map only
    if not rows:
        print('plot-map: no map in %s' % report, file=sys.stderr)
        return 1
    width = max(len(strip) for _, strip in rows)
    with tempfile.TemporaryDirectory() as tmp:
        dat = os.path.join(tmp, 'map.dat')
        with open(dat, 'w') as f:
            for _, strip in reversed(rows):
                cells = [str(VALUE[c]) for c in strip.ljust(width, '.')]
                f.write(' '.join(cells) + '\n')
        labels = ', '.join('"%d: %d KiB" %d' % (i, size // 1024, i)
                           for i, (size, _) in enumerate(rows))
        gp = '''
set terminal pngcairo size 1000,%d font ",10" noenhanced
set output "%s"
set title "%s"
set palette maxcolors 4
set palette defined (0 "#e0e0e0", 1 "#31a354", 2 "#fdae6b", 3 "#a63603")
set cbrange [-0.5:3.5]
set cbtics ("free" 0, "parked" 1, "partly free" 2, "in use" 3)
set xrange [-0.5:%d]
set yrange [-0.5:%d]
set xlabel "cell (each covers an equal share of its arena)"
set ytics (%s)
plot "%s" matrix using 1:(%d - $2):3 with image notitle
''' % (160 + 40 * len(rows), png, title.replace('"', "'"), width - 0.5,
       len(rows) - 0.5, labels, dat, len(rows) - 1)
        subprocess.run(['gnuplot'], input=gp, text=True, check=True)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
