// Builds shortlist/static/ from GOV.UK Frontend: our Sass (no GOV.UK font), its JS.
import { compile } from "sass";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "shortlist", "static");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");
mkdirSync(out, { recursive: true });

const css = compile(join(root, "shortlist", "assets", "app.scss"), {
  loadPaths: [join(root, "node_modules")],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import", "global-builtin", "color-functions"],
});
writeFileSync(join(out, "app.css"), css.css);
copyFileSync(join(govuk, "govuk-frontend.min.js"), join(out, "govuk-frontend.min.js"));
copyFileSync(join(root, "shortlist", "assets", "favicon.svg"), join(out, "favicon.svg"));
// Print styles for interview packs and records (WeasyPrint reads them too), and the
// progress poller for documents made in the background.
copyFileSync(join(root, "shortlist", "assets", "pack.css"), join(out, "pack.css"));
copyFileSync(join(root, "shortlist", "assets", "document-progress.js"), join(out, "document-progress.js"));
// The timeout warning on every signed-in page, and drafts saved as a member scores.
copyFileSync(join(root, "shortlist", "assets", "session-timeout.js"), join(out, "session-timeout.js"));
copyFileSync(join(root, "shortlist", "assets", "autosave.js"), join(out, "autosave.js"));
console.log(`built ${out}: app.css (${css.css.length} bytes), govuk-frontend.min.js, favicon.svg, pack.css, document-progress.js, session-timeout.js, autosave.js`);
