// Light or dark, before the page is painted: the person's choice (kept in this browser), else
// the system's. Loaded without `defer` in <head>, so that a dark system never flashes white.
(function () {
  "use strict";
  var KEY = "kontor-theme";
  var media = window.matchMedia("(prefers-color-scheme: dark)");

  function chosen() {
    try { return localStorage.getItem(KEY) || "auto"; } catch (e) { return "auto"; }
  }

  function apply(choice) {
    var dark = choice === "dark" || (choice === "auto" && media.matches);
    document.documentElement.setAttribute("data-bs-theme", dark ? "dark" : "light");
    document.documentElement.setAttribute("data-theme-choice", choice);
  }

  apply(chosen());
  media.addEventListener("change", function () { apply(chosen()); });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-theme-value]");
    if (!button) { return; }
    var choice = button.getAttribute("data-theme-value");
    try { localStorage.setItem(KEY, choice); } catch (e) { /* private mode: this page only */ }
    apply(choice);
    document.querySelectorAll("[data-theme-value]").forEach(function (other) {
      other.setAttribute("aria-pressed", String(other === button));
    });
  });

  document.addEventListener("DOMContentLoaded", function () {
    var current = chosen();
    document.querySelectorAll("[data-theme-value]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-theme-value") === current));
    });
  });
})();
