#!/bin/sh
# Renders nginx/nginx.conf.template for the containers and runs nginx.
set -eu
mkdir -p /tmp/nginx/tmp
# Logs to the container's output (docker logs, Filebeat), as the nginx image does.
ln -sf /dev/stdout /tmp/nginx/access.log
ln -sf /dev/stderr /tmp/nginx/error.log
sed -e "s#{{DOCS}}#/usr/share/platform/documentation#g" -e "s#{{WORKERS}}#auto#" -e "s#{{PREFIX}}#/tmp/nginx#g" -e "s#{{LISTEN}}#${NGINX_LISTEN:-80}#g" \
  -e "s#{{DOMAIN}}#${BASE_DOMAIN:-localhost}#g" \
  -e "s#{{AUTH}}#auth:8001#" -e "s#{{SOCIAL}}#social:8002#" -e "s#{{EVENTS}}#events:8003#" -e "s#{{NOTIFY}}#notify:8004#" \
  /etc/platform/nginx.conf.template > /tmp/nginx/nginx.conf
exec nginx -p /tmp/nginx -c /tmp/nginx/nginx.conf -g 'daemon off;'
