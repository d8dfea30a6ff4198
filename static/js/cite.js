// Copy buttons for the "Cite this" box. Without this script the buttons stay
// hidden and the citations are plain selectable text.
(function () {
  "use strict";
  if (!navigator.clipboard) return;
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var source = document.getElementById(button.dataset.copy);
    if (!source) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.textContent.trim()).then(
        function () { button.textContent = "Copied"; },
        function () { button.textContent = "Select the text to copy"; }
      );
      setTimeout(function () { button.textContent = "Copy"; }, 2000);
    });
  });
})();
