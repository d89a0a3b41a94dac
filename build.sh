#!/usr/bin/env bash
# SessionKit's one entry point for a fresh machine.
#   ./build.sh test     install what the tests need (Debian packages), build, run every test
#   ./build.sh sample   run the sample app on the in-memory store and a SQLite user database (extra arguments go to
#                       the app; ASPNETCORE_ENVIRONMENT defaults to Development)
#   ./build.sh build    Release build of everything (warnings are errors)
set -euo pipefail
cd "$(dirname "$0")"

# Debian packages the test suite drives for real: a Redis server with its sentinels and a PostgreSQL server (started by
# the test fixtures on free loopback ports), MongoDB software written independently of the .NET driver (the MockupDB
# wire server, which checks the commands the store sends; PyMongo, which sends the consumer test's force logout as
# mongosh would), curl for the consumer test's requests, clang, the C toolchain that Native AOT links with
# (tests/consumer-test.sh), and Chromium, the browser the sample's page is tested in (Playwright drives it by path and
# never downloads one; a font comes with it: fontconfig depends on fonts-dejavu-core or another).
TEST_PACKAGES=(redis-server redis-sentinel redis-tools postgresql python3-pymongo python3-mockupdb curl clang chromium)

# The newest StackExchange.Redis the registry serves; the Redis tests run on it too (SessionKit.Redis asks for >= 2.13.23).
REDIS_CLIENT_NEWEST=3.4.35


ensure_packages() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing ${missing[*]} ..."
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

summarize() {
  # One closing line for CI: "N passed, N failed, N skipped", summed over every test project's TRX report and the
  # consumer test's checks ($2: its "passed failed" counts file).
  local passed=0 failed=0 total=0 executed=0
  if [ -f "${2:-}" ]; then
    read -r passed failed <"$2"
    total=$((passed + failed)); executed=$total
  fi
  for f in "$1"/*.trx; do
    [ -f "$f" ] || continue
    local line
    line=$(grep -o '<Counters [^>]*>' "$f" | head -1)
    total=$((total + $(sed -E 's/.* total="([0-9]+)".*/\1/' <<<"$line")))
    executed=$((executed + $(sed -E 's/.* executed="([0-9]+)".*/\1/' <<<"$line")))
    passed=$((passed + $(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$line")))
    failed=$((failed + $(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$line")))
  done
  echo "Tests: $passed passed, $failed failed, $((total - executed)) skipped"
}

case "${1:-test}" in
  test)
    ensure_packages "${TEST_PACKAGES[@]}"
    results="$(pwd)/artifacts/test-results"
    rm -rf "$results"
    status=0
    dotnet test SessionKit.sln -c Release --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results" || status=$?
    # Again on the newest StackExchange.Redis (3.x: RESP3, pub/sub on the interactive connection), as an app that
    # references it directly gets it: the Redis store contract suites (standalone, Cluster, Sentinel), the store's
    # outage, change-feed and abandoned-create tests, and the sample's Redis integration tests (scenario B, outage,
    # the local cache across a disconnect, Sentinel failover).
    for project in tests/SessionKit.Redis.Tests tests/SessionKit.Sample.IntegrationTests; do
      filter="FullyQualifiedName~SessionKit"
      [ "$project" = tests/SessionKit.Redis.Tests ] && filter="FullyQualifiedName~StoreContractTests|FullyQualifiedName~ChangeFeed|FullyQualifiedName~Confirmation|FullyQualifiedName~Outage|FullyQualifiedName~AbandonedCreate|FullyQualifiedName~ClientVersion"
      dotnet test "$project" -c Release -p:RedisClientVersion="$REDIS_CLIENT_NEWEST" --filter "$filter" \
        --logger "trx;LogFilePrefix=redis-$REDIS_CLIENT_NEWEST" --logger "console;verbosity=minimal" --results-directory "$results" || status=$?
    done
    # The packages as a user gets them: pack, restore by PackageReference, run (built, trimmed, Native AOT) on Redis
    # and on the MongoDB wire peer.
    rm -f artifacts/consumer/counts
    tests/consumer-test.sh || status=$?
    summarize "$results" artifacts/consumer/counts
    exit $status
    ;;
  sample)
    shift
    # No launch profile, so that ASPNETCORE_ENVIRONMENT and ASPNETCORE_URLS from the caller's environment hold; they
    # default to Development and http://localhost:5080. Command-line arguments (--urls, --environment) win over both.
    export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
    export ASPNETCORE_URLS="${ASPNETCORE_URLS:-http://localhost:5080}"
    exec dotnet run --project samples/SessionKit.Sample -c Release --no-launch-profile -- "$@"
    ;;
  build)
    exec dotnet build SessionKit.sln -c Release
    ;;
  *)
    echo "usage: ./build.sh [test|sample|build]" >&2
    exit 2
    ;;
esac
