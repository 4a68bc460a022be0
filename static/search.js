// The search page with JavaScript (issue 14): a change of filter or sort
// applies at once, instead of waiting for a button far below. Loaded from our
// own origin in <head> (the Content-Security-Policy allows no inline script);
// without it the page works as a plain form with a sticky apply button.
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("cc-js");
  var openKey = "cc-search-filters-open";

  function remember(open) {
    try {
      window.sessionStorage.setItem(openKey, open ? "1" : "0");
    } catch (ignored) {
      // Storage refused (private mode): the panel just starts folded.
    }
  }

  function wasOpen() {
    try {
      return window.sessionStorage.getItem(openKey) === "1";
    } catch (ignored) {
      return false;
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("search-form");
    if (!form) return;
    var panel = document.getElementById("search-filters");
    var toggle = document.getElementById("filters-toggle");
    // Reopen the panel on a phone when the change came from it. This runs
    // before the DSFR starts (its listener comes later), which then takes the
    // accordion as open, as if the page had been served so.
    var reopen = !!(toggle && panel && wasOpen());
    remember(false);
    if (reopen) {
      panel.classList.add("fr-collapse--expanded");
      toggle.setAttribute("aria-expanded", "true");
    }

    // Empty fields stay out of the address: "?q=carte", not "?q=carte&archived=&fork=...".
    form.addEventListener("submit", function () {
      var fields = form.querySelectorAll("select, input[type=search]");
      for (var i = 0; i < fields.length; i++) if (fields[i].value === "") fields[i].disabled = true;
    });
    // Back to this page from the next one (the back-forward cache): the fields work again.
    window.addEventListener("pageshow", function () {
      var fields = form.querySelectorAll("[disabled]");
      for (var i = 0; i < fields.length; i++) fields[i].disabled = false;
    });

    form.addEventListener("change", function (event) {
      var target = event.target;
      if (!target || target.id === "search-q") return;
      if (target.type !== "checkbox" && target.tagName !== "SELECT") return;
      // On a phone the panel is folded after the reload unless it was open when the filter changed.
      remember(!!(toggle && panel && panel.contains(target) && toggle.getAttribute("aria-expanded") === "true"));
      if (typeof form.requestSubmit === "function") form.requestSubmit();
      else form.submit();
    });

  });
})();
