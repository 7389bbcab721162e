# Shared by scripts/dev, scripts/test and bench/: find, start or install what
# the platform needs. Sourced, not run.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Builds live outside the checkout so fresh clones (and CI) reuse them.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/platform/target}"
export PATH="$HOME/.cargo/bin:$PATH"

log() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "need root for: $*"; fi
}

APT_UPDATED=""
apt_install() {
  command -v apt-get >/dev/null || die "cannot install $* (no apt-get); install it yourself"
  if [ -z "$APT_UPDATED" ]; then
    log "apt-get update"
    as_root apt-get update -qq >/dev/null
    APT_UPDATED=1
  fi
  log "installing $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

wait_for_port() {
  local host=$1 port=$2 what=$3 tries=${4:-60}
  for _ in $(seq "$tries"); do
    port_open "$host" "$port" && return 0
    sleep 1
  done
  die "$what did not come up on $host:$port"
}

ensure_build_tools() {
  local missing=()
  command -v cc >/dev/null || missing+=(build-essential)
  command -v pkg-config >/dev/null || missing+=(pkg-config)
  [ -e /usr/include/postgresql/libpq-fe.h ] || missing+=(libpq-dev)
  command -v openssl >/dev/null || missing+=(openssl)
  command -v psql >/dev/null || missing+=(postgresql-client)
  [ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
  command -v cargo >/dev/null || die "cargo not found: install Rust from your distribution or rustup"
}

ensure_nginx() {
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || apt_install nginx-light
  export NGINX_BIN="${NGINX_BIN:-$(command -v nginx || echo /usr/sbin/nginx)}"
}

# promtool, to check and unit-test the Prometheus configuration and alerts.
ensure_promtool() {
  command -v promtool >/dev/null || apt_install prometheus
}

# Headless Chromium and its WebDriver, for the browser tests.
ensure_chromium() {
  local missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  [ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
  [ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
}

# An SMTP server for the notify tests (aiosmtpd from Debian), and openssl for
# the test certificate authority its TLS modes use.
ensure_smtp_sink() {
  local missing=()
  /usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || missing+=(python3-aiosmtpd)
  command -v openssl >/dev/null || missing+=(openssl)
  [ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
}

# Swagger UI for <BASE_DOMAIN>/documentation: nginx/documentation (the page and
# the swagger-ui-dist files vendored by ./scripts/vendor-swagger-ui), copied to
# DOCS_UI_DIR outside home folders: nginx's workers, which read it, run as an
# unprivileged user.
ensure_swagger_ui() {
  export DOCS_UI_DIR="${DOCS_UI_DIR:-${TMPDIR:-/tmp}/platform-documentation-$(cat "$ROOT/nginx/documentation/SWAGGER-UI-VERSION")}"
  mkdir -p "$DOCS_UI_DIR"
  cp "$ROOT"/nginx/documentation/* "$DOCS_UI_DIR/"
  chmod -R a+rX "$DOCS_UI_DIR"
}

# schemathesis (for scripts/check-api), in its own virtualenv; SCHEMATHESIS is its command.
SCHEMATHESIS_VERSION=4.32.5
ensure_schemathesis() {
  local venv="${XDG_CACHE_HOME:-$HOME/.cache}/platform/schemathesis-$SCHEMATHESIS_VERSION"
  if [ ! -x "$venv/bin/st" ]; then
    log "installing schemathesis $SCHEMATHESIS_VERSION"
    python3 -m venv "$venv" >/dev/null 2>&1 || { apt_install python3-venv; python3 -m venv "$venv"; }
    "$venv/bin/pip" install -q "schemathesis==$SCHEMATHESIS_VERSION"
  fi
  export SCHEMATHESIS="$venv/bin/st"
}

ensure_postgres() {
  if port_open 127.0.0.1 5432; then return; fi
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then apt_install postgresql; fi
  log "starting PostgreSQL"
  local version
  version=$(ls /etc/postgresql | sort -V | tail -1)
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  STARTED+=("postgres:$version")
  wait_for_port 127.0.0.1 5432 PostgreSQL
}

ensure_redis() {
  if port_open 127.0.0.1 6379; then return; fi
  command -v redis-server >/dev/null || apt_install redis-server
  log "starting Redis"
  as_root mkdir -p /var/lib/redis /var/log/redis
  as_root redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/platform.log
  STARTED+=(redis)
  wait_for_port 127.0.0.1 6379 Redis
}

ensure_rabbitmq() {
  if ! port_open 127.0.0.1 5672; then
    command -v rabbitmq-server >/dev/null || apt_install rabbitmq-server
    log "starting RabbitMQ (this takes a few seconds)"
    as_root rabbitmq-server -detached || true
    STARTED+=(rabbitmq)
    wait_for_port 127.0.0.1 5672 RabbitMQ 120
  fi
  ensure_broker_users
}

# Each service's own broker user with its permissions (the development
# passwords of deploy/rabbitmq/definitions.json); idempotent.
ensure_broker_users() {
  log "loading the services' RabbitMQ users"
  as_root rabbitmqctl -q import_definitions "$ROOT/deploy/rabbitmq/definitions.json" >/dev/null
  local tries=0
  until as_root rabbitmqctl -q authenticate_user notify notify-dev >/dev/null 2>&1; do
    tries=$((tries + 1))
    [ "$tries" -lt 60 ] || die "RabbitMQ did not load deploy/rabbitmq/definitions.json"
    sleep 0.5
  done
}

# Azurite, Microsoft's Azure Blob Storage emulator (npm), for the file store's
# tests: installed once into the cache, started on 127.0.0.1:10000 with its data
# in a scratch folder. Tests make a container each and delete it.
AZURITE_VERSION=3.35.0
ensure_azurite() {
  if port_open 127.0.0.1 10000; then return; fi
  local dir="${XDG_CACHE_HOME:-$HOME/.cache}/platform/azurite-$AZURITE_VERSION"
  if [ ! -x "$dir/node_modules/.bin/azurite-blob" ]; then
    command -v npm >/dev/null || apt_install nodejs npm
    log "installing Azurite $AZURITE_VERSION"
    mkdir -p "$dir"
    npm install --prefix "$dir" --silent --no-audit --no-fund "azurite@$AZURITE_VERSION" >/dev/null
  fi
  log "starting Azurite"
  local data="${TMPDIR:-/tmp}/platform-azurite"
  mkdir -p "$data"
  nohup "$dir/node_modules/.bin/azurite-blob" --blobHost 127.0.0.1 --blobPort 10000 \
    --location "$data" --silent --skipApiVersionCheck >"$data/azurite.log" 2>&1 &
  wait_for_port 127.0.0.1 10000 Azurite
}

# What ensure_services had to start, so scripts/dev can stop it again.
STARTED=()

stop_started_services() {
  local item
  for item in "${STARTED[@]}"; do
    case "$item" in
      redis) log "stopping Redis"; redis-cli -p 6379 shutdown nosave >/dev/null 2>&1 || true ;;
      rabbitmq) log "stopping RabbitMQ"; as_root rabbitmqctl stop >/dev/null 2>&1 || true ;;
      postgres:*) log "stopping PostgreSQL"; as_root pg_ctlcluster --skip-systemctl-redirect "${item#postgres:}" main stop || true ;;
    esac
  done
}

ensure_services() {
  ensure_postgres
  ensure_redis
  ensure_rabbitmq
}

# psql as the database superuser the local stack uses.
PG_ADMIN_URL="${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable&gssencmode=disable}"
psql_admin() { psql "$PG_ADMIN_URL" -v ON_ERROR_STOP=1 -Atq "$@"; }

ensure_database() {
  local name=$1
  if [ -z "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$name'")" ]; then
    log "creating database $name"
    psql_admin -c "CREATE DATABASE \"$name\""
  fi
}

# diesel's CLI (print-schema, for scripts/check-schema), built once into a
# folder outside the checkout so fresh clones reuse it.
DIESEL_CLI_VERSION=2.3.14
ensure_diesel_cli() {
  local root="${PLATFORM_TOOLS_DIR:-$HOME/.cache/platform/tools}"
  export DIESEL_BIN="$root/bin/diesel"
  if ! "$DIESEL_BIN" --version 2>/dev/null | grep -q "$DIESEL_CLI_VERSION"; then
    log "building diesel_cli $DIESEL_CLI_VERSION (once)"
    CARGO_TARGET_DIR="$root/target" cargo install diesel_cli --version "=$DIESEL_CLI_VERSION" \
      --no-default-features --features postgres --root "$root" --locked --quiet
  fi
}
