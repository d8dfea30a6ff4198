// The search page's "Refine" block starts folded, which suits a phone: the
// results come first. On a wide screen it sits in its own column, so unfold
// it there. Without this script it is simply a block the reader can open.
(function () {
  "use strict";
  // Keep in step with the two-column breakpoint in site.css.
  var wide = window.matchMedia("(min-width: 48rem)");

  function fit() {
    document.querySelectorAll("details[data-open-wide]").forEach(function (details) {
      details.open = wide.matches;
    });
  }

  fit();
  wide.addEventListener("change", fit);
})();
