#!/usr/bin/env bash
# The consumer test: SessionKit as a NuGet user gets it.
#   1. packs every project under src/ (Core, Redis, and Mongo once it exists) into the folder feed artifacts/packages,
#      with a version unique to this run, and checks the packages (tests/check-packages.py) and that the packed
#      assembly is reproducible (a clean rebuild gives the same bytes);
#   2. restores tests/SessionKit.ConsumerTest — PackageReference only, into the isolated folder
#      artifacts/consumer-packages, so a stale cached SessionKit can never be used — and builds it;
#   3. starts a real redis-server and the MongoDB wire peer of the tests (tests/SessionKit.Testing.Mongo, as a process)
#      on free loopback ports and runs the login/protected pairs of both flavours (session over JWT, cookie sessions)
#      on each store against the app as built, as a trimmed self-contained publish (failing on any trim warning from a
#      SessionKit assembly), and as a Native AOT publish; the force logout is FLUSHALL on Redis and
#      db.sessions.deleteMany({}) on MongoDB, sent by PyMongo as mongosh would;
#   4. restores tests/SessionKit.ConsumerStoreTest — a third party's store bound to the packed SessionKit.Testing's
#      store contract suite, by PackageReference only — and runs the suite against it (every test must pass).
# Prints PASS/FAIL per check and "Consumer test: N passed, N failed"; exits non-zero on any failure. Needs the .NET
# SDK, redis-server, redis-cli, curl, python3 with PyMongo (Debian's python3-pymongo); Native AOT also needs clang
# (./build.sh test installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
feed="$root/artifacts/packages"
packages="$root/artifacts/consumer-packages"
out="$root/artifacts/consumer"
app="$root/tests/SessionKit.ConsumerTest"
started=$SECONDS
passed=0
failed=0
pids=()

cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

pass() { echo "PASS  $1"; passed=$((passed + 1)); }
fail() { echo "FAIL  $1"; failed=$((failed + 1)); }
expect() { # expect <what> <expected> <actual>
  if [ "$2" = "$3" ]; then pass "$1"; else fail "$1 (expected $2, got $3)"; fi
}
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
phase() { echo; echo "== $1 ($((SECONDS - started)) s)"; }

finish() {
  echo
  echo "Consumer test took $((SECONDS - started)) s"
  mkdir -p "$out"
  echo "$passed $failed" >"$out/counts"
  echo "Consumer test: $passed passed, $failed failed"
  if [ "$failed" -eq 0 ]; then exit 0; else exit 1; fi
}

# --- 1. pack -------------------------------------------------------------------------------------------------------
phase "pack"
suffix="ci.$(date -u +%Y%m%d%H%M%S).$$"
rm -rf "$feed" "$out" "$app/bin" "$app/obj"
rm -rf "$packages"/sessionkit.*
mkdir -p "$feed" "$out"
ids=()
for project in src/*/*.csproj; do
  id="$(basename "$project" .csproj)"
  ids+=("$id")
  if dotnet pack "$project" -c Release -o "$feed" --version-suffix "$suffix" -p:ContinuousIntegrationBuild=true \
      -nologo -v:q >"$out/pack-$id.log" 2>&1; then
    pass "dotnet pack $id"
  else
    cat "$out/pack-$id.log"; fail "dotnet pack $id"; finish
  fi
done
version="$(basename "$feed/SessionKit.Core."*"-$suffix.nupkg" .nupkg)"
version="${version#SessionKit.Core.}"
echo "packed ${ids[*]} $version"

if python3 tests/check-packages.py "$feed" "$version" "${ids[@]}"; then pass "package contents and metadata"; else fail "package contents and metadata"; fi

# Reproducible: a clean rebuild of Core from the same commit gives the same assembly bytes as the packed one.
dotnet build src/SessionKit.Core/SessionKit.Core.csproj -c Release --no-incremental -p:VersionSuffix="$suffix" \
  -p:ContinuousIntegrationBuild=true -o "$out/rebuild" -nologo -v:q >"$out/rebuild.log" 2>&1 || { cat "$out/rebuild.log"; fail "rebuild of SessionKit.Core"; }
if python3 - "$feed/SessionKit.Core.$version.nupkg" "$out/rebuild/SessionKit.Core.dll" <<'EOF'
import hashlib, sys, zipfile
packed = zipfile.ZipFile(sys.argv[1]).read("lib/net10.0/SessionKit.Core.dll")
rebuilt = open(sys.argv[2], "rb").read()
sys.exit(0 if hashlib.sha256(packed).digest() == hashlib.sha256(rebuilt).digest() else 1)
EOF
then pass "deterministic: a clean rebuild of SessionKit.Core.dll is byte-identical to the packed one"
else fail "deterministic: a clean rebuild of SessionKit.Core.dll differs from the packed one"; fi

# --- 2. restore and build the consumer by PackageReference ----------------------------------------------------------
phase "build the consumer app against the folder feed"
restore_args=(-p:SessionKitVersion="$version" --packages "$packages" -nologo)
if dotnet build "$app" -c Release "${restore_args[@]}" -o "$out/jit" >"$out/build.log" 2>&1; then
  pass "consumer app builds from PackageReference $version"
else
  cat "$out/build.log"; fail "consumer app builds from PackageReference $version"; finish
fi
for id in "${ids[@]}"; do
  lower="$(tr '[:upper:]' '[:lower:]' <<<"$id")"
  if [ "$id" = SessionKit.Core ] || [ "$id" = SessionKit.Redis ] || [ "$id" = SessionKit.Mongo ]; then
    if [ -d "$packages/$lower/$version" ]; then pass "$id $version restored from the folder feed"; else fail "$id $version restored from the folder feed"; fi
  fi
done

# --- 3. run the login/protected pairs against a real Redis and the MongoDB wire peer --------------------------------
redis_port="$(free_port)"
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --daemonize no >"$out/redis.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
jwt_key="$(python3 -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())')"

# The peer prints the free port it listens on, as the primary of replica set rs0 (so the driver uses sessions and
# retryable writes as it does against a real deployment).
mongo_port=""
if dotnet build tests/SessionKit.Testing.Mongo -c Release -o "$out/mongo-peer" -nologo -v:q >"$out/mongo-peer-build.log" 2>&1; then
  dotnet "$out/mongo-peer/SessionKit.Testing.Mongo.dll" --replica-set >"$out/mongo-peer.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do mongo_port="$(head -1 "$out/mongo-peer.log" 2>/dev/null || true)"; [[ "$mongo_port" =~ ^[0-9]+$ ]] && break; mongo_port=""; sleep 0.1; done
fi
if [ -n "$mongo_port" ]; then pass "MongoDB wire peer listens on $mongo_port"; else cat "$out/mongo-peer-build.log" "$out/mongo-peer.log"; fail "MongoDB wire peer starts"; fi

# What an operator runs in mongosh, sent by PyMongo (a client independent of the .NET driver).
mongo_shell() { # mongo_shell <database> <count|delete_all>
  /usr/bin/python3 - "$mongo_port" "$1" "$2" <<'PY'
import sys
import pymongo
port, database, action = sys.argv[1:4]
sessions = pymongo.MongoClient(f"mongodb://127.0.0.1:{port}/?replicaSet=rs0", serverSelectionTimeoutMS=10000)[database].sessions
print(sessions.count_documents({}) if action == "count" else sessions.delete_many({}).deleted_count)
PY
}

store_args() { # store_args <store> <label>: the app's connection-string arguments
  if [ "$1" = mongo ]; then echo "--ConnectionStrings:mongo mongodb://127.0.0.1:$mongo_port/consumer_$2?replicaSet=rs0"
  else echo "--ConnectionStrings:redis 127.0.0.1:$redis_port"; fi
}
store_count() { if [ "$1" = mongo ]; then mongo_shell "consumer_$2" count; else redis-cli -p "$redis_port" dbsize; fi; }
store_clear() { if [ "$1" = mongo ]; then mongo_shell "consumer_$2" delete_all >/dev/null; else redis-cli -p "$redis_port" flushall >/dev/null; fi; }

run_pairs() { # run_pairs <build> <store> <command...>: starts the app on the store, checks both flavours, stops it
  local build="$1" store="$2"; shift 2
  local label="$build/$store" log="$out/app-$build-$store.log"
  if [ "$store" = mongo ] && [ -z "$mongo_port" ]; then fail "[$label] no MongoDB wire peer"; return; fi
  local port; port="$(free_port)"
  local base="http://127.0.0.1:$port"
  # shellcheck disable=SC2046
  "$@" --urls "$base" $(store_args "$store" "$build") --Jwt:Key "$jwt_key" >"$log" 2>&1 &
  local pid=$!
  pids+=("$pid")
  local up=""
  for _ in $(seq 150); do
    if curl -s -o /dev/null "$base/jwt/protected"; then up=1; break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  if [ -z "$up" ]; then cat "$log"; fail "[$label] app starts"; return; fi

  local token code cookie body
  store_clear "$store" "$build"
  token="$(curl -s -w '\n%{http_code}' -X POST "$base/jwt/login")"
  code="${token##*$'\n'}"; token="${token%$'\n'*}"
  expect "[$label] JWT login -> 200" 200 "$code"
  [[ "$token" =~ ^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$ ]] && pass "[$label] JWT login returns a compact JWS" || fail "[$label] JWT login returns a compact JWS"
  expect "[$label] JWT protected with the token -> 200" 200 "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$base/jwt/protected")"
  expect "[$label] JWT protected without a token -> 401" 401 "$(curl -s -o /dev/null -w '%{http_code}' "$base/jwt/protected")"

  cookie="$(curl -s -D - -o /dev/null -X POST "$base/cookie/login" | tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: \(__Host-session=[^;]*\).*/\1/p')"
  [ -n "$cookie" ] && pass "[$label] cookie login -> Set-Cookie __Host-session" || fail "[$label] cookie login -> Set-Cookie __Host-session"
  expect "[$label] cookie protected with the cookie -> 200" 200 "$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$base/cookie/protected")"
  expect "[$label] cookie protected without a cookie -> 401" 401 "$(curl -s -o /dev/null -w '%{http_code}' "$base/cookie/protected")"

  # The sessions live in the store: deleting them there (an operator's force logout: FLUSHALL, or
  # db.sessions.deleteMany({})) ends both at once.
  body="$(store_count "$store" "$build")"
  [ "${body:-0}" -gt 0 ] && pass "[$label] sessions are stored in $store ($body)" || fail "[$label] sessions are stored in $store"
  store_clear "$store" "$build"
  expect "[$label] token after the force logout -> 401" 401 "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$base/jwt/protected")"
  expect "[$label] cookie after the force logout -> 401" 401 "$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$base/cookie/protected")"

  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# Fails when a trim/AOT warning (ILxxxx) in a publish log comes from SessionKit (a library or the consumer app);
# lists the others (third-party assemblies').
check_trim_warnings() { # check_trim_warnings <label> <log>
  local warnings ours
  warnings="$(grep -E 'warning IL[0-9]+' "$2" | sed -E 's/ \[[^]]*\.csproj[^]]*\]$//' | sort -u || true)"
  ours="$(grep -E 'SessionKit' <<<"$warnings" || true)"
  if [ -z "$ours" ]; then pass "[$1] no trim/AOT warnings from SessionKit code (libraries or this app)"; else echo "$ours"; fail "[$1] trim/AOT warnings from SessionKit code"; fi
  if [ -n "$warnings" ] && [ -z "$ours" ]; then
    echo "      (other assemblies' warnings, not SessionKit's:)"; sed 's/^/      /' <<<"$warnings"
  fi
  echo "      [$1] distinct trim/AOT warnings: $(grep -c . <<<"$warnings" || true) in all, $(grep -cE 'MongoDB\.(Driver|Bson)' <<<"$warnings" || true) from MongoDB.Driver/MongoDB.Bson"
}

phase "run: framework-dependent build"
run_pairs jit redis dotnet "$out/jit/SessionKit.ConsumerTest.dll"
run_pairs jit mongo dotnet "$out/jit/SessionKit.ConsumerTest.dll"

# Warnings are reported one by one (not one per assembly) so that their origin can be told; the consumer's own
# TreatWarningsAsErrors is off here so that a third-party warning is listed instead of stopping the publish.
publish_args=(-c Release -r linux-x64 "${restore_args[@]}" -p:TrimmerSingleWarn=false -p:TreatWarningsAsErrors=false)

phase "publish trimmed (self-contained, PublishTrimmed=true)"
if dotnet publish "$app" "${publish_args[@]}" --self-contained -p:PublishTrimmed=true -o "$out/trimmed" >"$out/publish-trimmed.log" 2>&1; then
  pass "[trimmed] publish"
  check_trim_warnings trimmed "$out/publish-trimmed.log"
  phase "run: trimmed"
  run_pairs trimmed redis "$out/trimmed/SessionKit.ConsumerTest"
  run_pairs trimmed mongo "$out/trimmed/SessionKit.ConsumerTest"
else
  cat "$out/publish-trimmed.log"; fail "[trimmed] publish"
fi

phase "publish Native AOT (PublishAot=true)"
if ! command -v clang >/dev/null; then
  # Not faked: without a C toolchain the ILCompiler cannot link, so this part is skipped and said so.
  echo "SKIP  [aot] Native AOT needs clang (Debian package 'clang'); ./build.sh test installs it"
elif dotnet publish "$app" "${publish_args[@]}" -p:PublishAot=true -o "$out/aot" >"$out/publish-aot.log" 2>&1; then
  pass "[aot] publish"
  check_trim_warnings aot "$out/publish-aot.log"
  phase "run: Native AOT"
  run_pairs aot redis "$out/aot/SessionKit.ConsumerTest"
  run_pairs aot mongo "$out/aot/SessionKit.ConsumerTest"
else
  cat "$out/publish-aot.log"; fail "[aot] publish (see the log above: the ILCompiler package or the native toolchain)"
fi

# --- 4. a third party's store against the packed store contract suite ----------------------------------------------
phase "run the packed store contract suite against a store of the consumer's own"
store_app="$root/tests/SessionKit.ConsumerStoreTest"
rm -rf "$store_app/bin" "$store_app/obj"
# dotnet test has no --packages: restore into the isolated folder first, then test without restoring again.
if dotnet restore "$store_app" "${restore_args[@]}" >"$out/store-test.log" 2>&1 \
    && dotnet test "$store_app" -c Release --no-restore -p:SessionKitVersion="$version" --logger "console;verbosity=minimal" >>"$out/store-test.log" 2>&1; then
  pass "store contract suite from SessionKit.Testing $version passes against the consumer's store ($(grep -Eo 'Passed: +[0-9]+' "$out/store-test.log" | tail -1 | tr -s ' '))"
else
  tail -40 "$out/store-test.log"; fail "store contract suite from SessionKit.Testing $version against the consumer's store"
fi
if [ -d "$packages/sessionkit.testing/$version" ]; then pass "SessionKit.Testing $version restored from the folder feed"; else fail "SessionKit.Testing $version restored from the folder feed"; fi

finish
