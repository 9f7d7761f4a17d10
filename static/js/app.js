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
    // On the athlete's session page static/js/offline.js keeps the tap and sends it later.
    var elt = event.detail && event.detail.elt;
    if (window.coachappOffline && elt && elt.closest && elt.closest("form[data-offline]")) return;
    markFailed(event, "Not saved: no connection. Tap again to retry.");
  });
  document.addEventListener("htmx:responseError", function (event) {
    markFailed(event, "Not saved. Tap again to retry.");
  });
  document.addEventListener("htmx:timeout", function (event) {
    markFailed(event, "Not saved: the connection is slow. Tap again to retry.");
  });

  // A request superseded by a newer one (hx-sync "replace", as the triage preview does while a
  // coach answers) would be aborted, and htmx reports every abort on the console as an error.
  // Let it finish unseen instead: htmx then queues the newest request behind it (its "replace"
  // becomes "queue last" while a request is in flight), and the superseded answer is never
  // swapped in, so the page still shows only the newest.
  (function supersededRequestsEndQuietly() {
    var inFlight = new Map(); // requesting element -> its request
    var superseded = new WeakSet();

    document.addEventListener("htmx:beforeSend", function (event) {
      inFlight.set(event.detail.elt, event.detail.xhr);
    });
    document.addEventListener("htmx:afterRequest", function (event) {
      if (inFlight.get(event.detail.elt) === event.detail.xhr) inFlight.delete(event.detail.elt);
    });
    // Capture: before htmx's own listener on <body> aborts the request.
    document.addEventListener("htmx:abort", function (event) {
      var syncElt = event.target;
      var found = false;
      inFlight.forEach(function (xhr, elt) {
        if (elt === syncElt || (syncElt.contains && syncElt.contains(elt))) {
          superseded.add(xhr);
          found = true;
        }
      });
      if (found) event.stopPropagation();
    }, true);
    document.addEventListener("htmx:beforeSwap", function (event) {
      if (superseded.has(event.detail.xhr)) event.detail.shouldSwap = false;
    });
  })();

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
