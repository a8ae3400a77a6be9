// The documents a newcomer reads: their relative links lead somewhere, the deploy guide covers what
// running the App in production needs, and the variables it names exist in .env.example.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../..");
const DOCS = ["README.md", "CONTRIBUTING.md", "SECURITY.md", "CHANGELOG.md", "docs/deploy.md"];
const read = (path: string) => readFileSync(join(ROOT, path), "utf8");

describe.each(DOCS)("%s", (doc) => {
  it("links only to files that exist", () => {
    const text = read(doc).replace(/```[\s\S]*?```/g, "");
    const targets = [...text.matchAll(/\]\(([^)\s]+)\)/g)]
      .map((m) => m[1]!.split("#")[0]!)
      .filter((t) => t && !/^[a-z]+:/i.test(t));
    for (const target of targets)
      expect(existsSync(join(ROOT, dirname(doc), target)), `${doc} → ${target}`).toBe(true);
  });
});

describe("the README", () => {
  it("leads a newcomer to the deploy guide, the examples and the project's policies", () => {
    const readme = read("README.md");
    for (const target of [
      "docs/deploy.md",
      "examples/workflows",
      "CONTRIBUTING.md",
      "SECURITY.md",
      "CHANGELOG.md",
      "LICENSE",
    ])
      expect(readme).toContain(`](${target}`);
  });
});

describe("docs/deploy.md", () => {
  const guide = read("docs/deploy.md");

  it("covers registering, the webhook, secrets, Alertmanager, Redis, probes, metrics and upgrades", () => {
    for (const topic of ["GitHub App", "Secrets", "Alertmanager", "Redis", "Probes", "Metrics", "Upgrading"])
      expect(guide).toMatch(new RegExp(`^#+ .*${topic}`, "m"));
    expect(guide).toContain("**Webhook URL**");
  });

  it("names only variables .env.example documents", () => {
    const example = read(".env.example");
    const named = [...guide.matchAll(/^\| `([A-Z][A-Z0-9_]+)`/gm)].map((m) => m[1]!);
    expect(named.length).toBeGreaterThan(5);
    for (const name of named) expect(example, name).toMatch(new RegExp(`^#? ?${name}=`, "m"));
  });
});
