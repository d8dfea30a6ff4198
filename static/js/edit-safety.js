// Never lose an edit in an admin change form (see sergesite/admin_safety.py).
//
// - Leaving a changed form asks the browser's own "Leave site?" question,
//   except when the form is being saved.
// - While the editor types, the form is kept as a draft in localStorage,
//   under the page's path. When the page is opened again with a draft that
//   differs from what the server sent (a crash, a closed tab), the editor is
//   offered it back. A draft outlives a save the server refused, and is
//   removed once the admin reports the save succeeded.
"use strict";
(() => {
  const PREFIX = "sergesite:draft:";
  const PENDING = "sergesite:draft-pending";
  const DELAY = 800; // ms of quiet typing before the draft is written
  // The version of the record the form was loaded from (signed by the
  // server) is kept beside the fields, never among them; the form's security
  // token and passwords are never kept.
  const VERSION = "edit_version";
  const SKIPPED_NAMES = new Set(["csrfmiddlewaretoken", VERSION]);
  const SKIPPED_TYPES = new Set(["password", "file", "hidden", "submit", "button", "reset", "image"]);

  const storage = (kind) => {
    try {
      return window[kind];
    } catch {
      return null; // storage switched off: the leave prompt still works
    }
  };
  const local = storage("localStorage");
  const session = storage("sessionStorage");

  const read = (store, key) => {
    try {
      return JSON.parse(store?.getItem(key) ?? "null");
    } catch {
      return null;
    }
  };
  const write = (store, key, value) => {
    try {
      store?.setItem(key, JSON.stringify(value));
    } catch {
      // Full or refused: the prompt before leaving is the remaining guard.
    }
  };
  const remove = (store, key) => {
    try {
      store?.removeItem(key);
    } catch {
      // nothing to do
    }
  };

  // The page after a save: remove the draft of a form the admin says it
  // saved; keep it otherwise (the save failed or never arrived).
  const settlePendingSave = () => {
    const pending = read(session, PENDING);
    if (!pending) return;
    remove(session, PENDING);
    if (document.querySelector(".messagelist .success") && !document.querySelector(".errornote")) {
      remove(local, pending.key);
    }
  };

  const kept = (element) =>
    element.name &&
    !element.disabled &&
    !SKIPPED_NAMES.has(element.name) &&
    !SKIPPED_TYPES.has(element.type) &&
    !element.name.includes("__prefix__"); // the inlines' blank template row

  // {name: value}: a string, a list of checked values, or for a select the
  // chosen options with their labels (autocomplete selects hold only those).
  const snapshot = (form) => {
    const fields = {};
    const totals = {};
    const version = form.elements.namedItem(VERSION)?.value ?? null;
    for (const element of form.elements) {
      if (element.name?.endsWith("-TOTAL_FORMS")) {
        totals[element.name] = Number(element.value);
      }
      if (!kept(element)) continue;
      if (element.type === "checkbox" || element.type === "radio") {
        fields[element.name] ??= [];
        if (element.checked) fields[element.name].push(element.value);
      } else if (element.tagName === "SELECT") {
        fields[element.name] = [...element.selectedOptions].map((option) => [
          option.value,
          option.text,
        ]);
      } else {
        fields[element.name] = element.value;
      }
    }
    return { fields, totals, version };
  };

  const same = (a, b) => JSON.stringify(a.fields) === JSON.stringify(b.fields);

  const announce = (element) => {
    // Widgets listen for these: markdownx refreshes its preview on input,
    // select2 redraws on change, the slug follows the title.
    element.dispatchEvent(new Event("input", { bubbles: true }));
    element.dispatchEvent(new Event("change", { bubbles: true }));
  };

  const addInlineRows = (form, totals) => {
    for (const [name, wanted] of Object.entries(totals)) {
      const prefix = name.slice(0, -"-TOTAL_FORMS".length);
      const total = form.elements.namedItem(name);
      const add = document.querySelector(`#${CSS.escape(prefix)}-group .add-row a`);
      while (total && add && Number(total.value) < wanted) {
        const before = total.value;
        add.click();
        if (total.value === before) break; // the inline has reached its maximum
      }
    }
  };

  const fill = (form, draft) => {
    // The save of a restored draft is checked against the version the draft
    // was written from: if someone saved since, the server says so.
    const version = form.elements.namedItem(VERSION);
    if (version && draft.version) version.value = draft.version;
    addInlineRows(form, draft.totals ?? {});
    for (const [name, value] of Object.entries(draft.fields)) {
      const elements = [...form.querySelectorAll(`[name="${CSS.escape(name)}"]`)].filter(kept);
      for (const element of elements) {
        if (element.type === "checkbox" || element.type === "radio") {
          const checked = value.includes(element.value);
          if (element.checked === checked) continue;
          element.checked = checked;
        } else if (element.tagName === "SELECT") {
          const chosen = new Map(value);
          for (const [optionValue, text] of chosen) {
            if (![...element.options].some((option) => option.value === optionValue)) {
              element.add(new Option(text, optionValue));
            }
          }
          for (const option of element.options) option.selected = chosen.has(option.value);
        } else {
          if (element.value === value) continue;
          element.value = value;
        }
        announce(element);
      }
    }
  };

  const offer = (form, draft, { onRestore, onDiscard }) => {
    const when = new Date(draft.savedAt).toLocaleString(undefined, {
      dateStyle: "medium",
      timeStyle: "short",
    });
    const box = document.createElement("div");
    box.className = "edit-safety-draft";
    box.setAttribute("role", "status");
    const text = document.createElement("p");
    text.textContent = `You have unsaved changes from ${when}.`;
    if (draft.version && draft.version !== form.elements.namedItem(VERSION)?.value) {
      text.textContent += " The record has been saved since then.";
    }
    const button = (label, action) => {
      const element = document.createElement("button");
      element.type = "button";
      element.className = "button";
      element.textContent = label;
      element.addEventListener("click", () => {
        box.remove();
        action();
      });
      return element;
    };
    box.append(text, button("Restore", onRestore), " ", button("Discard", onDiscard));
    form.prepend(box);
  };

  const start = (form) => {
    const key = PREFIX + window.location.pathname;
    const inPopup = new URLSearchParams(window.location.search).has("_popup");
    const initial = snapshot(form);
    // A page showing the server's refusal holds text that is not saved:
    // it counts as changed from the start, and its draft stays.
    const refused = document.querySelector(".errornote") !== null;
    let submitting = false;
    let paused = false; // while a draft is on offer, do not write over it
    let timer = null;

    const changed = () => refused || !same(snapshot(form), initial);

    const keepDraft = () => {
      window.clearTimeout(timer);
      timer = null;
      // A popup closes itself after saving, before this script could
      // remove the draft: popups keep none.
      if (paused || inPopup) return;
      if (changed()) {
        write(local, key, { savedAt: new Date().toISOString(), ...snapshot(form) });
      } else {
        remove(local, key);
      }
    };
    const keepDraftSoon = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(keepDraft, DELAY);
    };

    // Widgets such as select2 announce changes with jQuery's events only.
    form.addEventListener("input", keepDraftSoon);
    form.addEventListener("change", keepDraftSoon);
    window.django?.jQuery?.(form).on("change", keepDraftSoon);

    form.addEventListener("submit", () => {
      submitting = true;
      keepDraft();
      write(session, PENDING, { key });
    });

    window.addEventListener("pagehide", () => {
      if (timer !== null) keepDraft();
    });

    window.addEventListener("beforeunload", (event) => {
      if (submitting || !changed()) return;
      if (timer !== null) keepDraft();
      event.preventDefault();
      event.returnValue = ""; // older browsers ask only when this is set
    });

    // A refused save shows the editor's text already: nothing to offer.
    const draft = read(local, key);
    if (!draft?.fields || inPopup || refused) return;
    if (same(draft, initial)) {
      remove(local, key); // what was drafted is what is stored
      return;
    }
    paused = true;
    offer(form, draft, {
      onRestore: () => {
        paused = false;
        fill(form, draft);
        keepDraft();
      },
      onDiscard: () => {
        paused = false;
        remove(local, key);
        keepDraft(); // whatever was typed meanwhile
      },
    });
  };

  const ready = () => {
    if (!document.body.classList.contains("change-form")) return;
    const form = document.querySelector("#content-main form[id$='_form']");
    if (form) start(form);
  };

  // The page after a save needs only its messages: settle the draft as soon
  // as they are parsed, without waiting for images and widgets.
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", settlePendingSave);
  } else {
    settlePendingSave();
  }
  // The other widgets (markdownx, select2, inlines) set themselves up on
  // DOMContentLoaded: take the first snapshot after them.
  if (document.readyState === "complete") {
    ready();
  } else {
    window.addEventListener("load", ready);
  }
})();
