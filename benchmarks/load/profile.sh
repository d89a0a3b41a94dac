#!/usr/bin/env bash
# Where one configuration of the load test spends its CPU: a Linux `perf` profile of the sample under wrk.
#   benchmarks/load/profile.sh [redis|memory] [/member|/baseline/jwt/member|...]
# Starts redis-server and one sample instance (Release, Production, perf map on), signs in as root, warms up with
# wrk for 10 s, then samples the app for 8 s while wrk keeps the load on, and prints the share of samples per thread
# and the 25 hottest symbols (kernel and JIT-compiled .NET alike). Not part of CI; needs root or
# kernel.perf_event_paranoid <= 1 for perf. Settings (environment): THREADS (2), CONNECTIONS (32).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
STORE=${1:-redis}
ENDPOINT=${2:-/member}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
WORK=$(mktemp -d /tmp/sessionkit-profile-XXXXXX)
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

missing=()
command -v perf >/dev/null || missing+=(linux-perf)
command -v wrk >/dev/null || missing+=(wrk)
command -v redis-server >/dev/null || missing+=(redis-server)
command -v curl >/dev/null || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
    SUDO=$([ "$(id -u)" -eq 0 ] && echo "" || echo sudo)
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

dotnet build "$ROOT/samples/SessionKit.Sample/SessionKit.Sample.csproj" -c Release -nologo -v q >/dev/null
APP_DIR="$ROOT/samples/SessionKit.Sample/bin/Release/net10.0"
REDIS_PORT=$(free_port)
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$WORK" >"$WORK/redis.log" 2>&1 &
PIDS+=($!)
PORT=$(free_port)
# Perf map on and W^X off, so that perf can name JIT-compiled methods.
(cd "$APP_DIR" && DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 ASPNETCORE_ENVIRONMENT=Production exec dotnet SessionKit.Sample.dll \
    --urls "http://127.0.0.1:$PORT" --Benchmarks:Baselines true --Jwt:SigningKey "$(head -c 32 /dev/urandom | base64)" \
    --Logging:LogLevel:Default Warning --Store "$STORE" --ConnectionStrings:redis "127.0.0.1:$REDIS_PORT" >"$WORK/app.log" 2>&1) &
APP_PID=$!
PIDS+=($APP_PID)
for _ in $(seq 1 150); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/health" && break; sleep 0.2; done
TOKEN=$(curl -sf -X POST "http://127.0.0.1:$PORT/login" -H 'content-type: application/json' \
    -d '{"username":"root","password":"password"}' | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
URL="http://127.0.0.1:$PORT$ENDPOINT"
[ "$(curl -sf "$URL" -H "Authorization: Bearer $TOKEN")" = "Hello World!" ] || { echo "$URL does not answer Hello World! with the token" >&2; exit 1; }

wrk -t"$THREADS" -c"$CONNECTIONS" -d10s -H "Authorization: Bearer $TOKEN" "$URL" >/dev/null     # warm-up (tiered JIT)
wrk -t"$THREADS" -c"$CONNECTIONS" -d12s -H "Authorization: Bearer $TOKEN" "$URL" >"$WORK/wrk.out" &
WRK_PID=$!
sleep 2
perf record -F 999 -g -p "$APP_PID" -o "$WORK/perf.data" -- sleep 8 >/dev/null 2>&1
wait "$WRK_PID"

echo "== $STORE $ENDPOINT: $(grep 'Requests/sec' "$WORK/wrk.out" | awk '{print $2}') req/s under perf"
echo "== share of samples per thread"
perf report -i "$WORK/perf.data" --no-children --sort comm --stdio -g none 2>/dev/null | grep -v '^#' | grep -v '^$' | head -10
echo "== share of samples per binary (the kernel; memfd:doublemapper or perf-<pid>.map: JIT-compiled code)"
perf report -i "$WORK/perf.data" --no-children --sort dso --stdio -g none 2>/dev/null | grep -v '^#' | grep -v '^$' | head -6
echo "== hottest symbols ([k] kernel, [.] user space)"
perf report -i "$WORK/perf.data" --no-children --sort sym --stdio -g none 2>/dev/null | grep -v '^#' | grep -v '^$' | head -25 | cut -c1-200
