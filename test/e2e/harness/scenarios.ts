import { mulberry32 as rng } from "../../helpers/mulberry32.js";
// Deploy scenarios as OpenMetrics text for `promtool tsdb create-blocks-from openmetrics`: one
// `service` label value per scenario, so one Prometheus serves them all. Everything is placed
// relative to a deploy time and drawn from a seeded generator, so the data (and the verdicts)
// are the same on every run; only the absolute times move.

/** Scrape interval of the generated series (seconds). */
export const SCRAPE_SECONDS = 15;
/** Data starts this long before the deploy: a 30 m baseline plus the 1 m rate window, with room. */
export const LEAD_SECONDS = 45 * 60;
/** Data ends this long after the deploy: a 10 m watch window, with room. */
export const TAIL_SECONDS = 20 * 60;
/** Requests per second of a normal scenario: enough that Poisson noise in a 10 m window stays well
 *  under the engine's 20 % effect floor (at 50 req/s a clean window drifted 19 % by chance). */
export const RPS = 200;
/** Error ratio before every deploy. */
const BASE_ERROR_RATIO = 0.005;

/** What one scrape interval of traffic looks like, `offset` seconds after the deploy (negative before). */
interface Traffic {
  rps: number;
  errorRatio: number;
}

interface TrafficScenario {
  /** Value of the `service` label. */
  service: string;
  what: string;
  /** Null: the series has no sample at this time (it stopped being exported). */
  at: (offset: number) => Traffic | null;
}

const normal: Traffic = { rps: RPS, errorRatio: BASE_ERROR_RATIO };

/** Counter scenarios for `http_requests_total{service, code}`. */
export const TRAFFIC_SCENARIOS = [
  { service: "clean", what: "clean deploy with noise", at: () => normal },
  {
    service: "step",
    what: "error ratio steps from 0.5 % to 3 % at the deploy (P2)",
    at: (o) => (o <= 0 ? normal : { rps: RPS, errorRatio: 0.03 }),
  },
  {
    service: "ramp",
    what: "error ratio ramps from 0.5 % to 4 % over the 10 m window",
    at: (o) => (o <= 0 ? normal : { rps: RPS, errorRatio: BASE_ERROR_RATIO + 0.035 * Math.min(o / 600, 1) }),
  },
  {
    service: "spike",
    what: "10 % errors for 30 s right after the deploy, then back to normal",
    at: (o) => (o > 0 && o <= 30 ? { rps: RPS, errorRatio: 0.1 } : normal),
  },
  {
    service: "idle",
    what: "traffic stops at the deploy: counters flat, so the ratio is 0/0 = NaN",
    at: (o) => (o <= 0 ? normal : { rps: 0, errorRatio: 0 }),
  },
  {
    service: "vanish",
    what: "the series stop at the deploy (no samples after it)",
    at: (o) => (o <= 0 ? normal : null),
  },
  {
    service: "drop",
    what: "throughput falls to 40 % at the deploy (a decrease check)",
    at: (o) => (o <= 0 ? normal : { rps: 0.4 * RPS, errorRatio: BASE_ERROR_RATIO }),
  },
] as const satisfies readonly TrafficScenario[];

export type Service = (typeof TRAFFIC_SCENARIOS)[number]["service"] | "latency";

/** The latency gauge scenario: p99 of `service="latency"` rises from ~200 ms to ~350 ms at the deploy. */
export const LATENCY = { service: "latency", before: 0.2, after: 0.35, jitter: 0.01 } as const;
export const LATENCY_METRIC = "http_request_duration_p99_seconds";

/** The error-ratio query of the brief for one scenario. */
export function errorRatioQuery(service: Service): string {
  return (
    `sum(rate(http_requests_total{service="${service}",code="500"}[1m]))` +
    ` / sum(rate(http_requests_total{service="${service}"}[1m]))`
  );
}

/** Total request rate of one scenario. */
export function requestRateQuery(service: Service): string {
  return `sum(rate(http_requests_total{service="${service}"}[1m]))`;
}

/** A deploy time `hoursAgo` in the past, rounded down to the minute: old enough to be history
 *  (a backtest) and inside the blocks promtool writes, young enough for any retention. */
export function pastDeployTime(hoursAgo = 3, nowMs = Date.now()): number {
  return Math.floor(nowMs / 1000 / 60 - hoursAgo * 60) * 60;
}

/** Seed from the scenario's name, so adding a scenario does not change another one's noise. */
function seedOf(name: string): number {
  let h = 2166136261;
  for (const ch of name) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return h >>> 0;
}

interface Point {
  t: number;
  v: number;
}

/** Cumulative counters (all requests by code) for one traffic scenario. */
function trafficSeries(s: TrafficScenario, deployTime: number): { ok: Point[]; errors: Point[] } {
  const random = rng(seedOf(s.service));
  const ok: Point[] = [];
  const errors: Point[] = [];
  let okTotal = 0;
  let errTotal = 0;
  for (let o = -LEAD_SECONDS; o <= TAIL_SECONDS; o += SCRAPE_SECONDS) {
    const traffic = s.at(o);
    if (traffic === null) continue;
    // ±10 % jitter on the request count, then each request fails with the scenario's ratio.
    const requests = Math.round(traffic.rps * SCRAPE_SECONDS * (0.9 + 0.2 * random()));
    let failed = 0;
    for (let i = 0; i < requests; i++) if (random() < traffic.errorRatio) failed++;
    okTotal += requests - failed;
    errTotal += failed;
    ok.push({ t: deployTime + o, v: okTotal });
    errors.push({ t: deployTime + o, v: errTotal });
  }
  return { ok, errors };
}

function latencySeries(deployTime: number): Point[] {
  const random = rng(seedOf(LATENCY.service));
  const points: Point[] = [];
  for (let o = -LEAD_SECONDS; o <= TAIL_SECONDS; o += SCRAPE_SECONDS) {
    const level = o <= 0 ? LATENCY.before : LATENCY.after;
    points.push({ t: deployTime + o, v: Number((level + LATENCY.jitter * (2 * random() - 1)).toFixed(4)) });
  }
  return points;
}

function lines(metric: string, labels: string, points: Point[]): string[] {
  return points.map((p) => `${metric}{${labels}} ${p.v} ${p.t}`);
}

/**
 * The OpenMetrics exposition of every scenario around `deployTime` (Unix seconds): counter
 * families are declared without `_total` and their samples carry it; timestamps are seconds;
 * each family's samples are contiguous, each series in time order; `# EOF` ends it.
 */
export function buildOpenMetrics(deployTime: number): string {
  const out: string[] = [
    "# HELP http_requests Requests served, by scenario (service) and status code.",
    "# TYPE http_requests counter",
  ];
  for (const s of TRAFFIC_SCENARIOS) {
    const { ok, errors } = trafficSeries(s, deployTime);
    out.push(...lines("http_requests_total", `service="${s.service}",code="200"`, ok));
    out.push(...lines("http_requests_total", `service="${s.service}",code="500"`, errors));
  }
  out.push(`# HELP ${LATENCY_METRIC} 99th percentile request latency.`, `# TYPE ${LATENCY_METRIC} gauge`);
  out.push(...lines(LATENCY_METRIC, `service="${LATENCY.service}"`, latencySeries(deployTime)));
  out.push("# EOF");
  return out.join("\n") + "\n";
}
