// hsadmin's small amount of JavaScript: toasts, confirmations and HTMX error handling.
// Loaded as a file (no inline script), so it runs under the strict Content Security Policy.
(function () {
  "use strict";

  var TOAST_MS = 7000;

  function closeToast(toast) {
    if (toast && toast.parentNode) toast.parentNode.removeChild(toast);
  }

  function armToast(toast) {
    var close = toast.querySelector(".toast-close");
    if (close) close.addEventListener("click", function () { closeToast(toast); });
    if (!toast.classList.contains("toast-error")) {
      window.setTimeout(function () { closeToast(toast); }, TOAST_MS);
    }
  }

  function showToast(level, text) {
    var region = document.getElementById("toasts");
    var template = document.getElementById("toast-template");
    if (!region || !template) return;
    var toast = template.content.firstElementChild.cloneNode(true);
    toast.classList.add("toast-" + (level || "info"));
    toast.querySelector(".toast-text").textContent = text;
    region.appendChild(toast);
    armToast(toast);
  }
  window.hsadminToast = showToast;

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("#toasts .toast").forEach(armToast);
  });

  // Messages that arrive with an HTMX response (HX-Trigger: hsadmin:toasts); the event bubbles to document.
  document.addEventListener("hsadmin:toasts", function (event) {
    var messages = (event.detail && event.detail.messages) || [];
    messages.forEach(function (m) { showToast(m.level, m.text); });
  });

  function templateText(id) {
    var template = document.getElementById(id);
    return template ? template.content.textContent.trim() : "";
  }

  // A request that failed: say so plainly instead of leaving the page silently unchanged.
  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    if (xhr && xhr.getResponseHeader("HX-Trigger")) return; // the server sent its own message
    showToast("error", templateText("request-error-template"));
  });
  document.addEventListener("htmx:sendError", function () {
    showToast("error", templateText("send-error-template"));
  });

  // Folded filters (details[data-open-when-wide]) are open on a screen wide enough to show them beside the list.
  document.addEventListener("DOMContentLoaded", function () {
    if (!window.matchMedia("(min-width: 721px)").matches) return;
    document.querySelectorAll("details[data-open-when-wide]").forEach(function (d) { d.open = true; });
  });

  // Inputs that apply to one choice only (data-shown-for="action=set_field", "period=custom") show only for it.
  // Without JavaScript they all show, and the server ignores the ones that do not apply.
  function syncShown(root) {
    (root || document).querySelectorAll("[data-shown-for]").forEach(function (box) {
      var rule = box.getAttribute("data-shown-for").split("=");
      var form = box.closest("form");
      var control = form && form.elements.namedItem(rule[0]);
      if (control) box.hidden = control.value !== rule[1];
    });
  }
  document.addEventListener("DOMContentLoaded", function () { syncShown(document); });
  document.addEventListener("change", function (event) {
    if (event.target.form) syncShown(event.target.form);
  });
  document.addEventListener("htmx:afterSettle", function (event) { syncShown(event.detail.elt); });

  // A select marked data-autosubmit submits its form when changed (the portal switcher).
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("select[data-autosubmit]") && target.form) target.form.requestSubmit();
  });

  // Bulk selection: a form marked data-selection counts its checked object_ids, and "select all" checks a page.
  function updateSelection(form) {
    var checked = form.querySelectorAll('input[type="checkbox"][name="object_ids"]:checked').length;
    var counter = form.querySelector("[data-selection-count]");
    if (counter) counter.textContent = checked + " " + (counter.getAttribute("data-label") || "");
    // The bulk bar: Apply once there is a selection and an action.
    var action = form.querySelector("[data-bulk-action]");
    var submit = form.querySelector("[data-selection-submit]");
    if (submit) submit.disabled = checked === 0 || (action !== null && !action.value);
  }
  document.addEventListener("change", function (event) {
    var target = event.target;
    var form = target.closest && target.closest("form[data-selection]");
    if (!form) return;
    if (target.hasAttribute("data-select-all")) {
      form.querySelectorAll('input[type="checkbox"][name="object_ids"]').forEach(function (box) { box.checked = target.checked; });
    }
    updateSelection(form);
  });
  function initSelections(root) {
    (root || document).querySelectorAll("form[data-selection]").forEach(updateSelection);
  }
  document.addEventListener("DOMContentLoaded", function () { initSelections(document); });
  document.addEventListener("htmx:afterSettle", function (event) { initSelections(event.detail.elt); });

  // A table wider than the screen scrolls sideways inside its .table-wrap; keyboard users must be able to reach
  // that scroll, so a wrap that actually overflows becomes focusable and is named after its table's heading.
  function markScrollable(root) {
    (root || document).querySelectorAll(".table-wrap").forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        if (!wrap.hasAttribute("tabindex")) {
          wrap.setAttribute("tabindex", "0");
          wrap.setAttribute("role", "region");
          var section = wrap.closest("section");
          var heading = section && section.querySelector("h1, h2, h3");
          var label = (heading && heading.textContent.trim()) || document.title;
          wrap.setAttribute("aria-label", label);
        }
      } else if (wrap.getAttribute("tabindex") === "0" && wrap.getAttribute("role") === "region") {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () { markScrollable(document); });
  document.addEventListener("htmx:afterSettle", function () { markScrollable(document); });
  var resizeTimer = 0;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(function () { markScrollable(document); }, 150);
  });

  // Forms and buttons marked data-confirm ask before doing something that cannot be undone.
  // A button marked data-no-confirm (its next page is the confirmation) skips the form's prompt.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.submitter && event.submitter.hasAttribute("data-no-confirm")) return;
    var message = form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) event.preventDefault();
  }, true);
})();
