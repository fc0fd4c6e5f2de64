// After a form is refused, start at the list of what to fix: a screen reader reads it out and
// the keyboard's next Tab reaches its first link. Loaded with `defer`, once the page is parsed.
"use strict";
{
  const summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
}
