// Starts Swagger UI (static/swagger-ui) on the API's reference page,
// /api/docs. A file, not an inline script: the page keeps the app's
// script-src 'self'.
"use strict";

window.addEventListener("DOMContentLoaded", function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.url,
    domNode: root,
    deepLinking: true,
    validatorUrl: null, // no badge from validator.swagger.io: no outside network
    docExpansion: "list",
    defaultModelsExpandDepth: 0,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
