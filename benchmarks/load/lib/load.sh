# Sourced by benchmarks/load/run.sh: the wrk rounds, interleaved across the configurations of $CONFIGS.

run_wrk() { # config line, duration -> "rps p50 p99 non2xx app_cpu_us_per_request redis_cpu_us_per_request"
    local url header instance
    IFS=$'\t' read -r _ _ _ instance url header <<<"$1"
    local app=${PID[$instance]}
    local app0 redis0; app0=$(cpu_ticks "$app"); redis0=$(cpu_ticks "$REDIS_PID")
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$2" --latency -H "$header" "$url" > "$WORK/wrk.out"
    local app_ticks=$(( $(cpu_ticks "$app") - app0 )) redis_ticks=$(( $(cpu_ticks "$REDIS_PID") - redis0 ))
    awk -v at="$app_ticks" -v rt="$redis_ticks" -v us="$TICK_US" '/Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} /Non-2xx/ {bad=$5}
        /requests in/ {n=$1} END {printf "%s %s %s %d %.1f %.1f\n", rps, p50, p99, (bad==""?0:bad), at*us/n, rt*us/n}' "$WORK/wrk.out"
}

run_load_rounds() {
    local lines line n round i name label flavour rps p50 p99 bad app_cpu redis_cpu
    mapfile -t lines < "$CONFIGS"
    for line in "${lines[@]}"; do run_wrk "$line" 3s >/dev/null; done

    RESULTS="$OUT/load.tsv"
    printf 'round\tconfig\tlabel\tflavour\trps\tp50\tp99\tnon2xx\tapp_cpu_us\tredis_cpu_us\n' > "$RESULTS"
    n=${#lines[@]}
    for round in $(seq 1 "$ROUNDS"); do
        for i in $(seq 0 $((n - 1))); do
            line=${lines[$(((i + round - 1) % n))]}      # rotate the order each round
            IFS=$'\t' read -r name label flavour _ _ _ <<<"$line"
            read -r rps p50 p99 bad app_cpu redis_cpu <<<"$(run_wrk "$line" "$DURATION")"
            printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$name" "$label" "$flavour" "$rps" "$p50" "$p99" "$bad" "$app_cpu" "$redis_cpu" >> "$RESULTS"
            log "round $round/$ROUNDS $name: $rps req/s (p50 $p50, p99 $p99, non-2xx $bad; CPU per request: app $app_cpu µs, redis-server $redis_cpu µs)"
        done
    done
}
