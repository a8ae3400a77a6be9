// One description of a gate for every face: the Action's inputs, the CLI's flags and a checks
// YAML file all use the same kebab-case names, validated here with messages that name the field.
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { CHECK_DEFAULTS, SOURCE_KINDS, makeCheck, makeGate } from "./defaults.js";
import { parseDuration } from "./duration.js";
import { ConfigError } from "./errors.js";
import { DEFAULT_SEVERITY_BANDS, parseSeverityBands } from "./severity.js";
import type { CheckSpec, GateSpec } from "./types.js";

/** Raw settings as strings, the way inputs and flags arrive. Empty strings mean "not set". */
export interface GateInputs {
  query?: string;
  name?: string;
  direction?: string;
  "absolute-limit"?: string;
  "relative-limit"?: string;
  "error-rate"?: string;
  aggregate?: string;
  "traffic-query"?: string;
  "min-traffic"?: string;
  "min-samples"?: string;
  /** YAML text: a list of checks, or { checks: [...] }. */
  checks?: string;
  "deploy-time"?: string;
  baseline?: string;
  window?: string;
  step?: string;
  "failure-limit"?: string;
  "query-delay"?: string;
  "on-no-data"?: string;
  "severity-bands"?: string;
  service?: string;
  environment?: string;
  version?: string;
}

/** A number, or a string holding one (a percentage like "50%" becomes 0.5). */
/** The inputs that describe the single check (besides `query`). */
const SINGLE_CHECK_INPUTS = [
  "name",
  "direction",
  "absolute-limit",
  "relative-limit",
  "error-rate",
  "aggregate",
  "traffic-query",
  "min-traffic",
  "min-samples",
] as const satisfies ReadonlyArray<keyof GateInputs>;

/** Every gate input, in the order the Action declares them: the Action reads exactly these. */
export const GATE_INPUT_NAMES = [
  "query",
  ...SINGLE_CHECK_INPUTS,
  "checks",
  "deploy-time",
  "baseline",
  "window",
  "step",
  "failure-limit",
  "query-delay",
  "on-no-data",
  "severity-bands",
  "service",
  "environment",
  "version",
] as const satisfies ReadonlyArray<keyof GateInputs>;

const fraction = z.union([z.number(), z.string()]).transform((raw, ctx) => {
  if (typeof raw === "number") return raw;
  const m = /^\s*(-?(?:\d+\.?\d*|\.\d+)(?:e-?\d+)?)\s*(%?)\s*$/i.exec(raw);
  if (!m) {
    ctx.addIssue({ code: "custom", message: `expected a number or a percentage like 50%, got "${raw}"` });
    return z.NEVER;
  }
  return m[2] ? Number(m[1]) / 100 : Number(m[1]);
});
const flag = z.union([z.boolean(), z.string()]).transform((raw, ctx) => {
  if (typeof raw === "boolean") return raw;
  if (raw === "true" || raw === "false") return raw === "true";
  ctx.addIssue({ code: "custom", message: `expected true or false, got "${raw}"` });
  return z.NEVER;
});
const count = z.union([z.number(), z.string()]).transform((raw, ctx) => {
  const n = typeof raw === "number" ? raw : /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < 0) {
    ctx.addIssue({ code: "custom", message: `expected a whole number, got "${raw}"` });
    return z.NEVER;
  }
  return n;
});

const checkSchema = z
  .object({
    name: z.string().min(1).optional(),
    query: z.string("a check needs a query (PromQL)").min(1, "a check needs a query (PromQL)"),
    source: z.enum(SOURCE_KINDS).optional(),
    direction: z.enum(["increase", "decrease"]).optional(),
    "absolute-limit": fraction.optional(),
    "relative-limit": fraction.optional(),
    critical: flag.optional(),
    "error-rate": flag.optional(),
    aggregate: z.enum(["sum", "avg", "max", "min"]).optional(),
    "traffic-query": z.string().min(1).optional(),
    "min-traffic": fraction.optional(),
    "min-samples": count.optional(),
    alpha: fraction.optional(),
    "min-effect": fraction.optional(),
    "min-delta": fraction.optional(),
    "z-threshold": fraction.optional(),
  })
  .strict();

const checkList = z.array(checkSchema, "expected a list of checks (or an object with a checks: list)");

type CheckInput = z.infer<typeof checkSchema>;

/** Turns a zod failure into one line per problem: `checks[1].direction: ...`. */
function explain(error: z.ZodError, where: string): string {
  return error.issues
    .map((i) => {
      const path = i.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("");
      return `${where}${path}: ${i.message}`;
    })
    .join("\n");
}

function toCheck(input: CheckInput, index: number): CheckSpec {
  return makeCheck({
    name: input.name ?? (index === 0 ? "check" : `check-${index + 1}`),
    query: input.query,
    source: input.source,
    direction: input.direction,
    absoluteLimit: input["absolute-limit"],
    relativeLimit: input["relative-limit"],
    critical: input.critical,
    errorRate: input["error-rate"],
    aggregate: input.aggregate,
    trafficQuery: input["traffic-query"],
    minTraffic: input["min-traffic"],
    minSamples: input["min-samples"],
    alpha: input.alpha,
    minEffect: input["min-effect"],
    minDelta: input["min-delta"],
    zThreshold: input["z-threshold"],
  });
}

/** Parses a checks YAML document (the `checks` input or a `--checks` file). */
export function parseChecksYaml(text: string, where = "checks"): CheckSpec[] {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new ConfigError(`${where} is not valid YAML: ${(err as Error).message}`);
  }
  // Both a bare list and { checks: [...] } are accepted; errors name the path either way.
  const top =
    doc !== null && typeof doc === "object" && !Array.isArray(doc) ? (doc as Record<string, unknown>) : null;
  const extra = top && "checks" in top ? Object.keys(top).filter((k) => k !== "checks") : [];
  if (extra.length) {
    throw new ConfigError(
      `${where}: unknown key(s) ${extra.map((k) => `"${k}"`).join(", ")}: only "checks" is allowed at the top`,
    );
  }
  const parsed = checkList.safeParse(top && "checks" in top ? top.checks : doc);
  if (!parsed.success) throw new ConfigError(explain(parsed.error, where));
  return parsed.data.map(toCheck);
}

function set(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === "" ? undefined : v.trim();
}

/** A deploy time this far ahead of the clock is a mistake (a typo, milliseconds), not skew. */
const MAX_CLOCK_SKEW_SECONDS = 300;

/** Parses an ISO 8601 time (or "now") into Unix seconds. */
export function parseTime(text: string | undefined, now: () => number): number {
  const v = set(text);
  if (!v || v === "now") return Math.floor(now());
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v);
  // Only ISO 8601: Date.parse also reads things like "Nov 26 14:00" as a year-2001 date.
  // (Unix time in milliseconds is caught by the range check in buildGate.)
  const ms = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(v)
    ? Date.parse(v)
    : NaN;
  if (Number.isNaN(ms)) {
    throw new ConfigError(
      `deploy-time "${v}" is not a time: use ISO 8601 like 2026-11-26T14:05:00Z, Unix seconds, or "now"`,
    );
  }
  return ms / 1000;
}

/** Builds a gate from raw inputs: a single check from the query fields, or several from `checks`. */
export function buildGate(
  inputs: GateInputs,
  now: () => number = () => Date.now() / 1000,
  /** How this face names an input in messages: `--window` for the CLI, `input window` for the Action. */
  nameOf: (key: string) => string = (key) => `input ${key}`,
): GateSpec {
  const single = set(inputs.query);
  const many = set(inputs.checks);
  if (single && many) throw new ConfigError("give either a single query or checks, not both");
  if (!single && !many)
    throw new ConfigError("no check given: set query (one check) or checks (YAML list of checks)");
  let checks: CheckSpec[];
  if (many) {
    checks = parseChecksYaml(many);
  } else {
    const raw = Object.fromEntries(
      SINGLE_CHECK_INPUTS.map((k) => [k, set(inputs[k])]).filter(([, v]) => v !== undefined),
    );
    const parsed = checkSchema.safeParse({ ...raw, query: single });
    if (!parsed.success) {
      throw new ConfigError(
        parsed.error.issues.map((i) => `${nameOf(String(i.path[0] ?? "query"))}: ${i.message}`).join("\n"),
      );
    }
    checks = [toCheck(parsed.data, 0)];
  }
  const duration = (key: "baseline" | "window" | "step" | "query-delay") => {
    const v = set(inputs[key]);
    if (v === undefined) return undefined;
    try {
      return parseDuration(v, key);
    } catch (err) {
      throw new ConfigError((err as Error).message);
    }
  };
  const onNoData = set(inputs["on-no-data"]);
  if (onNoData && !["inconclusive", "pass", "fail"].includes(onNoData)) {
    throw new ConfigError(`on-no-data "${onNoData}" must be one of inconclusive, pass, fail`);
  }
  const failureLimit = set(inputs["failure-limit"]);
  if (failureLimit && !/^[1-9]\d*$/.test(failureLimit)) {
    throw new ConfigError(`failure-limit "${failureLimit}" must be a whole number of at least 1`);
  }
  let severityBands = [...DEFAULT_SEVERITY_BANDS];
  const bands = set(inputs["severity-bands"]);
  if (bands) {
    try {
      severityBands = parseSeverityBands(bands);
    } catch (err) {
      throw new ConfigError((err as Error).message);
    }
  }
  const deployTime = parseTime(inputs["deploy-time"], now);
  if (deployTime > now() + MAX_CLOCK_SKEW_SECONDS) {
    const ahead = deployTime > 1e11 ? " (Unix time must be in seconds, not milliseconds)" : "";
    throw new ConfigError(
      `deploy-time ${new Date(Math.min(deployTime, 8.64e12) * 1000).toISOString()} is in the future${ahead}: give the time the deploy happened`,
    );
  }
  return makeGate({
    checks,
    deployTime,
    baselineSeconds: duration("baseline"),
    windowSeconds: duration("window"),
    stepSeconds: duration("step"),
    failureLimit: failureLimit ? Number(failureLimit) : undefined,
    queryDelaySeconds: set(inputs["query-delay"]) ? duration("query-delay") : undefined,
    onNoData: onNoData as GateSpec["onNoData"] | undefined,
    severityBands,
    vars: {
      service: set(inputs.service),
      environment: set(inputs.environment),
      version: set(inputs.version),
    },
  });
}

export { CHECK_DEFAULTS };
