#!/usr/bin/python3
"""Round trips to Redis per request, from `redis-cli MONITOR` recordings (benchmarks/load/lib/rtt.sh).

Usage: rtt.py MANIFEST OUT_TSV RECORDING_SECONDS (how long each MONITOR recording lasts, for the background rate)
MANIFEST (tab-separated, with a header): config, label, client, wrk_output, monitor, clients; the row whose config is
"(idle)" is the same window recorded with no load. A MONITOR line is `<time> [<db> <addr>] "CMD" ...`; the commands a
script runs follow the script's call as `[<db> lua]` lines: they are not round trips, and are counted apart, for the
connection whose call precedes them. A configuration's connections are those CLIENT LIST names `client`.
"""
import collections
import csv
import re
import sys

LINE = re.compile(r'^\d+\.\d+ \[\d+ ([^\]]+)\] "([^"]*)"')


def names_by_address(clients_path):
    names = {}
    for line in open(clients_path, encoding="utf-8", errors="replace"):
        fields = dict(f.split("=", 1) for f in line.split() if "=" in f)
        if "addr" in fields:
            names[fields["addr"]] = fields.get("name", "")
    return names


def count(monitor_path, names):
    """-> {client name: (Counter of commands, Counter of commands run inside its scripts)}"""
    sent = collections.defaultdict(collections.Counter)
    scripted = collections.defaultdict(collections.Counter)
    caller = None
    for line in open(monitor_path, encoding="utf-8", errors="replace"):
        m = LINE.match(line)
        if not m:
            continue
        addr, command = m.group(1), m.group(2).upper()
        if addr == "lua":
            if caller is not None:
                scripted[caller][command] += 1
            continue
        caller = names.get(addr, "?" + addr)
        sent[caller][command] += 1
    return sent, scripted


def requests_of(wrk_path):
    m = re.search(r"(\d+) requests in", open(wrk_path, encoding="utf-8").read())
    return int(m.group(1)) if m else 0


def per_request(load, idle, requests):
    """Commands per request, background subtracted. A command of the background that differs from it by less than
    0.0005 per request is left out (heartbeats falling either side of a window's edges); any other is kept, however
    rare (a coalesced touch)."""
    counts = {cmd: (load.get(cmd, 0) - idle.get(cmd, 0)) / requests for cmd in set(load) | set(idle)}
    return {cmd: n for cmd, n in counts.items() if n != 0 and (cmd not in idle or abs(n) >= 0.0005)}


def describe(counts):
    """'GET ×1, EVALSHA ×0.0003': whole numbers as such, fractions (a coalesced touch, say) with 2 significant digits."""
    if not counts:
        return "none"
    parts = []
    for cmd, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        parts.append(f"{cmd} ×{n:.0f}" if abs(n - round(n)) < 0.0005 and round(n) != 0 else f"{cmd} ×{n:.2g}")
    return ", ".join(parts)


def main():
    manifest_path, out_path, window = sys.argv[1], sys.argv[2], float(sys.argv[3])
    rows = list(csv.DictReader(open(manifest_path, encoding="utf-8"), delimiter="\t"))
    idle_row = next(r for r in rows if r["config"] == "(idle)")
    idle_sent, idle_scripted = count(idle_row["monitor"], names_by_address(idle_row["clients"]))

    with open(out_path, "w", encoding="utf-8", newline="") as out:
        w = csv.writer(out, delimiter="\t", lineterminator="\n")
        w.writerow(["config", "label", "client", "requests", "round_trips_per_request", "script_commands_per_request",
                    "commands_per_request", "script_commands", "background_per_second"])
        for r in rows:
            if r["config"] == "(idle)":
                continue
            sent, scripted = count(r["monitor"], names_by_address(r["clients"]))
            requests = requests_of(r["wrk_output"])
            client = r["client"]
            if requests == 0:
                w.writerow([r["config"], r["label"], client, 0, "", "", "wrk completed no request", "", ""])
                continue
            commands = per_request(sent.get(client, {}), idle_sent.get(client, {}), requests)
            inside = per_request(scripted.get(client, {}), idle_scripted.get(client, {}), requests)
            background = idle_sent.get(client, collections.Counter())
            background_text = ", ".join(f"{cmd} {n / window:.1f}/s" for cmd, n in background.most_common()) or "none"
            w.writerow([r["config"], r["label"], client, requests, f"{sum(commands.values()):.3f}",
                        f"{sum(inside.values()):.3f}", describe(commands), describe(inside), background_text])


if __name__ == "__main__":
    main()
