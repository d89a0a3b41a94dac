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

BASELINE_OF = {"jwt": "jwt-baseline", "cookie": "cookie-baseline"}
SHORT = {"jwt-baseline": "JwtBearer", "cookie-baseline": "AddCookie", "jwt-memory": "JWT in-memory", "jwt-redis": "JWT/Redis",
         "jwt-cached": "JWT Redis + cache", "cookie-memory": "cookie in-memory", "cookie-redis": "cookie/Redis",
         "cookie-cached": "cookie Redis + cache", "express": "express-session, 1 process",
         "express-cluster": "express-session, cluster"}

# Ratios of requests/s taken in the same round, reported as the median (min – max) over rounds:
# (numerator, denominator, goal, where the target comes from). The first target of a configuration against its
# flavour's baseline is the one the load table shows; a second one there is a floor.
RATIO_TARGETS = [
    ("cookie-redis", "express", 8.0, "issue 16"),
    ("cookie-redis", "express-cluster", 4.0, "issue 16"),
    ("jwt-redis", "jwt-baseline", 0.70, "issue 16"),
    ("cookie-redis", "cookie-baseline", 1.0, "issue 16"),
    ("jwt-memory", "jwt-baseline", 1.0, "issue 16"),
    ("jwt-cached", "jwt-baseline", 1.0, "issue 16"),
    ("cookie-memory", "cookie-baseline", 1.5, "issue 16"),
    ("cookie-cached", "cookie-baseline", 1.5, "issue 16"),
    ("jwt-redis", "jwt-baseline", 0.54, "issue 11.10: not slower than on the 1.2.6 client"),
    ("cookie-redis", "cookie-baseline", 0.80, "issue 11.10: not slower than on the 1.2.6 client"),
    ("jwt-cached", "jwt-baseline", 0.85, "issue 14.4: the cached path never below"),
]
RTT_TARGET_CONFIGS = ("jwt-redis", "cookie-redis")
RTT_TOLERANCE = 0.02  # a coalesced touch in the window may add one command
CHART_COLOURS = {"jwt": "#3b6ea5", "cookie": "#c0703a", "express": "#5f8f3a"}


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
        return "_The load test was skipped in the last run (SKIP_LOAD=1)._\n", {}, None, None
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
        ratio = round_ratios(per_round, rounds, config, BASELINE_OF[flavours[config]])
        summary[config] = {
            "label": labels[config], "flavour": flavours[config], "rps": rps,
            "median": statistics.median(rps), "ratio": ratio[0], "ratio_min": ratio[1], "ratio_max": ratio[2],
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
        base = BASELINE_OF[s["flavour"]]
        goals = [goal for num, den, goal, _ in RATIO_TARGETS if num == config and den == base]
        if config == base:
            ratio_text, target_text, met = "**1.00** (baseline)", "—", "—"
        else:
            ratio_text = f"**{s['ratio']:.2f}** ({s['ratio_min']:.2f} – {s['ratio_max']:.2f})"
            target_text = "—" if not goals else f"≥ {goals[0]:g}" + "".join(f" (floor {g:g})" for g in goals[1:])
            met = "—" if not goals else ("yes" if s["ratio"] >= goals[0] else "**no**")
        flavour = "express" if config.startswith("express") else s["flavour"]
        out.append(f"| {flavour} | {s['label']} | {s['median']:,.0f} | {min(s['rps']):,.0f} – {max(s['rps']):,.0f} "
                   f"| {ratio_text} | {target_text} | {met} | {s['p50']:.2f} ms / {s['p99']:.2f} ms | {cpu(s)} | {s['non2xx']} |")
    if any(c.startswith("express") for c in order):
        out += ["", "The express rows' ratio is to `AddCookie`, like the other cookie rows; the CPU of the cluster is that of "
                "its primary process and workers together."]
    return "\n".join(out) + "\n", summary, order, (per_round, rounds)


def round_ratios(per_round, rounds, config, base):
    """Median, min and max over rounds of config's req/s ÷ base's req/s in the same round."""
    ratios = [float(per_round[(rd, config)]["rps"]) / float(per_round[(rd, base)]["rps"])
              for rd in rounds if (rd, config) in per_round and (rd, base) in per_round]
    return (statistics.median(ratios), min(ratios), max(ratios)) if ratios else None


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


def targets_section(summary, rounds_data, rtt, tables, footprint, scale):
    out = ["| target | measured | met? |", "|---|---|---|"]
    if rounds_data:
        per_round, rounds = rounds_data
        for num, den, goal, source in RATIO_TARGETS:
            what = f"load test: {SHORT[num]} ÷ {SHORT[den]} ≥ {goal:g} ({source})"
            ratio = round_ratios(per_round, rounds, num, den)
            if ratio is None:
                out.append(f"| {what} | not measured | **no** |")
                continue
            figure = f"{ratio[0]:.2f} ({ratio[1]:.2f} – {ratio[2]:.2f})"
            out.append(f"| {what} | {figure} | {'yes' if ratio[0] >= goal else f'**no** ({ratio[0]:.2f} < {goal:g})'} |")
    for config in RTT_TARGET_CONFIGS:
        r = rtt.get(config)
        what = f"round trips to Redis per authenticated request, {SHORT[config]} = 1 (issue 16)"
        if r is None or not r["round_trips_per_request"]:
            if rtt:
                out.append(f"| {what} | not measured | **no** |")
            continue
        n = float(r["round_trips_per_request"])
        met = "yes" if abs(n - 1) <= RTT_TOLERANCE else f"**no** ({n:.2f})"
        out.append(f"| {what} | {n:.2f} ({r['commands_per_request']}) | {met} |")
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


def read_tsv(path):
    return list(csv.DictReader(open(path, encoding="utf-8"), delimiter="\t")) if os.path.exists(path) else []


def rtt_section(rows):
    out = ["| configuration | requests (wrk -t1 -c4) | round trips per request | commands inside scripts per request "
           "| commands per request (background subtracted) | background with no load (same connections) |",
           "|---|---:|---:|---:|---|---|"]
    for r in rows:
        inside = f"{float(r['script_commands_per_request'] or 'nan'):.2f}"
        if r["script_commands"] not in ("", "none"):
            inside += f" ({r['script_commands']})"
        out.append(f"| {r['label']} (`{r['client']}`) | {int(r['requests']):,} | **{float(r['round_trips_per_request'] or 'nan'):.2f}** "
                   f"| {inside} | {r['commands_per_request']} | {r['background_per_second']} |")
    return "\n".join(out) + "\n"


def confirm_section(rows):
    out = ["| revoking call (`POST /logout`, session over JWT) | trials | p50 | p90 | p99 "
           "| difference to the first row: p50 / p90 / p99 | listener still accepting the token after the call returned |",
           "|---|---:|---:|---:|---:|---:|---:|"]
    for i, r in enumerate(rows):
        diff = "—" if i == 0 else f"{float(r['p50_diff_ms']):+.2f} / {float(r['p90_diff_ms']):+.2f} / {float(r['p99_diff_ms']):+.2f} ms"
        stale = f"{r['stale']} of {r['trials']}" if r["stale"] else "—"
        out.append(f"| {r['label']} | {r['trials']} | {float(r['p50_ms']):.2f} ms | {float(r['p90_ms']):.2f} ms "
                   f"| {float(r['p99_ms']):.2f} ms | {diff} | {stale} |")
    return "\n".join(out) + "\n"


def chart(summary, order, png_path, machine):
    fig, ax = plt.subplots(figsize=(12, 5))
    xs = range(len(order))
    for x, config in zip(xs, order):
        s = summary[config]
        is_base = config in BASELINE_OF.values()
        colour = CHART_COLOURS["express" if config.startswith("express") else s["flavour"]]
        ax.bar(x, s["median"], color=colour, alpha=0.55 if is_base else 0.95,
               hatch="//" if is_base else None, edgecolor="black", linewidth=0.5)
        ax.errorbar(x, s["median"], yerr=[[s["median"] - min(s["rps"])], [max(s["rps"]) - s["median"]]], color="black", capsize=3)
        ax.text(x, max(s["rps"]) + 600, "baseline" if is_base else f"× {s['ratio']:.2f}", ha="center", fontsize=9)
    ax.set_xticks(list(xs))
    ax.set_xticklabels([summary[c]["label"].replace(" + connect-redis", "").replace(", ", ",\n").replace(" (", "\n(")
                        for c in order], fontsize=8)
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
    load_table, summary, order, rounds_data = load_section(results_dir)
    rtt_rows = read_tsv(os.path.join(results_dir, "rtt.tsv"))
    confirm_rows = read_tsv(os.path.join(results_dir, "confirm.tsv"))
    soak_path = os.path.join(results_dir, "soak.md")
    tables = micro_tables(results_dir)

    parts = [BEGIN, "", f"### Last run: {machine.get('date_utc', '?')} UTC, `benchmarks/load/run.sh` took {int(machine.get('total_seconds', 0)) // 60} min "
             f"{int(machine.get('total_seconds', 0)) % 60} s", "",
             f"Machine: {machine.get('cpu', '?')}, {machine.get('cores', '?')} cores, {machine.get('memory_gb', '?')} GB, {machine.get('os', '?')}; "
             f".NET SDK {machine.get('dotnet', '?')}, Redis {machine.get('redis', '?')}, wrk {machine.get('wrk', '?')}, "
             f"Node {machine.get('node', '?')} ({machine.get('express_packages', '?')}). "
             f"Load average (1/5/15 min) before the run: {machine.get('load_before', '?')}; after the load test: "
             f"{machine.get('load_after_load_test', '—')}; after the micro-benchmarks: {machine.get('load_after_micro', '—')}. "
             f"Load test: {machine.get('load_settings', '?')}.", "",
             "#### Targets", "", targets_section(summary, rounds_data, {r["config"]: r for r in rtt_rows}, tables, footprint, scale),
             "#### Load test (wrk, `GET` of a 12-byte body, loopback)", "", load_table,
             "![requests/s per configuration](performance.png)", ""]
    if rtt_rows:
        parts += ["#### Round trips to Redis per authenticated request (`redis-cli MONITOR`, by connection)", "",
                  rtt_section(rtt_rows)]
    if confirm_rows:
        parts += ["#### Confirmation latency of a revocation (other instances' local caches)", "", confirm_section(confirm_rows)]
    if os.path.exists(soak_path):
        parts += ["#### Soak", "", open(soak_path, encoding="utf-8").read().strip(), ""]
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
