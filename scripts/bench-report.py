#!/usr/bin/python3
# bench-report.py CONSOLE-LOG OUT-DIR: from the "bench-csv:" lines that
# tests/nested/bench.py printed in the L1, writes OUT-DIR/bench.csv and
# OUT-DIR/bench.svg (the pcivmm/QEMU ratio of medians per row, and start
# and teardown time against guest size) and prints the table. Exits 1 when
# a workload has no result for one of the VMMs.
import collections
import csv
import html
import os
import sys

log, out = sys.argv[1], sys.argv[2]
# Which way is better, per metric: rates up, times and memory down.
HIGHER_IS_BETTER = {"rate"}
# Measured on pcivmm only (QEMU has no such counter): no ratio, not missing.
PCIVMM_ONLY = {"exits_per_irq"}
UNITS = {"rate": "/s", "first_byte_ms": "ms", "init_ms": "ms", "teardown_ms": "ms",
         "rss_kb": "kB", "exits_per_irq": ""}

rows = collections.OrderedDict()
with open(log, errors="replace") as f:
    for line in f:
        if not line.startswith("bench-csv: "):
            continue
        name, metric, vmm, n, med, lo, hi = line[len("bench-csv: "):].strip().split(",")
        rows.setdefault((name, metric), {})[vmm] = (int(n), float(med), float(lo), float(hi))
if not rows:
    print("bench-report: no results in the L1's console log", file=sys.stderr)
    sys.exit(1)

os.makedirs(out, exist_ok=True)
with open(os.path.join(out, "bench.csv.tmp"), "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["workload", "metric", "vmm", "runs", "median", "min", "max"])
    for (name, metric), by_vmm in rows.items():
        for vmm, (n, med, lo, hi) in sorted(by_vmm.items()):
            w.writerow([name, metric, vmm, n, med, lo, hi])
os.replace(os.path.join(out, "bench.csv.tmp"), os.path.join(out, "bench.csv"))


def cell(v):
    n, med, lo, hi = v
    return f"{med:.0f} ({lo:.0f}-{hi:.0f}) n={n}"


missing = 0
ratios = []
print(f"{'workload':<16} {'metric':<14} {'pcivmm median (min-max)':<30} "
      f"{'QEMU median (min-max)':<30} pcivmm/QEMU")
for (name, metric), by_vmm in rows.items():
    p, q = by_vmm.get("pcivmm"), by_vmm.get("qemu")
    if metric in PCIVMM_ONLY and p:
        print(f"{name:<16} {metric:<14} {p[1]:.2f} ({p[2]:.2f}-{p[3]:.2f}) n={p[0]:<17} "
              f"{'(no counter in QEMU)':<30} -")
        continue
    if not p or not q:
        missing += 1
        print(f"{name:<16} {metric:<14} {cell(p) if p else 'no result':<30} "
              f"{cell(q) if q else 'no result':<30} -")
        continue
    ratio = p[1] / q[1] if q[1] else float("inf")
    better = ratio >= 1 if metric in HIGHER_IS_BETTER else ratio <= 1
    ratios.append((f"{name} {metric}", ratio, better))
    print(f"{name:<16} {metric + ' ' + UNITS.get(metric, ''):<14} {cell(p):<30} {cell(q):<30} "
          f"{ratio:.2f}{'' if better else '  (QEMU better)'}")


def svg():
    width, bar_h, left = 760, 18, 260
    height_a = 40 + bar_h * len(ratios)
    scale_rows = [(n, m) for (n, m) in rows if n.startswith("start-exit-")]
    height = height_a + (260 if scale_rows else 0)
    top = max([r for _, r, _ in ratios] + [2.0])
    x = lambda r: left + (width - left - 20) * r / top
    s = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
         'font-family="sans-serif" font-size="11">',
         '<text x="10" y="16" font-size="13">pcivmm / QEMU, ratio of medians '
         '(green: pcivmm better)</text>']
    for i, (label, r, better) in enumerate(ratios):
        y = 30 + i * bar_h
        s.append(f'<text x="{left - 6}" y="{y + 12}" text-anchor="end">{html.escape(label)}</text>')
        s.append(f'<rect x="{left}" y="{y + 2}" width="{x(min(r, top)) - left:.1f}" '
                 f'height="{bar_h - 4}" fill="{"#4a4" if better else "#c55"}"/>')
        s.append(f'<text x="{x(min(r, top)) + 4:.1f}" y="{y + 12}">{r:.2f}</text>')
    s.append(f'<line x1="{x(1):.1f}" y1="26" x2="{x(1):.1f}" y2="{height_a - 6}" '
             'stroke="#000" stroke-dasharray="3,3"/>')
    if scale_rows:
        y0, plot_h = height_a + 30, 180
        sizes = sorted({n for n, _ in scale_rows}, key=lambda n: ("G" in n, int(n[11:-1])))
        series = [(m, v) for m in ("first_byte_ms", "teardown_ms") for v in ("pcivmm", "qemu")]
        vmax = max(rows[(n, m)][v][1] for n in sizes for m, v in series
                   if (n, m) in rows and v in rows[(n, m)]) or 1
        s.append(f'<text x="10" y="{y0 - 10}" font-size="13">start (first serial byte) and '
                 'teardown, ms, against guest size</text>')
        colours = {"pcivmm": "#36c", "qemu": "#c63"}
        for k, (m, v) in enumerate(series):
            pts = []
            for i, n in enumerate(sizes):
                if (n, m) in rows and v in rows[(n, m)]:
                    px = left + i * (width - left - 60) / max(1, len(sizes) - 1)
                    py = y0 + plot_h - plot_h * rows[(n, m)][v][1] / vmax
                    pts.append(f"{px:.1f},{py:.1f}")
            dash = "" if m == "first_byte_ms" else ' stroke-dasharray="5,3"'
            s.append(f'<polyline points="{" ".join(pts)}" fill="none" stroke="{colours[v]}" '
                     f'stroke-width="2"{dash}/>')
            s.append(f'<text x="10" y="{y0 + 14 * k + 10}" fill="{colours[v]}">{v} '
                     f'{"start" if m == "first_byte_ms" else "teardown (dashed)"}</text>')
        for i, n in enumerate(sizes):
            px = left + i * (width - left - 60) / max(1, len(sizes) - 1)
            s.append(f'<text x="{px:.1f}" y="{y0 + plot_h + 16}" text-anchor="middle">'
                     f'{n[11:]}</text>')
        s.append(f'<text x="{left - 6}" y="{y0 + 4}" text-anchor="end">{vmax:.0f} ms</text>')
        s.append(f'<line x1="{left}" y1="{y0 + plot_h}" x2="{width - 40}" y2="{y0 + plot_h}" '
                 'stroke="#000"/>')
    s.append("</svg>")
    return "\n".join(s) + "\n"


with open(os.path.join(out, "bench.svg.tmp"), "w") as f:
    f.write(svg())
os.replace(os.path.join(out, "bench.svg.tmp"), os.path.join(out, "bench.svg"))
print(f"bench: table above; {out}/bench.csv and {out}/bench.svg written")
sys.exit(1 if missing else 0)
