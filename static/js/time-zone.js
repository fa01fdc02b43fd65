// Time-zone lists (select[data-detect-time-zone]): one nobody has chosen from yet gets this
// device's zone chosen; one set to another zone (the settings page) offers this device's
// in one tap, never changing it unasked. Without JavaScript the list works as it is.
(function () {
  "use strict";
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  if (!zone) {
    return;
  }
  var lists = document.querySelectorAll("select[data-detect-time-zone]");
  Array.prototype.forEach.call(lists, function (select) {
    var known = Array.prototype.some.call(select.options, function (option) {
      return option.value === zone;
    });
    if (!known || select.value === zone) {
      return;
    }
    var note = document.createElement("p");
    note.className = "field-note";
    var name = zone.replace(/_/g, " ");
    if (select.value === "") {
      select.value = zone;
      note.textContent = "Chosen from this device's settings: " + name + ".";
      select.insertAdjacentElement("afterend", note);
      return;
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button-secondary";
    button.textContent = "Use this device's zone, " + name;
    button.addEventListener("click", function () {
      select.value = zone;
      note.textContent = name + " chosen. Save to keep it.";
    });
    note.appendChild(button);
    select.insertAdjacentElement("afterend", note);
  });
})();
