// The dashboard's service worker: shows a Web Push notification from the hub (an alert escalated
// to the person on call: server/notify/webPush.ts, its payload { title, body, url }) and opens
// the alert in the dashboard when it is tapped. Plain script, served at /sw.js so that its scope
// is the whole dashboard.
self.addEventListener('push', (event) => {
  let payload = { title: 'Telehealth', body: '', url: '/' };
  try {
    payload = { ...payload, ...event.data.json() };
  } catch {
    // not JSON: the default text, still a notification so that the push is not silent
  }
  event.waitUntil(
    self.registration.showNotification(payload.title, {
      body: payload.body,
      data: { url: payload.url },
      tag: payload.url,
      requireInteraction: true,
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = event.notification.data?.url ?? '/';
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
      const open = windows.find(
        (w) => new URL(w.url).origin === new URL(url, self.location.href).origin,
      );
      return open ? open.navigate(url).then((w) => w?.focus()) : self.clients.openWindow(url);
    }),
  );
});
