// `aftershock demo`: the main job on embedded defaults, offline and without credentials. Each
// bundled scenario runs through the real gate (file source, backtest) and prints its verdict.
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runCheck } from "./check.js";
import type { CliIo } from "./io.js";

const DEPLOY_TIME = "2026-11-26T14:00:00Z";

/** examples/ next to src/ or dist/, whichever this file runs from. */
export function examplesDir(): string {
  return join(
    dirname(fileURLToPath(import.meta.url)),
    "..",
    ...(import.meta.url.includes("/src/") ? [".."] : []),
    "examples",
  );
}

export async function runDemo(_argv: string[], io: CliIo): Promise<number> {
  const dir = join(examplesDir(), "scenarios");
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort();
  io.stdout(`aftershock demo: the deploy gate over ${files.length} bundled scenarios (offline, backtest)\n`);
  const verdicts: string[] = [];
  for (const file of files) {
    const path = join(dir, file);
    const { description } = JSON.parse(readFileSync(path, "utf8")) as { description?: string };
    io.stdout(`\n━━ ${file.replace(/\.json$/, "")}: ${description ?? ""}\n`);
    const code = await runCheck(
      [
        "--metrics-file",
        path,
        "--name",
        "error-ratio",
        "--query",
        'sum(rate(http_requests_total{service="{{service}}",code=~"5.."}[1m])) / sum(rate(http_requests_total{service="{{service}}"}[1m]))',
        "--service",
        "checkout",
        "--error-rate",
        "--absolute-limit",
        "0.05",
        "--deploy-time",
        DEPLOY_TIME,
        "--quiet",
      ],
      io,
    );
    verdicts.push(`${file.replace(/\.json$/, "")}: exit ${code}`);
  }
  io.stdout(`\nsummary: ${verdicts.join(", ")}\n`);
  return 0;
}
