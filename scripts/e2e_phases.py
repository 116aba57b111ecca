#!/usr/bin/env python3
"""Phase breakdown of Spindle jobs from their --result-json files (scripts/bench.sh e2e).

usage: e2e_phases.py CHART.svg NAME=RESULT.json[@LAUNCH_EPOCH_MS] ...

For each job prints `bench e2e_phase_<name>_<phase>_s <seconds>` for the phases
submit, am_start, plan, first_container, blocks, commit and total, and writes a stacked
horizontal bar chart of them (SVG) to CHART.svg. LAUNCH_EPOCH_MS is when the shell started the
client JVM; without it the client's own start is not counted in `submit`.
"""
import json
import sys

PHASES = [
    # (name, from, to, colour): seconds between two recorded moments
    ("submit", "launch", "submitted", "#8c8c8c"),
    ("am_start", "submitted", "am_start", "#e6a23c"),
    ("plan", "am_start", "prepared", "#409eff"),
    ("first_container", "prepared", "first_worker", "#f56c6c"),
    ("blocks", "first_worker", "blocks_done", "#67c23a"),
    ("commit", "blocks_done", "committed", "#9b59b6"),
    ("finish", "committed", "ended", "#c0c4cc"),
]


def breakdown(path, launch):
    with open(path) as f:
        result = json.load(f)
    moments = dict(result["phases"])
    moments["launch"] = launch if launch is not None else moments["client_start"]
    missing = [m for _, a, b, _ in PHASES for m in (a, b) if m not in moments]
    if missing:
        raise SystemExit(f"{path}: phases missing {sorted(set(missing))} (state {result.get('state')})")
    seconds = {name: max(0, moments[b] - moments[a]) / 1000 for name, a, b, _ in PHASES}
    seconds["total"] = (moments["ended"] - moments["launch"]) / 1000
    return seconds


def chart(rows, path):
    width, left, bar, gap, top = 760, 130, 26, 14, 40
    longest = max(r["total"] for _, r in rows)
    scale = (width - left - 70) / longest
    height = top + len(rows) * (bar + gap) + 60
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{left}" y="22" font-size="14" font-weight="bold">Where a Spindle job spends its wall time (s)</text>']
    for i, (name, r) in enumerate(rows):
        y = top + i * (bar + gap)
        out.append(f'<text x="{left - 8}" y="{y + bar * 0.7}" text-anchor="end">{name}</text>')
        x = left
        for phase, _, _, colour in PHASES:
            w = r[phase] * scale
            if w > 0:
                out.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar}" fill="{colour}">'
                           f'<title>{phase}: {r[phase]:.2f} s</title></rect>')
                if w > 28:
                    out.append(f'<text x="{x + w / 2:.1f}" y="{y + bar * 0.7}" text-anchor="middle" fill="white">{r[phase]:.1f}</text>')
            x += w
        out.append(f'<text x="{x + 6:.1f}" y="{y + bar * 0.7}">{r["total"]:.1f} s</text>')
    y = top + len(rows) * (bar + gap) + 10
    x = left
    for phase, _, _, colour in PHASES:
        out.append(f'<rect x="{x}" y="{y}" width="12" height="12" fill="{colour}"/>')
        out.append(f'<text x="{x + 16}" y="{y + 10}">{phase}</text>')
        x += 16 + 8 * len(phase) + 14
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


def main(argv):
    if len(argv) < 3:
        raise SystemExit(__doc__)
    rows = []
    for arg in argv[2:]:
        name, spec = arg.split("=", 1)
        path, _, launch = spec.partition("@")
        r = breakdown(path, int(launch) if launch else None)
        rows.append((name, r))
        for phase in [p[0] for p in PHASES if p[0] != "finish"] + ["total"]:
            print(f"bench e2e_phase_{name}_{phase}_s {r[phase]:.2f}")
    chart(rows, argv[1])


if __name__ == "__main__":
    main(sys.argv)
