// The entry form: show only the danger signs of the symptom chosen. Without this script
// every symptom's signs are listed, each under its symptom's name.
(function () {
  "use strict";
  var form = document.querySelector("[data-entry-form]");
  if (!form) return;
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
