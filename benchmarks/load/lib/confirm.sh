# Sourced by benchmarks/load/run.sh: the latency a revoking call pays for the other instances' local caches to
# confirm (issue 14.4), after the timed rounds. Starts `cached2` (local cache on, same Redis) and `alone` (no cache,
# its own key prefix and so its own channel: no instance listens to it). Every revoking call publishes a confirmation
# request on its store's channel and waits for as many acknowledgements as the publish reached (RedisChangeFeed), so
# the `redis` instance (no cache of its own) pays it too while `cached` and `cached2` listen; only `alone` shows the
# cost of a revocation without confirmation. lib/confirm.py times POST /logout, interleaved across the cases.

measure_confirmation() {
    log "confirmation latency: $CONFIRM_TRIALS revocations (POST /logout) per case, interleaved"
    start_instance cached2 redis --SessionKit:LocalCache:Enabled true
    start_instance alone redis --Redis:KeyPrefix "sessionkit-alone:"
    for name in cached2 alone; do wait_http "http://127.0.0.1:${PORT[$name]}/health"; done
    local url="http://127.0.0.1"
    $PY "$ROOT/benchmarks/load/lib/confirm.py" "$OUT/confirm.tsv" "$CONFIRM_TRIALS" \
        "alone|Redis, no cache, no instance listening (no confirmation)|$url:${PORT[alone]}|" \
        "redis|Redis, no cache, while cached and cached2 listen|$url:${PORT[redis]}|$url:${PORT[cached2]}" \
        "cached|Redis + cache, while cached2 listens|$url:${PORT[cached]}|$url:${PORT[cached2]}"
    column -t -s $'\t' "$OUT/confirm.tsv" >&2
}
