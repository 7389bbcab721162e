#!/bin/sh
# The nginx container's entrypoint: renders the configuration with nginx/render
# from the container's environment (docker-compose*.yml set it) and runs nginx
# in the foreground. `nginx-entrypoint.sh -t` renders and only tests it
# (scripts/check-nginx runs it so, with the compose files' settings).
set -eu
: "${NGINX_PREFIX:=/tmp/nginx}"
: "${NGINX_TEMPLATE:=/etc/platform/nginx.conf.template}"
: "${NGINX_DOCS:=/usr/share/platform/documentation}"
export NGINX_PREFIX NGINX_TEMPLATE NGINX_DOCS
mkdir -p "$NGINX_PREFIX/tmp"
# Logs go to the container's output, as in the nginx image.
ln -sf /dev/stdout "$NGINX_PREFIX/access.log"
ln -sf /dev/stderr "$NGINX_PREFIX/error.log"
"${NGINX_RENDER:-/etc/platform/render}" >"$NGINX_PREFIX/nginx.conf"
if [ "${1:-}" = "-t" ]; then
  exec "${NGINX_BIN:-nginx}" -t -q -p "$NGINX_PREFIX" -c "$NGINX_PREFIX/nginx.conf"
fi
# Its metrics for Prometheus (stub_status on loopback, read by the exporter).
if [ -n "${NGINX_EXPORTER_LISTEN:-}" ] && [ -n "${NGINX_STATUS_LISTEN:-}" ]; then
  nginx-prometheus-exporter --web.listen-address="$NGINX_EXPORTER_LISTEN" \
    --nginx.scrape-uri="http://${NGINX_STATUS_LISTEN}/stub_status" &
fi
exec "${NGINX_BIN:-nginx}" -p "$NGINX_PREFIX" -c "$NGINX_PREFIX/nginx.conf" -g 'daemon off;'
