// As-you-type suggestions of people and works for every search form that
// names its endpoint in data-suggest. The form works the same without it.
(function () {
  "use strict";
  var MIN_LENGTH = 3;
  var DELAY_MS = 150;

  function attach(form) {
    var input = form.querySelector('input[name="q"]');
    if (!input) return;
    var list = document.createElement("ul");
    var listId = (input.id || "search") + "-suggestions";
    var timer = null;
    var latest = 0;
    var active = -1;

    list.id = listId;
    list.className = "search-suggestions";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    form.appendChild(list);
    input.setAttribute("autocomplete", "off");
    // aria-expanded and aria-autocomplete are allowed only on a combobox.
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("aria-expanded", "false");

    function close() {
      list.hidden = true;
      list.textContent = "";
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function show(items) {
      list.textContent = "";
      items.forEach(function (item, index) {
        var option = document.createElement("li");
        var link = document.createElement("a");
        var kind = document.createElement("span");
        option.id = listId + "-" + index;
        option.setAttribute("role", "option");
        link.href = item.url;
        link.textContent = item.label;
        kind.className = "search-suggestion-kind";
        kind.textContent = item.kind === "person" ? " person" : " work";
        link.appendChild(kind);
        option.appendChild(link);
        list.appendChild(option);
      });
      list.hidden = items.length === 0;
      input.setAttribute("aria-expanded", items.length ? "true" : "false");
    }

    function highlight(index) {
      var options = list.querySelectorAll("li");
      if (!options.length) return;
      active = (index + options.length) % options.length;
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", options[active].id);
    }

    function fetchSuggestions() {
      var text = input.value.trim();
      if (text.length < MIN_LENGTH) {
        close();
        return;
      }
      var request = ++latest;
      var url = form.dataset.suggest + "?q=" + encodeURIComponent(text);
      fetch(url, { headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : [];
        })
        .then(function (items) {
          // An older, slower answer must not replace a newer one.
          if (request === latest) show(items);
        })
        .catch(close);
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, DELAY_MS);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) return;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        highlight(active + (event.key === "ArrowDown" ? 1 : -1));
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        window.location.href = list.querySelectorAll("a")[active].href;
      } else if (event.key === "Escape") {
        close();
      }
    });
    document.addEventListener("click", function (event) {
      if (!form.contains(event.target)) close();
    });
  }

  document.querySelectorAll("form[data-suggest]").forEach(attach);
})();
