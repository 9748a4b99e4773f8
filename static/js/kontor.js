// Small behaviours that pages opt into with data attributes; no inline scripts anywhere.
(function () {
  "use strict";

  // Styles may tell pages with this script from pages without.
  document.documentElement.classList.add("js");

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
    // A download (the bulk export) leaves the page as it is: it may be sent again.
    if (event.submitter && event.submitter.hasAttribute("data-download")) return;
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

// The contact list: arrow keys move through the results (from the search box down into them
// and back up), Enter opens the contact (its link has the focus), "x" ticks it, "n" starts a
// new contact; a click anywhere on a row opens it; ticking rows drives the bulk bar.
(function () {
  "use strict";

  function isTyping(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }

  function focusRow(row) {
    var link = row.querySelector("[data-row-link]");
    if (link) link.focus();
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    var target = event.target;
    var row = target.closest ? target.closest("[data-contact-row]") : null;
    if (event.key === "n" && !isTyping(target)) {
      var create = document.querySelector("[data-shortcut=n]");
      if (create) {
        event.preventDefault();
        window.location.assign(create.href);
      }
      return;
    }
    if (event.key === "x" && row && !isTyping(target)) {
      var box = row.querySelector("[data-bulk-row]");
      if (box) {
        event.preventDefault();
        box.click();
      }
      return;
    }
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    var rows = Array.prototype.slice.call(document.querySelectorAll("[data-contact-row]"));
    if (!rows.length) return;
    var down = event.key === "ArrowDown";
    if (row) {
      var next = rows.indexOf(row) + (down ? 1 : -1);
      if (next >= rows.length) return;
      event.preventDefault();
      if (next < 0) {
        var search = document.querySelector("[data-search-box]");
        if (search) search.focus();
      } else {
        focusRow(rows[next]);
      }
    } else if (down && (target.matches("[data-search-box]") || !isTyping(target))) {
      event.preventDefault();
      focusRow(rows[0]);
    }
  });

  document.addEventListener("click", function (event) {
    var row = event.target.closest("[data-contact-row]");
    if (!row || event.target.closest("a, input, button, label, select")) return;
    if (String(window.getSelection ? window.getSelection() : "")) return; // selecting text
    var link = row.querySelector("[data-row-link]");
    if (!link) return;
    if (event.ctrlKey || event.metaKey) {
      window.open(link.href, "_blank", "noopener");
    } else {
      link.click();
    }
  });

  function syncBulk(form) {
    var boxes = form.querySelectorAll("[data-bulk-row]");
    var ticked = form.querySelectorAll("[data-bulk-row]:checked").length;
    var all = form.querySelector("[data-bulk-all]");
    var everything = Boolean(all && all.checked);
    var page = form.querySelector("[data-bulk-page]");
    if (page) {
      page.hidden = false;
      page.checked = ticked > 0 && ticked === boxes.length;
      page.indeterminate = ticked > 0 && ticked < boxes.length;
    }
    var count = form.querySelector("[data-bulk-count]");
    if (count) {
      var data = count.dataset;
      count.textContent = everything ? data.all
        : ticked === 0 ? data.none
        : ticked === 1 ? data.one
        : data.many.replace("{n}", String(ticked));
    }
    form.querySelectorAll("[data-bulk-action]").forEach(function (button) {
      button.disabled = !(everything || ticked);
    });
    form.classList.toggle("has-selection", everything || ticked > 0);
  }

  document.addEventListener("change", function (event) {
    var form = event.target.closest("[data-bulk-form]");
    if (!form) return;
    var boxes = form.querySelectorAll("[data-bulk-row]");
    var all = form.querySelector("[data-bulk-all]");
    if (event.target.matches("[data-bulk-page]")) {
      boxes.forEach(function (box) { box.checked = event.target.checked; });
      if (all && !event.target.checked) all.checked = false;
    } else if (event.target.matches("[data-bulk-all]") && event.target.checked) {
      boxes.forEach(function (box) { box.checked = true; });
    } else if (event.target.matches("[data-bulk-row]") && !event.target.checked && all) {
      all.checked = false; // one row left out: no longer all that match
    }
    syncBulk(form);
  });

  // The column chooser returns to the list as it is now, searched since the page loaded.
  document.addEventListener("submit", function (event) {
    var current = event.target.querySelector("[data-current-query]");
    if (current) current.value = window.location.search.replace(/^\?/, "");
  });

  function syncAll() {
    document.querySelectorAll("[data-bulk-form]").forEach(syncBulk);
  }
  document.addEventListener("DOMContentLoaded", syncAll);
  document.addEventListener("htmx:afterSettle", syncAll);

  // The tag filter: its summary names the ticked tags; a click elsewhere closes it.
  document.addEventListener("change", function (event) {
    var details = event.target.closest("[data-tag-filter]");
    if (!details) return;
    var summary = details.querySelector("[data-tag-filter-summary]");
    var names = Array.prototype.map.call(
      details.querySelectorAll("input:checked"),
      function (box) { return box.dataset.name; }
    );
    summary.textContent = names.length ? names.join(", ") : summary.dataset.none;
  });
  document.addEventListener("click", function (event) {
    document.querySelectorAll("[data-tag-filter][open]").forEach(function (details) {
      if (!details.contains(event.target)) details.open = false;
    });
  });
})();

// The contact form's tags: one box that suggests the organization's tags as you type and
// shows the chosen ones as chips. It fills the same multiple select the page has without
// JavaScript (a new name becomes a new option), so the form sends the same either way.
(function () {
  "use strict";

  function key(name) {
    return name.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/ß/g, "ss").replace(/\s+/g, " ").trim();
  }

  function initTagPicker(root, index) {
    var newBox = root.querySelector("[data-tag-new]");
    var select = root.querySelector("[data-tag-select]");
    if (!select) {
      select = document.createElement("select");
      select.multiple = true;
      select.name = newBox.name;
      root.prepend(select);
    }
    var box = document.createElement("div");
    box.className = "form-control tag-picker-box";
    var input = document.createElement("input");
    input.type = "text";
    input.id = newBox.id;
    input.maxLength = 50;
    input.autocomplete = "off";
    input.setAttribute("aria-label", root.dataset.addLabel || "");
    input.placeholder = root.dataset.addLabel || "";
    var list = document.createElement("datalist");
    list.id = "tag-suggestions-" + index;
    input.setAttribute("list", list.id);
    Array.prototype.forEach.call(select.options, function (option) {
      var suggestion = document.createElement("option");
      suggestion.value = option.value;
      list.appendChild(suggestion);
    });

    function add(text) {
      text.split(",").forEach(function (part) {
        var name = part.replace(/\s+/g, " ").trim();
        if (!name) return;
        var found = Array.prototype.find.call(select.options, function (option) {
          return key(option.value) === key(name);
        });
        if (!found) {
          found = new Option(name, name);
          select.add(found);
        }
        found.selected = true;
      });
    }

    function render() {
      box.querySelectorAll(".tag-chip").forEach(function (chip) { chip.remove(); });
      Array.prototype.forEach.call(select.selectedOptions, function (option) {
        var chip = document.createElement("span");
        chip.className = "tag tag-chip tag-" + (option.dataset.colour || "grey");
        chip.textContent = option.value;
        var remove = document.createElement("button");
        remove.type = "button";
        remove.textContent = "×";
        remove.setAttribute("aria-label", (root.dataset.removeLabel || "").replace("{name}", option.value));
        remove.addEventListener("click", function () {
          option.selected = false;
          if (!option.dataset.colour) option.remove(); // a new name nobody chose after all
          render();
          input.focus();
        });
        chip.appendChild(remove);
        box.insertBefore(chip, input);
      });
    }

    function commit() {
      if (!input.value.trim()) return;
      add(input.value);
      input.value = "";
      render();
    }

    add(newBox.value);
    select.hidden = true;
    newBox.remove();
    var label = root.querySelector("[data-tag-new-label]");
    if (label) label.remove();
    box.appendChild(input);
    root.appendChild(box);
    root.appendChild(list);
    render();

    box.addEventListener("click", function (event) {
      if (event.target === box) input.focus();
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === ",") {
        event.preventDefault();
        commit();
      } else if (event.key === "Backspace" && !input.value && select.selectedOptions.length) {
        var last = select.selectedOptions[select.selectedOptions.length - 1];
        last.selected = false;
        if (!last.dataset.colour) last.remove();
        render();
      }
    });
    input.addEventListener("input", function (event) {
      // A suggestion picked from the list is taken at once.
      if (event.inputType === "insertReplacementText" || !event.inputType) {
        var picked = Array.prototype.some.call(list.options, function (option) {
          return option.value === input.value;
        });
        if (picked) commit();
      }
    });
    // What was typed but not yet confirmed counts too.
    input.addEventListener("blur", commit);
    var form = root.closest("form");
    if (form) form.addEventListener("submit", commit);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-tag-picker]").forEach(initTagPicker);
  });
})();
