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

// Copy a link (the calendar feed): a button with data-copy="<input id>" copies that input's
// text and says "Copied" in its data-copy-status element. Where the clipboard is not available
// (an older browser, a page not served over HTTPS) the text is selected for the person to copy.
// The buttons stay hidden until this script runs, so nobody meets a button that does nothing.
(function () {
  "use strict";

  function say(button, text) {
    var status = document.getElementById(button.dataset.copyStatus);
    if (status) status.textContent = text;
  }

  function selectText(input, button) {
    input.focus();
    input.select();
    input.setSelectionRange(0, input.value.length);
    say(button, "Selected: copy it with your keyboard or a long press.");
  }

  function copy(button) {
    var input = document.getElementById(button.dataset.copy);
    if (!input) return;
    say(button, "");
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(
        function () { say(button, "Copied"); },
        function () { selectText(input, button); }
      );
    } else {
      selectText(input, button);
    }
  }

  function ready() {
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { copy(button); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
