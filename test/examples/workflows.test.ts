// The example workflows users copy: each parses, every input it gives the Action exists in
// action.yml, every `steps.<id>.outputs.<name>` it reads is a step of its job and an Action output,
// and the token the Action needs is there (given, or action.yml's default).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { GATE_INPUT_NAMES } from "../../src/core/config/schema.js";
import { buildGate } from "../../src/core/config/gate-config.js";

const ROOT = join(import.meta.dirname, "../..");
const DIR = join(ROOT, "examples/workflows");
const action = parse(readFileSync(join(ROOT, "action.yml"), "utf8")) as {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, unknown>;
};

interface Step {
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}
interface Workflow {
  on: unknown;
  permissions?: Record<string, string>;
  jobs: Record<string, { "runs-on": string; steps: Step[] }>;
}

/** This repository's Action, as an example refers to it. */
const isAftershock = (uses = "") => uses === "./" || /^[\w.-]+\/aftershock@v\d+$/.test(uses);

const files = readdirSync(DIR).filter((f) => f.endsWith(".yml"));

describe("example workflows", () => {
  it("cover deploy + gate + rollback, the weekly report and a canary", () => {
    expect(files).toEqual(expect.arrayContaining(["deploy-gate.yml", "weekly-report.yml", "canary.yml"]));
  });

  describe.each(files)("%s", (file) => {
    const wf = parse(readFileSync(join(DIR, file), "utf8")) as Workflow;
    const jobs = Object.values(wf.jobs);
    const gateSteps = jobs.flatMap((j) => j.steps.filter((s) => isAftershock(s.uses)));

    it("is a workflow that uses the Action", () => {
      expect(wf.on).toBeDefined();
      expect(gateSteps.length).toBeGreaterThan(0);
    });

    it("gives the Action only inputs action.yml declares", () => {
      for (const step of gateSteps) {
        const unknown = Object.keys(step.with ?? {}).filter((k) => !(k in action.inputs));
        expect(unknown, `${file}: ${step.id}`).toEqual([]);
      }
    });

    it("configures a gate the schema accepts (checks YAML keys, durations, limits)", () => {
      for (const step of gateSteps.filter((s) => (s.with?.mode ?? "gate") === "gate")) {
        // Values the runner fills in (${{ … }}) are left unset here.
        const inputs = Object.fromEntries(
          Object.entries(step.with ?? {})
            .filter(([k, v]) => (GATE_INPUT_NAMES as string[]).includes(k) && !String(v).includes("${{"))
            .map(([k, v]) => [k, String(v)]),
        );
        expect(() => buildGate(inputs), `${file}: ${step.id}`).not.toThrow();
      }
    });

    it("reads only outputs that exist, of steps that exist", () => {
      for (const job of jobs) {
        const ids = new Map(job.steps.filter((s) => s.id).map((s) => [s.id!, s]));
        const text = JSON.stringify(job.steps);
        for (const [, id, output] of text.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
          const step = ids.get(id!);
          expect(step, `${file}: no step "${id}"`).toBeDefined();
          if (isAftershock(step!.uses)) expect(Object.keys(action.outputs), file).toContain(output);
        }
      }
    });

    it("has the GitHub token and permissions each mode needs", () => {
      for (const step of gateSteps) {
        const token = step.with?.["github-token"] ?? action.inputs["github-token"]?.default;
        const mode = String(step.with?.mode ?? "gate");
        if (mode === "report" || step.with?.["open-incident"] === "true") {
          expect(token, `${file}: ${step.id} needs a token`).toBeTruthy();
          expect(wf.permissions?.issues, file).toBe("write");
        }
      }
    });
  });
});

describe("the README's workflow snippets", () => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)]
    .map((m) => m[1]!)
    .filter((b) => /^jobs:/m.test(b));

  it("give the Action only inputs action.yml declares", () => {
    expect(blocks.length).toBeGreaterThan(1);
    for (const block of blocks) {
      const wf = parse(block) as Workflow;
      for (const step of Object.values(wf.jobs)
        .flatMap((j) => j.steps)
        .filter((s) => isAftershock(s.uses))) {
        expect(Object.keys(step.with ?? {}).filter((k) => !(k in action.inputs))).toEqual([]);
      }
    }
  });
});
