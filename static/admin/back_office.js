/* Back-office behaviour without inline script (the CSP forbids it):
   - [data-confirm] on a form or its submit button asks before sending;
   - links to javascript:void(0) (Flask-Admin's menus) do nothing instead of breaking the CSP;
   - [data-action] buttons of a list run Flask-Admin's bulk actions (modelActions, from its actions.js);
   - [data-print] buttons print the page (a statement). */
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter;
    var message = (submitter && submitter.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  }, true);

  document.addEventListener("click", function (event) {
    // Flask-Admin's menus use href="javascript:void(0)", a navigation the CSP refuses.
    if (event.target.closest('a[href^="javascript:"]')) {
      event.preventDefault();
    }
    if (event.target.closest("[data-print]")) {
      window.print();
      return;
    }
    var button = event.target.closest("[data-action]");
    if (button && window.modelActions) {
      event.preventDefault();
      window.modelActions.execute(button.getAttribute("data-action"));
    }
  });
})();
