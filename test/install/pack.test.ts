// `npm pack` gives a package whose bin works elsewhere: pack, install the tarball into an empty
// folder (production dependencies from the registry or npm's cache), run `aftershock --version` and
// `aftershock demo`. Catches a file left out of `files`, a bin that points at nothing, and a runtime
// import of a dev dependency. Runs after `npm run bundle` (.ci/run checks dist/ is fresh first).
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT, npm } from "./helpers.js";

const exec = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), "aftershock-pack-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the npm package", () => {
  it("installs from its tarball and runs aftershock --version and aftershock demo", async () => {
    const packed = JSON.parse(await npm(ROOT, ["pack", "--json", "--pack-destination", dir])) as Array<{
      filename: string;
      files: Array<{ path: string }>;
    }>;
    const files = packed[0]!.files.map((f) => f.path);
    expect(files).toEqual(
      expect.arrayContaining(["LICENSE", "bin/aftershock.js", "dist/cli.js", "dist/licenses.txt"]),
    );
    expect(files.filter((f) => /^(src|test)\//.test(f))).toEqual([]);

    const app = join(dir, "app");
    await npm(dir, ["install", "--prefix", app, "--omit=dev", join(dir, packed[0]!.filename)]);
    const bin = join(app, "node_modules/.bin/aftershock");
    const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    const v = await exec(bin, ["--version"], { cwd: app });
    expect(v.stdout).toBe(`${version}\n`);

    const out = join(dir, "demo");
    const demo = await exec(bin, ["demo", "--quiet", "--out", out], { cwd: app, timeout: 120_000 });
    expect(demo.stdout).toContain("incident");
    expect(existsSync(join(out, "gate-summary.md"))).toBe(true);
    expect(readdirSync(out).some((f) => /^incident-\d+\.md$/.test(f))).toBe(true);
  }, 300_000);
});
