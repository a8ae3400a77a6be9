// One description of a gate for every surface: the Action's inputs, the CLI's flags and a checks
// YAML file all use the kebab-case names of the schema (config/schema.ts), validated here with
// messages that name the field.
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { GATE_DEFAULTS, makeCheck, makeGate } from "../gate/defaults.js";
import { closest } from "./did-you-mean.js";
import {
  CHECK_KEYS,
  checkSchema,
  GATE_INPUT_NAMES,
  GATE_OPTIONS,
  gateSchema,
  metaOf,
  OPTION_NAMES,
  SINGLE_CHECK_INPUTS,
  type CheckInput,
  type GateInputs,
  type GateValues,
  type OptionName,
} from "./schema.js";
import { formatDuration } from "../text/duration.js";
import { ConfigError, errorMessage } from "../errors.js";
import type { CheckSpec, GateSpec } from "../gate/types.js";

export { GATE_INPUT_NAMES, type GateInputs };

const checkList = z.array(checkSchema, "expected a list of checks (or an object with a checks: list)");

/** Why a key is not allowed in a check: a typo of a check key, or a key that belongs elsewhere. */
function unknownCheckKey(key: string): string {
  const known = OPTION_NAMES.find((n) => n === key);
  if (known && metaOf(known).level !== "check") {
    return `"${key}" is a setting of the whole gate, not of one check: give it as an input or flag`;
  }
  const near = closest(key, CHECK_KEYS);
  const hint = near === undefined ? "" : ` (did you mean "${near}"?)`;
  return `unknown key "${key}"${hint}; the keys of a check are ${CHECK_KEYS.join(", ")}`;
}

/** Turns a zod failure into one line per problem: `checks[1].direction: ...`. */
function explain(error: z.ZodError, where: string): string {
  return error.issues
    .flatMap((i) => {
      const path = i.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("");
      if (i.code === "unrecognized_keys") return i.keys.map((k) => `${where}${path}: ${unknownCheckKey(k)}`);
      return [`${where}${path}: ${i.message}`];
    })
    .join("\n");
}

function toCheck(input: CheckInput, index: number): CheckSpec {
  return makeCheck({
    name: input.name ?? (index === 0 ? undefined : `check-${index + 1}`),
    query: input.query,
    source: input.source,
    controlQuery: input["control-query"],
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
    throw new ConfigError(`${where} is not valid YAML: ${errorMessage(err)}`);
  }
  // Both a bare list and { checks: [...] } are accepted; errors name the path either way.
  const top =
    doc !== null && typeof doc === "object" && !Array.isArray(doc) ? (doc as Record<string, unknown>) : null;
  const extra = top && "checks" in top ? Object.keys(top).filter((k) => k !== "checks") : [];
  if (extra.length) {
    throw new ConfigError(
      `${where}: unknown key(s) ${extra.map((k) => `"${k}"`).join(", ")}: only "checks" is allowed at the top` +
        " (gate settings such as window are inputs or flags, not YAML keys)",
    );
  }
  // { chekcs: [...] } is a typo of the wrapper, not a check with odd keys.
  const typo = top && !("checks" in top) ? Object.keys(top).find((k) => closest(k, ["checks"])) : undefined;
  if (typo !== undefined) throw new ConfigError(`${where}: unknown key "${typo}" (did you mean "checks"?)`);
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

/** The gate-level settings that are set, parsed; every problem at once, each naming its setting. */
function gateValues(inputs: GateInputs): GateValues {
  const raw = Object.fromEntries(
    Object.keys(GATE_OPTIONS).flatMap((k) => {
      const v = set(inputs[k as keyof typeof GATE_OPTIONS]);
      return v === undefined ? [] : [[k, v]];
    }),
  );
  const parsed = gateSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => i.message).join("\n"));
  return parsed.data;
}

/** Builds a gate from raw inputs: a single check from the query fields, or several from `checks`. */
export function buildGate(
  inputs: GateInputs,
  now: () => number = () => Date.now() / 1000,
  /** How this surface names an input in messages: `--window` for the CLI, `input window` for the Action. */
  nameOf: (key: OptionName) => string = (key) => `input ${key}`,
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
        parsed.error.issues
          .map((i) => `${nameOf(String(i.path[0] ?? "query") as OptionName)}: ${i.message}`)
          .join("\n"),
      );
    }
    checks = [toCheck(parsed.data, 0)];
  }
  const values = gateValues(inputs);
  const windowSeconds = values.window ?? GATE_DEFAULTS.windowSeconds;
  // An earlier window that reaches past the deploy would compare the deploy with itself.
  const tooClose = Array.isArray(values.seasonality)
    ? values.seasonality.find((s) => s < windowSeconds)
    : undefined;
  if (tooClose !== undefined) {
    throw new ConfigError(
      `seasonality offset ${formatDuration(tooClose)} is shorter than the window ${formatDuration(windowSeconds)}: the earlier window would overlap the deploy`,
    );
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
    baselineSeconds: values.baseline,
    windowSeconds: values.window,
    stepSeconds: values.step,
    failureLimit: values["failure-limit"],
    queryDelaySeconds: values["query-delay"],
    onNoData: values["on-no-data"],
    seasonality: values.seasonality,
    history: values.history,
    severityBands: values["severity-bands"],
    vars: {
      service: set(inputs.service),
      environment: set(inputs.environment),
      version: set(inputs.version),
    },
  });
}
