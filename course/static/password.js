/* A "Show password" button after each password field, for people who mistype on a phone.
   Progressive enhancement: without scripts the fields work as plain password fields.
   The button's name stays the same; aria-pressed says whether the password is shown. */
(function () {
  "use strict";
  // The button's words come from the page, in its language (data-label on this script).
  var script = document.currentScript;
  var label = (script && script.dataset.label) || "Show password";

  function addToggle(input) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "password-toggle secondary outline";
    button.textContent = label;
    button.setAttribute("aria-pressed", "false");
    button.setAttribute("aria-controls", input.id);
    button.addEventListener("click", function () {
      var show = input.type === "password";
      input.type = show ? "text" : "password";
      button.setAttribute("aria-pressed", show ? "true" : "false");
    });
    input.insertAdjacentElement("afterend", button);
    // Never send or keep a password as plain text: the browser would offer it as a
    // remembered entry in other text fields.
    if (input.form) {
      input.form.addEventListener("submit", function () {
        input.type = "password";
        button.setAttribute("aria-pressed", "false");
      });
    }
  }

  var inputs = document.querySelectorAll('input[type="password"][id]');
  for (var i = 0; i < inputs.length; i += 1) {
    addToggle(inputs[i]);
  }
}());
