// Request form: keep the consent text naming exactly the schools ticked, and move focus to
// the error summary when the server sent the form back with errors. The server rebuilds the
// text from what was ticked; this only keeps what the reader sees honest as they choose.
(function () {
  "use strict";
  var summary = document.querySelector("[data-focus-on-load]");
  if (summary) { summary.focus(); }

  var form = document.querySelector("[data-request-info]");
  var text = document.getElementById("consent-text");
  if (!form || !text) { return; }
  var template = text.getAttribute("data-consent-template");

  function joinNames(names) {
    if (names.length <= 1) { return names.join(""); }
    if (names.length === 2) { return names[0] + " and " + names[1]; }
    return names.slice(0, -1).join(", ") + ", and " + names[names.length - 1];
  }

  function update() {
    var names = [];
    form.querySelectorAll('input[name="program_ids"]:checked').forEach(function (box) {
      var name = box.getAttribute("data-school-name");
      if (names.indexOf(name) === -1) { names.push(name); }
    });
    text.textContent = template.replace("{schools}", names.length ? joinNames(names) : "the schools you tick");
  }

  form.addEventListener("change", function (event) {
    if (event.target.name === "program_ids") { update(); }
  });
  update();
})();
