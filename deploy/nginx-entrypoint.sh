#!/bin/sh
# Renders nginx/nginx.conf.template for the containers and runs nginx.
set -eu
mkdir -p /tmp/nginx/tmp
# Logs to the container's output (docker logs, Filebeat), as the nginx image does.
ln -sf /dev/stdout /tmp/nginx/access.log
ln -sf /dev/stderr /tmp/nginx/error.log
# A load balancer in front (its addresses in NGINX_REAL_IP_FROM, space-separated):
# take the client's address from its X-Forwarded-For.
REAL_IP=""
for net in ${NGINX_REAL_IP_FROM:-}; do REAL_IP="$REAL_IP set_real_ip_from $net;"; done
[ -n "$REAL_IP" ] && REAL_IP="$REAL_IP real_ip_header X-Forwarded-For; real_ip_recursive on;"
# Behind TLS (production): browsers keep to HTTPS for a year.
HSTS=""
[ "${NGINX_HSTS:-off}" = "on" ] && HSTS='add_header Strict-Transport-Security "max-age=31536000; includeSubDomains" always;'
sed -e "s#{{REAL_IP}}#$REAL_IP#" -e "s#{{HSTS}}#$HSTS#" -e "s#{{DOCS}}#/usr/share/platform/documentation#g" -e "s#{{WORKERS}}#auto#" -e "s#{{PREFIX}}#/tmp/nginx#g" -e "s#{{LISTEN}}#${NGINX_LISTEN:-80}#g" \
  -e "s#{{DOMAIN}}#${BASE_DOMAIN:-localhost}#g" \
  -e "s#{{AUTH}}#auth:8001#" -e "s#{{SOCIAL}}#social:8002#" -e "s#{{EVENTS}}#events:8003#" -e "s#{{NOTIFY}}#notify:8004#" \
  /etc/platform/nginx.conf.template > /tmp/nginx/nginx.conf
exec nginx -p /tmp/nginx -c /tmp/nginx/nginx.conf -g 'daemon off;'
