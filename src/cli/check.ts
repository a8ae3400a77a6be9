// `aftershock check`: the deploy gate from a terminal or a script; backtests a past deploy.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { parseDuration } from "../core/text/duration.js";
import { optionsOn } from "../core/config/schema.js";
import { dashboardUrlFor } from "../core/gate/dashboard-url.js";
import { ConfigError, errorMessage } from "../core/errors.js";
import { parseHeaderLines } from "../core/text/headers.js";
import { buildGate, type GateInputs } from "../core/config/gate-config.js";
import { runGate } from "../core/gate/gate.js";
import { reportJson } from "../core/gate/report-json.js";
import { renderText } from "../core/gate/render-text.js";
import { gateSource } from "../sources/settings.js";
import { CHECK_HELP, explainUnknownFlag, PARSE_OPTIONS } from "./check-options.js";
import { EXIT, writeFailure, type CliIo } from "./io.js";

export { CHECK_HELP };

export async function runCheck(argv: string[], io: CliIo, now?: () => number): Promise<number> {
  let values: ArgValues;
  try {
    values = parseCheckFlags(argv);
  } catch (err) {
    const message = `${explainUnknownFlag(errorMessage(err))} (see aftershock check --help)`;
    return writeFailure("check", message, EXIT.usage, io, argv);
  }
  if (values.help) {
    io.stdout(CHECK_HELP);
    return EXIT.pass;
  }
  try {
    const { gate, source, format, quiet, dashboardUrl } = readCheckArgs(values, io, now);
    const report = await runGate(gate, source, {
      now,
      onProgress: quiet ? undefined : (line) => io.stderr(`${line}\n`),
    });
    if (format === "json") {
      const json = dashboardUrl ? { ...reportJson(report), dashboardUrl } : reportJson(report);
      io.stdout(`${JSON.stringify(json, null, 2)}\n`);
    } else {
      io.stdout(renderText(report) + (dashboardUrl ? `Dashboard: ${dashboardUrl}\n` : ""));
    }
    return EXIT[report.verdict];
  } catch (err) {
    const e = err as Error & { retryable?: boolean };
    // Configuration and permanent source errors are the user's to fix; anything else is a bug or an outage.
    const usage = err instanceof ConfigError || e.retryable === false;
    return writeFailure("check", e.message, usage ? EXIT.usage : EXIT.inconclusive, io, argv);
  }
}

type ArgValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** The flags of argv by name; throws on an unknown flag or a missing value. */
export function parseCheckFlags(argv: string[]): ArgValues {
  return parseArgs({ args: argv, options: PARSE_OPTIONS, strict: true, allowPositionals: false }).values;
}

/** The gate, the source and the output settings that parsed flags describe; throws ConfigError. */
export function readCheckArgs(values: ArgValues, io: Pick<CliIo, "env">, now?: () => number) {
  const str = (name: string) => (typeof values[name] === "string" ? values[name] : undefined);
  const format = str("format") ?? "text";
  if (format !== "text" && format !== "json")
    throw new ConfigError(`--format "${format}" must be text or json`);
  // A switch (--error-rate) is the input "true"; every other schema flag passes its text on.
  const inputs: GateInputs = Object.fromEntries(
    optionsOn("cli").map((name) => [name, values[name] === true ? "true" : str(name)]),
  );
  const checksFile = str("checks");
  if (checksFile) inputs.checks = readChecksFile(checksFile);
  const gate = buildGate(inputs, now, (key) => `--${key}`);
  // Vendor secrets come from the environment only: a flag would show in `ps` and shell history.
  const { source } = gateSource(
    {
      ...inputs,
      "json-headers": ((values["json-header"] as string[] | undefined) ?? []).join("\n"),
    },
    io.env,
    {
      prometheus: {
        bearerToken: io.env.PROMETHEUS_BEARER_TOKEN || undefined,
        basicAuth: io.env.PROMETHEUS_USERNAME
          ? { username: io.env.PROMETHEUS_USERNAME, password: io.env.PROMETHEUS_PASSWORD ?? "" }
          : undefined,
        headers: parseHeaderLines((values.header as string[] | undefined) ?? [], (n) => `--header #${n}`),
      },
      timeoutMs: str("timeout") ? timeoutMs(str("timeout")!) : undefined,
    },
    gate.checks,
  );
  const dashboardUrl = dashboardUrlFor(str("dashboard-url"), gate);
  return { gate, source, format, quiet: values.quiet === true, dashboardUrl };
}

function readChecksFile(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    throw new ConfigError(`cannot read the checks file ${path}: ${errorMessage(err)}`);
  }
}

function timeoutMs(text: string): number {
  try {
    return parseDuration(text, "--timeout") * 1000;
  } catch (err) {
    throw new ConfigError(errorMessage(err));
  }
}
