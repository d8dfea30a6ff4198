// As-you-type suggestions of people and works for every search form that
// names its endpoint in data-suggest. The form works the same without it.
// The input is an ARIA combobox: focus stays in the input while the arrow
// keys move through the list, Enter opens the chosen page, Escape closes.
(function () {
  "use strict";
  var MIN_LENGTH = 3;
  var DELAY_MS = 150;
  var KIND_LABELS = { person: "Person", work: "Work" };

  function attach(form) {
    var input = form.querySelector('input[name="q"]');
    if (!input) return;
    var list = document.createElement("ul");
    var status = document.createElement("p");
    var listId = (input.id || "search") + "-suggestions";
    var timer = null;
    var latest = 0;
    var active = -1;

    list.id = listId;
    list.className = "search-suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Suggestions");
    list.hidden = true;
    // Options hold no links: an option's contents are presentational, so a
    // link inside would be an interactive element nobody can reach.
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    // Placed after the input so the list can be positioned just under it.
    input.insertAdjacentElement("afterend", list);
    form.appendChild(status);
    input.parentNode.classList.add("has-suggestions");
    input.setAttribute("autocomplete", "off");
    // HTML allows the combobox role on a text input but not on a search
    // input; these two keep the phone keyboard's Search key all the same.
    input.type = "text";
    input.setAttribute("inputmode", "search");
    input.setAttribute("enterkeyhint", "search");
    // aria-expanded and aria-autocomplete are allowed only on a combobox.
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("aria-expanded", "false");

    function options() {
      return list.querySelectorAll('[role="option"]');
    }

    function close() {
      list.hidden = true;
      list.textContent = "";
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function go(option) {
      window.location.href = option.dataset.url;
    }

    function show(items) {
      list.textContent = "";
      active = -1;
      input.removeAttribute("aria-activedescendant");
      items.forEach(function (item, index) {
        var option = document.createElement("li");
        var label = document.createElement("span");
        var kind = document.createElement("span");
        var pause = document.createElement("span");
        option.id = listId + "-" + index;
        option.className = "search-suggestion";
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.dataset.url = item.url;
        label.className = "search-suggestion__label";
        label.textContent = item.label;
        kind.className = "search-suggestion__kind";
        kind.textContent = KIND_LABELS[item.kind] || item.kind;
        // Screen readers run the two spans together: "Victor Serge, Person".
        pause.className = "visually-hidden";
        pause.textContent = ", ";
        option.appendChild(label);
        option.appendChild(pause);
        option.appendChild(kind);
        list.appendChild(option);
      });
      list.hidden = items.length === 0;
      input.setAttribute("aria-expanded", items.length ? "true" : "false");
      status.textContent = items.length
        ? items.length + (items.length === 1 ? " suggestion" : " suggestions") + ": use the arrow keys to choose"
        : "";
    }

    function highlight(index) {
      var all = options();
      if (!all.length) return;
      active = (index + all.length) % all.length;
      all.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      all[active].scrollIntoView({ block: "nearest" });
      input.setAttribute("aria-activedescendant", all[active].id);
    }

    function fetchSuggestions() {
      var text = input.value.trim();
      if (text.length < MIN_LENGTH) {
        close();
        status.textContent = "";
        return;
      }
      var request = ++latest;
      var url = form.dataset.suggest + "?q=" + encodeURIComponent(text);
      fetch(url, { headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : [];
        })
        .then(function (items) {
          // An older, slower answer must not replace a newer one, and an
          // answer that arrives after the reader left the box is not wanted.
          if (request === latest && document.activeElement === input) show(items);
        })
        .catch(close);
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, DELAY_MS);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) {
        // Down reopens a list the reader closed with Escape.
        if (event.key === "ArrowDown" && input.value.trim().length >= MIN_LENGTH) {
          event.preventDefault();
          fetchSuggestions();
        }
        return;
      }
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        highlight(active + (event.key === "ArrowDown" ? 1 : active < 0 ? 0 : -1));
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        go(options()[active]);
      } else if (event.key === "Escape") {
        // Only the list closes; a second Escape clears the box as usual.
        event.preventDefault();
        close();
      } else if (event.key === "Tab") {
        close();
      }
    });
    input.addEventListener("blur", function () {
      // Later than a click on an option, which keeps the focus (see below).
      setTimeout(function () {
        if (document.activeElement !== input) close();
      }, 0);
    });
    // Pressing an option must not move the focus out of the input first.
    list.addEventListener("mousedown", function (event) {
      event.preventDefault();
    });
    list.addEventListener("click", function (event) {
      var option = event.target.closest('[role="option"]');
      if (option) go(option);
    });
    list.addEventListener("mousemove", function (event) {
      var option = event.target.closest('[role="option"]');
      if (!option) return;
      var index = Array.prototype.indexOf.call(options(), option);
      if (index !== active) highlight(index);
    });
  }

  document.querySelectorAll("form[data-suggest]").forEach(attach);
})();
