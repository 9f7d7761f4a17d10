// coachapp's own script: say clearly when a tap was not saved, and register the app shell.
(function () {
  "use strict";

  function stateFor(event) {
    var elt = event.detail && event.detail.elt;
    var form = elt && elt.closest ? elt.closest("form") : null;
    return form ? form.querySelector(".set-state") : null;
  }

  function markFailed(event, text) {
    var state = stateFor(event);
    if (!state) return;
    state.textContent = text;
    var item = state.closest(".set");
    if (item) item.classList.add("set-failed");
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var state = stateFor(event);
    if (!state) return;
    state.textContent = "Saving…";
    var item = state.closest(".set");
    if (item) item.classList.remove("set-failed");
  });
  document.addEventListener("htmx:sendError", function (event) {
    markFailed(event, "Not saved: no connection. Tap again to retry.");
  });
  document.addEventListener("htmx:responseError", function (event) {
    markFailed(event, "Not saved. Tap again to retry.");
  });
  document.addEventListener("htmx:timeout", function (event) {
    markFailed(event, "Not saved: the connection is slow. Tap again to retry.");
  });

  if ("serviceWorker" in navigator && document.body.dataset.serviceWorker) {
    navigator.serviceWorker.register(document.body.dataset.serviceWorker).catch(function () {});
  }
})();
