/* Behaviour every page shares, without inline handlers (the Content-Security-Policy allows no inline script):
   - data-autosubmit on a form control submits its form when the control changes (language, report period);
   - data-print on a button opens the browser's print dialog;
   - on a phone, where the main navigation is one row that scrolls sideways, the current page's item is
     scrolled into view. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var nav = document.querySelector(".mainnav");
    var current = nav ? nav.querySelector("[aria-current]") : null;
    if (current && nav.scrollWidth > nav.clientWidth) {
      nav.scrollLeft = current.offsetLeft - nav.offsetLeft - (nav.clientWidth - current.offsetWidth) / 2;
    }
  });
  document.addEventListener("change", function (event) {
    var control = event.target;
    if (control.form && control.hasAttribute("data-autosubmit")) { control.form.submit(); }
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-print]") : null;
    if (button) { window.print(); }
  });
})();
