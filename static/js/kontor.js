// Small behaviours that pages opt into with data attributes; no inline scripts anywhere.
(function () {
  "use strict";

  // htmx keeps no copies of the pages it changed in the browser's session storage (they held
  // contact data after logging out, and showed a filtered list under an emptied search box):
  // going back to such a page loads it anew. This script runs before htmx sends anything
  // (both are deferred, htmx first).
  if (window.htmx) {
    window.htmx.config.historyCacheSize = 0;
    window.htmx.config.refreshOnHistoryMiss = true;
  }

  // Buttons with data-confirm ask before their form is submitted.
  document.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    var message = (submitter && submitter.dataset.confirm) || event.target.dataset.confirm;
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });

  // A form that posts and leaves the page is sent once: a double click on "Import now" or
  // "Join" would otherwise send it twice, and the page shown would be the second answer
  // ("already imported"). Forms that htmx sends stay on the page and may be sent again.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || (form.method || "").toLowerCase() !== "post") return;
    if (form.matches("[hx-post], [hx-get], [hx-put], [hx-patch], [hx-delete]")) return;
    if (form.dataset.sent) {
      event.preventDefault();
      return;
    }
    form.dataset.sent = "1";
    // A button with data-busy shows that the request is running (an import, an undo): a
    // spinner and its busy text, disabled. After the submit event, so that the form is sent
    // as it was.
    var button = event.submitter;
    if (button && button.dataset.busy) {
      window.setTimeout(function () { showBusy(button); }, 0);
    }
  });

  function showBusy(button) {
    button.dataset.idleHtml = button.innerHTML;
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    var spinner = document.createElement("span");
    spinner.className = "spinner-border spinner-border-sm me-2";
    spinner.setAttribute("aria-hidden", "true");
    button.replaceChildren(spinner, document.createTextNode(button.dataset.busy));
  }

  // Back to a page from the browser's cache: its forms may be sent again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    document.querySelectorAll("form[data-sent]").forEach(function (form) {
      delete form.dataset.sent;
    });
    document.querySelectorAll("button[aria-busy=true]").forEach(function (button) {
      button.innerHTML = button.dataset.idleHtml;
      button.disabled = false;
      button.removeAttribute("aria-busy");
    });
  });

  // "/" focuses the page's search box, unless the user is typing somewhere.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    var tag = target && target.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable) return;
    var search = document.querySelector("[data-search-box]");
    if (search) {
      event.preventDefault();
      search.focus();
      search.select();
    }
  });
})();

// Contact form: show the fields of the chosen kind, the shipping address only when wanted,
// and add or remove contact persons and web profiles in place.
(function () {
  "use strict";

  function syncKind(form) {
    var checked = form.querySelector("input[name=kind]:checked");
    var kind = checked ? checked.value : "company";
    form.querySelectorAll("[data-kind-section]").forEach(function (section) {
      section.hidden = section.dataset.kindSection !== kind;
    });
  }

  function syncShipping(form) {
    var box = form.querySelector("input[name=has_shipping_address]");
    var section = form.querySelector("[data-shipping-section]");
    if (box && section) section.hidden = !box.checked;
  }

  function initContactForm(form) {
    syncKind(form);
    syncShipping(form);
    form.addEventListener("change", function (event) {
      if (event.target.name === "kind") syncKind(form);
      if (event.target.name === "has_shipping_address") syncShipping(form);
    });
  }

  function initFormset(container) {
    var prefix = container.dataset.prefix;
    var total = container.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    var rows = container.querySelector("[data-formset-rows]");
    var template = container.querySelector("template[data-formset-template]");
    container.querySelector("[data-formset-add]").addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      rows.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      var added = rows.lastElementChild;
      var first = added && added.querySelector("input:not([type=hidden]):not([type=checkbox]), select");
      if (first) first.focus();
    });
    container.addEventListener("click", function (event) {
      var button = event.target.closest("[data-formset-remove]");
      if (!button) return;
      var row = button.closest("[data-formset-row]");
      var del = row.querySelector("input[name$='-DELETE']");
      if (del) del.checked = true;
      row.hidden = true;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-contact-form]").forEach(initContactForm);
    document.querySelectorAll("[data-formset]").forEach(initFormset);
    // Rows the user removed before a failed save stay removed.
    document.querySelectorAll("[data-formset-row]").forEach(function (row) {
      var del = row.querySelector("input[name$='-DELETE']");
      if (del && del.checked) row.hidden = true;
    });
  });
})();
