// Suggests organisations while a person types in an organisation field (actors.forms.
// OrganisationPicker), and OECD DAC purpose codes in a sector field (partnerships.forms.
// SectorPicker), following the ARIA combobox pattern: arrow keys move through the
// suggestions, Enter or a click chooses one, Escape closes them. Choosing fills in the whole name
// (or, for a code, its "value": code and name), which the server resolves; without this script
// the field is a plain text input that works the same way, so nothing depends on it.
// Each suggestion of the JSON answer has a "name", and an "acronym" or "code" shown beside it.
(function () {
  "use strict";
  var MIN_CHARS = 2;
  var DELAY_MS = 200;
  var made = 0;

  function setUp(input) {
    made += 1;
    if (!input.id) input.id = "organisation-picker-" + made;
    var url = input.dataset.searchUrl;
    var label = document.querySelector('label[for="' + input.id + '"]');

    var box = document.createElement("div");
    box.className = "org-picker";
    input.parentNode.insertBefore(box, input);
    box.appendChild(input);

    var popup = document.createElement("div");
    popup.className = "org-picker__popup";
    popup.hidden = true;
    var list = document.createElement("ul");
    list.id = input.id + "-suggestions";
    list.className = "org-picker__list";
    list.setAttribute("role", "listbox");
    if (label) list.setAttribute("aria-label", label.textContent.trim());
    var note = document.createElement("p");
    note.className = "org-picker__note";
    popup.appendChild(note); // "more match" stays in sight above a long list
    popup.appendChild(list);
    box.appendChild(popup);

    var status = document.createElement("span");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    box.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("autocomplete", "off");

    var timer = null;
    var request = null;
    var active = -1;

    function options() {
      return list.querySelectorAll('[role="option"]');
    }

    function close() {
      popup.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var opts = options();
      if (!opts.length) return;
      active = (index + opts.length) % opts.length;
      opts.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", opts[active].id);
      opts[active].scrollIntoView({ block: "nearest" });
    }

    function choose(option) {
      input.value = option.dataset.name;
      close();
      status.textContent = "";
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function show(data) {
      if (document.activeElement !== input) return; // answered after the person moved on
      list.textContent = "";
      data.results.forEach(function (item, i) {
        var option = document.createElement("li");
        option.id = list.id + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.dataset.name = item.value || item.name;
        option.textContent = item.name;
        var tag = item.acronym || item.code;
        if (tag) {
          var acronym = document.createElement("span");
          acronym.className = "org-picker__acronym";
          acronym.textContent = tag;
          option.appendChild(document.createTextNode(" "));
          option.appendChild(acronym);
        }
        list.appendChild(option);
      });
      var found = data.results.length > 0;
      list.hidden = !found;
      note.textContent = !found ? input.dataset.noMatch : data.more ? input.dataset.more : "";
      note.hidden = !note.textContent;
      status.textContent = found ? input.dataset.hint + " " + note.textContent : note.textContent;
      popup.hidden = false;
      active = -1;
      input.removeAttribute("aria-activedescendant");
      input.setAttribute("aria-expanded", found ? "true" : "false");
    }

    function search() {
      var text = input.value.trim();
      if (request) request.abort();
      if (text.length < MIN_CHARS) {
        close();
        return;
      }
      request = new AbortController();
      fetch(url + "?q=" + encodeURIComponent(text), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: request.signal,
      })
        .then(function (response) {
          return response.ok ? response.json() : Promise.reject(response.status);
        })
        .then(show)
        .catch(function () {
          // Cancelled by newer typing, or offline: the typed name still works without suggestions.
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(search, DELAY_MS);
    });
    input.addEventListener("keydown", function (event) {
      var open = !popup.hidden && options().length > 0;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!options().length) return;
        event.preventDefault();
        if (!open) {
          popup.hidden = false;
          input.setAttribute("aria-expanded", "true");
        }
        highlight(event.key === "ArrowDown" ? active + 1 : active - 1);
      } else if (event.key === "Enter" && open && active >= 0) {
        event.preventDefault(); // choose, do not submit the form
        choose(options()[active]);
      } else if (event.key === "Escape" && !popup.hidden) {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", close);
    // Keep the focus in the input while a suggestion is clicked.
    popup.addEventListener("mousedown", function (event) {
      event.preventDefault();
    });
    list.addEventListener("click", function (event) {
      var option = event.target.closest('[role="option"]');
      if (option) choose(option);
    });
  }

  document
    .querySelectorAll("input[data-organisation-picker], input[data-sector-picker]")
    .forEach(setUp);
})();
