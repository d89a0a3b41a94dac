# Sourced by benchmarks/load/run.sh: redis-server, the sample instances, the express reference app, the sign-ins,
# and the list of configurations. Every Redis client gets a distinct CLIENT SETNAME (the `name=` item of the
# StackExchange.Redis configuration string; CLIENT_NAME for the express app), so that MONITOR lines can be told
# apart by connection (lib/rtt.sh).

declare -A PORT PID CLIENT

start_redis() {
    REDIS_PORT=$(free_port)
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize no --dir "$WORK" >"$WORK/redis.log" 2>&1 &
    PIDS+=($!); REDIS_PID=$!
    for _ in $(seq 1 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
}

build_sample() {
    log "building the sample (Release)"
    dotnet build "$ROOT/samples/SessionKit.Sample/SessionKit.Sample.csproj" -c Release -nologo -v q >/dev/null
    APP_DIR="$ROOT/samples/SessionKit.Sample/bin/Release/net10.0"
    SIGNING_KEY=$(head -c 32 /dev/urandom | base64)
}

# A sample instance; with "redis" as second argument, on the Redis store, client name "sessionkit-<name>".
# Sign-in rate limiting is off (the confirmation measurement signs in hundreds of times).
start_instance() { # name, memory|redis, extra args...
    local name=$1 store=$2; shift 2
    local args=()
    if [ "$store" = redis ]; then
        CLIENT[$name]="sessionkit-$name"
        args=(--Store redis --ConnectionStrings:redis "127.0.0.1:$REDIS_PORT,name=${CLIENT[$name]}")
    fi
    PORT[$name]=$(free_port)
    (cd "$APP_DIR" && ASPNETCORE_ENVIRONMENT=Production exec dotnet SessionKit.Sample.dll \
        --urls "http://127.0.0.1:${PORT[$name]}" --Benchmarks:Baselines true --Jwt:SigningKey "$SIGNING_KEY" \
        --Logging:LogLevel:Default Warning --RateLimiting:SignIn:PermitLimit 0 "${args[@]}" "$@" >"$WORK/$name.log" 2>&1) &
    PIDS+=($!); PID[$name]=$!
}

# The Node reference stack (benchmarks/load/node): packages from its lock file.
install_express() {
    log "installing the express reference app's packages (npm ci)"
    (cd "$ROOT/benchmarks/load/node" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    EXPRESS_SECRET=$(head -c 32 /dev/urandom | base64)
}

express_versions() {
    (cd "$ROOT/benchmarks/load/node" && node -p '["express", "express-session", "connect-redis", "redis"]
        .map(p => p + " " + JSON.parse(require("fs").readFileSync("node_modules/" + p + "/package.json")).version).join(", ")')
}

start_express() { # name, workers (0: one process; N: Node's cluster module with N workers)
    local name=$1 workers=$2
    PORT[$name]=$(free_port); CLIENT[$name]=$name
    (cd "$ROOT/benchmarks/load/node" && NODE_ENV=production PORT=${PORT[$name]} REDIS_URL="redis://127.0.0.1:$REDIS_PORT" \
        SESSION_SECRET="$EXPRESS_SECRET" CLUSTER=$workers CLIENT_NAME=$name exec node app.js >"$WORK/$name.log" 2>&1) &
    PIDS+=($!); PID[$name]=$!
}

jwt_login() { curl -sf -X POST "http://127.0.0.1:${PORT[$1]}/login" -H 'content-type: application/json' \
    -d '{"username":"root","password":"password"}' | sed -E 's/.*"access_token":"([^"]+)".*/\1/'; }
cookie_login() { # instance, path, cookie name -> "name=value"
    curl -s -D - -o /dev/null -X POST "http://127.0.0.1:${PORT[$1]}$2" -H 'content-type: application/json' \
        -d '{"username":"admin","password":"admin"}' | tr -d '\r' | grep -i "^set-cookie: $3=" | head -1 | sed -E 's/^[^:]+: ([^;]+);.*/\1/'; }

row() { printf '%s\t%s\t%s\t%s\thttp://127.0.0.1:%s%s\t%s\n' "$1" "$2" "$3" "$4" "${PORT[$4]}" "$5" "$6"; }

# Starts everything, signs in once per configuration, writes $CONFIGS and checks every configuration.
start_load_test_stack() {
    build_sample
    install_express
    start_redis
    start_instance memory memory
    start_instance redis redis
    start_instance cached redis --SessionKit:LocalCache:Enabled true
    start_express express 0
    start_express express-cluster "$EXPRESS_WORKERS"
    for name in memory redis cached; do wait_http "http://127.0.0.1:${PORT[$name]}/health"; done
    for name in express express-cluster; do wait_http "http://127.0.0.1:${PORT[$name]}/member" any; done

    local session_member=/baseline/session-cookie/member
    # name | label | flavour | instance | url | header
    CONFIGS="$WORK/configs.tsv"
    {
        row jwt-baseline 'JwtBearer (stateless)' jwt memory /baseline/jwt/member "Authorization: Bearer $(jwt_login memory)"
        row jwt-memory 'session/JWT, in-memory' jwt memory /member "Authorization: Bearer $(jwt_login memory)"
        row jwt-redis 'session/JWT, Redis' jwt redis /member "Authorization: Bearer $(jwt_login redis)"
        row jwt-cached 'session/JWT, Redis + cache' jwt cached /member "Authorization: Bearer $(jwt_login cached)"
        row cookie-baseline 'AddCookie (stateless ticket)' cookie memory /baseline/cookie/member "Cookie: $(cookie_login memory /baseline/cookie/login baseline-cookie)"
        row cookie-memory 'session cookie, in-memory' cookie memory "$session_member" "Cookie: $(cookie_login memory /user/login __Host-session)"
        row cookie-redis 'session cookie, Redis' cookie redis "$session_member" "Cookie: $(cookie_login redis /user/login __Host-session)"
        row cookie-cached 'session cookie, Redis + cache' cookie cached "$session_member" "Cookie: $(cookie_login cached /user/login __Host-session)"
        row express 'express-session + connect-redis, 1 process' cookie express /member "Cookie: $(cookie_login express /user/login connect.sid)"
        row express-cluster "express-session + connect-redis, cluster ×$EXPRESS_WORKERS" cookie express-cluster /member \
            "Cookie: $(cookie_login express-cluster /user/login connect.sid)"
    } > "$CONFIGS"

    # Every configuration must answer 200 "Hello World!" before it is measured (and a request without credentials 401).
    local name label flavour instance url header body code
    while IFS=$'\t' read -r name label flavour instance url header; do
        body=$(curl -sf "$url" -H "$header") || { log "$name: request failed"; exit 1; }
        [ "$body" = "Hello World!" ] || { log "$name: unexpected body '$body'"; exit 1; }
        code=$(curl -s -o /dev/null -w '%{http_code}' "$url")
        [ "$code" = 401 ] || { log "$name: $code without credentials (expected 401)"; exit 1; }
    done < "$CONFIGS"
    log "all $(wc -l < "$CONFIGS") configurations answer; warming up"
}
