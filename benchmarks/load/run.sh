#!/usr/bin/env bash
# One command for every figure in docs/performance.md:
#   benchmarks/load/run.sh
# 1. builds the sample (Release), starts redis-server and three sample instances on free loopback ports
#    (in-memory store; Redis; Redis + local cache), all with Benchmarks:Baselines=true, and the Node reference stack
#    (benchmarks/load/node: express + express-session + connect-redis on the same Redis) as one process and as a
#    cluster of 2 workers;
# 2. signs in once per configuration, then runs wrk rounds interleaved across the 10 configurations (JWT and cookie,
#    each: stateless ASP.NET Core baseline, in-memory, Redis, Redis + cache; express single and cluster);
# 3. counts the round trips to Redis per request of each Redis-backed configuration (lib/rtt.sh, MONITOR), and
#    times revocations with and without other instances' caches to confirm (lib/confirm.sh);
# 4. runs the BenchmarkDotNet micro-benchmarks (JWT, cookie, Redis store at 1 k and 1 M stored sessions, Mongo store
#    against the in-process wire peer), the
#    interleaved 1 k vs 1 M comparison, and the Redis bytes-per-session test;
# 5. runs the soak test (benchmarks/load/soak.sh: SOAK_DURATION of mixed traffic on Redis, memory and reclaim);
# 6. writes the tables into docs/performance.md (between the results markers) and the chart docs/performance.png.
# Settings (environment): ROUNDS (5), DURATION (8s), THREADS (2), CONNECTIONS (32), EXPRESS_WORKERS (2),
# RTT_DURATION (2s), CONFIRM_TRIALS (200), SOAK_DURATION (10m), SKIP_MICRO=1, SKIP_LOAD=1, SKIP_SOAK=1.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-8s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
EXPRESS_WORKERS=${EXPRESS_WORKERS:-2}
RTT_DURATION=${RTT_DURATION:-2s}
CONFIRM_TRIALS=${CONFIRM_TRIALS:-200}
OUT="$ROOT/benchmarks/load/results"
WORK=$(mktemp -d /tmp/sessionkit-load-XXXXXX)
PIDS=()
START_SECONDS=$SECONDS

LIB="$ROOT/benchmarks/load/lib"
source "$LIB/common.sh"
source "$LIB/instances.sh"
source "$LIB/load.sh"
source "$LIB/rtt.sh"
source "$LIB/confirm.sh"

install_missing_tools

mkdir -p "$OUT"
{
    machine_facts
    echo "node=$(node --version)"
    echo "load_settings=$ROUNDS rounds x 10 configurations x $DURATION, wrk -t$THREADS -c$CONNECTIONS"
    echo "load_before=$(cut -d' ' -f1-3 /proc/loadavg)"
} > "$OUT/machine.txt"

if [ "${SKIP_LOAD:-0}" != 1 ]; then
    start_load_test_stack
    echo "express_packages=$(express_versions)" >> "$OUT/machine.txt"
    run_load_rounds
    echo "load_after_load_test=$(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/machine.txt"
    count_round_trips
    measure_confirmation
    cleanup; PIDS=(); WORK=$(mktemp -d /tmp/sessionkit-load-XXXXXX)
fi

if [ "${SKIP_MICRO:-0}" != 1 ]; then
    log "micro-benchmarks (BenchmarkDotNet)"
    rm -rf "$WORK/bdn"
    (cd "$ROOT" && dotnet run -c Release --project benchmarks/SessionKit.Benchmarks -- \
        --filter '*JwtValidationBenchmarks*' '*CookieAuthenticationBenchmarks*' '*RedisStoreBenchmarks*' '*MongoStoreBenchmarks*' \
        --exporters github --artifacts "$WORK/bdn" >"$OUT/micro.log" 2>&1) || { tail -30 "$OUT/micro.log"; exit 1; }
    rm -rf "$OUT/micro"; mkdir -p "$OUT/micro"
    cp "$WORK"/bdn/results/*-report-github.md "$OUT/micro/"
    log "1 k vs 1 M stored sessions, interleaved (benchmarks -- scale)"
    (cd "$ROOT" && dotnet run -c Release --no-build --project benchmarks/SessionKit.Benchmarks -- scale >"$OUT/scale.md" 2>"$OUT/scale.log") \
        || { cat "$OUT/scale.log"; exit 1; }
    echo "load_after_micro=$(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/machine.txt"
fi

if [ "${SKIP_MICRO:-0}" != 1 ]; then
    log "Redis bytes per stored session (RedisSessionFootprintTests, MEMORY USAGE)"
    (cd "$ROOT" && dotnet test tests/SessionKit.Redis.Tests -c Release -nologo --filter "FullyQualifiedName~RedisSessionFootprintTests" \
        --logger "console;verbosity=detailed" >"$OUT/footprint.log" 2>&1) || { tail -30 "$OUT/footprint.log"; exit 1; }
    grep -Eo '(MEMORY USAGE of one session record|Session with a)[^$]*bytes' "$OUT/footprint.log" | sort -u > "$OUT/footprint.txt"
fi

if [ "${SKIP_SOAK:-0}" != 1 ]; then
    log "soak test (benchmarks/load/soak.sh, ${SOAK_DURATION:-10m})"
    env -u CONNECTIONS -u THREADS DURATION="${SOAK_DURATION:-10m}" "$ROOT/benchmarks/load/soak.sh" >"$OUT/soak.log" 2>&1 || { tail -30 "$OUT/soak.log"; exit 1; }
fi

echo "total_seconds=$((SECONDS - START_SECONDS))" >> "$OUT/machine.txt"
$PY "$ROOT/benchmarks/load/report.py" "$OUT" "$ROOT/docs/performance.md" "$ROOT/docs/performance.png"
log "done in $((SECONDS - START_SECONDS)) s: docs/performance.md, docs/performance.png"
