// Small enhancements; every page works without JavaScript.
(function () {
  // The phone menu toggle.
  var toggle = document.querySelector(".nav-toggle");
  var nav = document.getElementById("site-nav");
  if (toggle && nav) {
    toggle.addEventListener("click", function () {
      var open = nav.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  // Print links on printable pages.
  document.querySelectorAll(".print-link").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      window.print();
    });
  });

  // A list's filters are folded behind one button on phones; wider screens show them open.
  if (window.matchMedia && window.matchMedia("(min-width: 600px)").matches) {
    document.querySelectorAll("details.filter-fold").forEach(function (fold) { fold.open = true; });
  }

  // "Select all" on a list with check boxes (the year page's combine / file selection).
  document.querySelectorAll("input[data-pick-all]").forEach(function (all) {
    all.addEventListener("change", function () {
      all.form.querySelectorAll("input[name=pick]").forEach(function (box) { box.checked = all.checked; });
    });
  });

  // Offline: say so, and keep a form from being sent into the void (its draft stays in the browser).
  var notice = document.querySelector(".offline-notice");
  // The promise to keep what is typed only where a form keeps a draft (drafts.js); elsewhere just the fact.
  var keepsDrafts = !!document.querySelector("form[data-draft]");
  function showNetwork() {
    if (!notice) return;
    notice.textContent = notice.getAttribute(keepsDrafts ? "data-offline-text" : "data-offline-plain");
    notice.hidden = navigator.onLine;
  }
  window.addEventListener("online", showNetwork);
  window.addEventListener("offline", showNetwork);
  showNetwork();

  // A form is sent once per press: its buttons wait until the next page (a double tap sends nothing more;
  // the server's idempotency key covers what slips through).
  document.querySelectorAll("form[method=post]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!navigator.onLine) {
        event.preventDefault();
        showNetwork();
        if (form.hasAttribute("data-draft")) {  // kept, and sent by drafts.js once the network is back
          var button = event.submitter;
          form.dispatchEvent(new CustomEvent("draft-queue", {
            detail: { name: button && button.name || "", value: button && button.value || "" }
          }));
        }
        return;
      }
      if (form.getAttribute("data-sending")) {
        event.preventDefault();
        return;
      }
      form.setAttribute("data-sending", "1");
      // Sent, but no answer (the network dropped): the form may be sent again after a while.
      setTimeout(function () { form.removeAttribute("data-sending"); }, 8000);
    });
  });
  // Back to a page kept in the browser's cache: its forms may be sent again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-sending]").forEach(function (form) { form.removeAttribute("data-sending"); });
  });
})();
