// A small Dockerfile reader for the tests: Docker is not available where the tests run, so the
// image is checked statically, and its install and health-check commands are run by the tests.
import { readFileSync } from "node:fs";
import { join } from "node:path";

export interface Stage {
  from: string;
  name?: string;
  instructions: Array<{ op: string; args: string }>;
}

export const ROOT = join(import.meta.dirname, "../..");

/** The Dockerfile's stages, with continuation lines joined and comments dropped. */
export function readDockerfile(path = join(ROOT, "Dockerfile")): Stage[] {
  const text = readFileSync(path, "utf8").replace(/\\\r?\n\s*/g, " ");
  const stages: Stage[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const [, op = "", args = ""] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    if (op.toUpperCase() === "FROM") {
      const [, from = "", name] = /^(\S+)(?:\s+AS\s+(\S+))?/i.exec(args) ?? [];
      stages.push({ from, name, instructions: [] });
    } else {
      stages.at(-1)?.instructions.push({ op: op.toUpperCase(), args });
    }
  }
  return stages;
}

/** The exec-form arguments of HEALTHCHECK … CMD [...] in a stage. */
export function healthcheckCommand(stage: Stage): string[] {
  const hc = stage.instructions.find((i) => i.op === "HEALTHCHECK");
  const json = /CMD\s+(\[.*\])\s*$/.exec(hc?.args ?? "")?.[1];
  if (!json) throw new Error("no exec-form HEALTHCHECK CMD");
  return JSON.parse(json) as string[];
}

/** The `npm ci` the final image's dependencies come from. */
export function productionInstall(stages: Stage[]): string[] {
  const final = stages.at(-1)!;
  const from = final.instructions.find((i) => i.op === "COPY" && /node_modules/.test(i.args));
  const stageName = /--from=(\S+)/.exec(from?.args ?? "")?.[1];
  const stage = stages.find((s) => s.name === stageName);
  const run = stage?.instructions.find((i) => i.op === "RUN" && /npm ci/.test(i.args));
  if (!run) throw new Error("the final stage's node_modules do not come from an npm ci stage");
  const ci = run.args.split("&&")[0]!.trim().split(/\s+/);
  return ci.slice(1);
}
