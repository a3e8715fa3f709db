// Refreshes a documents table (templates/reports/_documents.html) every 2 s while one of its
// documents is queued or being generated; stops when none is.
(function () {
  "use strict";
  function watch(box) {
    if (!box.dataset.pending) return;
    window.setTimeout(function () {
      fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
        .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
        .then(function (html) {
          var holder = document.createElement("div");
          holder.innerHTML = html;
          var fresh = holder.querySelector(".documents");
          if (!fresh) return;
          box.replaceWith(fresh);
          watch(fresh);
        })
        .catch(function () { watch(box); });
    }, 2000);
  }
  document.querySelectorAll(".documents[data-status-url]").forEach(watch);
})();
