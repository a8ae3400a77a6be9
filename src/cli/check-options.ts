// The flags of `aftershock check` and their help, derived from the configuration schema: a new
// gate option appears here without being listed again.
import { closest } from "../core/config/did-you-mean.js";
import { metaOf, optionsOn, type HelpGroup, type OptionName } from "../core/config/schema.js";

/** Flags only the CLI has: its output, and headers (the Action takes them as one multi-line input). */
const CLI_ONLY = {
  header: {
    arg: "'Name: value'",
    help: "source",
    description: "extra request header (repeatable), e.g. X-Scope-OrgID for Mimir",
    multiple: true,
  },
  "json-header": {
    arg: "'Name: value'",
    help: "source",
    description: "JSON source request header (repeatable); ${ENV_NAME} is read from the environment",
    multiple: true,
  },
  format: { arg: "F", help: "output", description: "text (default) or json (one object on stdout)" },
  quiet: { help: "output", description: "no progress lines on stderr" },
  help: { help: "output", description: "this help", short: "h" },
} as const satisfies Record<string, CliFlag>;

interface CliFlag {
  arg?: string;
  help: HelpGroup | "output";
  description: string;
  default?: string;
  multiple?: boolean;
  short?: string;
}

const SCHEMA_FLAGS: OptionName[] = optionsOn("cli");

function flagOf(name: string): CliFlag {
  if (name in CLI_ONLY) return CLI_ONLY[name as keyof typeof CLI_ONLY];
  const meta = metaOf(name as OptionName);
  return { ...meta, description: meta.cliDescription ?? meta.description };
}

/** Every flag `aftershock check` accepts, in help order. */
export const CHECK_FLAGS: string[] = [...SCHEMA_FLAGS, ...Object.keys(CLI_ONLY)];

type ParseArgsOption = { type: "string" | "boolean"; multiple?: boolean; short?: string };

/** node:util parseArgs options: a flag with a value placeholder takes a string, the others are switches. */
export const PARSE_OPTIONS: Record<string, ParseArgsOption> = Object.fromEntries(
  CHECK_FLAGS.map((name) => {
    const f = flagOf(name);
    const o: ParseArgsOption = { type: f.arg ? "string" : "boolean" };
    if (f.multiple) o.multiple = true;
    if (f.short) o.short = f.short;
    return [name, o];
  }),
);

/** `Unknown option '--windw' (did you mean --window?); valid options: …`, on one line. */
export function explainUnknownFlag(message: string): string {
  const m = /^Unknown option '(-{1,2})([^']*)'/.exec(message);
  if (!m) return message;
  const near = closest(m[2]!, CHECK_FLAGS);
  const hint = near === undefined ? "" : ` (did you mean --${near}?)`;
  return `Unknown option '${m[1]}${m[2]}'${hint}; valid options: ${CHECK_FLAGS.map((f) => `--${f}`).join(", ")}`;
}

const COLUMN = 27;
const WIDTH = 100;

/** One help entry: the flag, then its description wrapped under the description column. */
function entry(name: string): string {
  const f = flagOf(name);
  return wrap(`  ${f.short ? `-${f.short}, ` : ""}--${name}${f.arg ? ` ${f.arg}` : ""}`, described(f));
}

const described = (f: { description: string; default?: string }) =>
  `${f.description}${f.default !== undefined ? ` (default ${f.default})` : ""}`;

function wrap(head: string, text: string): string {
  const lines: string[] = [];
  let line = head.length < COLUMN - 1 ? head.padEnd(COLUMN) : `${head}\n${" ".repeat(COLUMN)}`;
  let fresh = true;
  for (const word of text.split(" ")) {
    const width = line.length - line.lastIndexOf("\n") - 1;
    if (!fresh && width + 1 + word.length > WIDTH) {
      lines.push(line);
      line = " ".repeat(COLUMN);
      fresh = true;
    }
    line += fresh ? word : ` ${word}`;
    fresh = false;
  }
  lines.push(line);
  return lines.join("\n");
}

const section = (group: CliFlag["help"]) => CHECK_FLAGS.filter((n) => flagOf(n).help === group).map(entry);

/** The keys only a checks file has (the rest are the single-check flags). */
const yamlOnlyKeys = optionsOn("yaml").filter((n) => !metaOf(n).surfaces.includes("cli"));

export const CHECK_HELP = `Usage: aftershock check [options]

Compares the minutes after a deploy with the baseline before it and prints a verdict.
If deploy-time + window is already in the past, it replays history (backtest) and reports
when the live gate would have failed.

Metric source (--prometheus-url or --metrics-file, or --source with a vendor's settings):
${section("source").join("\n")}
  Auth from the environment, never flags: PROMETHEUS_BEARER_TOKEN, or
  PROMETHEUS_USERNAME + PROMETHEUS_PASSWORD; DD_API_KEY + DD_APPLICATION_KEY;
  NEW_RELIC_API_KEY; AWS credentials from the AWS chain (AWS_ACCESS_KEY_ID..., web identity).

One check:
${section("check").join("\n")}

Several checks:
${section("checks").join("\n")}
${yamlOnlyKeys.map((n) => wrap(`    ${n}:`, described(metaOf(n)))).join("\n")}

Timing:
${section("timing").join("\n")}

Policy:
${section("policy").join("\n")}

Output:
${section("output").join("\n")}

Exit codes: 0 pass, 1 fail, 2 usage or configuration error, 3 inconclusive.
`;
