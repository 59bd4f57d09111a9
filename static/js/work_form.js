// The work-record form: show only the fields the chosen type needs (a dispute's severity and outcome,
// a case's number, an aid visit's amount). Without JavaScript every field shows and the server ignores
// the ones that do not apply.
(function () {
  var kind = document.getElementById("id_kind");
  if (!kind) return;
  var onlyFor = { id_severity: "dispute", id_outcome: "dispute", id_case_number: "case", id_aid_amount: "aid" };
  function update() {
    Object.keys(onlyFor).forEach(function (id) {
      var input = document.getElementById(id);
      var field = input && input.closest(".field");
      if (field) field.hidden = kind.value !== onlyFor[id];
    });
  }
  kind.addEventListener("change", update);
  update();
})();
