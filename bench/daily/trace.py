#!/usr/bin/env python3
"""Where the open-loop peak's time went, per request kind (session 20; ARCHITECTURE note 28).
Run the bench with KEHOU_TRACE=<file> (the server appends one line per request, http/trace_log.h),
then: bench/daily/trace.py <file> <the bench's output>. For each kind: the server's p50/p99/max
(its own view: from the request's arrival to its answer sent) and, for the slowest 5 % and for
all, the mean ms queued for a worker, in the handler, waiting for a pooled connection, in
statements (with their round trips), in the COMMIT, and on SQLite queued for the writer, in the
group's run before its COMMIT, in the write's own function, and the group's size."""
import re
import sys

COLS = 'wall method path status total queue handler pool stmts stmt commit wwait group own gsize trips'.split()
KINDS = [('save', r'/roll$'), ('status', r'/my-children$|/attendance/leaves$'), ('swipes', r'/swipes$'),
         ('arrival', r'/arrivals$')]


def main(trace, out):
    spans = [tuple(map(int, l.split()[3:5])) for l in open(out) if l.startswith('trace: open peak')]
    rows = []
    for line in open(trace):
        p = line.split()
        if len(p) < 15:
            continue
        d = dict(zip(COLS, p))
        rows.append({k: (v if k in ('method', 'path') else int(v)) for k, v in d.items()})
    for n, (a, b) in enumerate(spans, 1):
        print(f'run {n}: open peak {(b - a) / 1000:.1f} s')
        for kind, rx in KINDS:
            rs = sorted((r for r in rows if a <= r['wall'] <= b and re.search(rx, r['path'])),
                        key=lambda r: r['total'])
            if not rs:
                continue
            m = len(rs)
            print(f'  {kind}: n={m} server p50 {rs[m // 2]["total"] / 1e3:.1f} p99 '
                  f'{rs[min(m - 1, int(.99 * m))]["total"] / 1e3:.1f} max {rs[-1]["total"] / 1e3:.1f} ms')
            for label, sub in (('slowest 5%', rs[int(.95 * m):]), ('all', rs)):
                mean = lambda k: sum(r.get(k, 0) for r in sub) / len(sub)
                print(f'    {label:10} ms: queue {mean("queue") / 1e3:.1f} handler {mean("handler") / 1e3:.1f}'
                      f' pool {mean("pool") / 1e3:.1f} statements {mean("stmts"):.1f} ({mean("trips"):.1f} round'
                      f' trips) {mean("stmt") / 1e3:.1f} commit {mean("commit") / 1e3:.1f} | sqlite writer queue'
                      f' {mean("wwait") / 1e3:.1f} group {mean("group") / 1e3:.1f} own {mean("own") / 1e3:.1f}'
                      f' size {mean("gsize"):.1f}')


if __name__ == '__main__':
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
