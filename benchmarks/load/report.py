#!/usr/bin/python3
"""Turns the raw results of benchmarks/load/run.sh into the tables of docs/performance.md and docs/performance.png.

Usage: report.py RESULTS_DIR DOC_PATH PNG_PATH
Replaces the text between '<!-- results:begin -->' and '<!-- results:end -->' in DOC_PATH; nothing else is touched.
"""
import csv
import glob
import html
import os
import re
import statistics
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

BEGIN, END = "<!-- results:begin -->", "<!-- results:end -->"

# config -> (its baseline, target ratio, what the target says)
LOAD_TARGETS = {
    "jwt-memory": ("jwt-baseline", 0.90, "≥ 0.90"),
    "jwt-cached": ("jwt-baseline", 0.85, "≥ 0.85"),
    "jwt-redis": ("jwt-baseline", 0.50, "≥ 0.50"),
    "cookie-memory": ("cookie-baseline", 1.20, "≥ 1.2"),
    "cookie-redis": ("cookie-baseline", 0.80, "≥ 0.8"),
    "cookie-cached": ("cookie-baseline", None, "none set"),
}
BASELINE_OF = {"jwt": "jwt-baseline", "cookie": "cookie-baseline"}


def read_kv(path):
    values = {}
    if os.path.exists(path):
        for line in open(path, encoding="utf-8"):
            if "=" in line:
                key, value = line.rstrip("\n").split("=", 1)
                values[key] = value
    return values


def ms(latency):
    m = re.match(r"([\d.]+)(us|ms|s)$", latency)
    if not m:
        return float("nan")
    return float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]


def load_section(results_dir):
    path = os.path.join(results_dir, "load.tsv")
    if not os.path.exists(path):
        return "_The load test was skipped in the last run (SKIP_LOAD=1)._\n", {}, None
    rows = list(csv.DictReader(open(path, encoding="utf-8"), delimiter="\t"))
    order, labels, flavours = [], {}, {}
    per_round = {}
    for r in rows:
        if r["config"] not in labels:
            order.append(r["config"])
        labels[r["config"]] = r["label"]
        flavours[r["config"]] = r["flavour"]
        per_round[(r["round"], r["config"])] = r
    rounds = sorted({r["round"] for r in rows}, key=int)

    summary = {}
    for config in order:
        mine = [per_round[(rd, config)] for rd in rounds if (rd, config) in per_round]
        rps = [float(r["rps"]) for r in mine]
        base = BASELINE_OF[flavours[config]]
        ratios = [float(per_round[(rd, config)]["rps"]) / float(per_round[(rd, base)]["rps"])
                  for rd in rounds if (rd, config) in per_round and (rd, base) in per_round]
        summary[config] = {
            "label": labels[config], "flavour": flavours[config], "rps": rps,
            "median": statistics.median(rps), "ratio": statistics.median(ratios),
            "ratio_min": min(ratios), "ratio_max": max(ratios),
            "p50": statistics.median(ms(r["p50"]) for r in mine),
            "p99": statistics.median(ms(r["p99"]) for r in mine),
            "non2xx": sum(int(r["non2xx"]) for r in mine),
            "app_cpu": statistics.median(float(r["app_cpu_us"]) for r in mine) if "app_cpu_us" in mine[0] else None,
            "redis_cpu": statistics.median(float(r["redis_cpu_us"]) for r in mine) if "redis_cpu_us" in mine[0] else None,
        }

    out = ["| flavour | configuration | median req/s | min – max req/s | median ratio to baseline (min – max over rounds) "
           "| target | met? | median p50 / p99 latency | CPU µs per request: app / redis-server | non-2xx |",
           "|---|---|---:|---:|---:|---|---|---:|---:|---:|"]
    for config in order:
        s = summary[config]
        target = LOAD_TARGETS.get(config)
        if config in BASELINE_OF.values():
            ratio_text, target_text, met = "**1.00** (baseline)", "—", "—"
        else:
            ratio_text = f"**{s['ratio']:.2f}** ({s['ratio_min']:.2f} – {s['ratio_max']:.2f})"
            target_text = target[2] if target else "—"
            met = "—" if not target or target[1] is None else ("yes" if s["ratio"] >= target[1] else "**no**")
        out.append(f"| {s['flavour']} | {s['label']} | {s['median']:,.0f} | {min(s['rps']):,.0f} – {max(s['rps']):,.0f} "
                   f"| {ratio_text} | {target_text} | {met} | {s['p50']:.2f} ms / {s['p99']:.2f} ms | {cpu(s)} | {s['non2xx']} |")
    return "\n".join(out) + "\n", summary, order


def cpu(s):
    if s["app_cpu"] is None:
        return "—"
    return f"{s['app_cpu']:.0f} / {s['redis_cpu']:.0f}"


def micro_tables(results_dir):
    tables = {}
    for path in sorted(glob.glob(os.path.join(results_dir, "micro", "*-report-github.md"))):
        name = os.path.basename(path).split(".")[-1].replace("-report-github", "").replace(".md", "")
        name = os.path.basename(path).replace("SessionKit.Benchmarks.", "").replace("-report-github.md", "")
        text = html.unescape(open(path, encoding="utf-8").read())
        lines = [l for l in text.splitlines() if l.startswith("|")]
        header = [c.strip() for c in lines[0].strip("|").split("|")]
        # Drop the columns that are the same on every row (job settings), keep the measurements.
        drop = {"Job", "IterationCount", "LaunchCount", "WarmupCount", "RunStrategy", "UnrollFactor", "Error", "Gen0"}
        keep = [i for i, h in enumerate(header) if h not in drop]
        rows = []
        for line in lines[2:]:
            cells = [c.strip().replace("**", "") for c in line.strip("|").split("|")]
            if len(cells) != len(header) or not any(cells):
                continue
            rows.append({header[i]: cells[i] for i in range(len(header))})
        table = ["| " + " | ".join(header[i] for i in keep) + " |", "|" + "---|" * len(keep)]
        table += ["| " + " | ".join(r[header[i]] for i in keep) + " |" for r in rows]
        tables[name] = ("\n".join(table) + "\n", rows)
    return tables


def number(text):
    m = re.search(r"[\d,]+(\.\d+)?", text or "")
    return float(m.group(0).replace(",", "")) if m else float("nan")


def to_ns(text):
    value = number(text)
    unit = text.split()[-1] if text else "ns"
    return value * {"ns": 1, "us": 1e3, "μs": 1e3, "ms": 1e6, "s": 1e9}.get(unit, 1)


def row(rows, fragment, **match):
    for r in rows:
        if fragment in r.get("Method", "") and all(r.get(k) == v for k, v in match.items()):
            return r
    return None


def targets_section(summary, tables, footprint, scale):
    out = ["| target | measured | met? |", "|---|---|---|"]
    for config, (base, goal, text) in LOAD_TARGETS.items():
        if goal is None or config not in summary:
            continue
        s = summary[config]
        out.append(f"| load test: {s['label']} / {summary[base]['label']} {text} | {s['ratio']:.2f} | "
                   f"{'yes' if s['ratio'] >= goal else '**no**'} |")
    jwt = tables.get("JwtValidationBenchmarks")
    if jwt and (r := row(jwt[1], "token + in-memory")):
        ratio = number(r.get("Alloc Ratio"))
        out.append(f"| allocations per request, session over JWT / `JsonWebTokenHandler` alone ≤ 1.2 | {r['Allocated']} → {ratio:.2f} | "
                   f"{'yes' if ratio <= 1.2 else '**no**'} |")
    cookie = tables.get("CookieAuthenticationBenchmarks")
    if cookie and (r := row(cookie[1], "SessionKit cookie")):
        ratio = number(r.get("Alloc Ratio"))
        out.append(f"| allocations per request, session cookie / `AddCookie` ≤ 1.2 | {r['Allocated']} → {ratio:.2f} | "
                   f"{'yes' if ratio <= 1.2 else '**no**'} |")
    m = re.search(r"MEMORY USAGE of one session record.*?: (\d+) bytes", footprint)
    if m:
        out.append(f"| Redis bytes per stored session (3 permissions) ≤ 300 | {m.group(1)} B | {'yes' if int(m.group(1)) <= 300 else '**no**'} |")
    for line in scale.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 4 and cells[0].startswith(("validation", "revoking")):
            ratio = number(cells[3])
            verdict = "yes" if ratio <= 1.2 else "**no**"
            out.append(f"| {cells[0]}: independent of the number of other users' sessions (1 M ÷ 1 k ≈ 1; ≤ 1.2 counted as noise) "
                       f"| {cells[1]} µs vs {cells[2]} µs → {cells[3]} | {verdict} |")
    return "\n".join(out) + "\n"


def chart(summary, order, png_path, machine):
    colours = {"jwt": "#3b6ea5", "cookie": "#c0703a"}
    fig, ax = plt.subplots(figsize=(10, 5))
    xs = range(len(order))
    for x, config in zip(xs, order):
        s = summary[config]
        is_base = config in BASELINE_OF.values()
        ax.bar(x, s["median"], color=colours[s["flavour"]], alpha=0.55 if is_base else 0.95,
               hatch="//" if is_base else None, edgecolor="black", linewidth=0.5)
        ax.errorbar(x, s["median"], yerr=[[s["median"] - min(s["rps"])], [max(s["rps"]) - s["median"]]], color="black", capsize=3)
        ax.text(x, max(s["rps"]) + 600, "baseline" if is_base else f"× {s['ratio']:.2f}", ha="center", fontsize=9)
    ax.set_xticks(list(xs))
    ax.set_xticklabels([summary[c]["label"].replace(", ", ",\n").replace(" (", "\n(") for c in order], fontsize=8)
    ax.set_ylabel("requests/s (median of rounds; bars: min – max)")
    ax.set_title(f"GET /member through each authentication configuration — wrk {machine.get('load_settings', '')}\n"
                 f"{machine.get('cores', '?')} cores shared by server and wrk, {machine.get('date_utc', '')} UTC", fontsize=10)
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(png_path, dpi=110)


def main():
    results_dir, doc_path, png_path = sys.argv[1:4]
    machine = read_kv(os.path.join(results_dir, "machine.txt"))
    footprint_path = os.path.join(results_dir, "footprint.txt")
    footprint = open(footprint_path, encoding="utf-8").read() if os.path.exists(footprint_path) else ""
    scale_path = os.path.join(results_dir, "scale.md")
    scale = open(scale_path, encoding="utf-8").read() if os.path.exists(scale_path) else ""
    load_table, summary, order = load_section(results_dir)
    tables = micro_tables(results_dir)

    parts = [BEGIN, "", f"### Last run: {machine.get('date_utc', '?')} UTC, `benchmarks/load/run.sh` took {int(machine.get('total_seconds', 0)) // 60} min "
             f"{int(machine.get('total_seconds', 0)) % 60} s", "",
             f"Machine: {machine.get('cpu', '?')}, {machine.get('cores', '?')} cores, {machine.get('memory_gb', '?')} GB, {machine.get('os', '?')}; "
             f".NET SDK {machine.get('dotnet', '?')}, Redis {machine.get('redis', '?')}, wrk {machine.get('wrk', '?')}. "
             f"Load average (1/5/15 min) before the run: {machine.get('load_before', '?')}; after the load test: "
             f"{machine.get('load_after_load_test', '—')}; after the micro-benchmarks: {machine.get('load_after_micro', '—')}. "
             f"Load test: {machine.get('load_settings', '?')}.", "",
             "#### Targets", "", targets_section(summary, tables, footprint, scale),
             "#### Load test (wrk, `GET` of a 12-byte body, loopback)", "", load_table,
             "![requests/s per configuration](performance.png)", ""]
    for name, title in [("JwtValidationBenchmarks", "Micro-benchmark: session over JWT vs `JsonWebTokenHandler` alone"),
                        ("CookieAuthenticationBenchmarks", "Micro-benchmark: SessionKit cookie vs ASP.NET Core cookie authentication"),
                        ("RedisStoreBenchmarks", "Micro-benchmark: Redis store operations at 1 k and 1 M stored sessions (client side, loopback round trip included)"),
                        ("MongoStoreBenchmarks", "Micro-benchmark: MongoDB store operations against the in-process wire peer (client side plus the peer's in-process work; not a MongoDB server figure)")]:
        if name in tables:
            parts += [f"#### {title}", "", tables[name][0]]
    if scale:
        parts += ["#### 1 k vs 1 M stored sessions, interleaved (`benchmarks -- scale`)", "",
                  "\n".join(l for l in scale.splitlines() if l.startswith("|")), ""]
    if footprint:
        parts += ["#### Redis bytes per stored session (`RedisSessionFootprintTests`, `MEMORY USAGE … SAMPLES 0`)", "",
                  "\n".join(f"- {line}" for line in footprint.strip().splitlines()), ""]
    parts.append(END)

    doc = open(doc_path, encoding="utf-8").read()
    start, end = doc.index(BEGIN), doc.index(END) + len(END)
    open(doc_path, "w", encoding="utf-8").write(doc[:start] + "\n".join(parts) + doc[end:])
    if summary:
        chart(summary, order, png_path, machine)


if __name__ == "__main__":
    main()
