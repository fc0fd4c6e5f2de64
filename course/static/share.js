/* Copy and Share buttons for a link shown once (an invite).
   Progressive enhancement: without scripts the link is still there in full, to select and copy
   by hand, and the buttons stay hidden. The words of what happened go to the box's status line
   (role="status"), so a screen reader says them too.

   <textarea id="invite_link" readonly>...</textarea>
   <div class="share-actions" data-share-for="invite_link" hidden>
     <button type="button" data-action="copy">...</button>
     <button type="button" data-action="share" hidden>...</button>   (only where phones share)
   </div>
   <p role="status" id="invite_link-status"></p> */
(function () {
  "use strict";

  function say(status, words) {
    if (!status) {
      return;
    }
    // Emptied first, so the same words said twice are read out twice.
    status.textContent = "";
    window.setTimeout(function () { status.textContent = words; }, 50);
  }

  function selectAll(box) {
    box.focus();
    box.select();
    box.setSelectionRange(0, box.value.length);
  }

  // Where the clipboard can't be written (an old browser, a page not served over HTTPS), the
  // link is selected for the person to copy, and the old copy command is tried.
  function copyBySelecting(box, status) {
    selectAll(box);
    var copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (ignored) {
      copied = false;
    }
    say(status, copied ? "Copied. You can paste the link into a message now."
                       : "The link is selected. Copy it with your device's Copy command.");
  }

  function enhance(actions) {
    var box = document.getElementById(actions.getAttribute("data-share-for"));
    if (!box) {
      return;
    }
    var status = document.getElementById(box.id + "-status");
    var copy = actions.querySelector('[data-action="copy"]');
    var share = actions.querySelector('[data-action="share"]');

    box.addEventListener("focus", function () { box.select(); });

    if (copy) {
      copy.addEventListener("click", function () {
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(box.value).then(function () {
            say(status, "Copied. You can paste the link into a message now.");
          }, function () {
            copyBySelecting(box, status);
          });
        } else {
          copyBySelecting(box, status);
        }
      });
    }

    if (share && typeof navigator.share === "function") {
      share.hidden = false;
      share.addEventListener("click", function () {
        navigator.share({ title: "Your invite link", url: box.value }).catch(function (error) {
          // Closing the share sheet is not a failure; anything else offers the Copy button.
          if (!error || error.name !== "AbortError") {
            say(status, "Sharing didn't work here. Use Copy link instead.");
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
