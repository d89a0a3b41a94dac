#!/usr/bin/python3
"""What a revoking call pays for the other instances' local caches to confirm (issue 14.4): benchmarks/load/lib/confirm.sh.

Usage: confirm.py OUT_TSV TRIALS CASE...
CASE is `name|label|revoking instance URL|listener URL` (listener URL empty: no instance listens on that store's
channel). Each trial, for each case in an order rotated every trial, one after the other: signs in as root on the
revoking instance (POST /login), uses the token once on the listener (so that its local cache holds the session),
times POST /logout on the revoking instance (the call alone, on a kept-alive connection), then checks that the
listener refuses the token (a 200 there is counted as stale). The first case is the baseline of the differences.
"""
import http.client
import json
import statistics
import sys
import time
import urllib.parse


class Client:
    def __init__(self, url):
        parts = urllib.parse.urlsplit(url)
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)

    def request(self, method, path, body=None, token=None):
        headers = {"content-type": "application/json"} if body is not None else {}
        if token:
            headers["authorization"] = "Bearer " + token
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        return response.status, response.read()


def percentile(values, p):
    # Linear interpolation between closest ranks (the "inclusive" method), p in [0, 100].
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1] if len(values) > 1 else values[0]


def main():
    out_path, trials, specs = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    cases = []
    for spec in specs:
        name, label, revoker, listener = spec.split("|")
        cases.append({"name": name, "label": label, "revoker": Client(revoker),
                      "listener": Client(listener) if listener else None, "ms": [], "stale": 0})

    credentials = json.dumps({"username": "root", "password": "password"})
    for trial in range(trials):
        for i in range(len(cases)):
            case = cases[(i + trial) % len(cases)]
            status, body = case["revoker"].request("POST", "/login", credentials)
            if status != 200:
                sys.exit(f"{case['name']}: sign-in answered {status}: {body[:200]!r}")
            token = json.loads(body)["access_token"]
            if case["listener"]:
                status, _ = case["listener"].request("GET", "/member", token=token)
                if status != 200:
                    sys.exit(f"{case['name']}: the listener answered {status} before the revocation")
            start = time.perf_counter()
            status, body = case["revoker"].request("POST", "/logout", token=token)
            elapsed = (time.perf_counter() - start) * 1000
            if status != 200:
                sys.exit(f"{case['name']}: logout answered {status}: {body[:200]!r}")
            case["ms"].append(elapsed)
            if case["listener"]:
                status, _ = case["listener"].request("GET", "/member", token=token)
                case["stale"] += status == 200

    base = {p: percentile(cases[0]["ms"], p) for p in (50, 90, 99)}
    with open(out_path, "w", encoding="utf-8") as out:
        out.write("case\tlabel\ttrials\tp50_ms\tp90_ms\tp99_ms\tp50_diff_ms\tp90_diff_ms\tp99_diff_ms\tstale\n")
        for case in cases:
            q = {p: percentile(case["ms"], p) for p in (50, 90, 99)}
            stale = str(case["stale"]) if case["listener"] else ""
            out.write(f"{case['name']}\t{case['label']}\t{len(case['ms'])}\t{q[50]:.2f}\t{q[90]:.2f}\t{q[99]:.2f}\t"
                      f"{q[50] - base[50]:.2f}\t{q[90] - base[90]:.2f}\t{q[99] - base[99]:.2f}\t{stale}\n")


if __name__ == "__main__":
    main()
