// newsletter serve: reload this page when what it shows is rebuilt; show build errors as an overlay.
(function () {
  "use strict";
  const me = document.currentScript;
  const watch = (me.dataset.watch || "*").split(" ");
  const generation = Number(me.dataset.generation || 0);

  function relevant(outputs) {
    return watch.includes("*") || (outputs || []).some((output) => watch.includes(output));
  }

  function reload() {
    if (document.querySelector("[data-dirty]")) {  // unsaved edits on the review page: never lose them
      document.documentElement.dataset.stale = "true";
      return;
    }
    location.reload();
  }

  function showProblem(problem) {
    let overlay = document.getElementById("newsletter-overlay");
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "newsletter-overlay";
      overlay.setAttribute("role", "alert");
      overlay.innerHTML = '<div class="newsletter-overlay-box"><strong>Build failed</strong>' +
        '<p class="newsletter-overlay-where"></p><pre class="newsletter-overlay-message"></pre>' +
        '<p class="newsletter-overlay-hint">Fix the file and save: this page recovers by itself.</p></div>';
      document.body.appendChild(overlay);
    }
    const where = problem.file ? problem.file + (problem.line ? ":" + problem.line : "") : "";
    overlay.querySelector(".newsletter-overlay-where").textContent = where;
    overlay.querySelector(".newsletter-overlay-message").textContent = problem.message;
    overlay.dataset.file = problem.file || "";
    overlay.dataset.line = problem.line || "";
  }

  const events = new EventSource("/__serve/events");
  events.onmessage = function (message) {
    const event = JSON.parse(message.data);
    if (event.type === "hello") {
      if (event.problem) showProblem(event.problem);
      else if (event.generation !== generation) reload();  // a rebuild happened while this page loaded
    } else if (event.type === "reload" && relevant(event.outputs)) {
      reload();
    } else if (event.type === "error") {
      showProblem(event.problem);
    } else if (event.type === "ok") {
      reload();
    }
  };
  window.addEventListener("beforeunload", () => events.close());
})();
