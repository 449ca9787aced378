/* Service worker. It keeps only public static files and one neutral offline page — never a
   response to a logged-in page, never /api/. Exit and logout clear everything it keeps. */
var LOOK = new URL(self.location).searchParams.get("look") || "plain";
var CACHE = "shell-v1-" + LOOK;
var OFFLINE = "/offline?d=" + encodeURIComponent(LOOK);

self.addEventListener("install", function (event) {
  // Fetched without cookies, so what is kept is the page anyone would get.
  event.waitUntil(
    caches.open(CACHE).then(function (cache) {
      return fetch(OFFLINE, { credentials: "omit" }).then(function (response) {
        if (response.ok) return cache.put(OFFLINE, response);
      });
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (key) { return key !== CACHE; }).map(function (key) { return caches.delete(key); }));
    }).then(function () { return self.clients.claim(); })
  );
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.indexOf("/static/") === 0) {
    // Static files have hashed names and are the same for everyone.
    event.respondWith(
      caches.open(CACHE).then(function (cache) {
        return cache.match(request).then(function (hit) {
          return hit || fetch(request).then(function (response) {
            if (response.ok && response.type === "basic") cache.put(request, response.clone());
            return response;
          });
        });
      })
    );
    return;
  }
  if (request.mode === "navigate") {
    // Pages always come from the network; offline, the neutral page stands in.
    event.respondWith(fetch(request).catch(function () { return caches.match(OFFLINE); }));
  }
});
