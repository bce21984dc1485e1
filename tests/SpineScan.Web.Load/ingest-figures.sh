#!/usr/bin/env bash
# Ingestion throughput on the loopback: Release build, a fresh database, the server and the harness on this machine.
#   tests/SpineScan.Web.Load/ingest-figures.sh Sqlite|Postgres [count=6000] [concurrency=16]
# Postgres needs SPINESCAN_TEST_POSTGRES (a loopback admin connection string); a scratch database is created and dropped.
# PG_EXTRA appends Npgsql options to the server's connection string (e.g. ";Max Auto Prepare=32"); WARMUP sets the warm-up count.
# Everything runs under /tmp and on 127.0.0.1; the server is stopped at the end, the harness is bounded by --seconds.
set -euo pipefail
provider=${1:-Sqlite}
count=${2:-6000}
concurrency=${3:-16}
artifacts=${ARTIFACTS:-/tmp/art-web2}
port=${PORT:-5087}
work=$(mktemp -d /tmp/spinescan-ingest.XXXXXX)
cd "$(dirname "$0")/../.."
dotnet build -c Release web/SpineScan.Web --artifacts-path "$artifacts" -v q -nologo >/dev/null
dotnet build -c Release tests/SpineScan.Web.Load --artifacts-path "$artifacts" -v q -nologo >/dev/null
web="$artifacts/bin/SpineScan.Web/release_linux-x64"
load="$artifacts/bin/SpineScan.Web.Load/release_linux-x64/SpineScan.Web.Load"

if [[ "$provider" == Postgres ]]; then
  db="spinescan_ingest_$$"
  connection="${SPINESCAN_TEST_POSTGRES};Database=$db;SSL Mode=Disable${PG_EXTRA:-}"
  psql_url=$(echo "$SPINESCAN_TEST_POSTGRES" | sed -E 's/.*Host=([^;]*).*Port=([^;]*).*Username=([^;]*).*Password=([^;]*).*/postgresql:\/\/\3:\4@\1:\2\/postgres/')
  psql -q "$psql_url" -c "CREATE DATABASE \"$db\"" >/dev/null
  # PostgreSQL needs the key-ring key file named (the same on every node); the server makes it 0600 on first start.
  keyring=("--Database:KeyRingKeyFile=$work/keyring.key")
else
  connection="Data Source=$work/spinescan.db"
  keyring=()
fi
config=("--Database:Provider=$provider" "--ConnectionStrings:Default=$connection" "${keyring[@]}")

cd "$web"
./SpineScan.Web admin add-programme --code P1 --name "Programme one" "${config[@]}" >/dev/null
./SpineScan.Web admin add-school --programme P1 --code SCH1 --name "School one" "${config[@]}" >/dev/null
credential=$(./SpineScan.Web admin add-device --programme P1 --device-id kiosk-load "${config[@]}" | tail -n 1)
./SpineScan.Web --urls "http://127.0.0.1:$port" --Logging:LogLevel:Default=Warning "${config[@]}" >"$work/server.log" 2>&1 &
server=$!
cleanup() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  if [[ "$provider" == Postgres ]]; then psql -q "$psql_url" -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null; fi
  rm -rf "$work"
}
trap cleanup EXIT
for _ in $(seq 1 60); do curl -fs "http://127.0.0.1:$port/openapi/v1.json" >/dev/null && break; sleep 0.5; done

# Warm-up until tiered JIT settles (measured: the first ~5000 requests spend a quarter of the CPU in the JIT), then the run.
"$load" ingest --url "http://127.0.0.1:$port" --credential "$credential" --school SCH1 --count "${WARMUP:-5000}" --concurrency "$concurrency" --seconds 120 >/dev/null
cpu() { awk '{print $14 + $15}' "/proc/$server/stat"; }
echo "provider $provider, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
before=$(cpu)
"$load" ingest --url "http://127.0.0.1:$port" --credential "$credential" --school SCH1 --count "$count" --concurrency "$concurrency" --seconds 120
ticks=$(( $(cpu) - before ))
echo "server CPU: $(( ticks * 1000 / $(getconf CLK_TCK) )) ms for $count reports = $(( ticks * 1000000 / $(getconf CLK_TCK) / count )) µs per report"
