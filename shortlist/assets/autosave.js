// Drafts saved as the member types: a form marked data-autosave is sent, as "Save as draft",
// a moment after each change, and a status line says when it was saved. Without JavaScript
// the form's own Save button does the same. If the sign-in has lapsed, the form is sent the
// ordinary way, so the server keeps what was typed for after the next sign-in.
const form = document.querySelector("form[data-autosave]");
const status = document.getElementById("autosave-status");
const WAIT_MS = 1500;

if (form && status && window.fetch) {
  let timer = null;
  let dirty = false;
  let saving = false;
  let leaving = false;

  const lapsed = () => {
    leaving = true;
    status.textContent = "You have been signed out. Your latest changes are kept for when you sign in again.";
    for (const [name, value] of [["timed_out", "1"], ["save", "y"]]) {
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = value;
      form.appendChild(input);
    }
    HTMLFormElement.prototype.submit.call(form);  // a field named "submit" hides form.submit
  };

  const save = async () => {
    if (!dirty || saving || leaving) return;
    saving = true;
    dirty = false;
    const data = new FormData(form);
    data.set("save", "y");
    try {
      const response = await fetch(window.location.href, {
        method: "POST", body: data, credentials: "same-origin", redirect: "manual",
        headers: { "X-Autosave": "1", Accept: "application/json" },
      });
      if (response.type === "opaqueredirect" || response.status === 0) {
        lapsed();
        return;
      }
      const body = await response.json();
      if (response.ok && body.saved) {
        status.textContent = `Draft saved at ${body.at}`;
        document.dispatchEvent(new CustomEvent("app:server-activity"));
      } else {
        status.textContent = `Not saved: ${(body.errors && body.errors[0] && body.errors[0].text) || "try the Save as draft button"}`;
      }
    } catch (error) {
      dirty = true;
      status.textContent = "Not saved yet: the connection failed. Use Save as draft, or keep typing and it will try again.";
    } finally {
      saving = false;
      if (dirty && !leaving) timer = window.setTimeout(save, WAIT_MS);
    }
  };

  const changed = () => {
    dirty = true;
    window.clearTimeout(timer);
    timer = window.setTimeout(save, WAIT_MS);
  };
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", () => {
    leaving = true;
    window.clearTimeout(timer);
  });
  document.addEventListener("app:leaving", () => {
    leaving = true;
    window.clearTimeout(timer);
  });
}
