// The CLI end to end against small stand-ins of each vendor's API on 127.0.0.1: real HTTP, real
// retries and signing, vendor-shaped answers generated for the asked range. A clean deploy passes
// and a regression fails, for every source.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCheck } from "../../src/cli/check.js";
import { EXIT } from "../../src/cli/io.js";

const DEPLOY = Math.floor(Date.now() / 1000 / 60) * 60 - 2 * 3600;
const DD = { DD_API_KEY: "standin-dd-api-key-0001", DD_APPLICATION_KEY: "standin-dd-app-key-0002" };
const NR_KEY = "NRAK-STANDIN0000000000000000000";
const JSON_TOKEN = "standin-json-token-0003";
const AWS = {
  AWS_ACCESS_KEY_ID: "AKIASTANDIN000000000",
  AWS_SECRET_ACCESS_KEY: "standin/secret/key/000000000000000000000",
};

/** The error ratio at time t: flat, or five times worse after the deploy when the query says regression. */
function ratio(query: string, t: number): number {
  const wobble = 0.002 * Math.sin(t / 97);
  return query.includes("regression") && t >= DEPLOY ? 0.25 + wobble : 0.01 + wobble;
}

/** Bucket starts every `size` seconds covering [from, to]. */
function buckets(from: number, to: number, size: number): number[] {
  const out: number[] = [];
  for (let t = Math.floor(from / size) * size; t <= to; t += size) out.push(t);
  return out;
}

const seen: string[] = [];

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const body = Buffer.concat(chunks).toString("utf8");
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const send = (status: number, json: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(json));
  };
  const auth = String(req.headers.authorization ?? "");
  if (req.method === "GET" && url.pathname === "/api/v1/query") {
    seen.push("datadog");
    if (req.headers["dd-api-key"] !== DD.DD_API_KEY) return send(403, { errors: ["Forbidden"] });
    const q = url.searchParams.get("query") ?? "";
    const starts = buckets(Number(url.searchParams.get("from")), Number(url.searchParams.get("to")), 60);
    const pointlist = starts.map((t) => [t * 1000, ratio(q, t)]);
    return send(200, {
      status: "ok",
      res_type: "time_series",
      series: [{ metric: "errors", tag_set: [], interval: 60, pointlist }],
    });
  }
  if (req.method === "POST" && url.pathname === "/graphql") {
    seen.push("newrelic");
    if (req.headers["api-key"] !== NR_KEY) return send(401, { errors: [{ message: "Invalid API key" }] });
    const nrql = String((JSON.parse(body) as { variables: { nrql: string } }).variables.nrql);
    const m = /SINCE (\d+) UNTIL (\d+) TIMESERIES (\d+) seconds$/.exec(nrql);
    if (!m)
      return send(200, {
        errors: [{ message: `NRQL Syntax Error: ${nrql}`, extensions: { errorClass: "INVALID_INPUT" } }],
      });
    const size = Number(m[3]);
    const results = buckets(Number(m[1]) / 1000, Number(m[2]) / 1000 - size, size).map((t) => ({
      beginTimeSeconds: t,
      endTimeSeconds: t + size,
      percentage: ratio(nrql, t),
    }));
    return send(200, { data: { actor: { account: { nrql: { results } } } } });
  }
  if (
    req.method === "POST" &&
    req.headers["x-amz-target"] === "GraniteServiceVersion20100801.GetMetricData"
  ) {
    seen.push("cloudwatch");
    if (
      !auth.startsWith(`AWS4-HMAC-SHA256 Credential=${AWS.AWS_ACCESS_KEY_ID}/`) ||
      !auth.includes("/us-east-1/monitoring/aws4_request")
    ) {
      return send(403, {
        __type: "com.amazon.coral.service#UnrecognizedClientException",
        message: "The security token included in the request is invalid.",
      });
    }
    const input = JSON.parse(body) as {
      MetricDataQueries: { Id: string; Expression: string; Period: number }[];
      StartTime: number;
      EndTime: number;
    };
    const q = input.MetricDataQueries[0];
    const starts = buckets(input.StartTime, input.EndTime - (q?.Period ?? 60), q?.Period ?? 60);
    return send(200, {
      MetricDataResults: [
        {
          Id: q?.Id,
          Label: "errors",
          StatusCode: "Complete",
          Timestamps: starts,
          Values: starts.map((t) => ratio(q?.Expression ?? "", t)),
        },
      ],
      Messages: [],
    });
  }
  if (req.method === "POST" && url.pathname === "/workspaces/ws-1/api/v1/query_range") {
    seen.push("amp");
    if (!auth.includes("/us-east-1/aps/aws4_request"))
      return send(403, { message: "Missing Authentication Token" });
    const form = new URLSearchParams(body);
    const q = form.get("query") ?? "";
    const step = Number(form.get("step"));
    const values = buckets(Number(form.get("start")), Number(form.get("end")), step).map((t) => [
      t,
      String(ratio(q, t)),
    ]);
    return send(200, { status: "success", data: { resultType: "matrix", result: [{ metric: {}, values }] } });
  }
  if (req.method === "GET" && url.pathname === "/json/series") {
    seen.push("json");
    if (auth !== `Bearer ${JSON_TOKEN}`) return send(401, { error: "unauthorized" });
    const q = url.searchParams.get("q") ?? "";
    const step = Number(url.searchParams.get("step"));
    const points = buckets(
      Number(url.searchParams.get("from")),
      Number(url.searchParams.get("to")),
      step,
    ).map((t) => [t, ratio(q, t)]);
    return send(200, { points });
  }
  send(404, { error: `no stand-in for ${req.method} ${url.pathname}` });
}

let server: Server;
let base = "";
const saved = { ...process.env };

beforeAll(async () => {
  // The AWS SDK's credential chain reads the process environment.
  delete process.env.AWS_PROFILE;
  Object.assign(process.env, AWS);
  server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const k of Object.keys(AWS)) delete process.env[k];
  Object.assign(process.env, saved);
  await new Promise((resolve) => server.close(resolve));
});

async function check(argv: string[], env: NodeJS.ProcessEnv) {
  let stdout = "";
  let stderr = "";
  const common = [
    "--deploy-time",
    String(DEPLOY),
    "--baseline",
    "30m",
    "--window",
    "10m",
    "--step",
    "60s",
    "--absolute-limit",
    "0.05",
    "--quiet",
    "--format",
    "json",
  ];
  const code = await runCheck([...argv, ...common], {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    env,
  });
  return { code, stdout, stderr };
}

const SOURCES: Record<
  string,
  { argv: (scenario: string) => string[]; env: NodeJS.ProcessEnv; secrets: string[] }
> = {
  datadog: {
    argv: (s) => [
      "--source",
      "datadog",
      "--datadog-endpoint",
      base,
      "--query",
      `avg:errors.ratio{scenario:${s}}.rollup(avg, 60)`,
    ],
    env: { ...DD },
    secrets: Object.values(DD),
  },
  newrelic: {
    argv: (s) => [
      "--source",
      "newrelic",
      "--newrelic-account-id",
      "42",
      "--newrelic-endpoint",
      `${base}/graphql`,
      "--query",
      `SELECT filter(count(*), WHERE error IS true) / count(*) FROM Transaction WHERE scenario = '${s}'`,
    ],
    env: { NEW_RELIC_API_KEY: NR_KEY },
    secrets: [NR_KEY],
  },
  cloudwatch: {
    argv: (s) => [
      "--source",
      "cloudwatch",
      "--aws-region",
      "us-east-1",
      "--cloudwatch-endpoint",
      `${base}/`,
      "--query",
      `SUM(SEARCH('{App,Scenario} Scenario="${s}"', 'Average'))`,
    ],
    env: {},
    secrets: [AWS.AWS_SECRET_ACCESS_KEY],
  },
  "managed prometheus": {
    argv: (s) => [
      "--prometheus-url",
      `${base}/workspaces/ws-1`,
      "--prometheus-sigv4",
      "--aws-region",
      "us-east-1",
      "--query",
      `errors{scenario="${s}"}`,
    ],
    env: {},
    secrets: [AWS.AWS_SECRET_ACCESS_KEY],
  },
  json: {
    argv: (s) => [
      "--source",
      "json",
      "--json-url",
      `${base}/json/series?q={{query}}&from={{start}}&to={{end}}&step={{step}}`,
      "--json-header",
      "Authorization: Bearer ${METRICS_TOKEN}",
      "--json-timestamps",
      "$.points[*][0]",
      "--json-values",
      "$.points[*][1]",
      "--query",
      `errors.${s}`,
    ],
    env: { METRICS_TOKEN: JSON_TOKEN },
    secrets: [JSON_TOKEN],
  },
};

describe("aftershock check against vendor stand-ins on 127.0.0.1", () => {
  for (const [name, s] of Object.entries(SOURCES)) {
    it(`${name}: a clean deploy passes and a regression fails`, async () => {
      seen.length = 0;
      const clean = await check(s.argv("clean"), s.env);
      expect(clean.stderr).toBe("");
      expect(clean.code, clean.stdout).toBe(EXIT.pass);
      const regression = await check(s.argv("regression"), s.env);
      expect(regression.code, regression.stdout).toBe(EXIT.fail);
      const report = JSON.parse(regression.stdout) as {
        checks: { windowMedian: number; baselineMedian: number }[];
      };
      expect(report.checks[0]?.baselineMedian).toBeCloseTo(0.01, 2);
      expect(report.checks[0]?.windowMedian).toBeCloseTo(0.25, 2);
      expect(new Set(seen).size).toBe(1);
      for (const secret of s.secrets) expect(clean.stdout + regression.stdout).not.toContain(secret);
    });
  }

  it("a wrong Datadog key exits 2 naming the variables, without the key", async () => {
    const wrong = { DD_API_KEY: "wrong-key-000000000", DD_APPLICATION_KEY: DD.DD_APPLICATION_KEY };
    const run = await check(SOURCES.datadog!.argv("clean"), wrong);
    expect(run.code).toBe(EXIT.usage);
    expect(run.stderr).toMatch(/DD_API_KEY and DD_APPLICATION_KEY/);
    expect(run.stderr).not.toContain("wrong-key-000000000");
    expect(run.stderr).not.toContain(DD.DD_APPLICATION_KEY);
  });

  it("a missing New Relic key exits 2 before any request", async () => {
    seen.length = 0;
    const run = await check(SOURCES.newrelic!.argv("clean"), {});
    expect(run.code).toBe(EXIT.usage);
    expect(run.stderr).toMatch(/NEW_RELIC_API_KEY/);
    expect(seen).toEqual([]);
  });
});
