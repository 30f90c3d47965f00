// Zhifa's only script: the behaviours the pages used to write inline, so that the
// Content-Security-Policy (zhifa.core.middleware) can forbid inline script.
//   data-autosubmit  a <select> that submits its form when changed (language switch)
//   data-print       a button that prints the page (certificate card)
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit") && target.form) {
    target.form.submit();
  }
});
document.addEventListener("click", function (event) {
  var target = event.target instanceof Element ? event.target.closest("[data-print]") : null;
  if (target) {
    window.print();
  }
});
