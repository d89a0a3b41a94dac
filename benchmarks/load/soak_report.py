#!/usr/bin/env python3
"""Writes results/soak.md from one soak run (benchmarks/load/soak.sh), and says by its exit status how it went.

    soak_report.py WORK_DIR OUTPUT.md

WORK_DIR holds machine.txt (key=value), soak.tsv (the samples), counts.tsv (soak.lua's counts by step and status),
wrk.out (wrk's own summary) and app-warnings.txt (the app's warn/fail log lines). Exit status: 0 when there were no
errors and the expired sessions were reclaimed, 1 on errors, 2 when only the reclaim failed. Standard library only.
"""
import csv
import re
import sys
from pathlib import Path

STEPS = [  # (key, flavour, what, expected status)
    ("jwt-login", "session over JWT (root)", "sign-in `POST /login`", 200),
    ("jwt-get", "session over JWT (root)", "`GET /member`", 200),
    ("jwt-logout", "session over JWT (root)", "`POST /logout`", 200),
    ("jwt-revoked", "session over JWT (root)", "`GET /member` with the logged-out token", 401),
    ("cookie-login", "cookie (admin)", "sign-in `POST /user/login`", 200),
    ("cookie-get", "cookie (admin)", "`GET /user/me`", 200),
    ("cookie-logout", "cookie (admin)", "`POST /user/logout`", 200),
    ("cookie-revoked", "cookie (admin)", "`GET /user/me` with the logged-out cookie", 401),
]


def read_kv(path):
    values = {}
    for line in Path(path).read_text().splitlines():
        if "=" in line:
            key, value = line.split("=", 1)
            values[key] = value
    return values


def read_counts(path):
    by_step, totals, abandoned_at = {}, {}, []
    with open(path) as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if row["step"].startswith("#"):
                totals[row["step"][1:]] = int(row["count"])
            elif row["step"] == "@abandoned_at":
                signed_in, last_use = (int(x) for x in row["status"].split(","))
                abandoned_at.append((signed_in, last_use, int(row["count"])))
            else:
                by_step.setdefault(row["step"], []).append((int(row["status"]), int(row["count"]), row["kind"]))
    return by_step, totals, abandoned_at


def wrk_summary(path):
    text = Path(path).read_text()
    found = lambda pattern: (m.group(1) if (m := re.search(pattern, text, re.M)) else "?")
    return {"rps": found(r"^Requests/sec:\s+([\d.]+)"), "p50": found(r"^\s+50%\s+(\S+)"), "p99": found(r"^\s+99%\s+(\S+)")}


def slope(samples, field):
    """Least-squares slope of a column against elapsed seconds (per second); 0 with fewer than 2 samples."""
    points = [(int(s["elapsed_s"]), int(s[field])) for s in samples]
    if len(points) < 2:
        return 0.0
    mean_t = sum(t for t, _ in points) / len(points)
    mean_v = sum(v for _, v in points) / len(points)
    spread = sum((t - mean_t) ** 2 for t, _ in points)
    return sum((t - mean_t) * (v - mean_v) for t, v in points) / spread if spread else 0.0


def num(value):
    return int(value) if value not in ("", None) else None


def main(work, output):
    work = Path(work)
    machine = read_kv(work / "machine.txt")
    settings = dict(item.split("=", 1) for item in machine["settings"].split())
    with open(work / "soak.tsv") as f:
        samples = list(csv.DictReader(f, delimiter="\t"))
    by_phase = {}
    for s in samples:
        by_phase.setdefault(s["phase"], s)  # first sample of each phase
    start, middle, end = by_phase["start"], by_phase.get("middle", by_phase["end"]), by_phase["end"]
    after_wait, after_prune = by_phase["after-wait"], by_phase["after-prune"]
    by_step, totals, abandoned_at = read_counts(work / "counts.tsv")
    wrk = wrk_summary(work / "wrk.out")
    warnings = [line for line in (work / "app-warnings.txt").read_text().splitlines() if line.strip()]

    load_s = int(machine["load_seconds"])
    idle = int(settings["IDLE_TIMEOUT"])
    connections = int(settings["CONNECTIONS"])
    absolute = settings.get("ABSOLUTE_LIFETIME") or ""
    tolerance = int(settings["MEMORY_TOLERANCE"])
    errors = totals.get("errors", 0)
    requests = totals.get("requests", 0)
    abandoned, logged_out, cycles = totals.get("abandoned", 0), totals.get("logged_out", 0), totals.get("cycles", 0)

    every = int(settings["THINK_EVERY"])
    think = (f"Every {every}th cycle pauses {int(settings['THINK_MS']) / 1000:g} s before its last GET, past the touch "
             f"threshold (10 % of the idle timeout), so that GET writes the session's last-seen time (a touch)."
             if every > 0 else "No cycle pauses long enough to touch its session.")
    out = []
    w = out.append
    w(f"Last soak run: {machine['date_utc']} UTC, `{machine['command'].strip()}` took "
      f"{int(machine['total_seconds']) // 60} min {int(machine['total_seconds']) % 60} s.")
    w("")
    w(f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory_gb']} GB, {machine['os']}; "
      f".NET SDK {machine['dotnet']}, Redis {machine['redis']}, wrk {machine['wrk']}. Load average (1/5/15 min) "
      f"before: {machine['load_before']}; after the load: {machine.get('load_after', '?')}.")
    w("")
    w(f"Settings: one sample instance (Production, warnings-only logging, `--Store redis`, sign-in rate limit off: "
      f"`RateLimiting:SignIn:PermitLimit 0`), `SessionKit:IdleTimeout` {idle} s, `AbsoluteLifetime` "
      f"{absolute + ' s' if absolute else 'the default 8 h'}; redis-server without persistence. "
      f"`{machine['wrk_command']}`: {connections} connections (one per wrk thread), "
      f"{settings['DELAY_MS']} ms ±50 % before each request; each cycle signs in, makes {settings['GETS']} "
      f"authenticated GETs, then logs out and checks that the credential is refused (401), or — "
      f"{float(settings['ABANDON']):.0%} of the cycles — abandons the session to expire. {think} Cycles alternate between "
      f"session over JWT (`root`) and the cookie (`admin`); a cycle never reuses an earlier session, so every expected "
      f"status is exact.")
    w("")
    w(f"**{requests:,} requests** in {load_s} s ({wrk['rps']} req/s; latency p50 {wrk['p50']}, p99 {wrk['p99']}); "
      f"{cycles:,} cycles: {logged_out:,} logged out, {abandoned:,} abandoned. **Errors: {errors}** "
      f"(unexpected statuses, unanswered requests: {totals.get('unanswered', 0)}, sign-ins without a credential: "
      f"{totals.get('bad_credential', 0)}, socket errors: {totals.get('socket_errors', 0)}; responses slower than "
      f"wrk's 10 s timeout: {totals.get('slower_than_timeout', 0)}). App log: {len(warnings)} warning or error lines.")
    w("")
    w("| flavour | step | expected | answered as expected | other statuses |")
    w("|---|---|---:|---:|---|")
    for key, flavour, what, expected in STEPS:
        rows = by_step.get(key, [])
        good = sum(n for status, n, _ in rows if status == expected)
        other = ", ".join(f"{status} ×{n:,}" + (" (rate limited)" if kind == "rate-limited" else " **error**")
                          for status, n, kind in rows if status != expected) or "—"
        w(f"| {flavour} | {what} | {expected} | {good:,} | {other} |")
    w("")

    def mb(s):
        return f"{int(s['app_rss_kb']) / 1024:.0f}"

    def kb(s):
        return f"{int(s['redis_used_memory']) / 1024:,.0f}"

    def keys(s, field):
        return "—" if s[field] == "" else f"{int(s[field]):,}"

    w("| sample | t (s) | app RSS (MB) | Redis used_memory (KB) | DBSIZE | session keys | subject indexes: keys / entries (live) | partition keys |")
    w("|---|---:|---:|---:|---:|---:|---|---:|")
    for label, s in [("start (before the load)", start), ("middle", middle), ("end of the load", end),
                     (f"after {idle} s idle + margin", after_wait), ("after one sign-in and logout per user", after_prune)]:
        w(f"| {label} | {s['elapsed_s']} | {mb(s)} | {kb(s)} | {int(s['dbsize']):,} | {keys(s, 'session_keys')} | "
          f"{keys(s, 'index_keys')} / {keys(s, 'index_entries')} ({keys(s, 'index_entries_live')}) | {keys(s, 'partition_keys')} |")
    w("")

    during = [s for s in samples if s["phase"] in ("start", "load", "middle", "end")]
    peak_rss = max(int(s["app_rss_kb"]) for s in during) / 1024
    peak_mem = max(int(s["redis_used_memory"]) for s in during) / 1024
    peak_sessions = max(int(s["session_keys"]) for s in during if s["session_keys"])
    rss_change = (int(end["app_rss_kb"]) - int(middle["app_rss_kb"])) / int(middle["app_rss_kb"])
    second_half = [s for s in during if int(s["elapsed_s"]) >= int(middle["elapsed_s"])]
    trend = lambda field, unit: (f", trend over the second half {slope(second_half, field) / 1024 * 60:+,.1f} {unit}/min"
                                 if len(second_half) >= 4 else "")
    app_cpu = float(end["app_cpu_s"]) - float(start["app_cpu_s"])
    redis_cpu = float(end["redis_cpu_s"]) - float(start["redis_cpu_s"])
    sign_ins = sum(n for key in ("jwt-login", "cookie-login") for _, n, _ in by_step.get(key, []))
    w(f"Over the load ({len(during)} samples, every {settings['SAMPLE_EVERY']} s): app RSS peak {peak_rss:.0f} MB, "
      f"middle → end {rss_change:+.0%}{trend('app_rss_kb', 'MB')}; Redis used_memory peak {peak_mem:,.0f} KB"
      f"{trend('redis_used_memory', 'KB')}; session keys peak {peak_sessions:,}. App CPU {app_cpu:,.1f} s "
      f"({app_cpu * 1e6 / max(requests, 1):,.0f} µs per request, mostly the {sign_ins:,} sign-ins: the password hash is "
      f"PBKDF2 with 100,000 iterations), redis-server {redis_cpu:,.1f} s ({redis_cpu * 1e6 / max(requests, 1):,.0f} µs "
      f"per request). The full series is `benchmarks/load/results/soak.tsv`. Managed heap: not sampled (no "
      f"dotnet-counters here).")
    w("")

    # Expected session keys at the end of the load. An abandoned session expires IDLE_TIMEOUT after its last write:
    # no earlier than IDLE_TIMEOUT after its sign-in, no later than IDLE_TIMEOUT after its last GET (whole seconds as
    # the client saw them; 2 s of slack for the latency and the rounding). Plus the session of each connection's
    # cycle under way when wrk stopped (live; or maybe, when wrk stopped during its sign-in or logout).
    t_end = int(end["epoch"])
    surely_live = sum(n for signed_in, _, n in abandoned_at if signed_in - 2 + idle > t_end)
    maybe_live = sum(n for _, last_use, n in abandoned_at if last_use + 2 + idle > t_end)
    expired_in_run = abandoned - maybe_live
    low = surely_live + totals.get("live_in_cycle", 0)
    high = maybe_live + totals.get("live_in_cycle", 0) + totals.get("maybe_in_cycle", 0)
    measured_end = num(end["session_keys"])
    expected_end = "as expected" if low <= measured_end <= high else "**not as expected**"
    sessions_gone = num(after_wait["session_keys"]) == 0 and num(after_wait["index_entries_live"]) == 0
    expired_by_redis = int(after_wait["dbsize"]) == num(after_wait["index_keys"]) + num(after_wait["partition_keys"])
    pruned = (num(after_prune["index_entries"]) == 0 and num(after_prune["index_keys"]) == 0
              and num(after_prune["session_keys"]) == 0 and int(after_prune["dbsize"]) == num(after_prune["partition_keys"]))
    memory_delta = int(after_prune["redis_used_memory"]) - int(start["redis_used_memory"])
    memory_back = memory_delta <= tolerance
    reclaimed = sessions_gone and expired_by_redis and pruned and memory_back and low <= measured_end <= high
    w(f"**Reclaimed: {'yes' if reclaimed else 'no'}.** Of the {abandoned:,} abandoned sessions, {expired_in_run:,} had "
      f"expired before the load ended. At its end {measured_end:,} session keys were stored, {expected_end}: expected "
      f"{low:,}–{high:,} — the abandoned sessions whose idle timeout had not run out ({surely_live:,}–{maybe_live:,}, "
      f"from the client's sign-in and last-use times) plus the {totals.get('live_in_cycle', 0)} sessions of cycles under "
      f"way (and {totals.get('maybe_in_cycle', 0)} sign-ins or logouts in flight). "
      f"{idle} s + margin after the load every session had expired: "
      f"{keys(after_wait, 'session_keys')} session keys (expected 0), DBSIZE {int(after_wait['dbsize']):,} counted "
      f"before any SCAN touched the keys (= {keys(after_wait, 'index_keys')} subject indexes + "
      f"{keys(after_wait, 'partition_keys')} partition keys: {'yes' if expired_by_redis else '**no**'}, so Redis's own "
      f"expiry dropped the session keys). The subject indexes still held {keys(after_wait, 'index_entries')} entries, "
      f"{keys(after_wait, 'index_entries_live')} of them live: an index lives until the latest absolute expiry of its "
      f"sessions (TTL left: {int(after_wait['index_ttl_s'] or 0) / 3600:.1f} h) and is pruned of expired entries when its user signs in, "
      f"lists or revokes sessions. One sign-in and logout per user pruned them: {keys(after_prune, 'index_entries')} "
      f"entries in {keys(after_prune, 'index_keys')} indexes (expected 0), DBSIZE {int(after_prune['dbsize'])} = the "
      f"{keys(after_prune, 'partition_keys')} users' partition keys (kept for twice the absolute lifetime, by design) "
      f"{'as expected' if pruned else '**not as expected**'}. Redis used_memory {kb(start)} KB at the start, "
      f"{kb(after_prune)} KB at the end ({memory_delta / 1024:+,.1f} KB; near the start means within "
      f"{tolerance / 1024:,.0f} KB: {'yes' if memory_back else '**no**'}).")
    if not expired_in_run:
        w("")
        w("(No abandoned session expired during the load: run longer than the idle timeout.)")
    if warnings:
        w("")
        w("App warnings and errors (first 5 distinct):")
        w("")
        seen = []
        for line in warnings:
            if line not in seen:
                seen.append(line)
        for line in seen[:5]:
            w(f"- `{line.strip()[:200]}`")
    Path(output).write_text("\n".join(out) + "\n")
    return 1 if errors else (0 if reclaimed else 2)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
