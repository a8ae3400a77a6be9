// `aftershock demo` in-process: the whole story through the real gate, app, correlation and command
// handlers against the GitHub stand-in, with nothing allowed off loopback.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nock from "nock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_HELP, runDemo } from "../../src/cli/demo.js";
import { EXIT } from "../../src/cli/io.js";
import { parseRecord } from "../../src/core/incident/incident-record.js";
import { STORY_CULPRIT } from "../../src/demo/story-repo.js";

async function demo(argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runDemo(argv, {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    env: {},
  });
  return { code, stdout, stderr };
}

describe("aftershock demo", () => {
  const out = mkdtempSync(join(tmpdir(), "aftershock-demo-"));
  let run: Awaited<ReturnType<typeof demo>>;

  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect("127.0.0.1");
    run = await demo(["--out", out]);
  }, 60_000);

  afterAll(() => {
    rmSync(out, { recursive: true, force: true });
  });

  it("succeeds and writes the four markdown files", () => {
    expect(run.stderr).toBe("");
    expect(run.code).toBe(EXIT.pass);
    const files = readdirSync(out).sort();
    expect(files).toContain("gate-summary.md");
    expect(files.filter((f) => /^incident-\d+\.md$/.test(f))).toHaveLength(1);
    expect(files.filter((f) => /^rollback-pr-\d+\.md$/.test(f))).toHaveLength(1);
    expect(files.filter((f) => /-\d+\.md$/.test(f) && f.startsWith("2026-11-26-"))).toHaveLength(1);
  });

  it("shows the gate failing the regression with its chart, and the other scenarios' verdicts", () => {
    expect(run.stdout).toMatch(/━━ 1 · The deploy gate/);
    expect(run.stdout).toMatch(/step-regression\s+FAIL \(P1\)\s+exit 1/);
    expect(run.stdout).toMatch(/clean-deploy\s+PASS\s+exit 0/);
    expect(run.stdout).toMatch(/zero-traffic\s+INCONCLUSIVE\s+exit 3/);
    expect(run.stdout).toContain("verdict: FAIL (P1)  [backtest]");
    expect(run.stdout).toMatch(/│[▁▂▃▄▅▆▇█]+/);
    const summary = readFileSync(join(out, "gate-summary.md"), "utf8");
    expect(summary).toMatch(/^## ❌ aftershock deploy check: fail \(P1\)/);
    expect(summary).toContain("```mermaid");
  });

  it("opens the incident naming the planted culprit as the top suspect", () => {
    const file = readdirSync(out).find((f) => /^incident-\d+\.md$/.test(f))!;
    const record = parseRecord(readFileSync(join(out, file), "utf8"));
    expect(record).not.toBeNull();
    expect(record!.suspects[0]!.number).toBe(STORY_CULPRIT);
    expect(record!.suspects.length).toBeGreaterThan(1);
    // The gate's failure reached the correlation through the deployment status the Action set.
    expect(record!.suspects[0]!.reasons.join("\n")).toMatch(/the deploy check failed for deploy \d+/);
    expect(run.stdout).toMatch(new RegExp(`1\\. #${STORY_CULPRIT} `));
    expect(run.stdout).toContain(`https://github.com/acme/shop/issues/${file.match(/\d+/)![0]}`);
  });

  it("opens a rollback PR for the culprit, and records its merge as the mitigation", () => {
    const file = readdirSync(out).find((f) => /^rollback-pr-\d+\.md$/.test(f))!;
    const text = readFileSync(join(out, file), "utf8");
    expect(text).toContain(`Rolls back #${STORY_CULPRIT}`);
    const incident = readdirSync(out).find((f) => /^incident-\d+\.md$/.test(f))!;
    const record = parseRecord(readFileSync(join(out, incident), "utf8"))!;
    const number = Number(file.match(/\d+/)![0]);
    expect(record.response?.rollbacks).toEqual([
      expect.objectContaining({ pr: STORY_CULPRIT, revertPr: number, state: "merged" }),
    ]);
  });

  it("writes the post-mortem with the durations of the story", () => {
    const file = readdirSync(out).find((f) => f.startsWith("2026-11-26-"))!;
    const pm = readFileSync(join(out, file), "utf8");
    // Alert at 14:02, opened 14:03, /ack 14:06, revert merged 14:14, /resolve 14:31.
    expect(pm).toContain("| Time to detect (MTTD) | 1m |");
    expect(pm).toContain("| Time to acknowledge (MTTA) | 3m |");
    expect(pm).toContain("| Time to mitigate | 12m |");
    expect(pm).toContain("| Time to resolve (MTTR) | 29m |");
    expect(pm).toContain(`#${STORY_CULPRIT}`);
    expect(run.stdout).toMatch(/Post-mortem PR #\d+/);
  });

  it("--quiet prints only the files; --help prints the usage; a bad flag is a usage error", async () => {
    const quietOut = mkdtempSync(join(tmpdir(), "aftershock-demo-quiet-"));
    try {
      const quiet = await demo(["--out", quietOut, "--quiet"]);
      expect(quiet.code).toBe(EXIT.pass);
      const lines = quiet.stdout.trim().split("\n");
      expect(lines).toHaveLength(4);
      for (const line of lines) expect(existsSync(line)).toBe(true);
    } finally {
      rmSync(quietOut, { recursive: true, force: true });
    }
    expect(await demo(["--help"])).toMatchObject({ code: EXIT.pass, stdout: DEMO_HELP });
    const bad = await demo(["--bogus"]);
    expect(bad.code).toBe(EXIT.usage);
    expect(bad.stderr).toContain("--bogus");
    const typo = await demo(["--qiet"]);
    expect(typo.code).toBe(EXIT.usage);
    expect(typo.stderr).toBe(
      "aftershock demo: unknown option --qiet; did you mean --quiet? (see aftershock demo --help)\n",
    );
  }, 60_000);
});
