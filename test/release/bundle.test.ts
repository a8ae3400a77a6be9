// `npm run build` (what the Dockerfile runs) builds the bundles, and dist/licenses.txt is what the
// bundles carry today: a dependency added to the Action without `npm run bundle` fails here.
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs build script without types
import { bundledPackageDirs, licenseEntries } from "../../scripts/licenses.mjs";

const ROOT = join(import.meta.dirname, "../..");
const out = mkdtempSync(join(tmpdir(), "aftershock-build-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe("npm run build", () => {
  it("writes the three bundles and a licences file equal to the committed one", () => {
    execFileSync("npm", ["run", "--silent", "build", "--", "--outdir", out], { cwd: ROOT, stdio: "pipe" });
    for (const f of ["index.js", "cli.js", "main.js"]) expect(existsSync(join(out, f)), f).toBe(true);
    const fresh = readFileSync(join(out, "licenses.txt"), "utf8");
    expect(fresh).toContain("@actions/core@");
    expect(readFileSync(join(ROOT, "dist/licenses.txt"), "utf8")).toBe(fresh);
  }, 60_000);
});

describe("the licence collector", () => {
  it("takes the innermost package of a nested node_modules path", () => {
    const dirs = bundledPackageDirs({
      inputs: {
        "src/a.ts": {},
        "node_modules/@actions/github/node_modules/@octokit/core/dist/index.js": {},
        "node_modules/yaml/dist/index.js": {},
      },
    });
    expect(dirs.sort()).toEqual([
      "node_modules/@actions/github/node_modules/@octokit/core",
      "node_modules/yaml",
    ]);
  });

  it("refuses a bundled package without a licence text, unless its licence can be cited (Apache-2.0)", () => {
    const root = mkdtempSync(join(tmpdir(), "aftershock-lic-"));
    try {
      mkdirSync(join(root, "node_modules/nolicence"), { recursive: true });
      writeFileSync(
        join(root, "node_modules/nolicence/package.json"),
        JSON.stringify({ name: "nolicence", version: "1.0.0", license: "MIT" }),
      );
      expect(() => licenseEntries(root, ["node_modules/nolicence"])).toThrow(/no licence file/);
      mkdirSync(join(root, "node_modules/apache"), { recursive: true });
      writeFileSync(
        join(root, "node_modules/apache/package.json"),
        JSON.stringify({ name: "apache", version: "2.0.0", license: "Apache-2.0" }),
      );
      const [entry] = licenseEntries(root, ["node_modules/apache"]);
      expect(entry.text).toContain("https://www.apache.org/licenses/LICENSE-2.0");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
