/** A problem only the user can fix (a bad query, flag or config): exit code 2, never retried. */
export class ConfigError extends Error {
  override name = "ConfigError";
}
