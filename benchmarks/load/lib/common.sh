# Sourced by benchmarks/load/run.sh and soak.sh: clean-up, logging, tools, machine facts, ports, CPU time of a process
# tree. Expects ROOT, WORK, PIDS (array) to be set by the caller.

cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# --- tools (not part of CI: wrk, matplotlib and Node are installed here, not in build.sh) ---
install_missing_tools() {
    local missing=()
    command -v wrk >/dev/null || missing+=(wrk)
    command -v redis-server >/dev/null || missing+=(redis-server)
    command -v redis-cli >/dev/null || missing+=(redis-tools)
    command -v curl >/dev/null || missing+=(curl)
    command -v node >/dev/null || missing+=(nodejs)
    command -v npm >/dev/null || missing+=(npm)
    /usr/bin/python3 -c 'import matplotlib' 2>/dev/null || missing+=(python3-matplotlib)
    if [ ${#missing[@]} -gt 0 ]; then
        log "installing ${missing[*]}"
        local sudo; sudo=$([ "$(id -u)" -eq 0 ] && echo "" || echo sudo)
        $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
}
PY=/usr/bin/python3

# The machine and tool versions every report starts with, as key=value lines on stdout.
machine_facts() {
    echo "date_utc=$(date -u '+%Y-%m-%d %H:%M')"
    echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
    echo "cores=$(nproc)"
    echo "memory_gb=$(awk '/MemTotal/ {printf "%.0f", $2/1048576}' /proc/meminfo)"
    echo "os=$(. /etc/os-release; echo "$PRETTY_NAME")"
    echo "dotnet=$(dotnet --version)"
    echo "redis=$(redis-server --version | grep -o 'v=[0-9.]*' | cut -d= -f2)"
    echo "wrk=$(wrk -v 2>&1 | head -1 | awk '{print $2}')"
}

free_port() { $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
# Waits for a 2xx answer (the sample's /health), or with "any" for any HTTP answer at all (the express app's 401).
wait_http() {
    local flag=-sf; [ "${2:-}" = any ] && flag=-s
    for _ in $(seq 1 150); do curl $flag -o /dev/null "$1" && return 0; sleep 0.2; done
    log "no answer from $1"; return 1
}

# CPU time (user + system, in clock ticks) of a process and all its descendants: a Node cluster is a primary
# process and its workers.
tree_pids() { local p=$1 c; echo "$p"; for c in $(pgrep -P "$p" 2>/dev/null || true); do tree_pids "$c"; done; }
cpu_ticks() {
    local total=0 p t
    for p in $(tree_pids "$1"); do
        t=$(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || true)
        total=$((total + ${t:-0}))
    done
    echo "$total"
}
TICK_US=$((1000000 / $(getconf CLK_TCK)))
