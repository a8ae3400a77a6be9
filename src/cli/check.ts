// `aftershock check`: the deploy gate from a terminal or a script; backtests a past deploy.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { parseDuration } from "../core/duration.js";
import { ConfigError } from "../core/errors.js";
import { parseHeaderLines } from "../core/headers.js";
import { buildGate, type GateInputs } from "../core/gate-config.js";
import { runGate } from "../core/gate.js";
import { reportJson } from "../core/report-json.js";
import { renderText } from "../core/render-text.js";
import { gateSource } from "../sources/settings.js";
import { EXIT, type CliIo } from "./io.js";

export const CHECK_HELP = `Usage: aftershock check [options]

Compares the minutes after a deploy with the baseline before it and prints a verdict.
If deploy-time + window is already in the past, it replays history (backtest) and reports
when the live gate would have failed.

Metric source (one of):
  --prometheus-url URL     Prometheus (or any Prometheus-compatible API) base URL
  --metrics-file FILE      offline source: a query_range JSON response or OpenMetrics text
  Auth from the environment, never flags: PROMETHEUS_BEARER_TOKEN, or
  PROMETHEUS_USERNAME + PROMETHEUS_PASSWORD.
  --header 'Name: value'   extra request header (repeatable), e.g. X-Scope-OrgID for Mimir
  --timeout DURATION       per-request timeout (default 10s)
Other sources (a check in --checks may also set its own source:):
  --source KIND            prometheus (default), datadog, cloudwatch, newrelic, json or file
  --prometheus-sigv4       sign with AWS SigV4 (Managed Prometheus; automatic for aps-workspaces URLs)
  --datadog-site SITE      datadoghq.com (default), datadoghq.eu, us3/us5/ap1.datadoghq.com, ddog-gov.com
                           keys from DD_API_KEY and DD_APPLICATION_KEY
  --aws-region REGION      CloudWatch / Managed Prometheus region (default AWS_REGION);
                           credentials from the AWS chain (env, web identity, profile, role)
  --cloudwatch-endpoint URL  instead of https://monitoring.<region>.amazonaws.com
  --newrelic-account-id N  --newrelic-region us|eu   key from NEW_RELIC_API_KEY
  --datadog-endpoint URL --newrelic-endpoint URL     through a proxy instead of the vendor's host
  --json-url TEMPLATE      e.g. https://host/api?q={{query}}&from={{start}}&to={{end}}&step={{step}}
  --json-method M          GET (default) or POST, with --json-body TEMPLATE
  --json-header 'N: v'     repeatable; \${ENV_NAME} is read from the environment
  --json-timestamps SEL --json-values SEL   e.g. '$.points[*][0]' and '$.points[*][1]'
  --json-series SEL --json-label SEL        several series, and each one's name

One check:
  --query PROMQL           the query; {{service}}, {{environment}}, {{version}} are filled in
  --name NAME              the check's name (default "check")
  --direction D            increase (a rise is bad, default) or decrease (a fall is bad)
  --absolute-limit N       fail beyond this value, e.g. 0.05 for a 5 % error ratio
  --relative-limit N       fail beyond this change from the baseline, e.g. 50% or 0.5
  --error-rate             the query is an error ratio: a failure gets a severity P1-P3
  --aggregate F            fold several series with sum, avg, max or min
  --traffic-query PROMQL   request rate; samples below --min-traffic count as no data
  --min-traffic N          (default 0)
  --min-samples N          fewer usable samples than this is "no data" (default 5)
Several checks:
  --checks FILE            YAML list of checks with the same keys as above

Timing:
  --deploy-time TIME       ISO 8601, Unix seconds or "now" (default now)
  --baseline DURATION      before the deploy (default 30m)
  --window DURATION        after the deploy (default 10m)
  --step DURATION          poll interval and query step (default 30s)
  --failure-limit N        fail early after N consecutive breaching samples (default 3)
  --query-delay DURATION   read each step this long after its time (remote-write lag; default 0)

Policy and output:
  --on-no-data P           inconclusive (default), pass or fail
  --severity-bands B       e.g. 'P1:>5%,P2:1%,P3:0' (the default)
  --service S --environment E --version V   template values
  --format F               text (default) or json (one object on stdout)
  --quiet                  no progress lines on stderr
  -h, --help               this help

Exit codes: 0 pass, 1 fail, 2 usage or configuration error, 3 inconclusive.
`;

const OPTIONS = {
  "prometheus-url": { type: "string" },
  "metrics-file": { type: "string" },
  header: { type: "string", multiple: true },
  timeout: { type: "string" },
  source: { type: "string" },
  "prometheus-sigv4": { type: "boolean" },
  "datadog-site": { type: "string" },
  "datadog-endpoint": { type: "string" },
  "newrelic-endpoint": { type: "string" },
  "aws-region": { type: "string" },
  "cloudwatch-endpoint": { type: "string" },
  "newrelic-account-id": { type: "string" },
  "newrelic-region": { type: "string" },
  "json-url": { type: "string" },
  "json-method": { type: "string" },
  "json-body": { type: "string" },
  "json-header": { type: "string", multiple: true },
  "json-timestamps": { type: "string" },
  "json-values": { type: "string" },
  "json-series": { type: "string" },
  "json-label": { type: "string" },
  query: { type: "string" },
  name: { type: "string" },
  direction: { type: "string" },
  "absolute-limit": { type: "string" },
  "relative-limit": { type: "string" },
  "error-rate": { type: "boolean" },
  aggregate: { type: "string" },
  "traffic-query": { type: "string" },
  "min-traffic": { type: "string" },
  "min-samples": { type: "string" },
  checks: { type: "string" },
  "deploy-time": { type: "string" },
  baseline: { type: "string" },
  window: { type: "string" },
  step: { type: "string" },
  "failure-limit": { type: "string" },
  "query-delay": { type: "string" },
  "on-no-data": { type: "string" },
  "severity-bands": { type: "string" },
  service: { type: "string" },
  environment: { type: "string" },
  version: { type: "string" },
  format: { type: "string" },
  quiet: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

export async function runCheck(argv: string[], io: CliIo, now?: () => number): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (err) {
    io.stderr(`aftershock check: ${(err as Error).message} (see aftershock check --help)\n`);
    return EXIT.usage;
  }
  if (values.help) {
    io.stdout(CHECK_HELP);
    return EXIT.pass;
  }
  try {
    const format = values.format ?? "text";
    if (format !== "text" && format !== "json")
      throw new ConfigError(`--format "${format}" must be text or json`);
    const inputs: GateInputs = {
      ...values,
      "error-rate": values["error-rate"] ? "true" : undefined,
    } as GateInputs;
    if (values.checks) inputs.checks = readChecksFile(values.checks);
    const gate = buildGate(inputs, now, (key) => `--${key}`);
    // Secrets come from the environment only: a flag would show in `ps` and shell history.
    const { source } = gateSource(
      {
        ...values,
        "prometheus-sigv4": values["prometheus-sigv4"] ? "true" : undefined,
        "json-headers": values["json-header"]?.join("\n"),
        "datadog-api-key": undefined,
        "datadog-application-key": undefined,
        "newrelic-api-key": undefined,
      },
      io.env,
      {
        prometheus: {
          bearerToken: io.env.PROMETHEUS_BEARER_TOKEN || undefined,
          basicAuth: io.env.PROMETHEUS_USERNAME
            ? { username: io.env.PROMETHEUS_USERNAME, password: io.env.PROMETHEUS_PASSWORD ?? "" }
            : undefined,
          headers: parseHeaderLines(values.header ?? [], (n) => `--header #${n}`),
        },
        timeoutMs: values.timeout ? timeoutMs(values.timeout) : undefined,
      },
      gate.checks,
    );
    const report = await runGate(gate, source, {
      now,
      onProgress: values.quiet ? undefined : (line) => io.stderr(`${line}\n`),
    });
    io.stdout(format === "json" ? `${JSON.stringify(reportJson(report), null, 2)}\n` : renderText(report));
    return EXIT[report.verdict];
  } catch (err) {
    const e = err as Error & { retryable?: boolean };
    // Configuration and permanent source errors are the user's to fix; anything else is a bug or an outage.
    const usage = err instanceof ConfigError || e.retryable === false;
    io.stderr(`aftershock check: ${e.message}\n`);
    return usage ? EXIT.usage : EXIT.inconclusive;
  }
}

function readChecksFile(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    throw new ConfigError(`cannot read the checks file ${path}: ${(err as Error).message}`);
  }
}

function timeoutMs(text: string): number {
  try {
    return parseDuration(text, "--timeout") * 1000;
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
}
