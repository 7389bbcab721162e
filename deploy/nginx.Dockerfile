# nginx for the platform: the configuration rendered at start by nginx/render
# from the environment, and Swagger UI (vendored in nginx/documentation by
# ./scripts/vendor-swagger-ui) at <BASE_DOMAIN>/documentation.
# Build from the project root: docker build -f deploy/nginx.Dockerfile .
# Runs unprivileged (master and workers): HTTP on 8080, HTTPS on 8443.
FROM nginx:1.27
# The Prometheus exporter runs beside nginx in each container (nginx-entrypoint.sh),
# so every replica's figures are scraped, not one picked by the service's VIP.
COPY --from=nginx/nginx-prometheus-exporter:1.4.0 /usr/bin/nginx-prometheus-exporter /usr/local/bin/nginx-prometheus-exporter
COPY nginx/documentation/ /usr/share/platform/documentation/
COPY nginx/nginx.conf.template /etc/platform/nginx.conf.template
COPY --chmod=0555 nginx/render /etc/platform/render
COPY --chmod=0555 deploy/nginx-entrypoint.sh /etc/platform/nginx-entrypoint.sh
USER nginx
ENV NGINX_LISTEN=8080 NGINX_TLS_LISTEN=8443 NGINX_STATUS_LISTEN=127.0.0.1:8081 NGINX_EXPORTER_LISTEN=:9113
EXPOSE 8080 8443 9113
ENTRYPOINT ["/etc/platform/nginx-entrypoint.sh"]
