import { ConfigError } from "../core/errors.js";

/** What a CLI command may touch, so tests can run commands in-process. */
export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: NodeJS.ProcessEnv;
}

/** Documented exit codes. */
export const EXIT = { pass: 0, fail: 1, usage: 2, inconclusive: 3 } as const;

/**
 * Reports a failed command on stderr and gives its exit code: 2 for what the user must fix (a
 * ConfigError or a bad flag), 1 otherwise, with only the first line and never `secret` (a transport
 * error may echo request headers).
 */
export function reportFailure(command: string, err: unknown, io: CliIo, secret?: string): number {
  const code = (err as { code?: unknown } | null)?.code;
  const usage = err instanceof ConfigError || (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS"));
  const text = err instanceof Error ? err.message : String(err);
  const message = usage ? text : (text.split("\n")[0] ?? "");
  io.stderr(`aftershock ${command}: ${secret ? message.split(secret).join("***") : message}\n`);
  return usage ? EXIT.usage : EXIT.fail;
}
