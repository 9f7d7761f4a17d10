{% load static %}
// Push notifications (included at the end of templates/pwa/sw.js). The server sends each reminder
// as {title, body, url, tag} (reminders/push.py; docs/architecture.md#reminder-channels). The tag
// is the reminder's: a repeat of one reminder replaces its notification, silently, never a second.
self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (error) {
    data = { body: event.data ? event.data.text() : "" };
  }
  event.waitUntil(
    self.registration.showNotification(data.title || "coachapp", {
      body: data.body || "",
      tag: data.tag || undefined,
      renotify: false,
      icon: "{% static 'icons/icon-192.png' %}",
      badge: "{% static 'icons/icon-192.png' %}",
      data: { url: data.url || "{% url 'notification_list' %}" },
    })
  );
});

// A tap opens the reminder's page: in a tab already showing it, or a new one. Only our own pages.
self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  let target = new URL((event.notification.data && event.notification.data.url) || "{% url 'notification_list' %}", self.location.origin);
  if (target.origin !== self.location.origin) {
    target = new URL("{% url 'notification_list' %}", self.location.origin);
  }
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      const open = windows.find((client) => client.url === target.href && "focus" in client);
      return open ? open.focus() : self.clients.openWindow(target.href);
    })
  );
});
