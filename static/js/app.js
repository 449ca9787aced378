/* Leaving, locking, the calculator, the worker. One file, no inline script (CSP). Its words stay
   everyday ones: anyone may read it from the browser's cache.
   Exit follows GOV.UK's "Exit this page" component: a Shift press counts only when released
   on its own, any other key resets the count, and up to 5 seconds may pass between presses. */
(function () {
  "use strict";
  var PRESSES_TO_EXIT = 3;
  var PRESS_TIMEOUT_MS = 5000;
  var HIDDEN_LOCK_MS = 30000;

  function config() { return (document.getElementById("page") || document.body).dataset; }
  function announce(text) {
    var status = document.getElementById("exit-status");
    if (status) status.textContent = text;
  }

  /* ---- Exit -------------------------------------------------------------------------- */
  var exited = false;

  function hideEverything(message) {
    document.body.classList.add("exiting");
    if (!document.getElementById("exit-overlay")) {
      var overlay = document.createElement("div");
      overlay.id = "exit-overlay";
      overlay.setAttribute("role", "alert");
      overlay.textContent = message;
      document.body.appendChild(overlay);
    }
  }

  function clearCaches() {
    if (!window.caches || !caches.keys) return;
    caches.keys().then(function (keys) { keys.forEach(function (key) { caches.delete(key); }); }).catch(function () {});
  }

  function exitNow(event) {
    if (event) event.preventDefault();
    var cfg = config();
    exited = true;
    // All of this happens in the same event turn as the tap or key press.
    hideEverything(cfg.tLoading || "Loading.");
    document.title = "";
    // The beacon ends the session on the server and changes the HttpOnly session cookie,
    // so the back-forward cache cannot bring this page back.
    try { navigator.sendBeacon("/exit"); } catch (e) { /* the page below still leaves */ }
    clearCaches();
    window.location.replace(cfg.exitUrl || "/exit");
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest && event.target.closest("[data-exit]");
    if (target) exitNow(event);
  }, true);

  var presses = 0;
  var lastKeyWasModified = false;
  var pressTimer = null;
  var messageTimer = null;

  function expirePresses() {
    if (pressTimer) window.clearTimeout(pressTimer);
    pressTimer = null;
    presses = 0;
    announce(config().tExpired || "");
    messageTimer = window.setTimeout(function () { announce(""); }, PRESS_TIMEOUT_MS);
  }

  document.addEventListener("keyup", function (event) {
    if (exited) return;
    if (event.key === "Shift" && !lastKeyWasModified) {
      presses += 1;
      if (messageTimer) { window.clearTimeout(messageTimer); messageTimer = null; }
      if (presses >= PRESSES_TO_EXIT) {
        presses = 0;
        if (pressTimer) window.clearTimeout(pressTimer);
        announce("");
        exitNow();
        return;
      }
      var cfg = config();
      announce(presses === 1 ? cfg.tTwoMore : cfg.tOneMore);
      if (pressTimer) window.clearTimeout(pressTimer);
      pressTimer = window.setTimeout(expirePresses, PRESS_TIMEOUT_MS);
    } else if (pressTimer) {
      expirePresses();
    }
    lastKeyWasModified = event.shiftKey;
  }, true);

  // Back, or the back-forward cache, must never show the app again after Exit or a lock.
  window.addEventListener("pageshow", function (event) {
    if (exited || document.body.classList.contains("exiting")) {
      hideEverything(config().tLoading || "Loading.");
      document.title = "";
      window.location.replace(config().exitUrl || "/exit");
    } else if (event.persisted && config().idleMinutes) {
      hideEverything(config().tLoading || "Loading.");
      window.location.reload();
    }
  });

  /* ---- Lock after idle time, or after 30 s in the background ------------------------------ */
  var idleTimer = null;
  var hiddenAt = null;

  function lockNow() {
    if (exited) return;
    hideEverything(config().tLoading || "Loading.");
    var go = function () { window.location.replace("/"); };
    try {
      fetch("/lock", { method: "POST", credentials: "same-origin", keepalive: true }).then(go, go);
    } catch (e) { go(); }
  }

  // The server forgets the session after her idle time without a request. While she types or
  // scrolls without sending anything, a small request at most once a minute keeps it; when she
  // really is idle, the app locks itself 30 seconds before the server would forget her.
  var lastAlive = Date.now();

  function keepAlive() {
    var cfg = config();
    if (!cfg.idleMinutes || Date.now() - lastAlive < 60000) return;
    lastAlive = Date.now();
    var token = JSON.parse(document.getElementById("page").getAttribute("hx-headers") || "{}")["X-CSRFToken"];
    fetch("/alive", { method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": token || "" } })
      .catch(function () {});
  }

  function restartIdleTimer() {
    if (idleTimer) window.clearTimeout(idleTimer);
    var minutes = parseInt(config().idleMinutes || "", 10);
    if (minutes > 0) idleTimer = window.setTimeout(lockNow, Math.max(minutes * 60000 - 30000, 30000));
  }

  function onActivity() {
    restartIdleTimer();
    keepAlive();
  }

  ["keydown", "pointerdown", "input", "scroll"].forEach(function (name) {
    document.addEventListener(name, onActivity, { passive: true, capture: true });
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    var from = (event.detail.requestConfig || {}).elt;
    if (from && from.hasAttribute && from.hasAttribute("data-background")) return;  // news arriving is not her using the app
    lastAlive = Date.now(); restartIdleTimer();
  });
  restartIdleTimer();

  // Closing the tab or the browser, reloading, or leaving for another site locks her session
  // on the server, so whatever comes back (a restored tab, the address typed again) shows the
  // lock. A page load the app starts itself (a form or link htmx does not handle) does not.
  var leavingOnPurpose = 0;
  document.addEventListener("submit", function (event) {
    if (!event.defaultPrevented) leavingOnPurpose = Date.now();
  });
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href]");
    if (link && !event.defaultPrevented && link.origin === window.location.origin && !link.hasAttribute("download") &&
        link.getAttribute("href").charAt(0) !== "#") leavingOnPurpose = Date.now();
  });
  window.addEventListener("pagehide", function () {
    if (exited || !config().idleMinutes || Date.now() - leavingOnPurpose < 10000) return;
    try { navigator.sendBeacon("/lock"); } catch (e) { /* the server still forgets her after her idle time */ }
  });

  document.addEventListener("visibilitychange", function () {
    if (config().lockHidden !== "true") return;
    if (document.visibilityState === "hidden") {
      hiddenAt = Date.now();
    } else if (hiddenAt !== null) {
      if (Date.now() - hiddenAt > HIDDEN_LOCK_MS) lockNow();
      hiddenAt = null;
    }
  });

  /* ---- A failed request never takes the Exit control away ---------------------------------- */
  // When a backend is down, a worker dies or a proxy answers, the reply may be a whole error
  // page, ours (with Exit) or someone else's (without). A whole page is never put inside a part
  // of hers, and nothing without Exit ever replaces the part that holds it. Our own error page
  // replaces the page only when she asked for a page (a boosted link); after a form or a button
  // her page stays, with what she typed, and a short note says it did not work.
  function carriesExit(text) { return typeof text === "string" && text.indexOf("data-exit") >= 0; }
  function wholePage(text) { return typeof text === "string" && /<html[\s>]/i.test(text); }
  function fromBackground(detail) {
    var elt = (detail.requestConfig || {}).elt || detail.elt;
    return !!(elt && elt.closest && elt.closest("[data-background]"));
  }

  function sayItFailed() {
    var main = document.getElementById("main");
    if (!main) return;
    var note = document.getElementById("request-failed");
    if (!note) {
      note = document.createElement("p");
      note.id = "request-failed";
      note.className = "message error";
      note.setAttribute("role", "alert");
      main.insertBefore(note, main.firstChild);
    }
    note.textContent = config().tFailed || "That did not work. Please try again in a moment.";
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var d = event.detail;
    var exit = document.getElementById("exit");
    var holdsExit = !!(exit && d.target && (d.target === exit || d.target.contains(exit)));
    var reply = d.serverResponse;
    if (d.isError && wholePage(reply)) {
      var asked = ((d.requestConfig || {}).verb || "get").toLowerCase();
      d.shouldSwap = holdsExit && asked === "get" && carriesExit(reply) && !fromBackground(d);
      if (!d.shouldSwap && !fromBackground(d)) sayItFailed();
      return;
    }
    if (d.shouldSwap && holdsExit && !carriesExit(reply)) {
      d.shouldSwap = false;
      sayItFailed();
      return;
    }
    if (d.shouldSwap && !d.isError) {
      var note = document.getElementById("request-failed");
      if (note) note.remove();
    }
  });
  // No answer at all (the connection dropped): nothing changes, so say so.
  document.addEventListener("htmx:sendError", function (event) {
    if (!fromBackground(event.detail)) sayItFailed();
  });

  /* ---- After an in-place update, keep keyboard focus where she was --------------------------- */
  // htmx puts focus back on an element with the same id; when that button is now disabled
  // (a goal moved to the top), the fragment names the next best place with data-autofocus.
  document.addEventListener("htmx:afterSettle", function (event) {
    var swapped = event.detail.elt;
    if (swapped === document.body) {
      // A whole new page came in (boosted link or form): start at its top, like a page load,
      // with focus on the first problem to fix, or on the page itself for screen readers.
      window.scrollTo(0, 0);
      var first = document.querySelector(".has-error input, .has-error textarea, .has-error select, .error-summary, [data-autofocus]");
      (first || document.getElementById("main")).focus();
      return;
    }
    var active = document.activeElement;
    if (active && active !== document.body && !active.disabled) return;
    var target = swapped && swapped.querySelector(".has-error input, .has-error textarea, .has-error select, [data-autofocus]");
    if (target) target.focus();
  });

  /* ---- Calculator: sums stay on the phone; only a possible PIN is sent, and quietly ---------- */
  // The same arithmetic as safety/calc.py: exact decimals as whole numbers with a scale
  // (value = n / 10^scale), a quotient rounded half-up to 40 places, and a result with more
  // than 15 significant digits shortened to 12, as a phone's display would.
  var QUOTIENT_PLACES = 40, EXACT_DIGITS = 15, SHORT_DIGITS = 12;

  function big(n) { return BigInt(n); }
  function pow10(k) { return big(10) ** big(k); }
  function decimal(text) {
    var parts = text.split(".");
    var frac = parts[1] || "";
    return { n: big(((parts[0] || "") + frac) || "0"), s: frac.length };
  }
  function scaled(a, s) { return a.n * pow10(s - a.s); }
  function plus(a, b) { var s = Math.max(a.s, b.s); return { n: scaled(a, s) + scaled(b, s), s: s }; }
  function negate(a) { return { n: -a.n, s: a.s }; }
  function times(a, b) { return { n: a.n * b.n, s: a.s + b.s }; }
  function roundedQuotient(num, den) {  // half away from zero, as Python's ROUND_HALF_UP
    var q = num / den, r = num % den;
    if (r < big(0)) r = -r;
    var d = den < big(0) ? -den : den;
    if (big(2) * r >= d) q += ((num < big(0)) !== (den < big(0))) ? big(-1) : big(1);
    return q;
  }
  function divide(a, b) {
    var shift = QUOTIENT_PLACES + b.s - a.s;
    var num = shift >= 0 ? a.n * pow10(shift) : a.n, den = shift >= 0 ? b.n : b.n * pow10(-shift);
    return { n: roundedQuotient(num, den), s: QUOTIENT_PLACES };
  }

  function show(value) {
    if (value.n === big(0)) return "0";
    var sign = value.n < big(0) ? "-" : "";
    var digits = (value.n < big(0) ? -value.n : value.n).toString(), scale = value.s;
    var trim = function () { var t = digits.match(/0*$/)[0].length; digits = digits.slice(0, digits.length - t); scale -= t; };
    trim();
    if (digits.length > EXACT_DIGITS) {
      var drop = digits.length - SHORT_DIGITS;
      digits = roundedQuotient(big(digits), pow10(drop)).toString();
      scale -= drop;
      trim();
    }
    var exponent = digits.length - 1 - scale;
    if (exponent >= EXACT_DIGITS || exponent < -(SHORT_DIGITS - 1)) {
      return sign + digits[0] + (digits.length > 1 ? "." + digits.slice(1) : "") + "e" + exponent;
    }
    if (scale <= 0) return sign + digits + "0".repeat(-scale);
    if (digits.length <= scale) return sign + "0." + "0".repeat(scale - digits.length) + digits;
    return sign + digits.slice(0, digits.length - scale) + "." + digits.slice(digits.length - scale);
  }

  function evaluate(expression) {
    var terms = [], op = "+", number = "", source = expression + "+";
    for (var i = 0; i < source.length; i++) {
      var ch = source[i];
      if (/[0-9.]/.test(ch)) { number += ch; continue; }
      if ((number.match(/\./g) || []).length > 1) return "Error";
      var value = decimal(number.replace(/\.$/, "") || "0");
      number = "";
      if (op === "+") terms.push(value);
      else if (op === "-") terms.push(negate(value));
      else if (op === "×") terms[terms.length - 1] = times(terms[terms.length - 1], value);
      else if (op === "÷") {
        if (value.n === big(0)) return "Error";
        terms[terms.length - 1] = divide(terms[terms.length - 1], value);
      }
      op = ch;
    }
    return show(terms.reduce(plus, { n: big(0), s: 0 }));
  }

  function askWhetherItOpens(form) {
    // The display already shows the number, as for any sum; the page changes only if it opens.
    var body = new URLSearchParams(new FormData(form));
    body.set("key", "=");
    fetch(form.action, { method: "POST", body: body, credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : {}; })
      .then(function (answer) { if (answer && answer.open) window.location.replace(answer.open); })
      .catch(function () {});
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-calculator") || typeof BigInt === "undefined") return;  // else the server calculates
    event.preventDefault();
    var key = event.submitter ? event.submitter.value : "";
    var field = form.querySelector("input[name=expression]");
    var fresh = form.querySelector("input[name=fresh]");
    var display = form.querySelector("output");
    var expression = field.value;
    var afterResult = fresh.value === "1";
    fresh.value = "";
    if (key === "C") { expression = ""; display.textContent = "0"; }
    else if (key === "=") {
      if (/^[0-9]{4,8}$/.test(expression)) askWhetherItOpens(form);
      var result = evaluate(expression);
      expression = result === "Error" || result.indexOf("e") >= 0 ? "" : result;
      display.textContent = result;
      fresh.value = "1";
    } else if ("+-×÷".indexOf(key) >= 0) {
      if (expression) expression = ("+-×÷".indexOf(expression.slice(-1)) >= 0 ? expression.slice(0, -1) + key : expression + key).slice(0, 40);
      display.textContent = expression || "0";
    } else if (key) {
      expression = ((afterResult ? "" : expression) + key).slice(0, 40);
      display.textContent = expression;
    }
    field.value = expression;
  });

  /* ---- An example sentence goes to the end of her words, for her to change ----------------- */
  // Without JavaScript the button sends the form and the page comes back the same way; nothing is saved.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-example]");
    var field = button && document.getElementById(button.dataset.for);
    if (!field) return;
    event.preventDefault();
    var before = field.value.replace(/\s+$/, "");
    field.value = (before ? before + "\n" : "") + button.dataset.example;
    field.focus();
    field.setSelectionRange(field.value.length, field.value.length);
    announce(config().tExampleAdded || "");
  });

  /* ---- Meeting times: her own device's time beside the agency's, when they differ ------------ */
  function localTimes(root) {
    var here;
    try { here = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
    var lang = document.documentElement.lang || "en";
    root.querySelectorAll("time[data-zone]").forEach(function (el) {
      if (el.dataset.local || !here || el.dataset.zone === here) return;
      var start = new Date(el.getAttribute("datetime")), end = new Date(el.dataset.ends);
      var opts = { weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
      var theirs = new Intl.DateTimeFormat(lang, Object.assign({ timeZone: el.dataset.zone }, opts)).format(start);
      var mine = new Intl.DateTimeFormat(lang, opts).format(start);
      el.dataset.local = "1";
      if (theirs === mine) return;  // another zone name, the same clock
      var until = new Intl.DateTimeFormat(lang, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(end);
      var span = document.createElement("span");
      span.className = "local-time";
      span.textContent = (config().tYourTime || "Your time: {time}").replace("{time}", mine + "–" + until);
      (el.closest("a, button, p, dd, li, [data-local-here]") || el.parentNode).appendChild(span);  // on its own line, after the rest
    });
  }
  localTimes(document);
  document.addEventListener("htmx:afterSettle", function (event) { localTimes(event.detail.elt || document); });

  /* ---- Installable app: a worker that keeps only the static shell and a neutral page -------- */
  if ("serviceWorker" in navigator && window.isSecureContext) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
    // Tell the worker which look to show offline; the worker's own address never changes.
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.active) registration.active.postMessage({ look: config().look || "plain" });
    }).catch(function () {});
  }
})();
