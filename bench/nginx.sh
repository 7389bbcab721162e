#!/usr/bin/env bash
# What the platform's nginx configuration costs per proxied request: wrk
# through the rendered configuration (nginx/render, as ./scripts/dev and the
# tests run it) to a trivial backend (a second nginx answering 200), against
# wrk straight to that backend. Writes bench/results/nginx.md.
# Usage: ./bench/nginx.sh [seconds per run]   (RUNS=3, CONNECTIONS=32)
# TEMPLATE=<file> measures another template with the same renderer (e.g. an
# older one: git show REV:nginx/nginx.conf.template > /tmp/old.template).
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
cd "$ROOT"
DURATION="${1:-10}"
RUNS="${RUNS:-3}"
CONNECTIONS="${CONNECTIONS:-32}"
ensure_nginx
command -v wrk >/dev/null || apt_install wrk

WORK=$(mktemp -d)
stop() {
  for pid in "$WORK"/*/nginx.pid; do [ -f "$pid" ] && kill "$(cat "$pid")" 2>/dev/null; done
  rm -rf "$WORK"
}
trap stop EXIT

# The backend: 200 with a small JSON body, as fast as nginx answers.
mkdir -p "$WORK/backend"
cat >"$WORK/backend/nginx.conf" <<CONF
worker_processes 1;
pid $WORK/backend/nginx.pid;
error_log $WORK/backend/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $WORK/backend/body;
    proxy_temp_path $WORK/backend/proxy;
    fastcgi_temp_path $WORK/backend/fastcgi;
    uwsgi_temp_path $WORK/backend/uwsgi;
    scgi_temp_path $WORK/backend/scgi;
    keepalive_requests 100000;
    server {
        listen 127.0.0.1:18991;
        default_type application/json;
        location / { return 200 '{"id":"00000000-0000-0000-0000-000000000000","username":"bench"}'; }
    }
}
CONF
"$NGINX_BIN" -p "$WORK/backend" -c "$WORK/backend/nginx.conf"

mkdir -p "$WORK/edge/tmp"
NGINX_PREFIX="$WORK/edge" NGINX_LISTEN=127.0.0.1:18990 NGINX_WORKERS=1 NGINX_ACCESS_LOG=off \
  NGINX_TEMPLATE="${TEMPLATE:-nginx/nginx.conf.template}" \
  NGINX_AUTH=127.0.0.1:18991 NGINX_SOCIAL=127.0.0.1:18991 NGINX_EVENTS=127.0.0.1:18991 NGINX_NOTIFY=127.0.0.1:18991 \
  nginx/render >"$WORK/edge/nginx.conf"
"$NGINX_BIN" -p "$WORK/edge" -c "$WORK/edge/nginx.conf"
wait_for_port 127.0.0.1 18990 nginx 10

cat >"$WORK/host.lua" <<'LUA'
wrk.headers["Host"] = "events.localhost"
LUA
cat "$WORK/host.lua" bench/lua/report.lua >"$WORK/report.lua"
measure() { # name URL
  : >"$WORK/$1.results"
  for run in $(seq "$RUNS"); do
    log "wrk: $1, run $run of $RUNS"
    wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" -s "$WORK/report.lua" "$2" | grep '^RESULT' | sed 's/^RESULT //' >>"$WORK/$1.results"
  done
}
measure direct http://127.0.0.1:18991/v1/events
measure proxied http://127.0.0.1:18990/v1/events

median() { # file field
  sed -n "s/.*$2=\([0-9.]*\).*/\1/p" "$1" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}
row() { printf '| %s | %s | %s | %s | %s |\n' "$1" "$(median "$WORK/$2.results" rps)" \
  "$(median "$WORK/$2.results" p50_ms)" "$(median "$WORK/$2.results" p99_ms)" "$(median "$WORK/$2.results" non2xx)"; }
mkdir -p bench/results
{
  echo "# nginx: the cost of the platform's configuration"
  echo
  echo "\`./bench/nginx.sh $DURATION\` on $(date -u +%Y-%m-%d), $(nproc) cores, $("$NGINX_BIN" -v 2>&1 | sed 's/.*: //'):"
  echo "wrk, 1 thread, $CONNECTIONS keep-alive connections, ${DURATION} s per run, median of $RUNS runs."
  echo "The backend is a second nginx answering 200 at once, so the difference is"
  echo "the edge itself: the rendered configuration${TEMPLATE:+ (template $TEMPLATE)}, one worker,"
  echo "kept-alive upstream connections, no access log."
  echo
  echo "| path | requests/s | p50 ms | p99 ms | non-2xx |"
  echo "|---|---|---|---|---|"
  row "wrk → backend" direct
  row "wrk → nginx (events.localhost) → backend" proxied
} >bench/results/nginx.md
cat bench/results/nginx.md
