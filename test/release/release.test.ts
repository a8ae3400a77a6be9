// The release path: notes come from CHANGELOG.md, the workflow checks dist/ and moves the major tag,
// and every workflow runs on a maintained Node and current official actions.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
// @ts-expect-error: a plain .mjs script without types
import { releaseNotes } from "../../scripts/release-notes.mjs";

const ROOT = join(import.meta.dirname, "../..");
const read = (path: string) => readFileSync(join(ROOT, path), "utf8");

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  on: { push?: { tags?: string[] } };
  jobs: Record<string, { steps: Step[] }>;
}
const workflow = (file: string) => parse(read(`.github/workflows/${file}`)) as Workflow;

const CHANGELOG = `# Changelog

## [Unreleased]

- not yet

## [1.2.0] - 2026-12-01

### Fixed

- the thing

## [1.1.0] - 2026-11-01

- older
`;

describe("release notes", () => {
  it("are the changelog section of the tag's version, without the next one", () => {
    expect(releaseNotes(CHANGELOG, "v1.2.0", "1.2.0")).toBe("### Fixed\n\n- the thing\n");
    expect(releaseNotes(CHANGELOG, "v1.1.0")).toBe("- older\n");
  });

  it("refuse a tag without a section, a non-semver tag, or one package.json disagrees with", () => {
    expect(() => releaseNotes(CHANGELOG, "v1.3.0")).toThrow(/no "## \[1.3.0\]" section/);
    expect(() => releaseNotes(CHANGELOG, "v1.2")).toThrow(/not vX.Y.Z/);
    expect(() => releaseNotes(CHANGELOG, "v1.2.0", "1.1.0")).toThrow(/does not match/);
  });

  it("exist for the version in package.json", () => {
    const { version } = JSON.parse(read("package.json")) as { version: string };
    expect(releaseNotes(read("CHANGELOG.md"), `v${version}`, version).length).toBeGreaterThan(20);
  });
});

describe("the release workflow", () => {
  const wf = workflow("release.yml");
  const steps = Object.values(wf.jobs).flatMap((j) => j.steps);
  const run = steps.map((s) => s.run ?? "").join("\n");

  it("runs on vX.Y.Z tags only", () => {
    const patterns = (wf.on.push?.tags ?? []).map((g) => new RegExp(`^${g.replace(/\./g, "\\.")}$`));
    const matches = (tag: string) => patterns.some((p) => p.test(tag));
    expect(matches("v1.2.3")).toBe(true);
    expect(matches("v1")).toBe(false);
    expect(matches("v1.2.3-rc.1")).toBe(false);
  });

  it("checks dist/ before it publishes notes from CHANGELOG.md", () => {
    const index = (re: RegExp) => steps.findIndex((s) => re.test(s.run ?? ""));
    expect(index(/npm run bundle[\s\S]*git status --porcelain -- dist/)).toBeGreaterThan(-1);
    expect(index(/release-notes\.mjs/)).toBeGreaterThan(index(/npm run bundle/));
    expect(index(/gh release create/)).toBeGreaterThan(index(/release-notes\.mjs/));
    expect(run).toMatch(/--notes-file/);
  });

  it("moves the major tag to the release on the remote", () => {
    const step = steps.find((s) => /git push/.test(s.run ?? ""));
    expect(step?.run).toBeDefined();
    const dir = mkdtempSync(join(tmpdir(), "aftershock-release-"));
    const git = (cwd: string, ...args: string[]) =>
      execFileSync("git", args, { cwd, encoding: "utf8", stdio: "pipe" }).trim();
    try {
      git(dir, "init", "-q", "--bare", "origin.git");
      git(dir, "init", "-q", "work");
      const work = join(dir, "work");
      const commit = (msg: string) => {
        writeFileSync(join(work, "f"), msg);
        git(work, "add", "f");
        git(work, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", msg);
        return git(work, "rev-parse", "HEAD");
      };
      git(work, "remote", "add", "origin", join(dir, "origin.git"));
      const first = commit("one");
      git(work, "tag", "v1", first);
      git(work, "push", "-q", "origin", "HEAD:refs/heads/main", "refs/tags/v1");
      const second = commit("two");
      git(work, "tag", "v1.1.0", second);
      git(work, "push", "-q", "origin", "HEAD:refs/heads/main", "refs/tags/v1.1.0");
      execFileSync("bash", ["-euo", "pipefail", "-c", step!.run!], {
        cwd: work,
        env: { ...process.env, GITHUB_REF_NAME: "v1.1.0" },
        stdio: "pipe",
      });
      expect(git(join(dir, "origin.git"), "rev-parse", "v1^{commit}")).toBe(second);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("every workflow", () => {
  const files = readdirSync(join(ROOT, ".github/workflows"));
  it.each(files)("%s uses a maintained Node and current official actions", (file) => {
    for (const job of Object.values(workflow(file).jobs)) {
      for (const step of job.steps) {
        const official = /^actions\/(checkout|setup-node)@v(\d+)$/.exec(step.uses ?? "");
        if (official) expect(Number(official[2]), `${file}: ${step.uses}`).toBeGreaterThanOrEqual(5);
        const node = step.with?.["node-version"];
        if (node !== undefined) expect(Number(node), `${file}: node-version`).toBeGreaterThanOrEqual(22);
      }
    }
  });
});

describe("Dependabot", () => {
  it("updates npm packages and the workflows' actions", () => {
    const config = parse(read(".github/dependabot.yml")) as { updates: { "package-ecosystem": string }[] };
    const ecosystems = config.updates.map((u) => u["package-ecosystem"]);
    expect(ecosystems).toEqual(expect.arrayContaining(["npm", "github-actions"]));
  });
});

describe(".ci/run", () => {
  const script = read(".ci/run");
  it("runs the unit suite on Node 24 too, and the install tests after dist/ is checked", () => {
    expect(script).toMatch(/node24.*vitest\.mjs run --exclude "test\/e2e\/\*\*"/);
    expect(script.indexOf("npm run test:install")).toBeGreaterThan(script.indexOf("git diff --exit-code"));
  });
});
