// Prints the CHANGELOG.md section of a release tag (vX.Y.Z) for the release workflow, and refuses a
// tag that is not semver, does not match package.json, or has no changelog section.
// Usage: node scripts/release-notes.mjs v1.2.3 [CHANGELOG.md] [package.json]
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

/** The body under `## [version]` (or `## version`) up to the next `## ` heading, trimmed. */
export function releaseNotes(changelog, tag, packageVersion) {
  const match = /^v(\d+\.\d+\.\d+)$/.exec(tag);
  if (!match) throw new Error(`tag "${tag}" is not vX.Y.Z`);
  const version = match[1];
  if (packageVersion !== undefined && packageVersion !== version)
    throw new Error(`tag ${tag} does not match package.json version ${packageVersion}`);
  const lines = changelog.split(/\r?\n/);
  const escaped = version.replace(/\./g, "\\.");
  const start = lines.findIndex((l) => new RegExp(`^## \\[?${escaped}\\]?(\\s|$)`).test(l));
  if (start === -1) throw new Error(`CHANGELOG.md has no "## [${version}]" section`);
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((l) => /^## /.test(l));
  const body = (end === -1 ? rest : rest.slice(0, end)).join("\n").trim();
  if (!body) throw new Error(`the CHANGELOG.md section of ${version} is empty`);
  return body + "\n";
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const [tag, changelog = "CHANGELOG.md", pkg = "package.json"] = process.argv.slice(2);
  try {
    const version = JSON.parse(readFileSync(pkg, "utf8")).version;
    process.stdout.write(releaseNotes(readFileSync(changelog, "utf8"), tag ?? "", version));
  } catch (err) {
    process.stderr.write(`release-notes: ${err.message}\n`);
    process.exitCode = 1;
  }
}
