// Push notifications on this device (section[data-push] on the settings page, reminders/views.py).
// "Turn on" asks the browser for permission, subscribes through the service worker's pushManager
// with the server's public key (VAPID) and posts the subscription to the server; "Turn off" tells
// the server and unsubscribes. The service worker shows the pushes (templates/pwa/sw_push.js).
(function () {
  "use strict";

  var section = document.querySelector("[data-push]");
  if (!section) {
    return;
  }
  var status = section.querySelector("[data-push-status]");
  // One button, made here: without this script the page only says what push needs.
  var button = document.createElement("button");
  button.type = "button";
  var isOn = false;

  function say(text) {
    status.textContent = text;
  }

  function show(on) {
    isOn = on;
    button.textContent = on ? "Turn off push for this device" : "Turn on push for this device";
    button.className = on ? "secondary" : "";
    if (!button.parentNode) {
      section.querySelector("[data-push-actions]").appendChild(button);
    }
    say(on ? "Push notifications are on for this device." : "Push notifications are off for this device.");
  }

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"];
    } catch (error) {
      return "";
    }
  }

  function post(url, fields) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
      body: new URLSearchParams(fields),
    }).then(function (response) {
      return response.json().then(function (answer) {
        if (!response.ok) {
          throw new Error(answer.error || "the server did not take it.");
        }
        return answer;
      });
    });
  }

  // The public key arrives base64url-encoded; pushManager wants its bytes.
  function keyBytes(base64url) {
    var base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(base64 + "===".slice((base64.length + 3) % 4));
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i += 1) {
      bytes[i] = raw.charCodeAt(i);
    }
    return bytes;
  }

  function worker() {
    return navigator.serviceWorker.register(document.body.dataset.serviceWorker).then(function () {
      return navigator.serviceWorker.ready;
    });
  }

  // Devices the server knows for this person: a subscription it has dropped (expired) shows as off.
  function known(endpoint) {
    return Array.prototype.some.call(document.querySelectorAll("[data-push-endpoint]"), function (item) {
      return item.dataset.pushEndpoint === endpoint;
    });
  }

  function turnOn() {
    button.disabled = true;
    say("Asking this browser for permission…");
    Notification.requestPermission()
      .then(function (permission) {
        if (permission !== "granted") {
          throw new Error("this browser blocks notifications from coachapp. Allow them in the browser's settings for this site, then try again.");
        }
        return worker();
      })
      .then(function (registration) {
        // A subscription made with an older key cannot be reused: start afresh.
        return registration.pushManager.getSubscription().then(function (old) {
          return old ? old.unsubscribe() : null;
        }).then(function () {
          return registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(section.dataset.pushKey) });
        });
      })
      .then(function (subscription) {
        var fields = subscription.toJSON();
        return post(section.dataset.subscribeUrl, { endpoint: fields.endpoint, p256dh: fields.keys.p256dh, auth: fields.keys.auth });
      })
      .then(function () {
        show(true);
      })
      .catch(function (error) {
        say("Push is not on: " + (error && error.message ? error.message : "the browser refused."));
      })
      .then(function () {
        button.disabled = false;
      });
  }

  function turnOff() {
    button.disabled = true;
    worker()
      .then(function (registration) {
        return registration.pushManager.getSubscription();
      })
      .then(function (subscription) {
        if (!subscription) {
          return null;
        }
        return post(section.dataset.unsubscribeUrl, { endpoint: subscription.endpoint }).then(function () {
          return subscription.unsubscribe();
        });
      })
      .then(function () {
        show(false);
      })
      .catch(function (error) {
        say("Push could not be turned off: " + (error && error.message ? error.message : "try again."));
      })
      .then(function () {
        button.disabled = false;
      });
  }

  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    say("This browser cannot show push notifications. On an iPhone or iPad, add coachapp to your home screen first and open it from there.");
    return;
  }
  button.addEventListener("click", function () {
    (isOn ? turnOff : turnOn)();
  });
  if (Notification.permission === "denied") {
    say("This browser blocks notifications from coachapp. Allow them in the browser's settings for this site to turn push on.");
    return;
  }
  worker()
    .then(function (registration) {
      return registration.pushManager.getSubscription();
    })
    .then(function (subscription) {
      show(Boolean(subscription && known(subscription.endpoint)));
    })
    .catch(function () {
      show(false);
    });
})();
