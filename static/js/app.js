/* Survivor Portal: quick exit and small progressive touches. No inline script anywhere (CSP). */
(function () {
  "use strict";
  var body = document.body;
  var exitUrl = body.getAttribute("data-exit-url") || "https://www.bbc.com/weather";

  function exitNow(event) {
    if (event) event.preventDefault();
    body.classList.add("exiting");
    document.title = "";
    try { navigator.sendBeacon("/exit"); } catch (e) { /* the redirect below still logs out */ }
    window.location.replace(exitUrl);
  }

  var button = document.getElementById("exit");
  if (button) button.addEventListener("click", exitNow);
})();
