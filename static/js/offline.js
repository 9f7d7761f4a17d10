// coachapp's offline queue (docs/architecture.md#the-phone-offline).
//
// A set tap, a change, finishing a session or the morning check-in that cannot reach the server
// (no signal) is kept in IndexedDB with a key made on the phone when the athlete acted, and sent
// again in order: when the signal returns, when a page loads, and by Background Sync where the
// browser has it. The server applies each key once and refuses what no longer applies (the
// session finished elsewhere, moved or changed by the coach); the refusal's reason is shown here.
// The page always says what is waiting. After sending, the page is loaded again, so that a coach's
// change made meanwhile is on screen before the next set.
//
// The same file runs in the service worker (importScripts in templates/pwa/sw.js), which uses the
// queue alone: everything that touches a page is guarded.
(function (scope) {
  "use strict";

  var DB_NAME = "coachapp-offline";
  var SYNC_TAG = "coachapp-queue";
  var dbPromise = null;

  // --- The queue, in IndexedDB ---------------------------------------------------------------------

  function db() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var request = scope.indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = function () {
          request.result.createObjectStore("queue", { keyPath: "id", autoIncrement: true });
          request.result.createObjectStore("notes", { keyPath: "id", autoIncrement: true });
        };
        request.onsuccess = function () {
          var opened = request.result;
          // Signing out deletes the database: let it go.
          opened.onversionchange = function () { opened.close(); dbPromise = null; };
          resolve(opened);
        };
        request.onerror = function () { dbPromise = null; reject(request.error); };
      });
    }
    return dbPromise;
  }

  function run(store, mode, work) {
    return db().then(function (opened) {
      return new Promise(function (resolve, reject) {
        var transaction = opened.transaction(store, mode);
        var request = work(transaction.objectStore(store));
        transaction.oncomplete = function () { resolve(request ? request.result : undefined); };
        transaction.onerror = transaction.onabort = function () { reject(transaction.error); };
      });
    });
  }

  function all(store) { return run(store, "readonly", function (s) { return s.getAll(); }); }
  function put(store, item) { return run(store, "readwrite", function (s) { return s.add(item); }); }
  function remove(store, id) { return run(store, "readwrite", function (s) { return s.delete(id); }); }

  function newKey() {
    if (scope.crypto && scope.crypto.randomUUID) return scope.crypto.randomUUID();
    var bytes = new Uint8Array(16);
    scope.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }

  // --- Sending one write -----------------------------------------------------------------------------

  var tokenOfPage = null; // the page's CSRF token, fresher than the one the queued form carried

  function send(item, replay) {
    var body = new URLSearchParams();
    item.body.forEach(function (pair) { body.append(pair[0], pair[1]); });
    if (tokenOfPage) body.set("csrfmiddlewaretoken", tokenOfPage);
    var headers = { "Accept": "application/json", "Idempotency-Key": item.key };
    if (replay) headers["X-Coachapp-Replay"] = "1";
    return scope.fetch(item.url, { method: "POST", body: body, headers: headers, credentials: "same-origin" }).then(
      function (response) {
        if (response.redirected && response.url.indexOf("/accounts/login/") !== -1) {
          return { stop: true, message: "Sign in again to send what is waiting on this phone." };
        }
        if (response.status === 404) {
          return { done: true, saved: false, message: "This is no longer in your programme, so it was not saved." };
        }
        if (response.status === 403 || response.status === 429 || response.status >= 500) return { stop: true };
        return response.json().then(
          function (data) { return { done: true, saved: !!data.saved, message: data.message || "", next: data.next || "" }; },
          function () { return response.ok ? { done: true, saved: true } : { done: true, saved: false, message: "The server could not take this." }; }
        );
      },
      function () { return { stop: true, network: true }; }
    );
  }

  // --- Sending the whole queue, in order -------------------------------------------------------------

  var replaying = null;

  function replay(user) {
    if (replaying) return replaying;
    replaying = all("queue").then(function (items) {
      var outcome = { sent: 0, refused: 0, stopped: false, message: "" };
      var mine = items.filter(function (item) { return !user || item.user === user; });
      return mine.reduce(function (chain, item) {
        return chain.then(function () {
          if (outcome.stopped) return null;
          return send(item, true).then(function (result) {
            if (!result.done) {
              outcome.stopped = true;
              outcome.message = result.message || "";
              return null;
            }
            return remove("queue", item.id).then(function () {
              if (result.saved) {
                outcome.sent += 1;
                return null;
              }
              outcome.refused += 1;
              return put("notes", { user: item.user, text: item.label + ": not saved. " + result.message });
            });
          });
        });
      }, Promise.resolve()).then(function () { return outcome; });
    }).finally(function () { replaying = null; });
    return replaying;
  }

  function forgetEverything() {
    var closing = dbPromise ? dbPromise.then(function (opened) { opened.close(); }, function () {}) : Promise.resolve();
    dbPromise = null;
    return closing.then(function () {
      return Promise.all([
        new Promise(function (resolve) {
          var request = scope.indexedDB.deleteDatabase(DB_NAME);
          request.onsuccess = request.onerror = request.onblocked = function () { resolve(); };
        }),
        scope.caches ? scope.caches.keys().then(function (keys) {
          return Promise.all(keys.map(function (key) { return scope.caches.delete(key); }));
        }) : null,
      ]);
    });
  }

  scope.coachappQueue = { SYNC_TAG: SYNC_TAG, replay: function () { return replay(null); }, all: all };

  if (typeof document === "undefined") return; // the service worker needs nothing more

  // --- The page ------------------------------------------------------------------------------------

  var status = document.getElementById("offline-status");
  var user = status ? status.dataset.user : "";
  var sessionId = status ? status.dataset.session || "" : "";
  var waiting = 0;
  var wasOffline = !navigator.onLine;

  try {
    tokenOfPage = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || null;
  } catch (error) {
    tokenOfPage = null;
  }

  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  function waitingText(items) {
    var sets = items.filter(function (i) { return i.kind === "set"; }).length;
    var parts = [];
    if (sets) parts.push(plural(sets, "set"));
    if (items.some(function (i) { return i.kind === "finish"; })) parts.push("finishing the session");
    if (items.some(function (i) { return i.kind === "morning"; })) parts.push("your morning check-in");
    parts = parts.filter(Boolean);
    return parts.join(" and ") + " waiting to send." + (navigator.onLine ? "" : " They are kept on this phone until you have signal.");
  }

  function mark(item) {
    if (item.kind === "set") {
      var row = document.getElementById(item.target);
      if (!row) return;
      row.classList.add("set-done", "set-waiting");
      row.classList.remove("set-failed");
      var button = row.querySelector(".set-button");
      if (button) button.setAttribute("aria-pressed", "true");
      var state = row.querySelector(".set-state");
      if (state) state.textContent = "Not saved yet: kept on this phone and sent when the signal returns.";
      var edit = row.querySelector("details.set-edit");
      if (edit) edit.open = false;
    } else if (item.kind === "finish" && String(item.session) === sessionId) {
      // Finished on this phone: no more sets until the server has it.
      document.querySelectorAll(".set-button, .set-edit button").forEach(function (b) { b.disabled = true; });
      formDone(document.querySelector("form[data-offline='finish']"), "Finished on this phone: waiting to send. Your answers are kept here until then.");
    } else if (item.kind === "morning") {
      formDone(document.querySelector("form[data-offline='morning']"), "Check-in kept on this phone: waiting to send.");
    }
  }

  function formDone(form, text) {
    if (!form || form.dataset.queued) return;
    form.dataset.queued = "true";
    form.querySelectorAll("button, input").forEach(function (control) { control.disabled = true; });
    var note = document.createElement("p");
    note.className = "offline-queued";
    note.textContent = text;
    form.appendChild(note);
  }

  // A pain answer that may move the plan down (above the lowest hold threshold, a sharp pain, a
  // worse morning) and has not reached the server yet: the saved copies of the coming sessions may
  // be too heavy now, so they are held until it has been sent and the plan checked. Safety first:
  // when in doubt, hold the load and say why.
  function painHold(items) {
    var above = Number(status.dataset.holdAbove || 0);
    var reasons = [];
    items.forEach(function (item) {
      if (item.kind !== "finish" && item.kind !== "morning") return;
      var fields = {};
      item.body.forEach(function (pair) { fields[pair[0]] = pair[1]; });
      var pain = Number(item.kind === "finish" ? fields.worst_pain : fields.pain);
      if (pain > above) reasons.push("pain of " + pain + " out of 10");
      if (fields.sharp_pain === "True") reasons.push("a sharp pain");
      if (fields.feeling === "worse") reasons.push("feeling worse this morning");
    });
    return reasons;
  }

  function hold(items) {
    var reasons = painHold(items);
    var finishedHere = items.some(function (i) { return i.kind === "finish" && String(i.session) === sessionId; });
    var banner = status.querySelector("[data-offline-hold]");
    banner.hidden = !reasons.length;
    banner.textContent = reasons.length
      ? "You reported " + reasons.join(", ") + ". That may change your plan, and it has not reached your coach yet. "
        + "Do not start another session until this phone has signal and has sent it."
      : "";
    if (reasons.length && sessionId && !finishedHere) {
      document.querySelectorAll(".set-button, .set-edit button").forEach(function (b) { b.disabled = true; });
    }
    return reasons.length > 0;
  }

  function render() {
    if (!status) return Promise.resolve();
    return Promise.all([all("queue"), all("notes")]).then(function (found) {
      var items = found[0].filter(function (i) { return i.user === user; });
      var notes = found[1].filter(function (n) { return n.user === user; });
      waiting = items.length;
      items.forEach(mark);
      var held = hold(items);
      var note = status.querySelector("[data-offline-note]");
      note.hidden = navigator.onLine;
      note.textContent = "No signal. This page is the copy saved on this phone at " + status.dataset.savedAt
        + ": your coach may have changed the session since. What you log is kept here and checked when it is sent.";
      status.querySelector("[data-offline-waiting]").textContent = items.length ? waitingText(items) : "";
      var list = status.querySelector("[data-offline-refusals]");
      list.textContent = "";
      notes.forEach(function (n) {
        var li = document.createElement("li");
        li.className = "offline-refused";
        li.textContent = n.text;
        list.appendChild(li);
      });
      status.querySelector("[data-offline-dismiss]").hidden = !notes.length;
      status.hidden = !(items.length || notes.length || held || !navigator.onLine);
    });
  }

  function syncLater() {
    if (navigator.serviceWorker) {
      navigator.serviceWorker.ready.then(function (registration) {
        return registration.sync ? registration.sync.register(SYNC_TAG) : null;
      }).catch(function () {});
    }
  }

  function enqueue(item) {
    return put("queue", item).then(function () {
      syncLater();
      return render();
    });
  }

  function setItem(form, key) {
    var row = form.closest("li.set");
    var section = form.closest("section");
    var heading = section ? section.querySelector("h2") : null;
    var label = row ? row.querySelector(".set-label") : null;
    var body = [];
    new FormData(form).forEach(function (value, name) { body.push([name, String(value)]); });
    var version = document.getElementById("session-version");
    if (version) body.push(["version", version.value]);
    return {
      user: user, kind: "set", session: sessionId, key: key, url: form.action, body: body,
      target: row ? row.id : "", created: Date.now(),
      label: (heading ? heading.textContent.trim() + ", " : "") + (label ? label.textContent.trim().toLowerCase() : "a set"),
    };
  }

  function refreshAfter(outcome) {
    if (status && (outcome.sent || outcome.refused || wasOffline) && navigator.onLine && !outcome.stopped) {
      location.reload(); // the server's state, a coach's change included, before the next set
      return true;
    }
    return render();
  }

  function sendWaiting() {
    if (!navigator.onLine || !user) return Promise.resolve();
    return replay(user).then(function (outcome) {
      if (outcome.message) status.querySelector("[data-offline-waiting]").textContent = outcome.message;
      return refreshAfter(outcome);
    }, function () { return render(); });
  }

  // A set: htmx sends it online. While anything waits, or with no signal, it joins the queue
  // instead, so the order holds; a send that fails for lack of network joins it too.
  document.addEventListener("htmx:configRequest", function (event) {
    var form = event.detail.elt && event.detail.elt.closest ? event.detail.elt.closest("form[data-offline='set']") : null;
    if (!form || !user) return;
    var key = newKey();
    if (waiting > 0 || !navigator.onLine) {
      event.preventDefault();
      enqueue(setItem(form, key)).then(sendWaiting);
      return;
    }
    event.detail.headers["Idempotency-Key"] = key;
  });

  document.addEventListener("htmx:sendError", function (event) {
    var form = event.detail.elt && event.detail.elt.closest ? event.detail.elt.closest("form[data-offline='set']") : null;
    var config = event.detail.requestConfig || {};
    var key = config.headers && config.headers["Idempotency-Key"];
    if (!form || !key) return;
    enqueue(setItem(form, key)).catch(function () {
      var state = form.closest("li.set").querySelector(".set-state");
      if (state) state.textContent = "Not saved: no connection. Tap again to retry.";
    });
  });

  // Finishing a session and the morning check-in: sent by this script, so that a send without
  // signal is kept; the server's answer leads on to the next page as a plain form would.
  var MISSING = {
    finish: "Choose your worst pain (0 to 10) and whether any pain was sharp.",
    morning: "Choose how it feels and your pain right now.",
  };

  function unanswered(form) {
    var names = {};
    form.querySelectorAll("input[type='radio']").forEach(function (radio) { names[radio.name] = names[radio.name] || radio.checked; });
    return Object.keys(names).some(function (name) { return !names[name]; });
  }

  function say(form, text) {
    var problem = form.querySelector(".offline-problem");
    if (!problem) {
      problem = document.createElement("p");
      problem.className = "offline-problem";
      problem.setAttribute("role", "alert");
      form.insertBefore(problem, form.lastElementChild);
    }
    problem.textContent = text;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-offline='finish'], form[data-offline='morning']") || !user) return;
    event.preventDefault();
    var kind = form.dataset.offline;
    if (unanswered(form)) {
      say(form, MISSING[kind]);
      return;
    }
    var keyField = form.querySelector("input[name='client_key']");
    if (!keyField.value) keyField.value = newKey();
    var body = [];
    new FormData(form).forEach(function (value, name) { body.push([name, String(value)]); });
    var item = {
      user: user, kind: kind, session: sessionId, key: keyField.value, url: form.action, body: body, target: "",
      created: Date.now(), label: kind === "finish" ? "Finishing the session" : "The morning check-in",
    };
    if (waiting > 0 || !navigator.onLine) {
      enqueue(item).then(sendWaiting);
      return;
    }
    send(item, false).then(function (result) {
      if (result.network) return enqueue(item);
      if (result.next) {
        location.assign(result.next);
      } else {
        say(form, result.message || "Not sent: try again in a moment.");
      }
      return null;
    });
  }, true);

  // Signing out: what waits is sent first if it can be; the phone then forgets every page and
  // the queue (the server's Clear-Site-Data says the same, for browsers that honour it).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var action = form.getAttribute ? form.getAttribute("action") : "";
    if (!action || new URL(action, location.href).pathname !== "/accounts/logout/" || form.dataset.forgotten) return;
    event.preventDefault();
    var go = function () {
      form.dataset.forgotten = "true";
      forgetEverything().finally(function () { form.submit(); });
    };
    if (!waiting) return go();
    sendWaiting().then(function () {
      return all("queue");
    }).then(function (items) {
      var left = items.filter(function (i) { return i.user === user; }).length;
      if (!left || window.confirm(waitingText(items) + " Signing out deletes them from this phone. Sign out anyway?")) go();
    });
  }, true);

  if (status) {
    status.querySelector("[data-offline-dismiss]").addEventListener("click", function () {
      all("notes").then(function (notes) {
        return Promise.all(notes.filter(function (n) { return n.user === user; }).map(function (n) { return remove("notes", n.id); }));
      }).then(render);
    });
  }

  window.addEventListener("offline", function () { wasOffline = true; render(); });
  window.addEventListener("online", function () { sendWaiting(); });
  if (navigator.serviceWorker) {
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === SYNC_TAG) sendWaiting();
    });
  }
  // Someone else signed in on this phone: the last person's queue and notes go.
  Promise.all([all("queue"), all("notes")]).then(function (found) {
    var others = [];
    found[0].forEach(function (i) { if (user && i.user !== user) others.push(remove("queue", i.id)); });
    found[1].forEach(function (n) { if (user && n.user !== user) others.push(remove("notes", n.id)); });
    return Promise.all(others);
  }).then(render).then(function () {
    wasOffline = !navigator.onLine;
    if (waiting) sendWaiting();
  }).catch(function () {});
  setInterval(function () { if (waiting) sendWaiting(); }, 30000);
  window.coachappOffline = true;
})(self);
