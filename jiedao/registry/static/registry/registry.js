// Registry pages: reveal a masked value in place (the form still works without script), send a form once,
// follow a background export (core/jiedao.js opens the print dialog of the code sheet).
(function () {
  "use strict";

  function showErrors(form, data) {
    var errors = (data && data.errors) || {};
    var messages = [].concat(errors.reason || [], errors.field || [], errors.__all__ || []);
    if (data && data.detail) { messages.push(data.detail); }
    var box = form.querySelector(".reveal-error");
    box.textContent = messages.join(" ");
    box.hidden = messages.length === 0;
  }

  function enhanceReveal(form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = form.querySelector("button[type=submit]");
      var target = document.getElementById(form.getAttribute("data-target"));
      button.disabled = true;
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { "Accept": "application/json" },
        credentials: "same-origin",
        cache: "no-store"
      }).then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      }).then(function (result) {
        button.disabled = false;
        if (!result.ok) { showErrors(form, result.data); return; }
        target.textContent = result.data.value;
        target.classList.add("revealed");
        var details = form.closest("details");
        if (details) { details.remove(); }
      }).catch(function () {
        button.disabled = false;
        showErrors(form, { detail: form.getAttribute("data-failed") });
      });
    });
  }

  document.querySelectorAll("form.reveal-form").forEach(enhanceReveal);
  // A form that must be sent once (确认导入): its button is disabled as it is sent; the server is idempotent too.
  document.querySelectorAll("form[data-once]").forEach(function (form) {
    form.addEventListener("submit", function () {
      setTimeout(function () {
        form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
      }, 0);
    });
  });
  // A background job's page (后台导出): poll its state until the file is ready or the job failed.
  function poll(box) {
    var url = box.getAttribute("data-poll");
    function field(name) { return box.querySelector("[data-field=" + name + "]"); }
    function tick() {
      fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin", cache: "no-store" })
        .then(function (response) { return response.json(); })
        .then(function (state) {
          box.querySelector("progress").value = state.percent;
          field("status_label").textContent = state.status_label;
          field("rows_done").textContent = state.rows_done;
          field("rows_total").textContent = state.rows_total;
          field("problem").textContent = state.problem;
          field("problem").hidden = !state.problem;
          box.setAttribute("data-status", state.status);
          if (state.download) {
            field("download").querySelector("a").href = state.download;
            field("download").hidden = false;
          }
          if (!state.download && !state.failed) { setTimeout(tick, 2000); }
        })
        .catch(function () { setTimeout(tick, 5000); });
    }
    setTimeout(tick, 1000);
  }
  document.querySelectorAll("[data-poll]").forEach(poll);
}());
