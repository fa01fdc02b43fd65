// The entry form: show only the danger signs of the symptom chosen (without this script
// every symptom's signs are listed, each under its symptom's name), and let Enter on a
// radio button or a checkbox choose it rather than send the form half-filled.
(function () {
  "use strict";
  var form = document.querySelector("[data-entry-form]");
  if (!form) return;
  form.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key === "Enter" && target instanceof HTMLInputElement &&
        (target.type === "radio" || target.type === "checkbox")) {
      event.preventDefault();
      if (target.type === "radio") target.checked = true;
      else target.checked = !target.checked;
    }
  });
  var symptom = form.querySelector("select[name=side_effect]");
  var groups = form.querySelectorAll("[data-danger-signs-for]");
  if (!symptom || groups.length < 2) return;
  function show() {
    groups.forEach(function (group) {
      var mine = group.getAttribute("data-danger-signs-for") === symptom.value;
      group.hidden = !mine;
      if (!mine) {
        group.querySelectorAll("input").forEach(function (box) { box.checked = false; });
      }
    });
  }
  symptom.addEventListener("change", show);
  show();
})();
