import { Octokit } from "octokit";
import { ConfigError } from "../core/errors.js";
import { closest } from "../core/config/did-you-mean.js";

/** What a CLI command may touch, so tests can run commands in-process. */
export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: NodeJS.ProcessEnv;
}

/** Documented exit codes. */
export const EXIT = { pass: 0, fail: 1, usage: 2, inconclusive: 3 } as const;

/** The GitHub token from the environment: GITHUB_TOKEN as Actions sets it, or GH_TOKEN as gh does. */
export function githubToken(env: NodeJS.ProcessEnv): string | undefined {
  return env.GITHUB_TOKEN || env.GH_TOKEN || undefined;
}

/**
 * The Octokit of a CLI command that reads GitHub: the token from the environment (`needs` says what
 * it must be able to read), `--github-url` checked, and no retries or rate-limit waits, so a run fails
 * fast rather than sit in them.
 */
export function cliOctokit(env: NodeJS.ProcessEnv, githubUrl: string | undefined, needs: string): Octokit {
  const token = githubToken(env);
  if (!token)
    throw new ConfigError(`GITHUB_TOKEN (or GH_TOKEN) is not set; export a token that can ${needs}`);
  const baseUrl = (githubUrl ?? "https://api.github.com").replace(/\/+$/, "");
  try {
    new URL(baseUrl);
  } catch {
    throw new ConfigError(`--github-url must be a URL, got "${githubUrl}"`);
  }
  return new Octokit({ auth: token, baseUrl, retry: { enabled: false }, throttle: { enabled: false } });
}

/** True when the arguments ask for JSON output (`--format json` or `--format=json`). */
export function wantsJson(argv: readonly string[]): boolean {
  return argv.some((a, i) => a === "--format=json" || (a === "--format" && argv[i + 1] === "json"));
}

/**
 * Writes a failure for a script (`--format json`: one JSON object on stdout) and for a person
 * (stderr), and gives the exit code back.
 */
export function writeFailure(
  command: string,
  message: string,
  exitCode: number,
  io: CliIo,
  argv: readonly string[] = [],
): number {
  if (wantsJson(argv)) {
    const error = {
      command: command || null,
      kind: exitCode === EXIT.usage ? "usage" : "runtime",
      message,
      exitCode,
    };
    io.stdout(`${JSON.stringify({ error })}\n`);
  }
  io.stderr(`aftershock${command ? ` ${command}` : ""}: ${message}\n`);
  return exitCode;
}

/** parseArgs' unknown-option error, shortened, with the closest known flag suggested. */
export function explainParseError(err: Error & { code?: unknown }, flags: readonly string[]): string {
  if (err.code !== "ERR_PARSE_ARGS_UNKNOWN_OPTION") return err.message;
  const option = /'(-{1,2}[^']+)'/.exec(err.message)?.[1] ?? "";
  const name = option.replace(/^-+/, "").split("=")[0] ?? "";
  const near = closest(name, flags);
  return `unknown option ${option}${near === undefined ? "" : `; did you mean --${near}?`} (see --help)`;
}

export interface FailureContext {
  /** Never printed (a transport error may echo request headers). */
  secret?: string;
  /** The command's arguments: `--format json` turns the error into JSON on stdout. */
  argv?: readonly string[];
  /** The command's flags, for "did you mean" on an unknown one. */
  flags?: readonly string[];
}

/**
 * Reports a failed command and gives its exit code: 2 for what the user must fix (a ConfigError or a
 * bad flag), 1 otherwise, with only the first line and never the secret.
 */
export function reportFailure(
  command: string,
  err: unknown,
  io: CliIo,
  context: FailureContext = {},
): number {
  const code = (err as { code?: unknown } | null)?.code;
  const usage = err instanceof ConfigError || (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS"));
  const text =
    err instanceof Error ? (usage ? explainParseError(err, context.flags ?? []) : err.message) : String(err);
  const message = usage ? text : (text.split("\n")[0] ?? "");
  const { secret } = context;
  const shown = secret ? message.split(secret).join("***") : message;
  return writeFailure(command, shown, usage ? EXIT.usage : EXIT.fail, io, context.argv);
}
