// The work-record form: the officer list follows the community and the date chosen (the officers who held
// that community's seat on that day, its serving one first; officers/ledger/officer_choices.py). Without
// JavaScript the server narrows the list when the form comes back, and refuses a mismatch either way.
(function () {
  var officer = document.getElementById("id_officer");
  // the community is picked by search-as-you-type: its hidden input holds the id (lookup.js tells its change)
  var community = officer.form && officer.form.querySelector("input[name='community'], select[name='community']");
  var day = document.getElementById("id_occurred_on");
  if (!officer || !community || !officer.dataset.officersFor) return;
  var asked = 0;
  function refresh() {
    var ask = ++asked;
    var query = new URLSearchParams({ community: community.value || "", occurred_on: day ? day.value : "" });
    fetch(officer.dataset.officersFor + "?" + query.toString(), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data || ask !== asked) return;
        var kept = officer.value;
        var blank = officer.querySelector("option[value='']");
        officer.textContent = "";
        if (blank) officer.appendChild(blank);
        data.results.forEach(function (row) {
          var option = document.createElement("option");
          option.value = String(row.id);
          option.textContent = row.label;
          officer.appendChild(option);
        });
        var ids = data.results.map(function (row) { return String(row.id); });
        officer.value = ids.indexOf(kept) >= 0 ? kept : (community.value && ids.length ? ids[0] : "");
      })
      .catch(function () { /* offline: the list stays as it was; the server still checks */ });
  }
  community.addEventListener("change", refresh);
  if (day) day.addEventListener("change", refresh);
})();
