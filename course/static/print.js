// The "Print this module" button: shown only when scripts run (the browser's own Print
// command does the same without them). Loaded with `defer`, once the page is parsed.
"use strict";
{
  for (const button of document.querySelectorAll("button[data-print]")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
}
