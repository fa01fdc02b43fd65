// Keeps a building report's page up to date without reloading it: the progress bar moves
// in place, and the page reloads once, when the report is ready or has failed. Without
// JavaScript the page offers a "Refresh now" link instead.
(function () {
  "use strict";
  var panel = document.querySelector("[data-report-status-url]");
  if (!panel) {
    return;
  }
  var url = panel.getAttribute("data-report-status-url");
  var bar = panel.querySelector("progress");
  var figure = panel.querySelector("[data-report-percent]");

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (report) {
        if (!report) {
          return;
        }
        if (report.status === "ready" || report.status === "failed") {
          window.location.reload();
          return;
        }
        bar.value = report.progress;
        bar.textContent = report.progress + "%";
        figure.textContent = report.progress + "%";
        window.setTimeout(poll, 2000);
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }

  window.setTimeout(poll, 2000);
})();
