/* The ranking page, enhanced: move, remove and drag openings in the page, then save once.
 *
 * Without this script every button posts the list and the server saves it, then shows the
 * confirmation on the opening's row with the focus back on the pressed button. With it, the
 * up/down/remove buttons change the order in the page (the hidden inputs follow, so the form
 * always posts the list as shown), the focus stays on the moved opening's button, a screen
 * reader hears where the opening went, Alt+ArrowUp/ArrowDown moves the focused opening, and
 * a drag handle lets touch and mouse users drag an opening into place: SortableJS
 * (static/vendor/sortablejs/, loaded before this file) does the dragging, on touch too, and
 * scrolls the page while an opening is dragged near its top or bottom edge. "Save ranking"
 * posts the list; the server checks it whole.
 *
 * The words for each opening are on its row (data-moved, data-removed), written by the server
 * with the particles that fit the opening's title; the script only fills in the rank.
 */
(function () {
  "use strict";

  var form = document.querySelector("[data-ranking]");
  var list = document.getElementById("ranking-list");
  if (!form || !list) {
    return;
  }
  var status = document.getElementById("ranking-status");
  var unsaved = form.querySelector("[data-unsaved]");
  var messagesNode = document.getElementById("ranking-messages");
  var messages = messagesNode ? JSON.parse(messagesNode.textContent) : {};
  var dirty = false;
  var submitting = false;

  function items() {
    return Array.prototype.slice.call(list.querySelectorAll("li[data-opening]"));
  }

  function announce(text) {
    if (status) {
      status.textContent = "";
      // A fresh text node after clearing makes screen readers read the same words twice in a row.
      window.setTimeout(function () { status.textContent = text; }, 50);
    }
  }

  function markDirty() {
    dirty = true;
    if (unsaved) {
      unsaved.hidden = false;
    }
    // A confirmation from the last save no longer describes the list.
    list.querySelectorAll("[data-note]").forEach(function (note) { note.remove(); });
  }

  function renumber() {
    var all = items();
    all.forEach(function (item, index) {
      var rank = item.querySelector("[data-rank]");
      if (rank) {
        rank.textContent = String(index + 1);
      }
      var up = item.querySelector('[data-move="up"]');
      var down = item.querySelector('[data-move="down"]');
      if (up) { up.disabled = index === 0; }
      if (down) { down.disabled = index === all.length - 1; }
    });
  }

  function moved(item) {
    renumber();
    markDirty();
    announce((item.dataset.moved || "").replace("%(rank)s", String(items().indexOf(item) + 1)));
  }

  function move(item, direction) {
    var all = items();
    var index = all.indexOf(item);
    if (direction === "up" && index > 0) {
      list.insertBefore(item, all[index - 1]);
    } else if (direction === "down" && index < all.length - 1) {
      list.insertBefore(all[index + 1], item);
    } else {
      return false;
    }
    moved(item);
    return true;
  }

  function remove(item) {
    var all = items();
    var index = all.indexOf(item);
    var next = all[index + 1] || all[index - 1];
    item.parentNode.removeChild(item);
    renumber();
    markDirty();
    announce(item.dataset.removed || "");
    var focusTarget = next ? next.querySelector('[data-move="remove"]') : form.querySelector("[data-save]");
    if (focusTarget) {
      focusTarget.focus();
    }
  }

  list.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-move]");
    if (!button || !list.contains(button)) {
      return;
    }
    event.preventDefault();
    var item = button.closest("li[data-opening]");
    var direction = button.dataset.move;
    if (direction === "remove") {
      remove(item);
      return;
    }
    if (move(item, direction)) {
      // Keep the focus on the same button of the moved opening; if it became disabled
      // (the opening reached the top or bottom), on its other arrow.
      var again = item.querySelector('[data-move="' + direction + '"]');
      var other = item.querySelector('[data-move="' + (direction === "up" ? "down" : "up") + '"]');
      (again && !again.disabled ? again : other).focus();
    }
  });

  list.addEventListener("keydown", function (event) {
    if (!event.altKey || (event.key !== "ArrowUp" && event.key !== "ArrowDown")) {
      return;
    }
    var item = event.target.closest("li[data-opening]");
    if (!item) {
      return;
    }
    event.preventDefault();
    move(item, event.key === "ArrowUp" ? "up" : "down");
    event.target.focus();
  });

  // Dragging by the handle, with SortableJS. The fallback mode (its own pointer handling rather
  // than the browser's drag and drop) behaves the same for a finger, a mouse and a pen, and
  // scrolls the page near the screen's edges while an opening is dragged.
  if (typeof window.Sortable === "function") {
    items().forEach(function (item) {
      var handle = item.querySelector("[data-drag]");
      if (handle) {
        handle.hidden = false;
      }
    });
    window.Sortable.create(list, {
      handle: "[data-drag]",
      draggable: "li[data-opening]",
      forceFallback: true,
      fallbackTolerance: 3,
      animation: 150,
      scroll: true,
      scrollSensitivity: 80,
      scrollSpeed: 12,
      bubbleScroll: true,
      ghostClass: "drag-ghost",
      chosenClass: "dragging",
      onEnd: function (event) {
        if (event.oldIndex !== event.newIndex) {
          moved(event.item);
        }
      }
    });
  }

  // Any button of the form (save, or add from the list below) posts the list as shown.
  form.addEventListener("submit", function () {
    submitting = true;
  });
  document.querySelectorAll('button[form="ranking-form"]').forEach(function (button) {
    button.addEventListener("click", function () { submitting = true; });
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty && !submitting) {
      event.preventDefault();
      event.returnValue = messages.unsaved || "";
    }
  });
})();
