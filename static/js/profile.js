/* The 자기소개서 on /me/profile/: live counters, and a draft saved as the student types.
 *
 * Without this script the server shows each answer's count and limit, and the "Save" button
 * posts the form. With it, each counter follows the typing (characters as the server counts
 * them: one per letter, one per line break), and a second after the student stops typing the
 * answers are posted with the CSRF token to the form's own address, asking for JSON: the
 * answer is {saved_at, counts}, or 400 {errors, counts} with the refused answers' messages,
 * which are shown under those answers. The status line (aria-live) says when it was saved.
 */
(function () {
  "use strict";

  var form = document.querySelector("[data-profile-autosave]");
  if (!form || !window.fetch) {
    return;
  }
  var status = form.querySelector("[data-autosave-status]");
  var messagesNode = document.getElementById("profile-messages");
  var words = messagesNode ? JSON.parse(messagesNode.textContent) : {};
  var areas = Array.prototype.slice.call(form.querySelectorAll("textarea[data-answer]"));
  var timer = null;
  var saving = false;
  var again = false;
  var DELAY = 1200;

  function length(text) {
    // Code points, not UTF-16 units; a browser's line break is one character, as on the server.
    return Array.from(text.replace(/\r\n/g, "\n")).length;
  }

  function limitOf(counter) {
    return parseInt(counter.getAttribute("data-limit"), 10);
  }

  function update(area) {
    var box = area.closest(".answer");
    var counter = box && box.querySelector("[data-count]");
    if (!counter) {
      return;
    }
    var count = length(area.value);
    counter.textContent = count.toLocaleString("ko-KR");
    box.classList.toggle("answer-over", count > limitOf(box.querySelector("[data-counter-for]")));
  }

  function say(text, isError) {
    if (!status) {
      return;
    }
    status.textContent = text;
    status.classList.toggle("is-error", Boolean(isError));
  }

  function showErrors(errors) {
    areas.forEach(function (area) {
      var holder = form.querySelector('[data-errors-for="' + area.name + '"]');
      if (!holder) {
        return;
      }
      holder.textContent = "";
      var messages = errors[area.name];
      if (messages && messages.length) {
        var list = document.createElement("ul");
        list.className = "errorlist";
        messages.forEach(function (message) {
          var item = document.createElement("li");
          item.textContent = message;
          list.appendChild(item);
        });
        holder.appendChild(list);
        area.setAttribute("aria-invalid", "true");
      } else {
        area.removeAttribute("aria-invalid");
      }
    });
  }

  function save() {
    if (saving) {
      again = true;
      return;
    }
    saving = true;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "Accept": "application/json", "X-CSRFToken": form.elements.csrfmiddlewaretoken.value },
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (result) {
      if (result.ok) {
        showErrors({});
        say((words.saved || "").replace("%(time)s", result.body.saved_at.slice(11, 16)), false);
      } else {
        showErrors(result.body.errors || {});
        say(words.failed || "", true);
      }
    }).catch(function () {
      say(words.failed || "", true);
    }).then(function () {
      saving = false;
      if (again) {
        again = false;
        save();
      }
    });
  }

  areas.forEach(function (area) {
    update(area);
    area.addEventListener("input", function () {
      update(area);
      window.clearTimeout(timer);
      timer = window.setTimeout(save, DELAY);
    });
  });
})();
