/* Syros Agora — what the browser does for residents beyond what the pages draw.
 *
 * 1. Focus (WCAG 2.2 AA 2.4.3, 2.4.11):
 *    - after a change of page, focus goes to the page's main heading (#main h1);
 *    - a same-page link ("Σχόλια (3)" → #comments) moves focus to its target, not only the view;
 *    - when an action replaces the focused control (focus would fall to <body>), focus goes to
 *      the outcome: the new alert/status message, else the nearest new heading;
 *    - after a form is sent, the message that answers it (.alert) takes focus;
 *    - a focused control is never left under the fixed bottom bar (scrolled clear of it).
 * 2. Drafts: free text in a field marked data-draft is kept in this device's localStorage
 *    while typing, put back after a reload or crash, kept on screen after sending, and
 *    removed only once the server confirms (a success message, or the app moving on to the
 *    new item's page). Sending while offline says so next to the form ([data-draft-status]).
 *
 * 0. Before hydration: the document language from the reader's cookie; the service worker.
 *
 * Texts come from the catalogues, through the data-* attributes of #agora-texts (page_shell).
 * Loaded once per page load (Reflex keeps the document across client-side navigation).
 */
(function () {
  "use strict";
  if (window.__agoraClient) return;
  window.__agoraClient = true;

  // The document language follows the reader's choice (cookie) before hydration, so screen
  // readers pronounce the page right from the first word.
  var chosen = document.cookie.match(/(?:^|; )syros_lang=(el|en)(?:;|$)/);
  if (chosen) document.documentElement.lang = chosen[1];

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function (e) {
      console.warn("service worker registration failed", e);
    });
  }

  var DRAFT_PREFIX = "agora-draft:";
  var CONFIRM_WINDOW_MS = 10 * 60 * 1000;

  function text(name) {
    var holder = document.getElementById("agora-texts");
    return (holder && holder.getAttribute("data-" + name)) || "";
  }

  function focusOn(el) {
    if (!el) return;
    if (!el.matches("a[href], button, input, select, textarea, [tabindex]")) el.setAttribute("tabindex", "-1");
    el.focus({ preventScroll: true });
    el.scrollIntoView({ block: "center" });
  }

  // --- a focused control is never hidden by the fixed bottom bar -------------------------
  function bottomBarTop() {
    var nav = document.querySelector(".main-nav");
    if (!nav || getComputedStyle(nav).position !== "fixed") return window.innerHeight;
    return nav.getBoundingClientRect().top;
  }

  document.addEventListener("focusin", function (event) {
    var el = event.target;
    if (!(el instanceof Element) || el.closest(".main-nav, .connection-notice")) return;
    window.requestAnimationFrame(function () {
      var rect = el.getBoundingClientRect();
      var limit = bottomBarTop() - 8;
      if (rect.bottom > limit) window.scrollBy(0, Math.min(rect.bottom - limit, rect.top - 8));
      else if (rect.top < 0) window.scrollBy(0, rect.top - 8);
    });
  });

  // --- focus after a change of page ---------------------------------------------------------
  var lastPath = location.pathname;

  function focusHeadingAfterRouteChange(previousHeading) {
    var started = Date.now();
    (function look() {
      var heading = document.querySelector("#main h1");
      var waited = Date.now() - started;
      if (heading && (heading !== previousHeading || waited > 1500)) {
        focusOn(heading);
        window.scrollTo(0, 0);
        return;
      }
      if (waited < 8000) window.setTimeout(look, 50);
    })();
  }

  function onLocationChange() {
    if (location.pathname === lastPath) return;
    var from = lastPath;
    lastPath = location.pathname;
    settlePendingOnRouteChange(from);
    focusHeadingAfterRouteChange(document.querySelector("#main h1"));
  }

  var pushState = history.pushState;
  history.pushState = function () {
    var result = pushState.apply(this, arguments);
    window.setTimeout(onLocationChange, 0);
    return result;
  };
  window.addEventListener("popstate", function () { window.setTimeout(onLocationChange, 0); });

  // --- same-page links move focus, not only the view ----------------------------------------
  document.addEventListener("click", function (event) {
    var link = event.target instanceof Element && event.target.closest("a[href^='#']");
    if (!link || link.getAttribute("href").length < 2) return;
    var target = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (target) window.setTimeout(function () { focusOn(target); }, 0);
  });

  // --- focus follows the outcome of an action -------------------------------------------------
  var lastFocused = null;
  var lastSubmitAt = 0;
  document.addEventListener("focusin", function (event) { lastFocused = event.target; });

  function outcomeIn(nodes) {
    var alerts = [], headings = [];
    nodes.forEach(function (node) {
      if (!(node instanceof Element) || !node.closest("#main")) return;
      [node].concat(Array.prototype.slice.call(node.querySelectorAll(".alert, [role=alert], h1, h2, h3")))
        .forEach(function (el) {
          if (el.matches(".alert, [role=alert]")) alerts.push(el);
          else if (el.matches("h1, h2, h3")) headings.push(el);
        });
    });
    return { alert: alerts[0] || null, heading: headings[0] || null };
  }

  // --- drafts -------------------------------------------------------------------------------
  function draftKey(field) {
    return DRAFT_PREFIX + location.pathname + ":" + (field.getAttribute("data-draft") || field.name || field.id);
  }

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function setFieldValue(field, value) {
    var proto = field instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
    Object.getOwnPropertyDescriptor(proto, "value").set.call(field, value);
    field.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function say(form, message) {
    var slot = (form && form.querySelector("[data-draft-status]")) || document.getElementById("agora-live");
    if (!slot) return;
    slot.textContent = "";
    window.setTimeout(function () { slot.textContent = message; }, 50);
  }

  document.addEventListener("input", function (event) {
    var field = event.target;
    if (!(field instanceof Element) || !field.matches("[data-draft]")) return;
    var store = storage();
    if (!store) return;
    if (field.value) store.setItem(draftKey(field), field.value);
    else if (!pending) store.removeItem(draftKey(field));
  });

  function restoreDrafts(root) {
    var store = storage();
    if (!store || !(root instanceof Element)) return;
    var fields = root.matches("[data-draft]") ? [root] : Array.prototype.slice.call(root.querySelectorAll("[data-draft]"));
    fields.forEach(function (field) {
      var saved = store.getItem(draftKey(field));
      if (saved && !field.value) {
        setFieldValue(field, saved);
        say(field.form, text("draft-restored"));
      }
    });
  }

  // A sent form waits for the server's answer; until then its text stays on screen and stored.
  var pending = null;

  function offline() {
    return navigator.onLine === false || !!document.querySelector(".connection-notice");
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    lastSubmitAt = Date.now();
    if (!(form instanceof HTMLFormElement)) return;
    var fields = Array.prototype.slice.call(form.querySelectorAll("[data-draft]"));
    if (!fields.length) return;
    var store = storage();
    var entries = fields.map(function (field) {
      if (store && field.value) store.setItem(draftKey(field), field.value);
      return { field: field, key: draftKey(field), value: field.value };
    });
    pending = { form: form, entries: entries, path: location.pathname, at: Date.now() };
    if (offline()) say(form, text("draft-offline"));
    // the form clears itself as it sends (reset_on_submit): the text stays until the server answers
    window.setTimeout(function () {
      entries.forEach(function (entry) {
        if (entry.value && document.contains(entry.field) && !entry.field.value) setFieldValue(entry.field, entry.value);
      });
    }, 0);
  }, true);

  function confirmPending(clearFields) {
    if (!pending) return;
    var store = storage();
    pending.entries.forEach(function (entry) {
      if (store) store.removeItem(entry.key);
      if (clearFields && document.contains(entry.field) && entry.field.value === entry.value) setFieldValue(entry.field, "");
    });
    pending = null;
  }

  function settlePendingOnRouteChange(fromPath) {
    // the app moved on from the form's page on its own (e.g. to the new report): the server took it
    if (pending && pending.path === fromPath && Date.now() - pending.at < CONFIRM_WINDOW_MS && !offline()) {
      confirmPending(false);
    }
  }

  // Back online: the app's own connection may deliver what was sent; if no answer has come
  // a few seconds after it reconnected, the form is sent again (its text is still in it).
  window.addEventListener("online", function () {
    if (!pending) return;
    var waiting = pending;
    say(waiting.form, text("draft-back-online"));
    var started = Date.now();
    (function resend() {
      if (pending !== waiting || !document.contains(waiting.form)) return;
      if (offline() && Date.now() - started < 60000) { window.setTimeout(resend, 500); return; }
      window.setTimeout(function () {
        if (pending === waiting && document.contains(waiting.form) && !offline()) waiting.form.requestSubmit();
      }, 4000);
    })();
  });

  // --- one observer for restored drafts and outcomes -------------------------------------------
  new MutationObserver(function (mutations) {
    var added = [];
    mutations.forEach(function (m) { Array.prototype.push.apply(added, m.addedNodes); });
    if (!added.length) return;
    added.forEach(restoreDrafts);
    var outcome = outcomeIn(added);
    if (pending && outcome.alert && Date.now() - pending.at < CONFIRM_WINDOW_MS) {
      if (outcome.alert.matches(".success, [role=status]")) confirmPending(true);
    }
    var active = document.activeElement;
    var focusLost = (!active || active === document.body) && lastFocused && !document.contains(lastFocused);
    if (outcome.alert && (focusLost || Date.now() - lastSubmitAt < 15000)) {
      lastSubmitAt = 0;
      focusOn(outcome.alert);
    } else if (focusLost) {
      focusOn(outcome.heading || document.querySelector("#main h1"));
    }
  }).observe(document.body, { childList: true, subtree: true });

  restoreDrafts(document.body);
})();
