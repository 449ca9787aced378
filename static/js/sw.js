/* Service worker. It keeps only public static files and one neutral offline page — never a
   response to a logged-in page, never /api/. Exit and logout clear everything it keeps.
   One worker for every disguise: the page tells it which look to show offline. */
var CACHE = "shell-v3";
var OFFLINE = "/offline";

function keepOfflinePage(look) {
  // Fetched without cookies, so what is kept is the page anyone would get.
  return caches.open(CACHE).then(function (cache) {
    return fetch(OFFLINE + "?d=" + encodeURIComponent(look), { credentials: "omit" }).then(function (response) {
      if (response.ok) return cache.put(OFFLINE, response);
    });
  });
}

self.addEventListener("install", function (event) {
  event.waitUntil(keepOfflinePage("plain").then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  // Navigation preload: the browser itself asks for each page, with the headers that say how it
  // was opened (typed, reloaded, a link). A page fetched by the worker would lose them, and the
  // server needs them to know a fresh opening of the app from a tap inside it.
  var preload = self.registration.navigationPreload ? self.registration.navigationPreload.enable() : Promise.resolve();
  event.waitUntil(
    Promise.all([preload, caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (key) { return key !== CACHE; }).map(function (key) { return caches.delete(key); }));
    })]).then(function () { return self.clients.claim(); })
  );
});

self.addEventListener("message", function (event) {
  var look = event.data && event.data.look;
  if (typeof look === "string" && /^[a-z]{1,20}$/.test(look)) event.waitUntil(keepOfflinePage(look));
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
    event.respondWith(Promise.resolve(event.preloadResponse).then(function (preloaded) {
      return preloaded || fetch(request);
    }).catch(function () { return caches.match(OFFLINE); }));
  }
});
