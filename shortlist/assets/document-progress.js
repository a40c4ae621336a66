// Progress of a document being made off the request path (interview packs, records).
// The page renders the current state; this module polls the status URL and reloads the
// page once the document is ready (or has failed), so the server shows the download.
// No inline script: the CSP allows only files from the app's own origin.
const POLL_MS = 1000;

function poll(region) {
  const url = region.dataset.statusUrl;
  const bar = region.querySelector("progress");
  const text = region.querySelector("[data-progress-text]");
  const tick = async () => {
    let state;
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!response.ok) throw new Error(String(response.status));
      state = await response.json();
    } catch (error) {
      window.setTimeout(tick, POLL_MS * 3);
      return;
    }
    if (bar) bar.value = state.progress;
    if (text && state.message) text.textContent = `${state.progress}%: ${state.message}`;
    if (state.status === "done" || state.status === "failed") {
      window.location.reload();
      return;
    }
    window.setTimeout(tick, POLL_MS);
  };
  window.setTimeout(tick, POLL_MS);
}

document.querySelectorAll("[data-module='app-document-progress']").forEach(poll);
