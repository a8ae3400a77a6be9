// The schema is the one list of gate options: action.yml, the CLI's help, checks YAML and the
// defaults must all agree with it.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { CHECK_HELP } from "../../../src/cli/check.js";
import {
  CHECK_KEYS,
  GATE_INPUT_NAMES,
  metaOf,
  OPTION_NAMES,
  OPTIONS,
  optionsOn,
} from "../../../src/core/config/schema.js";
import { GATE_DEFAULTS, SOURCE_DEFAULTS, makeGate } from "../../../src/core/gate/defaults.js";
import { buildGate, parseChecksYaml } from "../../../src/core/config/gate-config.js";
import type { GateSpec } from "../../../src/core/gate/types.js";

interface ActionInput {
  description?: string;
  default?: string;
}
const ACTION_INPUTS = (
  parseYaml(readFileSync(fileURLToPath(new URL("../../../action.yml", import.meta.url)), "utf8")) as {
    inputs: Record<string, ActionInput>;
  }
).inputs;

/** Inputs only the Action has: report mode, credentials (the CLI reads them from the environment), GitHub. */
const ACTION_ONLY = [
  "mode",
  "since",
  "incident-label",
  "publish",
  "publish-empty",
  "deployments",
  "prometheus-token",
  "prometheus-username",
  "prometheus-password",
  "prometheus-headers",
  "checks-file",
  "fail-on",
  "github-token",
  "deployment-id",
  "open-incident",
  "mark-deployment",
  "title",
  "pagerduty-routing-key",
  // Vendor secrets and the JSON source's headers (the CLI reads the secrets from the environment).
  "datadog-api-key",
  "datadog-application-key",
  "newrelic-api-key",
  "json-headers",
];

/** A gate with `exclusive: false` spelled out, as parsed bands have it, to compare with the defaults. */
function normalized(gate: GateSpec): GateSpec {
  return { ...gate, severityBands: gate.severityBands.map((b) => ({ ...b, exclusive: !!b.exclusive })) };
}

const DEPLOY = Date.parse("2026-11-26T14:00:00Z") / 1000;
const now = () => DEPLOY + 3600;

describe("the schema's levels", () => {
  it("makes every per-check option a checks-YAML key, and no gate or source option one", () => {
    for (const name of OPTION_NAMES) {
      const { level, surfaces } = metaOf(name);
      expect(surfaces.includes("yaml"), name).toBe(level === "check");
    }
    expect(CHECK_KEYS).toEqual(optionsOn("yaml"));
  });
});

describe("action.yml against the schema", () => {
  it.each(optionsOn("action"))("declares %s with the schema's default and a description", (name) => {
    const input = ACTION_INPUTS[name];
    expect(input, `${name} is missing from action.yml`).toBeDefined();
    expect(input?.default, `default of ${name}`).toBe(metaOf(name).default);
    expect(input?.description?.trim().length ?? 0).toBeGreaterThan(10);
  });

  it("declares no input the schema does not know, besides the Action's own", () => {
    const known = new Set<string>([...optionsOn("action"), ...ACTION_ONLY]);
    expect(Object.keys(ACTION_INPUTS).filter((k) => !known.has(k))).toEqual([]);
    // An Action-only input that the schema also has would be listed twice.
    expect(ACTION_ONLY.filter((k) => (OPTION_NAMES as string[]).includes(k))).toEqual([]);
  });

  it("has the Action read the single check, the gate, and the new inputs", () => {
    expect(GATE_INPUT_NAMES).toEqual(
      expect.arrayContaining(["query", "control-query", "seasonality", "window"]),
    );
    expect(GATE_INPUT_NAMES).not.toContain("prometheus-url");
    expect(GATE_INPUT_NAMES).not.toContain("critical"); // a checks-YAML key only
  });
});

describe("the CLI's help from the schema", () => {
  it.each(optionsOn("cli"))("lists --%s with its default", (name) => {
    const meta = metaOf(name);
    const line = new RegExp(`^  --${name}${meta.arg ? ` ${meta.arg}` : ""}\\s`, "m");
    expect(CHECK_HELP).toMatch(line);
    if (meta.default !== undefined) {
      // The default closes the entry, which may wrap over several lines.
      const entry = CHECK_HELP.slice(CHECK_HELP.search(line)).split(/\n {2}(?=-)/)[0]!;
      expect(entry.replace(/\s+/g, " ")).toContain(`(default ${meta.default})`);
    }
  });

  it("lists the keys only checks YAML has, with their defaults", () => {
    for (const name of optionsOn("yaml").filter((n) => !metaOf(n).surfaces.includes("cli"))) {
      expect(CHECK_HELP).toContain(`    ${name}: `);
      expect(CHECK_HELP).toContain(`(default ${metaOf(name).default})`);
    }
  });
});

describe("defaults are the same everywhere", () => {
  const base = () => buildGate({ query: "up", "deploy-time": String(DEPLOY) }, now);

  it.each(optionsOn("action").filter((n) => metaOf(n).default !== undefined && metaOf(n).level !== "source"))(
    "giving %s its documented default changes nothing",
    (name) => {
      const inputs = { query: "up", "deploy-time": String(DEPLOY), [name]: metaOf(name).default };
      if (name === "deploy-time") {
        expect(buildGate({ query: "up", "deploy-time": metaOf(name).default }, now).deployTime).toBe(now());
        return;
      }
      expect(normalized(buildGate(inputs, now))).toEqual(normalized(base()));
    },
  );

  it.each(CHECK_KEYS.filter((n) => metaOf(n).default !== undefined))(
    "the checks-YAML key %s at its documented default changes nothing",
    (name) => {
      expect(parseChecksYaml(`- query: up\n  ${name}: "${metaOf(name).default}"\n`)).toEqual(
        parseChecksYaml("- query: up\n"),
      );
    },
  );

  it("documents the numbers of core/defaults.ts, not copies of them", () => {
    // A default changed in defaults.ts moves the documented one with it.
    const gate = makeGate({ checks: [], deployTime: 0 });
    expect(OPTIONS.window.parse(metaOf("window").default)).toBe(GATE_DEFAULTS.windowSeconds);
    expect(OPTIONS.baseline.parse(metaOf("baseline").default)).toBe(gate.baselineSeconds);
    expect(OPTIONS.timeout.parse(metaOf("timeout").default)).toBe(SOURCE_DEFAULTS.timeoutSeconds);
    expect(
      normalized({
        ...gate,
        severityBands: OPTIONS["severity-bands"].parse(metaOf("severity-bands").default),
      }),
    ).toEqual(normalized(gate));
    expect(metaOf("seasonality").default).toBe(gate.seasonality);
  });
});
