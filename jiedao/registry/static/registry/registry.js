// Registry pages: reveal a masked value in place (the form still works without script), print button.
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
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
}());
