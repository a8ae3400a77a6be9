// Errors shared by every entry point: ConfigError marks what only the user can fix (exit 2, no
// retry), and errorMessage reads any thrown value as text for logs and comments.
/** A problem only the user can fix (a bad query, flag or config): exit code 2, never retried. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/** The message of anything thrown: an Error's message, or the thrown value as text. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
