#!/usr/bin/env bash
# Soak test of the sample on Redis (issue 16 item 4):
#   benchmarks/load/soak.sh                     # DURATION=10m by default
#   DURATION=60s IDLE_TIMEOUT=20 benchmarks/load/soak.sh
# 1. builds the sample (Release); starts redis-server (no persistence) and ONE sample instance on free loopback ports:
#    Production, warnings-only logging, --Store redis, sign-in rate limit off, a short idle timeout (IDLE_TIMEOUT s);
# 2. checks both flavours once with curl (sign in, 200, log out, 401);
# 3. runs wrk with soak.lua for DURATION: CONNECTIONS connections (one per wrk thread), a paced request rate, cycles of
#    sign-in + GETS GETs + logout (or the session abandoned, a share ABANDON, left to expire), session over JWT and
#    cookie; every THINK_EVERY-th cycle pauses THINK_MS before its last GET, long enough for that GET to touch the session;
# 4. samples every SAMPLE_EVERY s (and at start, middle, end): the app's VmRSS, Redis used_memory, DBSIZE, session
#    keys, subject-index keys and entries (SCAN MATCH, never KEYS);
# 5. after the load, waits IDLE_TIMEOUT + MARGIN s and samples again (every session has expired by then), then signs in
#    and out once per user (a sign-in prunes the user's index) and samples a last time;
# 6. writes benchmarks/load/results/soak.tsv (samples) and soak.md (the section docs/performance.md includes).
# Exit status: 0 when every response had its expected status and the expired sessions were reclaimed; 1 on errors;
# 2 when there were none but the keys or memory were not as expected.
# Settings (environment; defaults in DEFAULTS below): DURATION, CONNECTIONS, DELAY_MS (mean pause before each request,
# ±50 %), GETS (per cycle, ≥ 2), ABANDON (share of cycles), THINK_EVERY (0: never), THINK_MS (default: 10 % of the idle
# timeout + 1 s, past the library's default touch threshold), IDLE_TIMEOUT (s), ABSOLUTE_LIFETIME (s; empty: the
# library's 8 h), SAMPLE_EVERY (s), MARGIN (s), MEMORY_TOLERANCE (bytes of Redis used_memory still "near the start").
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$ROOT/benchmarks/load"
OUT="$HERE/results"
declare -A DEFAULTS=([DURATION]=10m [CONNECTIONS]=16 [DELAY_MS]=100 [GETS]=8 [ABANDON]=0.3 [THINK_EVERY]=4 [THINK_MS]=""
    [IDLE_TIMEOUT]=60 [ABSOLUTE_LIFETIME]="" [SAMPLE_EVERY]=30 [MARGIN]=15 [MEMORY_TOLERANCE]=262144)
SETTINGS=(DURATION CONNECTIONS DELAY_MS GETS ABANDON THINK_EVERY THINK_MS IDLE_TIMEOUT ABSOLUTE_LIFETIME SAMPLE_EVERY MARGIN MEMORY_TOLERANCE)
COMMAND=()   # the settings given, for the report
for name in "${SETTINGS[@]}"; do
    if [ -n "${!name+set}" ] && [ "${!name}" != "${DEFAULTS[$name]}" ]; then COMMAND+=("$name=${!name}"); fi
    printf -v "$name" '%s' "${!name-${DEFAULTS[$name]}}"
done
[ -n "$THINK_MS" ] || THINK_MS=$((IDLE_TIMEOUT * 100 + 1000))
PREFIX=sessionkit:   # the Redis store's default KeyPrefix (the sample does not change it)
WORK=$(mktemp -d /tmp/sessionkit-soak-XXXXXX)
PIDS=()
START_SECONDS=$SECONDS

# Clean-up, logging, tools, machine facts, ports (shared with run.sh). Ctrl-C and SIGTERM end with their own codes.
. "$HERE/lib/common.sh"
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

fail() { log "$*"; exit 1; }

seconds_of() { # 90, 90s, 10m, 1h -> seconds
    case "$1" in
        *h) echo $((${1%h} * 3600)) ;;
        *m) echo $((${1%m} * 60)) ;;
        *s) echo "${1%s}" ;;
        *) echo "$1" ;;
    esac
}
timespan() { printf '%02d:%02d:%02d' $(($1 / 3600)) $(($1 % 3600 / 60)) $(($1 % 60)); }

LOAD_SECONDS=$(seconds_of "$DURATION")
[[ "$LOAD_SECONDS" =~ ^[0-9]+$ && "$LOAD_SECONDS" -gt 0 ]] || fail "DURATION '$DURATION': use e.g. 600, 90s, 10m or 1h"
[[ "$IDLE_TIMEOUT" =~ ^[0-9]+$ && "$IDLE_TIMEOUT" -gt 0 ]] || fail "IDLE_TIMEOUT is in whole seconds"

install_missing_tools

mkdir -p "$OUT"
MACHINE="$WORK/machine.txt"
{
    machine_facts
    echo "load_before=$(cut -d' ' -f1-3 /proc/loadavg)"
} > "$MACHINE"

log "building the sample (Release)"
dotnet build "$ROOT/samples/SessionKit.Sample/SessionKit.Sample.csproj" -c Release -nologo -v q >/dev/null
APP_DIR="$ROOT/samples/SessionKit.Sample/bin/Release/net10.0"

REDIS_PORT=$(free_port)
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize no --dir "$WORK" >"$WORK/redis.log" 2>&1 &
PIDS+=($!); REDIS_PID=$!
for _ in $(seq 1 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
rcli() { redis-cli -p "$REDIS_PORT" "$@"; }

# One sample instance: Production, warnings-only logging, sessions on Redis, users in a SQLite file of this run,
# sign-in rate limit off, a short idle timeout (and the absolute lifetime when given). The content root is the project
# folder, whose wwwroot the build output does not have (else a start-up warning about static files).
APP_PORT=$(free_port)
SESSION_ARGS=(--SessionKit:IdleTimeout "$(timespan "$IDLE_TIMEOUT")")
if [ -n "$ABSOLUTE_LIFETIME" ]; then SESSION_ARGS+=(--SessionKit:AbsoluteLifetime "$(timespan "$ABSOLUTE_LIFETIME")"); fi
APP_ARGS=(--urls "http://127.0.0.1:$APP_PORT" --contentRoot "$ROOT/samples/SessionKit.Sample" --Jwt:SigningKey "$(head -c 32 /dev/urandom | base64)"
    --Logging:LogLevel:Default Warning --Store redis --ConnectionStrings:redis "127.0.0.1:$REDIS_PORT"
    --ConnectionStrings:users "Data Source=$WORK/users.db" --RateLimiting:SignIn:PermitLimit 0 "${SESSION_ARGS[@]}")
(cd "$APP_DIR" && ASPNETCORE_ENVIRONMENT=Production exec dotnet SessionKit.Sample.dll "${APP_ARGS[@]}" >"$WORK/app.log" 2>&1) &
PIDS+=($!); APP_PID=$!
BASE="http://127.0.0.1:$APP_PORT"
wait_http "$BASE/health" || { cat "$WORK/app.log" >&2; exit 1; }

# --- both flavours answer as soak.lua expects (this is also how the probe after the wait signs in and out) ---
json_post() { curl -s -D "$WORK/headers" -o "$WORK/body" -w '%{http_code}' -X POST "$BASE$1" -H 'content-type: application/json' -d "$2"; }
code_of() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
check_flavours() {
    local code token cookie
    code=$(json_post /login '{"username":"root","password":"password"}')
    [ "$code" = 200 ] || fail "POST /login answered $code"
    token=$(sed -E 's/.*"access_token":"([^"]+)".*/\1/' "$WORK/body")
    [ "$(code_of "$BASE/member" -H "Authorization: Bearer $token")" = 200 ] || fail "GET /member with the token is not 200"
    [ "$(code_of -X POST "$BASE/logout" -H "Authorization: Bearer $token")" = 200 ] || fail "POST /logout is not 200"
    [ "$(code_of "$BASE/member" -H "Authorization: Bearer $token")" = 401 ] || fail "GET /member after logout is not 401"
    code=$(json_post /user/login '{"username":"admin","password":"admin"}')
    [ "$code" = 200 ] || fail "POST /user/login answered $code"
    cookie=$(tr -d '\r' < "$WORK/headers" | grep -i '^set-cookie: __Host-session=' | head -1 | sed -E 's/^[^:]+: ([^;]+);.*/\1/')
    [ -n "$cookie" ] || fail "POST /user/login set no __Host-session cookie"
    [ "$(code_of "$BASE/user/me" -H "Cookie: $cookie")" = 200 ] || fail "GET /user/me with the cookie is not 200"
    [ "$(code_of -X POST "$BASE/user/logout" -H "Cookie: $cookie")" = 200 ] || fail "POST /user/logout is not 200"
    [ "$(code_of "$BASE/user/me" -H "Cookie: $cookie")" = 401 ] || fail "GET /user/me after logout is not 401"
}
check_flavours
log "both flavours answer (sign-in 200, request 200, logout 200, request after logout 401)"

# --- samples ---
SAMPLES="$WORK/soak.tsv"
printf 'elapsed_s\tphase\tapp_rss_kb\tapp_threads\tapp_cpu_s\tredis_used_memory\tredis_cpu_s\tdbsize\tsession_keys\tindex_keys\tindex_entries\tindex_entries_live\tindex_ttl_s\tpartition_keys\tload1\tepoch\n' > "$SAMPLES"
TICKS=$(getconf CLK_TCK)
# One subject index: its entries, how many of them name a session key that still exists, its time to live (ms).
INDEX_LUA="local n = 0
for _, h in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do n = n + redis.call('EXISTS', ARGV[1] .. h) end
return { redis.call('ZCARD', KEYS[1]), n, redis.call('PTTL', KEYS[1]) }"
cpu_seconds() { awk -v t="$TICKS" '{printf "%.1f", ($14 + $15) / t}' "/proc/$1/stat"; }
count_keys() { rcli --scan --pattern "$1" | wc -l; }
sample() { # phase [light: no SCAN, so that only Redis's own expiry reclaims keys while we wait]
    local rss threads mem dbsize epoch sessions="" index_keys="" entries="" live="" ttl="" partitions="" key info
    kill -0 "$APP_PID" 2>/dev/null || fail "the sample app has exited: $(tail -20 "$WORK/app.log")"
    rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$APP_PID/status")
    threads=$(awk '/^Threads:/ {print $2}' "/proc/$APP_PID/status")
    mem=$(rcli info memory | tr -d '\r' | awk -F: '/^used_memory:/ {print $2}')
    dbsize=$(rcli dbsize)                     # before the SCANs below, which delete the expired keys they visit
    epoch=$(date +%s)                         # when the session keys are counted (soak_report.py's expected counts)
    if [ "${2:-}" != light ]; then
        sessions=$(count_keys "${PREFIX}{*}:s:*")
        partitions=$(count_keys "${PREFIX}p:*")
        index_keys=0; entries=0; live=0; ttl=0
        while read -r key; do
            [ -n "$key" ] || continue
            mapfile -t info < <(rcli eval "$INDEX_LUA" 1 "$key" "${key%:u:*}:s:")
            index_keys=$((index_keys + 1)); entries=$((entries + info[0])); live=$((live + info[1]))
            if [ $((info[2] / 1000)) -gt "$ttl" ]; then ttl=$((info[2] / 1000)); fi
        done < <(rcli --scan --pattern "${PREFIX}{*}:u:*")
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$((SECONDS - LOAD_START))" "$1" "$rss" "$threads" \
        "$(cpu_seconds "$APP_PID")" "$mem" "$(cpu_seconds "$REDIS_PID")" "$dbsize" "$sessions" "$index_keys" "$entries" "$live" \
        "$ttl" "$partitions" "$(cut -d' ' -f1 /proc/loadavg)" "$epoch" >> "$SAMPLES"
    log "$1: app RSS $((rss / 1024)) MB, Redis used_memory $((mem / 1024)) KB, DBSIZE $dbsize, session keys ${sessions:--}, index keys ${index_keys:--} (entries ${entries:--}, live ${live:--}), partition keys ${partitions:--}"
}

# --- the load ---
LOAD_START=$SECONDS
sample start
log "soak: $DURATION, wrk -t$CONNECTIONS -c$CONNECTIONS, ${DELAY_MS} ms ±50 % before each request, $GETS GETs per cycle, $ABANDON abandoned, a ${THINK_MS} ms pause in every ${THINK_EVERY}th cycle, idle timeout ${IDLE_TIMEOUT} s"
SOAK_COUNTS="$WORK/counts.tsv" SOAK_GETS=$GETS SOAK_ABANDON=$ABANDON SOAK_DELAY_MS=$DELAY_MS SOAK_THINK_MS=$THINK_MS SOAK_THINK_EVERY=$THINK_EVERY \
    wrk -t"$CONNECTIONS" -c"$CONNECTIONS" -d"${LOAD_SECONDS}s" --timeout 10s --latency -s "$HERE/soak.lua" "$BASE" >"$WORK/wrk.out" 2>&1 &
WRK_PID=$!; PIDS+=($WRK_PID)
MIDDLE=$((LOAD_SECONDS / 2))
mapfile -t TIMES < <({ echo "$MIDDLE middle"; seq "$SAMPLE_EVERY" "$SAMPLE_EVERY" $((LOAD_SECONDS - 1)) | sed 's/$/ load/'; } | sort -s -n -k1,1 -u)
for entry in "${TIMES[@]}"; do
    read -r at phase <<<"$entry"
    [ "$at" -gt 0 ] || continue
    while [ $((SECONDS - LOAD_START)) -lt "$at" ] && kill -0 "$WRK_PID" 2>/dev/null; do sleep 1; done
    kill -0 "$WRK_PID" 2>/dev/null || break
    sample "$phase"
done
wait "$WRK_PID" || fail "wrk failed: $(cat "$WORK/wrk.out")"
sample end
LOAD_END=$((SECONDS - LOAD_START))
echo "load_after=$(cut -d' ' -f1-3 /proc/loadavg)" >> "$MACHINE"
[ -s "$WORK/counts.tsv" ] || fail "soak.lua wrote no counts: $(cat "$WORK/wrk.out")"

# --- reclaim: every session expires IDLE_TIMEOUT after its last use; nothing uses them any more ---
WAIT=$((IDLE_TIMEOUT + MARGIN))
log "waiting ${WAIT} s (idle timeout + ${MARGIN} s) for the sessions left to expire"
while [ $((SECONDS - LOAD_START - LOAD_END)) -lt "$WAIT" ]; do
    remaining=$((WAIT - (SECONDS - LOAD_START - LOAD_END)))
    sleep $((remaining < SAMPLE_EVERY ? remaining : SAMPLE_EVERY))
    if [ $((SECONDS - LOAD_START - LOAD_END)) -lt "$WAIT" ]; then sample idle light; fi
done
sample after-wait
check_flavours   # one sign-in and logout per user: the sign-in prunes the user's index of expired entries
sample after-prune

cp "$SAMPLES" "$OUT/soak.tsv"
{
    echo "total_seconds=$((SECONDS - START_SECONDS))"
    echo "settings=$(for name in "${SETTINGS[@]}"; do printf '%s=%s ' "$name" "${!name}"; done)"
    echo "command=${COMMAND[*]} benchmarks/load/soak.sh"
    echo "load_seconds=$LOAD_SECONDS"
    echo "app_args=${APP_ARGS[*]}" | sed -E 's/(--Jwt:SigningKey )[^ ]+/\1(random)/'
    echo "wrk_command=wrk -t$CONNECTIONS -c$CONNECTIONS -d${LOAD_SECONDS}s --timeout 10s --latency -s benchmarks/load/soak.lua URL"
} >> "$MACHINE"
# The console logger writes "warn: Category[id]" and the message on the next line: keep both, on one line.
awk '/^(warn|fail|crit): / { head = $0; getline message; sub(/^ +/, "", message); print head " " message }' "$WORK/app.log" > "$WORK/app-warnings.txt"
rm -f "$OUT/soak.md"
status=0
$PY "$HERE/soak_report.py" "$WORK" "$OUT/soak.md" || status=$?
[ -s "$OUT/soak.md" ] || fail "soak_report.py wrote no report"
cat "$OUT/soak.md"
log "done in $((SECONDS - START_SECONDS)) s: benchmarks/load/results/soak.tsv, soak.md"
exit "$status"
