// Participation pages: show the joined/left times only when "attended" is chosen (they apply to nothing else).
// Loaded as a file, so it runs under the strict Content Security Policy; the page works without it.
(function () {
  "use strict";

  function sync(form) {
    var chosen = form.querySelector('input[name="state"]:checked');
    var attend = !chosen || chosen.value === "attend";
    form.querySelectorAll("[data-attend-only]").forEach(function (box) { box.hidden = !attend; });
  }
  function init(root) {
    (root || document).querySelectorAll("form[data-record-form]").forEach(sync);
  }
  document.addEventListener("change", function (event) {
    var form = event.target.closest && event.target.closest("form[data-record-form]");
    if (form && event.target.name === "state") sync(form);
  });
  document.addEventListener("DOMContentLoaded", function () { init(document); openTarget(); });

  // A link to a folded section (#counts) unfolds it.
  function openTarget() {
    var target = window.location.hash && document.getElementById(window.location.hash.slice(1));
    if (target && target.tagName === "DETAILS") target.open = true;
  }
  window.addEventListener("hashchange", openTarget);
  document.addEventListener("htmx:afterSettle", function (event) { init(event.detail.elt); });
})();
