#!/usr/bin/env bash
# One command for every figure in docs/performance.md:
#   benchmarks/load/run.sh
# 1. builds the sample (Release), starts redis-server and three sample instances on free loopback ports
#    (in-memory store; Redis; Redis + local cache), all with Benchmarks:Baselines=true;
# 2. signs in once per instance, then runs wrk rounds interleaved across the 8 configurations (JWT and cookie,
#    each: stateless ASP.NET Core baseline, in-memory, Redis, Redis + cache);
# 3. runs the BenchmarkDotNet micro-benchmarks (JWT, cookie, Redis store at 1 k and 1 M stored sessions, Mongo store
#    against the in-process wire peer), the
#    interleaved 1 k vs 1 M comparison, and the Redis bytes-per-session test;
# 4. writes the tables into docs/performance.md (between the results markers) and the chart docs/performance.png.
# Settings (environment): ROUNDS (5), DURATION (8s), THREADS (2), CONNECTIONS (32), SKIP_MICRO=1, SKIP_LOAD=1.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-8s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
OUT="$ROOT/benchmarks/load/results"
WORK=$(mktemp -d /tmp/sessionkit-load-XXXXXX)
PIDS=()
START_SECONDS=$SECONDS

cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# --- tools (not part of CI: wrk and matplotlib are installed here, not in build.sh) ---
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v redis-server >/dev/null || missing+=(redis-server)
command -v redis-cli >/dev/null || missing+=(redis-tools)
command -v curl >/dev/null || missing+=(curl)
/usr/bin/python3 -c 'import matplotlib' 2>/dev/null || missing+=(python3-matplotlib)
if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    SUDO=$([ "$(id -u)" -eq 0 ] && echo "" || echo sudo)
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
PY=/usr/bin/python3

free_port() { $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_http() { for _ in $(seq 1 150); do curl -sf -o /dev/null "$1" && return 0; sleep 0.2; done; log "no answer from $1"; return 1; }

mkdir -p "$OUT"
{
    echo "date_utc=$(date -u '+%Y-%m-%d %H:%M')"
    echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
    echo "cores=$(nproc)"
    echo "memory_gb=$(awk '/MemTotal/ {printf "%.0f", $2/1048576}' /proc/meminfo)"
    echo "os=$(. /etc/os-release; echo "$PRETTY_NAME")"
    echo "dotnet=$(dotnet --version)"
    echo "redis=$(redis-server --version | grep -o 'v=[0-9.]*' | cut -d= -f2)"
    echo "wrk=$(wrk -v 2>&1 | head -1 | awk '{print $2}')"
    echo "load_settings=$ROUNDS rounds x 8 configurations x $DURATION, wrk -t$THREADS -c$CONNECTIONS"
    echo "load_before=$(cut -d' ' -f1-3 /proc/loadavg)"
} > "$OUT/machine.txt"

if [ "${SKIP_LOAD:-0}" != 1 ]; then
    log "building the sample (Release)"
    dotnet build "$ROOT/samples/SessionKit.Sample/SessionKit.Sample.csproj" -c Release -nologo -v q >/dev/null
    APP_DIR="$ROOT/samples/SessionKit.Sample/bin/Release/net10.0"

    REDIS_PORT=$(free_port)
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize no --dir "$WORK" >"$WORK/redis.log" 2>&1 &
    PIDS+=($!); REDIS_PID=$!
    for _ in $(seq 1 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done

    SIGNING_KEY=$(head -c 32 /dev/urandom | base64)
    declare -A PORT PID
    start_instance() { # name, extra args...
        local name=$1; shift
        PORT[$name]=$(free_port)
        (cd "$APP_DIR" && ASPNETCORE_ENVIRONMENT=Production exec dotnet SessionKit.Sample.dll \
            --urls "http://127.0.0.1:${PORT[$name]}" --Benchmarks:Baselines true --Jwt:SigningKey "$SIGNING_KEY" \
            --Logging:LogLevel:Default Warning "$@" >"$WORK/$name.log" 2>&1) &
        PIDS+=($!); PID[$name]=$!
    }
    start_instance memory
    start_instance redis --Store redis --ConnectionStrings:redis "127.0.0.1:$REDIS_PORT"
    start_instance cached --Store redis --ConnectionStrings:redis "127.0.0.1:$REDIS_PORT" --SessionKit:LocalCache:Enabled true
    for name in memory redis cached; do wait_http "http://127.0.0.1:${PORT[$name]}/health"; done

    jwt_login() { curl -sf -X POST "http://127.0.0.1:${PORT[$1]}/login" -H 'content-type: application/json' \
        -d '{"username":"root","password":"password"}' | sed -E 's/.*"access_token":"([^"]+)".*/\1/'; }
    cookie_login() { # instance, path, cookie name -> "name=value"
        curl -s -D - -o /dev/null -X POST "http://127.0.0.1:${PORT[$1]}$2" -H 'content-type: application/json' \
            -d '{"username":"admin","password":"admin"}' | tr -d '\r' | grep -i "^set-cookie: $3=" | head -1 | sed -E 's/^[^:]+: ([^;]+);.*/\1/'; }

    # name | label | flavour | url | header
    CONFIGS="$WORK/configs.tsv"
    {
        printf 'jwt-baseline\tJwtBearer (stateless)\tjwt\thttp://127.0.0.1:%s/baseline/jwt/member\tAuthorization: Bearer %s\n' "${PORT[memory]}" "$(jwt_login memory)"
        printf 'jwt-memory\tsession/JWT, in-memory\tjwt\thttp://127.0.0.1:%s/member\tAuthorization: Bearer %s\n' "${PORT[memory]}" "$(jwt_login memory)"
        printf 'jwt-redis\tsession/JWT, Redis\tjwt\thttp://127.0.0.1:%s/member\tAuthorization: Bearer %s\n' "${PORT[redis]}" "$(jwt_login redis)"
        printf 'jwt-cached\tsession/JWT, Redis + cache\tjwt\thttp://127.0.0.1:%s/member\tAuthorization: Bearer %s\n' "${PORT[cached]}" "$(jwt_login cached)"
        printf 'cookie-baseline\tAddCookie (stateless ticket)\tcookie\thttp://127.0.0.1:%s/baseline/cookie/member\tCookie: %s\n' "${PORT[memory]}" "$(cookie_login memory /baseline/cookie/login baseline-cookie)"
        printf 'cookie-memory\tsession cookie, in-memory\tcookie\thttp://127.0.0.1:%s/baseline/session-cookie/member\tCookie: %s\n' "${PORT[memory]}" "$(cookie_login memory /user/login __Host-session)"
        printf 'cookie-redis\tsession cookie, Redis\tcookie\thttp://127.0.0.1:%s/baseline/session-cookie/member\tCookie: %s\n' "${PORT[redis]}" "$(cookie_login redis /user/login __Host-session)"
        printf 'cookie-cached\tsession cookie, Redis + cache\tcookie\thttp://127.0.0.1:%s/baseline/session-cookie/member\tCookie: %s\n' "${PORT[cached]}" "$(cookie_login cached /user/login __Host-session)"
    } > "$CONFIGS"

    # Every configuration must answer 200 "Hello World!" before it is measured (and a request without credentials 401).
    while IFS=$'\t' read -r name label flavour url header; do
        body=$(curl -sf "$url" -H "$header") || { log "$name: request failed"; exit 1; }
        [ "$body" = "Hello World!" ] || { log "$name: unexpected body '$body'"; exit 1; }
        code=$(curl -s -o /dev/null -w '%{http_code}' "$url")
        [ "$code" = 401 ] || { log "$name: $code without credentials (expected 401)"; exit 1; }
    done < "$CONFIGS"
    log "all 8 configurations answer; warming up"

    mapfile -t LINES < "$CONFIGS"
    instance_of() { local port=${1#http://127.0.0.1:}; port=${port%%/*}; for n in memory redis cached; do if [ "${PORT[$n]}" = "$port" ]; then echo "$n"; fi; done; }
    cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }   # user + system, in clock ticks
    TICK_US=$((1000000 / $(getconf CLK_TCK)))
    run_wrk() { # line, duration -> "rps p50 p99 non2xx app_cpu_us_per_request redis_cpu_us_per_request"
        IFS=$'\t' read -r _ _ _ url header <<<"$1"
        local app; app=${PID[$(instance_of "$url")]}
        local app0 redis0; app0=$(cpu_ticks "$app"); redis0=$(cpu_ticks "$REDIS_PID")
        wrk -t"$THREADS" -c"$CONNECTIONS" -d"$2" --latency -H "$header" "$url" > "$WORK/wrk.out"
        local app_ticks=$(( $(cpu_ticks "$app") - app0 )) redis_ticks=$(( $(cpu_ticks "$REDIS_PID") - redis0 ))
        awk -v at="$app_ticks" -v rt="$redis_ticks" -v us="$TICK_US" '/Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} /Non-2xx/ {bad=$5}
            /requests in/ {n=$1} END {printf "%s %s %s %d %.1f %.1f\n", rps, p50, p99, (bad==""?0:bad), at*us/n, rt*us/n}' "$WORK/wrk.out"
    }
    for line in "${LINES[@]}"; do run_wrk "$line" 3s >/dev/null; done

    RESULTS="$OUT/load.tsv"
    printf 'round\tconfig\tlabel\tflavour\trps\tp50\tp99\tnon2xx\tapp_cpu_us\tredis_cpu_us\n' > "$RESULTS"
    n=${#LINES[@]}
    for round in $(seq 1 "$ROUNDS"); do
        for i in $(seq 0 $((n - 1))); do
            line=${LINES[$(((i + round - 1) % n))]}      # rotate the order each round
            IFS=$'\t' read -r name label flavour _ _ <<<"$line"
            read -r rps p50 p99 bad app_cpu redis_cpu <<<"$(run_wrk "$line" "$DURATION")"
            printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$name" "$label" "$flavour" "$rps" "$p50" "$p99" "$bad" "$app_cpu" "$redis_cpu" >> "$RESULTS"
            log "round $round/$ROUNDS $name: $rps req/s (p50 $p50, p99 $p99, non-2xx $bad; CPU per request: app $app_cpu µs, redis-server $redis_cpu µs)"
        done
    done
    echo "load_after_load_test=$(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/machine.txt"
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

echo "total_seconds=$((SECONDS - START_SECONDS))" >> "$OUT/machine.txt"
$PY "$ROOT/benchmarks/load/report.py" "$OUT" "$ROOT/docs/performance.md" "$ROOT/docs/performance.png"
log "done in $((SECONDS - START_SECONDS)) s: docs/performance.md, docs/performance.png"
