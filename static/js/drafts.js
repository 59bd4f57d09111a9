// Drafts for weak networks (3,700 m): a form marked data-draft keeps what was typed in the browser
// (localStorage), restores it when the page is opened again after a dropped connection, and drops it once
// the server has saved that form (the page names the saved forms' idempotency keys in data-saved-forms).
// The draft keeps the form's idempotency key, so that sending a restored draft again never saves twice.
(function () {
  var PREFIX = "yushu-draft:";
  var MAX_AGE = 7 * 24 * 3600 * 1000;
  var store;
  try { store = window.localStorage; store.setItem(PREFIX + "test", "1"); store.removeItem(PREFIX + "test"); }
  catch (e) { return; }  // private mode or storage refused: the forms work as before

  var saved = (document.body.getAttribute("data-saved-forms") || "").split(" ").filter(Boolean);

  // Forget drafts the server has saved (remembering which, to say so on their form), and old ones.
  var savedDrafts = [];
  Object.keys(store).forEach(function (name) {
    if (name.indexOf(PREFIX) !== 0) return;
    try {
      var draft = JSON.parse(store.getItem(name));
      if (draft && saved.indexOf(draft.key) >= 0) savedDrafts.push(name);
      if (!draft || saved.indexOf(draft.key) >= 0 || Date.now() - draft.at > MAX_AGE) store.removeItem(name);
    } catch (e) { store.removeItem(name); }
  });

  function note(form, message, withDiscard, name) {
    var box = document.createElement("div");
    box.className = "draft-note";
    box.setAttribute("role", "status");
    var text = document.createElement("span");
    text.textContent = message;
    box.appendChild(text);
    if (withDiscard) {
      var discard = document.createElement("button");
      discard.type = "button";
      discard.className = "link-button";
      discard.textContent = form.getAttribute("data-draft-discard") || "放弃草稿";
      discard.addEventListener("click", function () {
        store.removeItem(name);
        location.reload();
      });
      box.appendChild(discard);
    }
    form.insertBefore(box, form.firstChild);
  }

  // Never kept: files (a browser cannot store them), passwords, buttons, the CSRF token, and the fields a form
  // names in data-draft-skip (e.g. the version it was built from, the time it was shown: the page's own win).
  function skip(input) {
    var own = (input.form && input.form.getAttribute("data-draft-skip") || "").split(" ");
    return !input.name || input.type === "file" || input.type === "password" || input.type === "submit" ||
      input.type === "button" || input.name === "csrfmiddlewaretoken" || own.indexOf(input.name) >= 0;
  }

  function collect(form) {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (input) {
      if (skip(input)) return;
      if (input.type === "checkbox" || input.type === "radio") {
        values[input.name] = values[input.name] || [];
        if (input.checked) values[input.name].push(input.value);
      } else {
        values[input.name] = input.value;
      }
    });
    return values;
  }

  function apply(form, values) {
    Array.prototype.forEach.call(form.elements, function (input) {
      if (skip(input) || !(input.name in values)) return;
      var value = values[input.name];
      if (input.type === "checkbox" || input.type === "radio") {
        input.checked = Array.isArray(value) && value.indexOf(input.value) >= 0;
      } else {
        input.value = value;
      }
    });
  }

  document.querySelectorAll("form[data-draft]").forEach(function (form) {
    var name = PREFIX + form.getAttribute("data-draft") + ":" + location.pathname + location.search;
    var keyInput = form.querySelector("input[name=idem_key]");
    var rejected = form.querySelector(".has-error, .errors");  // the server sent it back: its values win
    var draft = null;
    try { draft = JSON.parse(store.getItem(name)); } catch (e) { draft = null; }

    var queued = null;  // sent while offline: {name, value} of the button pressed, sent again once online
    if (draft && draft.values && !rejected) {
      apply(form, draft.values);
      queued = draft.queued || null;
      note(form, form.getAttribute(queued ? "data-draft-queued" : "data-draft-restored") ||
        "已恢复上次未提交成功的内容。", true, name);
    } else if (savedDrafts.indexOf(name) >= 0 && !rejected) {
      // Sent on a weak network: the answer never came, but the server had saved it.
      note(form, form.getAttribute("data-draft-saved") || "上次填写的内容已经保存成功，无需再次提交。", false, name);
    }

    function keep() {
      store.setItem(name, JSON.stringify({
        at: Date.now(), key: keyInput ? keyInput.value : "", values: collect(form), queued: queued
      }));
    }
    form.addEventListener("input", keep);
    form.addEventListener("change", keep);

    // Submitted while offline (site.js keeps it from going into the void): kept, and sent once online. The
    // idempotency key goes with it, so a form that did reach the server is not saved twice.
    form.addEventListener("draft-queue", function (event) {
      queued = event.detail || {};
      keep();
      note(form, form.getAttribute("data-draft-queued") || "网络恢复后将自动提交。", false, name);
    });
    function sendQueued() {
      if (!queued || !navigator.onLine) return;
      var button = queued.name ? form.querySelector('button[name="' + queued.name + '"]') : null;
      queued = null;
      keep();  // sent once: a failure leaves the draft, not the order to send it again
      form.removeAttribute("data-sending");
      if (form.requestSubmit) form.requestSubmit(button || undefined); else form.submit();
    }
    window.addEventListener("online", sendQueued);
    if (queued) setTimeout(sendQueued, 0);
  });
})();
