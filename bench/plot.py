#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Render sweep lines ("sweep KIND=X ms=T rss_mib=R") as a two-panel SVG
(log-log time vs size), with no plotting library. Each point is labelled
with its median wall time and peak RSS."""
import math, re, sys

pts = {}
for line in open(sys.argv[1]):
    m = re.match(r"sweep (\w+)=(\d+) ms=([\d.]+) rss_mib=([\d.]+)", line)
    if m:
        pts.setdefault(m[1], []).append((float(m[2]), float(m[3]), float(m[4])))

W, H, PAD = 420, 300, 50

def tick(kind, v):
    """Short axis labels that do not run into each other: 200k, 2 GiB."""
    if kind == "claims":
        return f"{v / 1000:g}k" if v >= 1000 else f"{v:g}"
    return f"{v / 1024:g}G" if v >= 1024 else f"{v:g}M"
panels = [("claims", "claims in the manifest"), ("artifact_mib", "artifact size, MiB (M) or GiB (G)")]
out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W*2}" height="{H}" font-family="sans-serif" font-size="11">']
for i, (k, label) in enumerate(panels):
    data = sorted(pts.get(k, []))
    ox = i * W
    out.append(f'<rect x="{ox}" y="0" width="{W}" height="{H}" fill="white"/>')
    out.append(f'<text x="{ox+W/2}" y="16" text-anchor="middle" font-weight="bold">wall time vs {label}</text>')
    if len(data) < 2:
        continue
    xs = [math.log10(d[0]) for d in data]; ys = [math.log10(max(d[1], 0.1)) for d in data]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys) + 1e-9
    sx = lambda x: ox + PAD + (x - x0) / (x1 - x0) * (W - 2 * PAD)
    sy = lambda y: H - PAD - (y - y0) / (y1 - y0) * (H - 2 * PAD)
    out.append(f'<line x1="{ox+PAD}" y1="{H-PAD}" x2="{ox+W-PAD}" y2="{H-PAD}" stroke="black"/>')
    out.append(f'<line x1="{ox+PAD}" y1="{PAD}" x2="{ox+PAD}" y2="{H-PAD}" stroke="black"/>')
    path = " ".join(f"{'M' if j == 0 else 'L'}{sx(x):.1f},{sy(y):.1f}" for j, (x, y) in enumerate(zip(xs, ys)))
    out.append(f'<path d="{path}" fill="none" stroke="#1f77b4" stroke-width="2"/>')
    for j, ((v, ms, rss), x, y) in enumerate(zip(data, xs, ys)):
        # the last label ends at its point, so it stays inside the panel;
        # the two before it are close on the log axis (200k and 250k, 1G
        # and 2G) and the line is steep there: the second to last ends left
        # of its point, above, the third to last starts right of it, below
        last = len(data) - 1
        anchor, dx, dy = ("start", 0, -8) if j == 0 else ("end", 0, -8) if j == last else ("middle", 0, -8)
        if len(data) >= 4 and j == last - 1:
            anchor, dx, dy = "end", -6, -8
        elif len(data) >= 4 and j == last - 2:
            anchor, dx, dy = "start", 6, 16
        out.append(f'<text x="{sx(x)+dx:.1f}" y="{sy(y)+dy:.1f}" text-anchor="{anchor}">{ms:.0f} ms, {rss:.0f} MiB</text>')
        tdy = 14 if j % 2 == 0 or len(data) < 5 else 26
        out.append(f'<text x="{sx(x):.1f}" y="{H-PAD+tdy}" text-anchor="middle">{tick(k, v)}</text>')
    out.append(f'<text x="{ox+W/2}" y="{H-10}" text-anchor="middle">{label} (log scale)</text>')
    out.append(f'<text x="{ox+14}" y="{H/2}" transform="rotate(-90 {ox+14} {H/2})" text-anchor="middle">ms (log)</text>')
out.append("</svg>")
open(sys.argv[2], "w").write("\n".join(out) + "\n")
