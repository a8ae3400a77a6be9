import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";

async function run(argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), env: {} });
  return { code, stdout, stderr };
}

describe("aftershock (the command)", () => {
  it("--version prints package.json's version", async () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, "../../package.json"), "utf8")) as {
      version: string;
    };
    for (const flag of ["--version", "-v"]) {
      const { code, stdout } = await run([flag]);
      expect(code).toBe(0);
      expect(stdout).toBe(`${pkg.version}\n`);
    }
  });

  it("suggests the command a typo meant, and lists them when nothing is close", async () => {
    const typo = await run(["reprot"]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toBe('aftershock: unknown command "reprot"; did you mean report?\n');
    const far = await run(["deploy"]);
    expect(far.stderr).toMatch(/unknown command "deploy"; commands: check, suspects, report, demo/);
  });

  it("answers a usage error with a JSON object on stdout under --format json", async () => {
    const { code, stdout } = await run(["chek", "--format", "json"]);
    expect(code).toBe(2);
    expect(JSON.parse(stdout)).toMatchObject({ error: { kind: "usage", exitCode: 2 } });
    expect((await run(["chek"])).stdout).toBe("");
  });
});
