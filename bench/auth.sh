#!/usr/bin/env bash
# Benchmarks the identity service through nginx and writes bench/results/auth.md.
# Builds release binaries, runs auth (production argon2id cost) on a scratch
# database, and drives it with wrk. Usage: ./bench/auth.sh [seconds per run]
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
cd "$ROOT"
DURATION="${1:-15}"
# Concurrent keep-alive connections for the GET /v1/me run.
ME_CONNECTIONS="${ME_CONNECTIONS:-32}"

ensure_build_tools
ensure_nginx
ensure_services
command -v wrk >/dev/null || apt_install wrk

log "building release binaries"
cargo build --release --locked --bins
BIN="$CARGO_TARGET_DIR/release"

WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for db in auth social events notify; do psql_admin -c "DROP DATABASE IF EXISTS bench_$db WITH (FORCE)" || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

BASE="${PG_ADMIN_URL%/*}"
for db in auth social events notify; do
  psql_admin -c "DROP DATABASE IF EXISTS bench_$db WITH (FORCE)"
  psql_admin -c "CREATE DATABASE bench_$db"
done
export APP_ENV=production RUST_LOG=warn AMQP_EXCHANGE="bench.$$" REDIS_PREFIX="bench:$$"
export AUTH_SIGNING_KEYS="$(openssl genpkey -algorithm ed25519 -outform DER | base64 -w0)"
export AUTH_LOGIN_MAX_FAILURES_PER_ADDRESS=1000000
ports=(18001 18002 18003 18004)
i=0
for service in auth social events notify; do
  upper=$(echo "$service" | tr a-z A-Z)
  env "${upper}_DATABASE_URL=$BASE/bench_$service?sslmode=disable&gssencmode=disable" "${upper}_LISTEN=127.0.0.1:${ports[$i]}" \
    "$BIN/$service" serve >"$WORK/$service.log" 2>&1 &
  PIDS+=($!)
  i=$((i + 1))
done
for port in "${ports[@]}"; do wait_for_port 127.0.0.1 "$port" "service on $port" 30; done

mkdir -p "$WORK/nginx/tmp"
sed -e "s#{{WORKERS}}#auto#" -e "s#{{PREFIX}}#$WORK/nginx#g" -e "s#{{LISTEN}}#127.0.0.1:18080#g" \
  -e "s#{{DOMAIN}}#localhost#g" -e "s#{{AUTH}}#127.0.0.1:18001#" -e "s#{{SOCIAL}}#127.0.0.1:18002#" \
  -e "s#{{EVENTS}}#127.0.0.1:18003#" -e "s#{{NOTIFY}}#127.0.0.1:18004#" \
  -e "s#access_log .*;#access_log off;#" \
  nginx/nginx.conf.template >"$WORK/nginx/nginx.conf"
"$NGINX_BIN" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -g 'daemon off;' &
PIDS+=($!)
wait_for_port 127.0.0.1 18080 nginx 20

# Idle memory, before any load.
sleep 3
declare -A RSS
i=0
for service in auth social events notify; do
  RSS[$service]=$(awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/${PIDS[$i]}/status")
  i=$((i + 1))
done

URL=http://127.0.0.1:18080
curl -sf -X POST "$URL/v1/register" -H 'Host: auth.localhost' -H 'Content-Type: application/json' \
  -d '{"username":"bench user","email":"bench@example.org","password":"benchmark password"}' >/dev/null
TOKEN=$(curl -sf -X POST "$URL/v1/login" -H 'Host: auth.localhost' -H 'Content-Type: application/json' \
  -d '{"username":"bench user","password":"benchmark password"}' | sed -E 's/.*"access_token":"([^"]+)".*/\1/')

run() { # name, then wrk arguments
  local name=$1
  shift
  log "wrk: $name"
  wrk --latency -d "${DURATION}s" -s bench/lua/report.lua "$@" | tee "$WORK/$name.txt" >&2
  grep '^RESULT' "$WORK/$name.txt" | sed 's/^RESULT //' >"$WORK/$name.result"
}
field() { sed -E "s/.* $2=([^ ]+).*/\1/; s/^$2=([^ ]+).*/\1/" "$WORK/$1.result"; }

# A warm-up so connection pools and caches are filled.
wrk -d 3s -t 2 -c 32 -H 'Host: auth.localhost' -H "Authorization: Bearer $TOKEN" "$URL/v1/me" >/dev/null
run me -t 2 -c "$ME_CONNECTIONS" -H 'Host: auth.localhost' -H "Authorization: Bearer $TOKEN" "$URL/v1/me"

cat >"$WORK/login.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Host"] = "auth.localhost"
wrk.body = '{"username":"bench user","password":"benchmark password"}'
LUA
cat "$WORK/login.lua" bench/lua/report.lua >"$WORK/login-report.lua"
cat bench/lua/register.lua bench/lua/report.lua >"$WORK/register-report.lua"
log "wrk: login"
wrk --latency -d "${DURATION}s" -t 2 -c 4 -s "$WORK/login-report.lua" "$URL/v1/login" | tee "$WORK/login.txt" >&2
grep '^RESULT' "$WORK/login.txt" | sed 's/^RESULT //' >"$WORK/login.result"
log "wrk: register"
wrk --latency -d "${DURATION}s" -t 2 -c 4 -s "$WORK/register-report.lua" "$URL/v1/register" | tee "$WORK/register.txt" >&2
grep '^RESULT' "$WORK/register.txt" | sed 's/^RESULT //' >"$WORK/register.result"

verdict() { awk -v v="$1" -v t="$2" -v op="$3" 'BEGIN { ok = (op == "<") ? (v < t) : (v >= t); print ok ? "met" : "MISSED" }'; }

mkdir -p bench/results
{
  echo "# auth benchmark"
  echo
  echo "Written by \`bench/auth.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'), commit \`$(git rev-parse --short HEAD)\`."
  echo "Machine: $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(free -g | awk '/Mem:/ {print $2}') GiB;"
  echo "everything (wrk, nginx, the services, PostgreSQL, Redis, RabbitMQ) shares those cores."
  echo "Release build, through nginx (\`Host: auth.localhost\`), ${DURATION} s per run after a warm-up."
  echo "argon2id: m=${AUTH_ARGON2_MEMORY_KIB:-19456} KiB, t=${AUTH_ARGON2_ITERATIONS:-2}, p=${AUTH_ARGON2_PARALLELISM:-1}."
  echo
  echo "| run | clients | requests/s | p50 ms | p99 ms | errors + non-2xx | target | |"
  echo "|---|---|---|---|---|---|---|---|"
  echo "| GET /v1/me (valid token) | $ME_CONNECTIONS | $(field me rps) | $(field me p50_ms) | $(field me p99_ms) | $(( $(field me errors) + $(field me non2xx) )) | >= 5000 rps, p99 < 20 ms | $(verdict "$(field me rps)" 5000 ">=") / $(verdict "$(field me p99_ms)" 20 "<") |"
  echo "| POST /v1/login | 4 | $(field login rps) | $(field login p50_ms) | $(field login p99_ms) | $(( $(field login errors) + $(field login non2xx) )) | p99 < 100 ms | $(verdict "$(field login p99_ms)" 100 "<") |"
  echo "| POST /v1/register | 4 | $(field register rps) | $(field register p50_ms) | $(field register p99_ms) | $(( $(field register errors) + $(field register non2xx) )) | p99 < 100 ms | $(verdict "$(field register p99_ms)" 100 "<") |"
  echo
  echo "Idle resident memory (VmRSS) after start-up, target under 30 MB each:"
  echo
  echo "| service | MB | |"
  echo "|---|---|---|"
  for service in auth social events notify; do
    echo "| $service | ${RSS[$service]} | $(verdict "${RSS[$service]}" 30 "<") |"
  done
} >bench/results/auth.md
cat bench/results/auth.md
