# nginx with the Swagger UI files for <BASE_DOMAIN>/documentation.
# Build from the project root: docker build -f deploy/nginx.Dockerfile .
FROM node:20-alpine AS swagger-ui
ARG SWAGGER_UI_VERSION=5.35.0
WORKDIR /tmp/swagger
RUN npm pack --silent "swagger-ui-dist@${SWAGGER_UI_VERSION}" && tar -xzf swagger-ui-dist-*.tgz

FROM nginx:1.27
COPY --from=swagger-ui /tmp/swagger/package/swagger-ui-bundle.js /tmp/swagger/package/swagger-ui-standalone-preset.js /tmp/swagger/package/swagger-ui.css /usr/share/platform/documentation/
COPY nginx/documentation/ /usr/share/platform/documentation/
COPY nginx/nginx.conf.template /etc/platform/nginx.conf.template
COPY --chmod=0555 deploy/nginx-entrypoint.sh /etc/platform/nginx-entrypoint.sh
ENTRYPOINT ["/etc/platform/nginx-entrypoint.sh"]
