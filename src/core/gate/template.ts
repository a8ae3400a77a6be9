// Fills {{service}}, {{environment}} and {{version}} into a check's query, escaped for PromQL, so
// one gate file serves every service and a value cannot break out of its label matcher. The same
// placeholder rules fill the dashboard link (dashboard-url.ts), URL-encoded instead.
import type { TemplateVars } from "./types.js";

const PLACEHOLDER = /\{\{\s*([a-zA-Z_]+)\s*\}\}/g;
export const TEMPLATE_VAR_NAMES = [
  "service",
  "environment",
  "version",
] as const satisfies readonly (keyof TemplateVars)[];

/** Escapes a value for use inside a double-quoted PromQL string (label matcher values). */
export function escapePromQLString(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

/** "{{a}}, {{b}} or {{c}}" */
function listNames(names: readonly string[]): string {
  const quoted = names.map((n) => `{{${n}}}`);
  return quoted.length > 1 ? `${quoted.slice(0, -1).join(", ")} or ${quoted.at(-1)}` : (quoted[0] ?? "");
}

/**
 * Replaces every {{name}} of `text` (called `what` in errors) with `encode(value)`. An unknown
 * placeholder or a missing value is an error that says what to use or which input to set. Values
 * are inserted once, never re-scanned, so a value holding "{{…}}" stays literal.
 */
export function fillPlaceholders(
  text: string,
  what: string,
  values: Readonly<Record<string, string | undefined>>,
  names: readonly string[],
  encode: (value: string) => string,
  makeError: (message: string) => Error = (m) => new Error(m),
): string {
  return text.replace(PLACEHOLDER, (_, name: string) => {
    if (!names.includes(name))
      throw makeError(`${what} uses {{${name}}}, which is not known: use ${listNames(names)}`);
    const value = values[name];
    if (value === undefined || value === "") {
      throw makeError(`${what} uses {{${name}}} but no ${name} was given: set the ${name} input (--${name})`);
    }
    return encode(value);
  });
}

/** Fills {{service}}, {{environment}} and {{version}} in a query, each escaped for a PromQL string. */
export function renderQuery(query: string, vars: TemplateVars): string {
  return fillPlaceholders(query, "query", { ...vars }, TEMPLATE_VAR_NAMES, escapePromQLString);
}
