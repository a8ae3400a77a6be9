// Who may run what: changing commands need write access (admin, maintain or write); /suspects needs
// read; /help needs nothing. Bots never run commands, so the app cannot talk to itself.
import type { Command } from "../../core/incident/commands.js";
import { requiredPermission } from "../../core/incident/commands.js";
import type { AccessLevel } from "../../github/permissions.js";
import { canRead, canWrite } from "../../github/permissions.js";

export { isBot } from "../../github/permissions.js";

/** Why `login` may not run `command` with `level`, or null when they may. */
export function refusal(command: Command, level: AccessLevel, login: string): string | null {
  const needed = requiredPermission(command);
  if (needed === "none") return null;
  if (needed === "read" ? canRead(level) : canWrite(level)) return null;
  const what = needed === "write" ? "write access (write, maintain or admin)" : "read access";
  return `\`/${command.name}\` needs ${what} to this repository; \`${login}\` has ${level === "none" ? "no access" : `\`${level}\``}.`;
}
