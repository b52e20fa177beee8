/* The ranking page, enhanced: move, remove and drag openings in the page, then save once.
 *
 * Without this script every button posts the list and the server saves it. With it, the
 * up/down/remove buttons change the order in the page (the hidden inputs follow, so the
 * form always posts the list as shown), a screen reader hears where the opening went,
 * Alt+ArrowUp/ArrowDown moves the focused opening, and a drag handle lets touch and mouse
 * users drag an opening into place. "Save ranking" posts the list; the server checks it whole.
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

  function format(template, values) {
    return (template || "").replace(/%\((\w+)\)s/g, function (match, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : match;
    });
  }

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
    renumber();
    markDirty();
    announce(format(messages.moved, { title: item.dataset.title, rank: items().indexOf(item) + 1 }));
    return true;
  }

  function remove(item) {
    var all = items();
    var index = all.indexOf(item);
    var next = all[index + 1] || all[index - 1];
    var title = item.dataset.title;
    item.parentNode.removeChild(item);
    renumber();
    markDirty();
    announce(format(messages.removed, { title: title }));
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

  // Dragging with a pointer (mouse, pen or finger) by the handle.
  var dragged = null;

  function onPointerMove(event) {
    if (!dragged) {
      return;
    }
    event.preventDefault();
    var under = document.elementFromPoint(event.clientX, event.clientY);
    var target = under && under.closest("li[data-opening]");
    if (!target || target === dragged || !list.contains(target)) {
      return;
    }
    var box = target.getBoundingClientRect();
    var after = event.clientY > box.top + box.height / 2;
    list.insertBefore(dragged, after ? target.nextSibling : target);
    renumber();
  }

  function onPointerUp() {
    if (!dragged) {
      return;
    }
    dragged.classList.remove("dragging");
    markDirty();
    announce(format(messages.moved, { title: dragged.dataset.title, rank: items().indexOf(dragged) + 1 }));
    dragged = null;
    document.removeEventListener("pointermove", onPointerMove);
    document.removeEventListener("pointerup", onPointerUp);
    document.removeEventListener("pointercancel", onPointerUp);
  }

  items().forEach(function (item) {
    var handle = item.querySelector("[data-drag]");
    if (!handle) {
      return;
    }
    handle.hidden = false;
    handle.addEventListener("pointerdown", function (event) {
      event.preventDefault();
      dragged = item;
      item.classList.add("dragging");
      document.addEventListener("pointermove", onPointerMove, { passive: false });
      document.addEventListener("pointerup", onPointerUp);
      document.addEventListener("pointercancel", onPointerUp);
    });
  });

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
