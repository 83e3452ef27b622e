// The API reference at /docs: Swagger UI on kaifang's own /openapi.json (served locally, no CDN).
window.addEventListener("DOMContentLoaded", () => {
  window.SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    layout: "BaseLayout",
    // Deep links put a link inside each operation's toggle button: nested interactive
    // controls (axe's nested-interactive), which keyboard and screen-reader users cannot reach.
    deepLinking: false,
    showExtensions: true,
    showCommonExtensions: true,
    presets: [window.SwaggerUIBundle.presets.apis],
  });
});
