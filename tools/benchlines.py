# SPDX-License-Identifier: GPL-2.0
"""The machine-readable lines of the in-kernel benchmark, parsed once for
tools/bench-compare.py and tools/vm/plot-bench.py.

Each line is `gomem-bench` and key=value fields (gomem_bench.c):

    gomem-bench section=alloc pattern=1k allocator=pool ns=741 iters=20000 ...
    gomem-bench section=scale pattern=1k allocator=pool-pcp cpus=2 ops_per_s=...
    gomem-bench section=frag pattern=media allocator=pool peak_live=N peak_reserved=N

A cell is keyed by (section, pattern, allocator, cpus); cpus is '' where
the line has none.  Its value is what the section measures: ns per
operation (alloc; lower is better), operations per second (scale; higher
is better), peak reserved over peak live bytes (frag; lower is better).
Lines of unknown sections, or missing their value, are skipped, so that
later versions may add sections and fields.
"""

# section -> (value's name, higher is better)
METRICS = {
    'alloc': ('ns', False),
    'scale': ('ops/s', True),
    'frag': ('reserved/live', False),
}


def fields(line):
    """The key=value fields of one gomem-bench line, or None."""
    words = line.split()
    if not words or words[0] != 'gomem-bench':
        return None
    return dict(w.split('=', 1) for w in words[1:] if '=' in w)


def value(kv):
    """The value a line measures (see METRICS), or None."""
    try:
        sec = kv['section']
        if sec == 'alloc':
            return int(kv['ns'])
        if sec == 'scale':
            return int(kv['ops_per_s'])
        if sec == 'frag':
            live = int(kv['peak_live'])
            return int(kv['peak_reserved']) / live if live else None
    except (KeyError, ValueError):
        pass
    return None


def cells(path):
    """{(section, pattern, allocator, cpus): value} of one result file,
    in the order the lines come (dicts keep insertion order)."""
    out = {}
    with open(path, errors='replace') as f:
        for line in f:
            kv = fields(line)
            if kv is None:
                continue
            v = value(kv)
            try:
                key = (kv['section'], kv['pattern'], kv['allocator'],
                       kv.get('cpus', ''))
            except KeyError:
                continue
            if v is not None:
                out[key] = v
    return out


def fmt(section, v):
    """A value as the tables print it."""
    if v is None:
        return '-'
    if section == 'frag':
        return '%.3f' % v
    return '%d' % v
