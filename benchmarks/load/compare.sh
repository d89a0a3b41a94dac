#!/usr/bin/env bash
# What a change buys on the Redis path: two revisions of the sample side by side on one redis-server, measured in
# interleaved wrk rounds (the ratio of each round, then the median), so that the machine's drift cancels out.
#   benchmarks/load/compare.sh <before-rev> [after-rev, default: the working tree]
# Settings (environment): ROUNDS (5), DURATION (5s), THREADS (2), CONNECTIONS (32).
# Prints, per configuration (session over JWT on Redis, session cookie on Redis): req/s of each side per round and
# the median ratio after ÷ before. Needs what run.sh needs (wrk, redis-server, curl); installs nothing itself.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BEFORE=${1:?usage: compare.sh <before-rev> [after-rev]}
AFTER=${2:-}
ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-5s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
WORK=$(mktemp -d /tmp/sessionkit-compare-XXXXXX)
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    git -C "$ROOT" worktree remove --force "$WORK/before" 2>/dev/null || true
    [ -n "$AFTER" ] && git -C "$ROOT" worktree remove --force "$WORK/after" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM
log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_http() { for _ in $(seq 1 150); do curl -sf -o /dev/null "$1" && return 0; sleep 0.2; done; log "no answer from $1"; return 1; }

build() { # side, rev -> app dir
    local dir
    if [ "$2" = worktree ]; then dir=$ROOT; else git -C "$ROOT" worktree add -q --detach "$WORK/$1" "$2"; dir="$WORK/$1"; fi
    dotnet build "$dir/samples/SessionKit.Sample/SessionKit.Sample.csproj" -c Release -nologo -v q -o "$WORK/$1-bin" >/dev/null
    echo "$WORK/$1-bin"
}
log "building $BEFORE and ${AFTER:-the working tree}"
BEFORE_DIR=$(build before "$BEFORE")
AFTER_DIR=$(build after "${AFTER:-worktree}")

REDIS_PORT=$(free_port)
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$WORK" >"$WORK/redis.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
SIGNING_KEY=$(head -c 32 /dev/urandom | base64)
declare -A PORT
for side in before after; do
    dir=BEFORE_DIR; [ $side = after ] && dir=AFTER_DIR
    PORT[$side]=$(free_port)
    (cd "${!dir}" && ASPNETCORE_ENVIRONMENT=Production exec dotnet SessionKit.Sample.dll --urls "http://127.0.0.1:${PORT[$side]}" \
        --Benchmarks:Baselines true --Jwt:SigningKey "$SIGNING_KEY" --Logging:LogLevel:Default Warning \
        --Store redis --ConnectionStrings:redis "127.0.0.1:$REDIS_PORT" >"$WORK/$side.log" 2>&1) &
    PIDS+=($!)
    wait_http "http://127.0.0.1:${PORT[$side]}/health"
done

token() { curl -sf -X POST "http://127.0.0.1:$1/login" -H 'content-type: application/json' -d '{"username":"root","password":"password"}' \
    | sed -E 's/.*"access_token":"([^"]+)".*/\1/'; }
cookie() { curl -s -D - -o /dev/null -X POST "http://127.0.0.1:$1/user/login" -H 'content-type: application/json' \
    -d '{"username":"admin","password":"admin"}' | tr -d '\r' | grep -i '^set-cookie: __Host-session=' | sed -E 's/^[^:]+: ([^;]+);.*/\1/'; }
rps() { wrk -t"$THREADS" -c"$CONNECTIONS" -d"$1" -H "$2" "$3" | awk '/Requests\/sec/ {print $2}'; }

for config in jwt cookie; do
    declare -A H U
    for side in before after; do
        if [ $config = jwt ]; then H[$side]="Authorization: Bearer $(token "${PORT[$side]}")"; U[$side]="http://127.0.0.1:${PORT[$side]}/member"
        else H[$side]="Cookie: $(cookie "${PORT[$side]}")"; U[$side]="http://127.0.0.1:${PORT[$side]}/baseline/session-cookie/member"; fi
        [ "$(curl -sf "${U[$side]}" -H "${H[$side]}")" = "Hello World!" ] || { log "$config/$side does not answer"; exit 1; }
        rps 2s "${H[$side]}" "${U[$side]}" >/dev/null
    done
    ratios=()
    for round in $(seq 1 "$ROUNDS"); do
        if [ $((round % 2)) = 1 ]; then order="before after"; else order="after before"; fi
        declare -A R
        for side in $order; do R[$side]=$(rps "$DURATION" "${H[$side]}" "${U[$side]}"); done
        ratio=$(python3 -c "print(f'{${R[after]} / ${R[before]}:.3f}')")
        ratios+=("$ratio")
        printf '%s round %s: before %s req/s, after %s req/s, ratio %s\n' "$config/redis" "$round" "${R[before]}" "${R[after]}" "$ratio"
    done
    printf '%s/redis: median ratio after ÷ before = %s (rounds: %s)\n' "$config" \
        "$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')" "${ratios[*]}"
done
