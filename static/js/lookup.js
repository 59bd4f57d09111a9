/* Search-as-you-type for the filters that pick an officer or a community (yushu_gov/lists/lookups.py).
   Each <span class="lookup" data-lookup="URL"> holds a hidden input (the id picked) and a text box. As the
   user types, the scoped JSON endpoint suggests at most 20 records; picking one puts its id into the hidden
   input and takes the text box out of the form, so the filter gets the exact record. Typing again forgets
   the pick: the text box is submitted and the filter matches the text, as it does without JavaScript. */
(function () {
  "use strict";
  var DELAY = 200;
  var counter = 0;

  function setup(box) {
    var hidden = box.querySelector("input[data-lookup-id]");
    var text = box.querySelector("input[data-lookup-text]");
    if (!hidden || !text) return;
    var name = text.getAttribute("name");
    var list = document.createElement("ul");
    var listId = "lookup-list-" + (++counter);
    var timer = null;
    var request = null;
    var active = -1;
    var items = [];

    list.id = listId;
    list.className = "lookup-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    box.appendChild(list);
    text.setAttribute("role", "combobox");
    text.setAttribute("aria-autocomplete", "list");
    text.setAttribute("aria-expanded", "false");
    text.setAttribute("aria-controls", listId);
    if (hidden.value) text.removeAttribute("name"); // a record is picked: its id is what the form sends

    function close() {
      list.hidden = true;
      list.textContent = "";
      items = [];
      active = -1;
      text.setAttribute("aria-expanded", "false");
      text.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      items.forEach(function (li, i) { li.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (index >= 0) text.setAttribute("aria-activedescendant", items[index].id);
      else text.removeAttribute("aria-activedescendant");
    }

    function pick(result) {
      hidden.value = String(result.id);
      text.value = result.label;
      text.removeAttribute("name");
      close();
      hidden.dispatchEvent(new Event("change", { bubbles: true })); // for scripts that follow the pick
    }

    function show(results) {
      close();
      results.forEach(function (result, i) {
        var li = document.createElement("li");
        li.id = listId + "-" + i;
        li.setAttribute("role", "option");
        li.textContent = result.label;
        if (result.hint) {
          var hint = document.createElement("small");
          hint.textContent = " " + result.hint;
          li.appendChild(hint);
        }
        li.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the text box
          pick(result);
        });
        li.result = result;
        list.appendChild(li);
        items.push(li);
      });
      if (items.length) {
        list.hidden = false;
        text.setAttribute("aria-expanded", "true");
      }
    }

    function ask() {
      var typed = text.value.trim();
      if (!typed) { close(); return; }
      if (request) request.abort();
      request = new AbortController();
      var base = box.getAttribute("data-lookup");
      var url = base + (base.indexOf("?") >= 0 ? "&" : "?") + "q=" + encodeURIComponent(typed.slice(0, 50));
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" }, signal: request.signal })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { if (text.value.trim() === typed) show(data.results || []); })
        .catch(function () { /* aborted or offline: the typed text still filters */ });
    }

    text.addEventListener("input", function () {
      hidden.value = ""; // typing forgets the pick
      if (name) text.setAttribute("name", name);
      clearTimeout(timer);
      timer = setTimeout(ask, DELAY);
    });
    text.addEventListener("keydown", function (event) {
      if (list.hidden) return;
      if (event.key === "ArrowDown") { event.preventDefault(); highlight(Math.min(active + 1, items.length - 1)); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(Math.max(active - 1, 0)); }
      else if (event.key === "Enter" && active >= 0) { event.preventDefault(); pick(items[active].result); }
      else if (event.key === "Escape") { close(); }
    });
    text.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  document.querySelectorAll(".lookup[data-lookup]").forEach(setup);
})();
