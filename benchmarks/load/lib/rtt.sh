# Sourced by benchmarks/load/run.sh: round trips to Redis per authenticated request, counted after the timed rounds.
# For each Redis-backed configuration, a short bounded wrk run (-t1 -c4 -d$RTT_DURATION) while `redis-cli MONITOR`
# records; the same window with no load gives the background traffic (the change feed's heartbeats). lib/rtt.py
# counts the commands of each configuration's own connections (by CLIENT LIST address and client name) and writes
# $OUT/rtt.tsv. INFO commandstats is not used: it also counts the commands that a script runs.

RTT_CONFIGS=(jwt-redis cookie-redis jwt-cached cookie-cached express express-cluster)

# Records MONITOR around a command: prefix, command... -> prefix.monitor, prefix.clients
monitor_window() {
    local prefix=$1; shift
    redis-cli -p "$REDIS_PORT" monitor > "$prefix.monitor" &
    local mon=$!
    sleep 0.5
    "$@"
    sleep 0.5
    redis-cli -p "$REDIS_PORT" client list > "$prefix.clients"
    kill "$mon" 2>/dev/null || true; wait "$mon" 2>/dev/null || true
}

count_round_trips() {
    log "round trips to Redis per request (MONITOR, wrk -t1 -c4 -d$RTT_DURATION per configuration)"
    local manifest="$WORK/rtt-manifest.tsv" config name label flavour instance url header seconds
    seconds=${RTT_DURATION%s}
    printf 'config\tlabel\tclient\twrk_output\tmonitor\tclients\n' > "$manifest"
    monitor_window "$WORK/rtt-idle" sleep "$seconds"
    printf '(idle)\t\t\t\t%s\t%s\n' "$WORK/rtt-idle.monitor" "$WORK/rtt-idle.clients" >> "$manifest"
    for config in "${RTT_CONFIGS[@]}"; do
        IFS=$'\t' read -r name label flavour instance url header < <(awk -F'\t' -v c="$config" '$1 == c' "$CONFIGS")
        monitor_window "$WORK/rtt-$config" wrk -t1 -c4 -d"$RTT_DURATION" -H "$header" "$url" > "$WORK/rtt-$config.wrk"
        printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$config" "$label" "${CLIENT[$instance]}" "$WORK/rtt-$config.wrk" \
            "$WORK/rtt-$config.monitor" "$WORK/rtt-$config.clients" >> "$manifest"
    done
    # Each recording spans the command plus 1 s (0.5 s before and after it).
    $PY "$ROOT/benchmarks/load/lib/rtt.py" "$manifest" "$OUT/rtt.tsv" "$((seconds + 1))"
    column -t -s $'\t' "$OUT/rtt.tsv" >&2
}
