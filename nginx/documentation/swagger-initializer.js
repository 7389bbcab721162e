// Swagger UI over the four services' OpenAPI documents, which nginx serves
// under /documentation/openapi/ from each service's /openapi.json.
window.onload = function () {
  window.ui = SwaggerUIBundle({
    urls: [
      { url: "openapi/auth.json", name: "auth: identity, sessions, groups" },
      { url: "openapi/social.json", name: "social: microblog and news" },
      { url: "openapi/events.json", name: "events" },
      { url: "openapi/notify.json", name: "notify" },
    ],
    "urls.primaryName": "auth: identity, sessions, groups",
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: "StandaloneLayout",
  });
};
