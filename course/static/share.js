/* Copy and Share buttons for a link shown once (an invite).
   Progressive enhancement: without scripts the link is still there in full, to select and copy
   by hand, and the buttons stay hidden. The words of what happened go to the box's status line
   (role="status"), so a screen reader says them too.

   <textarea id="invite_link" readonly>...</textarea>
   <div class="share-actions" data-share-for="invite_link" hidden>
     <button type="button" data-action="copy">...</button>
     <button type="button" data-action="share" hidden>...</button>   (only where phones share)
   </div>
   <p role="status" id="invite_link-status"></p>

   The words said come from data attributes on a box around it (data-copied-label,
   data-copied, data-selected, data-share-failed, data-share-title), so they come translated
   with the page; the English here is only a fallback. After a copy the button itself says
   "Copied ✓" for a few seconds, and the status line is scrolled into view. */
(function () {
  "use strict";

  var FALLBACK = {
    copiedLabel: "Copied \u2713",
    copied: "Copied. You can paste the link into a message now.",
    selected: "The link is selected. Copy it with your device's Copy command.",
    shareFailed: "Sharing didn't work here. Use Copy link instead.",
    shareTitle: "Your invite link"
  };
  var BUTTON_BACK_AFTER = 4000;  // ms the Copy button says "Copied" before it reads as before

  function wordsFor(actions) {
    var box = actions.closest("[data-copied]");
    var words = {};
    Object.keys(FALLBACK).forEach(function (key) {
      var name = "data-" + key.replace(/[A-Z]/g, function (c) { return "-" + c.toLowerCase(); });
      words[key] = (box && box.getAttribute(name)) || FALLBACK[key];
    });
    return words;
  }

  function say(status, words) {
    if (!status) {
      return;
    }
    // Emptied first, so the same words said twice are read out twice.
    status.textContent = "";
    window.setTimeout(function () {
      status.textContent = words;
      // On a phone the button can sit at the screen's bottom edge, the line just below it.
      if (typeof status.scrollIntoView === "function") {
        status.scrollIntoView({ block: "nearest" });
      }
    }, 50);
  }

  // The button says it worked, then reads as before.
  function showCopied(button, words) {
    if (!button.hasAttribute("data-label")) {
      button.setAttribute("data-label", button.textContent);
    }
    button.textContent = words.copiedLabel;
    window.clearTimeout(button.copiedTimer);
    button.copiedTimer = window.setTimeout(function () {
      button.textContent = button.getAttribute("data-label");
    }, BUTTON_BACK_AFTER);
  }

  function selectAll(box) {
    box.focus();
    box.select();
    box.setSelectionRange(0, box.value.length);
  }

  // Where the clipboard can't be written (an old browser, a page not served over HTTPS), the
  // link is selected for the person to copy, and the old copy command is tried.
  function copyBySelecting(box, status, button, words) {
    selectAll(box);
    var copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (ignored) {
      copied = false;
    }
    if (copied) {
      showCopied(button, words);
    }
    say(status, copied ? words.copied : words.selected);
  }

  function enhance(actions) {
    var box = document.getElementById(actions.getAttribute("data-share-for"));
    if (!box) {
      return;
    }
    var status = document.getElementById(box.id + "-status");
    var copy = actions.querySelector('[data-action="copy"]');
    var share = actions.querySelector('[data-action="share"]');
    var words = wordsFor(actions);

    box.addEventListener("focus", function () { box.select(); });

    if (copy) {
      copy.addEventListener("click", function () {
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(box.value).then(function () {
            showCopied(copy, words);
            say(status, words.copied);
          }, function () {
            copyBySelecting(box, status, copy, words);
          });
        } else {
          copyBySelecting(box, status, copy, words);
        }
      });
    }

    if (share && typeof navigator.share === "function") {
      share.hidden = false;
      share.addEventListener("click", function () {
        navigator.share({ title: words.shareTitle, url: box.value }).catch(function (error) {
          // Closing the share sheet is not a failure; anything else offers the Copy button.
          if (!error || error.name !== "AbortError") {
            say(status, words.shareFailed);
          }
        });
      });
    }
    actions.hidden = false;
  }

  var boxes = document.querySelectorAll("[data-share-for]");
  for (var i = 0; i < boxes.length; i += 1) {
    enhance(boxes[i]);
  }
}());
