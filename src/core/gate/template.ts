// Fills {{service}}, {{environment}} and {{version}} into a check's query, escaped for PromQL, so
// one gate file serves every service and a value cannot break out of its label matcher.
import type { TemplateVars } from "./types.js";

const PLACEHOLDER = /\{\{\s*([a-zA-Z_]+)\s*\}\}/g;
const KNOWN = new Set<keyof TemplateVars>(["service", "environment", "version"]);

/** Escapes a value for use inside a double-quoted PromQL string (label matcher values). */
export function escapePromQLString(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

/**
 * Fills {{service}}, {{environment}} and {{version}} in a query. Values are escaped for PromQL
 * strings, so a value cannot end the label matcher it is placed in. An unknown placeholder or a
 * missing value is an error that says which input to set.
 */
export function renderQuery(query: string, vars: TemplateVars): string {
  return query.replace(PLACEHOLDER, (_, name: string) => {
    if (!KNOWN.has(name as keyof TemplateVars)) {
      throw new Error(
        `query uses {{${name}}}, which is not known: use {{service}}, {{environment}} or {{version}}`,
      );
    }
    const value = vars[name as keyof TemplateVars];
    if (value === undefined || value === "") {
      throw new Error(`query uses {{${name}}} but no ${name} was given: set the ${name} input (--${name})`);
    }
    return escapePromQLString(value);
  });
}
