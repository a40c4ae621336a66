// The GOV.UK timeout warning: before a sign-in lapses for inactivity, a modal dialog says so
// and counts down, with "Stay signed in" (which tells the server) and "Sign out". If time runs
// out on a page with a form that saves drafts (data-autosave), the form is sent as a draft and
// the person signed out; anywhere else they are signed out. Escape means "Stay signed in".
// No inline script: the CSP allows only files from the app's own origin.
const dialog = document.getElementById("timeout-warning");

function plural(n, word) {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function spoken(seconds) {
  if (seconds >= 60) return plural(Math.ceil(seconds / 60), "minute");
  return plural(Math.max(0, Math.ceil(seconds)), "second");
}

if (dialog && typeof dialog.showModal === "function") {
  const idle = Number(dialog.dataset.idleSeconds);
  const warn = Math.min(Number(dialog.dataset.warnSeconds), idle);
  const countdown = dialog.querySelector("[data-timeout-countdown]");
  const live = dialog.querySelector("[data-timeout-live]");
  const csrf = dialog.dataset.csrfToken;
  let lastActivity = Date.now();
  let warnTimer = null;
  let tickTimer = null;
  let lastSpoken = null;

  const remaining = () => idle - (Date.now() - lastActivity) / 1000;

  const schedule = () => {
    window.clearTimeout(warnTimer);
    warnTimer = window.setTimeout(show, Math.max(0, (idle - warn) * 1000 - (Date.now() - lastActivity)));
  };

  const timeUp = () => {
    window.clearInterval(tickTimer);
    const form = document.querySelector("form[data-autosave]");
    const target = form || document.querySelector("form.app-sign-out");
    if (!target) {
      window.location.reload();
      return;
    }
    for (const [name, value] of [["timed_out", "1"], ...(form ? [["save", "y"]] : [])]) {
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = value;
      target.appendChild(input);
    }
    document.dispatchEvent(new CustomEvent("app:leaving"));
    HTMLFormElement.prototype.submit.call(target);  // a field named "submit" hides form.submit
  };

  const tick = () => {
    const left = remaining();
    if (left <= 0) {
      timeUp();
      return;
    }
    const text = spoken(left);
    countdown.textContent = text;
    // announced each minute, then every 15 seconds: not every second
    const step = left > 60 ? text : `${Math.ceil(left / 15) * 15} seconds`;
    if (step !== lastSpoken) {
      lastSpoken = step;
      live.textContent = `We will sign you out in ${text}.`;
    }
  };

  function show() {
    if (dialog.open) return;
    lastSpoken = null;
    tick();
    dialog.showModal();
    tickTimer = window.setInterval(tick, 1000);
  }

  const stay = async () => {
    window.clearInterval(tickTimer);
    try {
      const response = await fetch(dialog.dataset.keepAliveUrl, {
        method: "POST", credentials: "same-origin", redirect: "manual",
        headers: { "X-CSRFToken": csrf, Accept: "application/json" },
      });
      if (!response.ok) throw new Error(String(response.status));
    } catch (error) {
      timeUp();
      return;
    }
    lastActivity = Date.now();
    dialog.close();
    schedule();
  };

  dialog.querySelector("[data-timeout-stay]").addEventListener("click", stay);
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    stay();
  });
  dialog.querySelector("[data-timeout-sign-out]").addEventListener("click", () => {
    const form = document.querySelector("form.app-sign-out");
    if (form) HTMLFormElement.prototype.submit.call(form);
  });
  // a request the server saw (a draft saved as the member types) restarts the clock
  document.addEventListener("app:server-activity", () => {
    lastActivity = Date.now();
    if (!dialog.open) schedule();
  });
  schedule();
}
