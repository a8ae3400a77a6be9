import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import nock from "nock";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { runSuspects } from "../../src/cli/suspects.js";

const fixtures = fileURLToPath(new URL("../fixtures/correlation/", import.meta.url));
const CASE = join(fixtures, "case.json");

async function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = "";
  let stderr = "";
  const code = await runSuspects(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), env });
  return { code, stdout, stderr };
}

interface JsonOut {
  suspects: {
    number: number;
    score: number;
    confidence: number;
    reasons: string[];
    deploymentId: number | string;
  }[];
}

beforeAll(() => {
  nock.disableNetConnect();
});

afterEach(() => {
  nock.cleanAll();
});

describe("aftershock suspects --input", () => {
  it("prints the ranked suspects as JSON, best first, leaving out deploys after the alert and elsewhere", async () => {
    const { code, stdout, stderr } = await run(["--input", CASE, "--format", "json"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as JsonOut;
    expect(Object.keys(out)).toEqual(["suspects"]);
    // 12 touches checkout 12 min before; 11 is older and elsewhere but risky and large; 13 only changes docs.
    expect(out.suspects.map((s) => s.number)).toEqual([12, 11, 13]);
    const scores = out.suspects.map((s) => s.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    // A chance: the suspects of one alert share it with "no listed PR", and score is the same number.
    const total = out.suspects.reduce((sum, s) => sum + s.confidence, 0);
    expect(total).toBeGreaterThan(0.5);
    expect(total).toBeLessThan(1);
    for (const s of out.suspects) expect(s.score).toBe(s.confidence);
    expect(out.suspects[0]!.reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^deployed 12 min before the alert in deploy 103 \(the latest deploy, 1 PR shipped after it\): odds ×/,
        ),
        expect.stringMatching(
          /^touches src\/checkout\/\*\* \(the alert's service\), 100 % of its changes there/,
        ),
      ]),
    );
    expect(out.suspects[1]!.reasons).toContainEqual(
      expect.stringMatching(/^touches risky paths: db\/migrations\/0042_orders_index\.sql: odds ×1\.\d$/),
    );
    expect(out.suspects[2]!.reasons).toContainEqual(
      expect.stringMatching(/^changes only tests, docs or CI: odds ×0\./),
    );
  });

  it("prints a readable ranked table with reasons by default", async () => {
    const { code, stdout } = await run(["--input", CASE]);
    expect(code).toBe(0);
    const lines = stdout.split("\n");
    expect(lines[0]).toBe(
      "Suspects for CheckoutErrorRate (service checkout, environment production) starting 2024-05-01T12:00:00Z",
    );
    expect(lines).toContainEqual(expect.stringMatching(/^rank\s+PR\s+score\s+deploy\s+author\s+title$/));
    const rows = lines.filter((l) => /^\d+\s+#\d+/.test(l));
    expect(rows.map((r) => r.split(/\s+/)[1])).toEqual(["#12", "#11", "#13"]);
    expect(rows[0]).toMatch(/^1\s+#12\s+0\.\d{3}\s+103\s+alice\s+Retry payment capture$/);
    expect(stdout).toMatch(/\n {6}- change size: 840 lines in 2 files: odds ×\d/);
  });

  it("reads the culprit dataset's case shape (candidates, deployId, serviceMap), as the outside benchmark drives it", async () => {
    const file = fileURLToPath(new URL("../fixtures/culprit/warehouse-a3585b6f8d.json", import.meta.url));
    const { truth } = JSON.parse(readFileSync(file, "utf8")) as { truth: number };
    const { code, stdout, stderr } = await run(["--input", file, "--format", "json"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as JsonOut;
    expect(out.suspects.length).toBeGreaterThan(5);
    expect(out.suspects[0]!.number).toBe(truth);
    expect(out.suspects[0]!.deploymentId).toMatch(/^d-\d{8}T\d{4}Z$/);
    expect(out.suspects[0]!.confidence).toBeGreaterThan(out.suspects[1]!.confidence);
  });

  it("says so when no PR was deployed before the alert", async () => {
    const dir = mkdtempSync(join(tmpdir(), "suspects-"));
    const file = join(dir, "empty.json");
    writeFileSync(
      file,
      JSON.stringify({ alert: { startsAt: "2024-05-01T12:00:00Z", labels: {} }, deployments: [], pulls: [] }),
    );
    const text = await run(["--input", file]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("No merged PRs were deployed in the 24 h before the alert.");
    const json = await run(["--input", file, "--format", "json"]);
    expect(JSON.parse(json.stdout)).toEqual({ suspects: [] });
  });

  it("exits 2 naming the bad field of an invalid case", async () => {
    const { code, stdout, stderr } = await run([
      "--input",
      join(fixtures, "bad-case.json"),
      "--format",
      "json",
    ]);
    expect(code).toBe(2);
    // --format json: a script reads the error from stdout; a person reads it on stderr.
    expect(JSON.parse(stdout).error.message).toMatch(/pulls\[2\]\.mergedAt: expected an ISO 8601 date/);
    expect(stderr).toMatch(/pulls\[2\]\.mergedAt: expected an ISO 8601 date/);
    expect(stderr.trim().split("\n")).toHaveLength(1);
  });

  it.each([
    [[], /give --input case\.json, or --repo/],
    [["--input", "/nonexistent/case.json"], /cannot read --input \/nonexistent\/case\.json: ENOENT/],
    [["--input", CASE, "--format", "xml"], /--format must be text or json, got "xml"/],
    [["--input", CASE, "--bogus"], /bogus/],
    [["--input", CASE, "--repo", "o/r"], /either --input or --repo/],
    [["--repo", "nope", "--environment", "p", "--at", "2024-05-01T12:00:00Z"], /--repo must be owner\/name/],
    [["--repo", "o/r", "--at", "2024-05-01T12:00:00Z"], /--environment is required/],
    [["--repo", "o/r", "--environment", "p", "--at", "noon"], /--at must be an ISO 8601 date/],
    [
      ["--repo", "o/r", "--environment", "p", "--at", "2024-05-01T12:00:00Z"],
      /GITHUB_TOKEN \(or GH_TOKEN\) is not set/,
    ],
  ])("exits 2 with a one-line message for %j", async (argv, message) => {
    const { code, stderr } = await run(argv);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr.trim().split("\n")).toHaveLength(1);
  });

  it("exits 2 for input that is not JSON", async () => {
    const dir = mkdtempSync(join(tmpdir(), "suspects-"));
    const file = join(dir, "broken.json");
    writeFileSync(file, "{ not json");
    const { code, stderr } = await run(["--input", file]);
    expect(code).toBe(2);
    expect(stderr).toContain("is not valid JSON");
  });

  it("prints help and exits 0", async () => {
    const { code, stdout } = await run(["--help"]);
    expect(code).toBe(0);
    expect(stdout).toContain("aftershock suspects --input case.json");
  });
});

describe("aftershock suspects --repo", () => {
  const argv = [
    "--repo",
    "o/r",
    "--environment",
    "production",
    "--at",
    "2024-05-01T12:00:00Z",
    "--service",
    "checkout",
    "--paths",
    "src/checkout/**",
    "--format",
    "json",
    "--github-url",
    "https://ghe.example.com/api/v3/",
  ];

  it("fetches from GitHub (Enterprise URL, token from env) and ranks", async () => {
    const deploymentsPage = {
      pageInfo: { hasNextPage: false, endCursor: null },
      nodes: [
        {
          id: "D2",
          databaseId: 2,
          createdAt: "2024-05-01T11:50:00Z",
          commitOid: "new",
          commit: { committedDate: "2024-05-01T11:45:00Z" },
          latestStatus: { state: "SUCCESS", description: null, logUrl: null, environmentUrl: null },
        },
        {
          id: "D1",
          databaseId: 1,
          createdAt: "2024-04-29T11:50:00Z",
          commitOid: "old",
          commit: { committedDate: "2024-04-29T11:45:00Z" },
          latestStatus: { state: "INACTIVE", description: null, logUrl: null, environmentUrl: null },
        },
      ],
    };
    const pull = (number: number, path: string) => ({
      number,
      title: `PR ${number}`,
      url: `https://ghe.example.com/o/r/pull/${number}`,
      mergedAt: "2024-05-01T11:40:00Z",
      additions: 3,
      deletions: 1,
      author: { login: "bob" },
      mergeCommit: { oid: `m${number}` },
      files: { nodes: [{ path, additions: 3, deletions: 1 }] },
    });
    const scope = nock("https://ghe.example.com", { reqheaders: { authorization: "token secret-token" } })
      .post("/api/graphql", (b: { query: string }) => b.query.includes("deployments("))
      .reply(200, { data: { repository: { deployments: deploymentsPage } } })
      .post("/api/graphql", (b: { query: string }) => b.query.includes("history("))
      .reply(200, {
        data: {
          repository: {
            d0: {
              history: {
                pageInfo: { hasNextPage: false, endCursor: null },
                nodes: [
                  { oid: "new", associatedPullRequests: { nodes: [pull(21, "docs/x.md")] } },
                  { oid: "n1", associatedPullRequests: { nodes: [pull(20, "src/checkout/pay.ts")] } },
                  { oid: "old", associatedPullRequests: { nodes: [] } },
                ],
              },
            },
          },
        },
      });
    const { code, stdout, stderr } = await run(argv, { GITHUB_TOKEN: "secret-token" });
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(scope.isDone()).toBe(true);
    const out = JSON.parse(stdout) as JsonOut;
    expect(out.suspects.map((s) => [s.number, s.deploymentId])).toEqual([
      [20, 2],
      [21, 2],
    ]);
    expect(out.suspects[0]!.reasons).toContainEqual(
      expect.stringMatching(
        /^touches src\/checkout\/\*\* \(the alert's service\), 100 % of its changes there/,
      ),
    );
    expect(stdout).not.toContain("secret-token");
  });

  it("exits 1 with GitHub's error and without the token when GitHub fails", async () => {
    // GitHub Enterprise serves GraphQL at /api/graphql beside the REST /api/v3.
    nock("https://ghe.example.com").post("/api/graphql").reply(401, { message: "Bad credentials" });
    const { code, stderr } = await run(argv, { GITHUB_TOKEN: "secret-token" });
    expect(code).toBe(1);
    expect(stderr).toContain("Bad credentials");
    expect(stderr).not.toContain("secret-token");
    expect(stderr.trim().split("\n")).toHaveLength(1);
  });

  it("never prints the token, even when an error message carries it", async () => {
    // No interceptor: nock's "no match" error echoes the request headers, authorization included.
    nock("https://ghe.example.com").get("/unrelated").reply(200);
    const { code, stderr } = await run(argv, { GITHUB_TOKEN: "secret-token" });
    expect(code).toBe(1);
    expect(stderr).not.toContain("secret-token");
  });
});
