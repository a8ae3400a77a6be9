import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nock from "nock";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { runReport } from "../../src/cli/report.js";
import { serializeRecord, type IncidentRecord } from "../../src/core/incident/incident-record.js";
import type { LearningReport } from "../../src/core/learning/report.js";
import { reportMarker } from "../../src/github/report-issue.js";
import { HISTORY_PATH, loadHistory, ms } from "./fixture.js";

const raw = loadHistory();
const PERIOD = ["--since", raw.period.since, "--until", raw.period.until];
const API = "https://api.github.com";
const TOKEN = "ghp_testtoken_SECRET";

async function run(argv: string[], env: NodeJS.ProcessEnv = {}, now = new Date(raw.period.until)) {
  let stdout = "";
  let stderr = "";
  const code = await runReport(
    argv,
    { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), env },
    () => now,
  );
  return { code, stdout, stderr };
}

const inPeriod = raw.incidents.filter(
  (i) => ms(i.record.openedAt) >= ms(raw.period.since) && ms(i.record.openedAt) <= ms(raw.period.until),
);

beforeAll(() => {
  nock.disableNetConnect();
});

afterEach(() => {
  nock.cleanAll();
});

describe("aftershock report --input (offline)", () => {
  it("prints the report as JSON", async () => {
    const { code, stdout, stderr } = await run(["--input", HISTORY_PATH, "--format", "json", ...PERIOD]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as LearningReport;
    expect(report.totals.incidents).toBe(inPeriod.length);
    expect(report.incidents.map((i) => i.number)).toEqual(
      [...inPeriod].sort((a, b) => ms(b.record.openedAt) - ms(a.record.openedAt)).map((i) => i.number),
    );
    // Suspect files survive reading the file, so hotspots are found.
    expect(report.hotspots.files.map((h) => h.path)).toContain("src/db/pool.ts");
  });

  it("prints markdown by default, and --since as a duration counts back from --until", async () => {
    const { code, stdout } = await run([
      "--input",
      HISTORY_PATH,
      "--since",
      "7d",
      "--until",
      raw.period.until,
    ]);
    expect(code).toBe(0);
    const weekAgo = ms(raw.period.until) - 7 * 86_400_000;
    const lastWeek = inPeriod.filter((i) => ms(i.record.openedAt) >= weekAgo);
    expect(stdout).toMatch(/^# Incident report: 2024-05-22 to 2024-05-29/);
    expect(stdout).toContain(`| Incidents | ${lastWeek.length} (`);
    expect(stdout).toContain("```mermaid");
  });

  it.each([
    [["--format", "yaml", "--input", HISTORY_PATH], /--format must be markdown or json/],
    [["--since", "yesterday", "--input", HISTORY_PATH], /--since "yesterday" is not a duration/],
    [[], /give --repo owner\/name, or --input/],
    [["--input", "/nonexistent/x.json"], /cannot read --input \/nonexistent\/x.json: ENOENT/],
    [["--input", HISTORY_PATH, "--repo", "a/b"], /either --input or --repo/],
    [["--input", HISTORY_PATH, "--publish"], /--publish needs --repo/],
    [["--repo", "a/b"], /GITHUB_TOKEN \(or GH_TOKEN\) is not set/],
    [["--bogus"], /unknown option --bogus/],
  ])("exits 2 on a usage error: %j", async (argv, message) => {
    const { code, stderr } = await run(argv);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it("exits 2 naming the bad field of an invalid record", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aftershock-report-"));
    const file = join(dir, "bad.json");
    writeFileSync(file, JSON.stringify({ incidents: [{ number: 1, record: { version: 1 } }] }));
    const { code, stderr } = await run(["--input", file]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/incidents\[0\]\.record\.groupKey/);
  });
});

describe("aftershock report --repo (GitHub)", () => {
  const bodies = raw.incidents.map((i) => ({
    number: i.number,
    html_url: i.url,
    state: i.state,
    created_at: i.record.openedAt,
    body: `Incident\n${serializeRecord(i.record as IncidentRecord)}`,
    labels: [{ name: "incident" }],
  }));

  it("lists the incident issues, reads action-item states and publishes the report issue", async () => {
    let created: { title: string; body: string } | undefined;
    const scope = nock(API)
      .get("/repos/acme/shop/issues")
      .query((q) => q.labels === "incident")
      .reply(200, bodies)
      .get("/repos/acme/shop/issues")
      .query((q) => q.labels === "action-item")
      .reply(200, [
        { number: 201, state: "closed", html_url: "u", created_at: raw.period.since },
        { number: 202, state: "open", html_url: "u", created_at: raw.period.since },
      ])
      .get("/repos/acme/shop/issues")
      .query((q) => q.labels === "incident-report")
      .reply(200, [])
      .post("/repos/acme/shop/issues")
      .reply(201, (_uri, body) => {
        created = body as { title: string; body: string };
        return { number: 300, html_url: "https://github.com/acme/shop/issues/300" };
      });
    const { code, stdout, stderr } = await run(["--repo", "acme/shop", "--publish", ...PERIOD], {
      GITHUB_TOKEN: TOKEN,
    });
    expect(stderr).toBe("aftershock report: opened https://github.com/acme/shop/issues/300\n");
    expect(code).toBe(0);
    expect(scope.isDone()).toBe(true);
    expect(stdout).toContain(`| Incidents | ${inPeriod.length} (`);
    // #201 is closed, so only the unfiled item of #101 and #202 remain.
    expect(stdout).toContain("| Load\\-test the pool configuration | #101 | not filed |");
    expect(stdout).not.toContain("pool saturation alert");
    expect(created!.title).toBe("Incident report 2024-05-01 to 2024-05-29");
    expect(created!.body.startsWith(reportMarker("2024-05-01..2024-05-29"))).toBe(true);
  });

  it("exits 1 on a GitHub failure without printing the token", async () => {
    nock(API)
      .get("/repos/acme/shop/issues")
      .query(true)
      .reply(500, { message: `boom ${TOKEN}` });
    const { code, stderr, stdout } = await run(["--repo", "acme/shop", ...PERIOD], { GITHUB_TOKEN: TOKEN });
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^aftershock report: /);
    expect(stderr).not.toContain(TOKEN);
  });

  it("takes GH_TOKEN as gh does, and never prints it", async () => {
    const scope = nock(API, { reqheaders: { authorization: `token ${TOKEN}` } })
      .get("/repos/acme/shop/issues")
      .query(true)
      .reply(500, { message: `boom ${TOKEN}` });
    const { code, stderr } = await run(["--repo", "acme/shop", ...PERIOD], { GH_TOKEN: TOKEN });
    expect(scope.isDone()).toBe(true);
    expect(code).toBe(1);
    expect(stderr).not.toContain(TOKEN);
  });

  it("--publish skips a period with nothing to report unless --publish-empty", async () => {
    const quiet = nock(API).get("/repos/acme/shop/issues").query(true).reply(200, []);
    const skipped = await run(["--repo", "acme/shop", "--publish", ...PERIOD], { GITHUB_TOKEN: TOKEN });
    expect(quiet.isDone()).toBe(true);
    expect(skipped.code).toBe(0);
    expect(skipped.stderr).toMatch(/nothing to report in the period; no issue opened/);

    const scope = nock(API)
      .get("/repos/acme/shop/issues")
      .query((q) => q.labels === "incident")
      .reply(200, [])
      .get("/repos/acme/shop/issues")
      .query((q) => q.labels === "incident-report")
      .reply(200, [])
      .post("/repos/acme/shop/issues")
      .reply(201, { number: 301, html_url: "https://github.com/acme/shop/issues/301" });
    const forced = await run(["--repo", "acme/shop", "--publish", "--publish-empty", ...PERIOD], {
      GITHUB_TOKEN: TOKEN,
    });
    expect(scope.isDone()).toBe(true);
    expect(forced.stderr).toBe("aftershock report: opened https://github.com/acme/shop/issues/301\n");
  });
});

describe("aftershock report usage errors", () => {
  it("suggest the closest flag and, with --format json, print a JSON error on stdout", async () => {
    const { code, stdout, stderr } = await run([
      "--input",
      HISTORY_PATH,
      "--sinse",
      "7d",
      "--format",
      "json",
    ]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown option --sinse; did you mean --since\?/);
    const { error } = JSON.parse(stdout) as { error: { kind: string; message: string; exitCode: number } };
    expect(error).toMatchObject({ kind: "usage", exitCode: 2 });
    expect(error.message).toMatch(/did you mean --since/);
  });

  it("print nothing on stdout in text formats", async () => {
    const { code, stdout } = await run(["--input", HISTORY_PATH, "--until", "yesterday"]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
  });
});
