# Sourced by the benchmarks: builds release binaries and runs the four services
# on scratch databases (bench_*) behind nginx on 127.0.0.1:18080, with a
# scratch exchange and Redis prefix; everything is removed on exit. Sets BIN,
# WORK (a temp folder), PIDS, RSS (idle MB per service) and URL.
# RSS and URL are for the benchmark that sources this file.
# shellcheck shell=bash disable=SC2034

ensure_build_tools
ensure_nginx
ensure_services
command -v wrk >/dev/null || apt_install wrk

log "building release binaries"
cargo build --release --locked --bins
BIN="$CARGO_TARGET_DIR/release"

# Production-like (JSON logs, release build) but not APP_ENV=production: the
# MiniTwit replay uses the simulator's published credential, which production refuses.
export APP_ENV=benchmark LOG_FORMAT=json RUST_LOG=warn AMQP_EXCHANGE="bench.$$" AMQP_QUEUE_PREFIX="bench.$$." REDIS_PREFIX="bench:$$"
WORK=$(mktemp -d)
export NOTIFY_MAIL_DIR="$WORK/mail"
# Uploaded images on local disk, served by nginx at media.localhost (its
# workers may pass through the scratch folder to read them).
export MEDIA_STORE="file://$WORK/media" MEDIA_PUBLIC_URL=http://media.localhost:18080
chmod o+x "$WORK"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for db in auth social events notify; do psql_admin -c "DROP DATABASE IF EXISTS bench_$db WITH (FORCE)" || true; done
  redis-cli --scan --pattern "$REDIS_PREFIX:*" | xargs -r redis-cli del >/dev/null || true
  # No AMQP client in shell: remove the scratch exchange through the broker's own CLI.
  as_root rabbitmqctl eval "rabbit_exchange:delete(rabbit_misc:r(<<\"/\">>, exchange, <<\"$AMQP_EXCHANGE\">>), false, <<\"bench\">>)." \
    >/dev/null 2>&1 || log "could not delete the exchange $AMQP_EXCHANGE; remove it by hand"
  for queue in $(as_root rabbitmqctl list_queues -q name 2>/dev/null | grep -F "$AMQP_QUEUE_PREFIX"); do
    as_root rabbitmqctl delete_queue "$queue" >/dev/null 2>&1 || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

BASE="${PG_ADMIN_URL%/*}"
for db in auth social events notify; do
  psql_admin -c "DROP DATABASE IF EXISTS bench_$db WITH (FORCE)"
  psql_admin -c "CREATE DATABASE bench_$db"
done
AUTH_SIGNING_KEYS="$(openssl genpkey -algorithm ed25519 -outform DER | base64 -w0)"
export AUTH_SIGNING_KEYS
export AUTH_LOGIN_MAX_ACCOUNTS_PER_ADDRESS=1000000 AUTH_JWKS_URL=http://127.0.0.1:18001/.well-known/jwks.json
# social needs an API client in auth.
export AUTH_DATABASE_URL="$BASE/bench_auth?sslmode=disable&gssencmode=disable" SOCIAL_AUTH_URL=http://127.0.0.1:18001 EVENTS_AUTH_URL=http://127.0.0.1:18001
"$BIN/auth" migrate >/dev/null
created=$("$BIN/auth" create-client --name social --scopes "users:provision users:read")
SOCIAL_AUTH_CLIENT_ID=$(printf '%s' "$created" | python3 -c 'import json,sys; print(json.load(sys.stdin)["client_id"])')
SOCIAL_AUTH_CLIENT_SECRET=$(printf '%s' "$created" | python3 -c 'import json,sys; print(json.load(sys.stdin)["client_secret"])')
export SOCIAL_AUTH_CLIENT_ID SOCIAL_AUTH_CLIENT_SECRET
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
# Without edge rate limits: the load comes from one address.
NGINX_PREFIX="$WORK/nginx" NGINX_LISTEN=127.0.0.1:18080 NGINX_ACCESS_LOG=off \
  NGINX_RATE_LOGIN=off NGINX_RATE_SIMULATOR=off NGINX_MEDIA_ROOT="$WORK/media" \
  NGINX_AUTH=127.0.0.1:18001 NGINX_SOCIAL=127.0.0.1:18002 NGINX_EVENTS=127.0.0.1:18003 NGINX_NOTIFY=127.0.0.1:18004 \
  nginx/render >"$WORK/nginx/nginx.conf"
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
