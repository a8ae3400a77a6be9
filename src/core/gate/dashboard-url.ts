// The `dashboard-url` input: a link from the job summary to the team's dashboard, templated like the
// query. Values are URL-encoded (not PromQL-escaped) so a service name cannot break out of the query
// string, and {{from}}/{{to}} (Unix milliseconds, as Grafana takes them) frame baseline and window.
import { ConfigError } from "../errors.js";
import type { GateSpec, TemplateVars } from "./types.js";

const PLACEHOLDER = /\{\{\s*([a-zA-Z_]+)\s*\}\}/g;

export interface DashboardVars extends TemplateVars {
  /** Unix seconds of the baseline's start and the window's end. */
  from: number;
  to: number;
}

export function renderDashboardUrl(template: string, vars: DashboardVars): string {
  const url = template.trim().replace(PLACEHOLDER, (_, name: string) => {
    if (name === "from" || name === "to") return String(Math.round(vars[name] * 1000));
    if (name !== "service" && name !== "environment" && name !== "version")
      throw new ConfigError(
        `dashboard-url uses {{${name}}}: use {{service}}, {{environment}}, {{version}}, {{from}} or {{to}}`,
      );
    const value = vars[name];
    if (!value) throw new ConfigError(`dashboard-url uses {{${name}}} but no ${name} was given`);
    return encodeURIComponent(value);
  });
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`dashboard-url "${template}" is not a URL`);
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:")
    throw new ConfigError(`dashboard-url must be an http(s) URL, got ${parsed.protocol}`);
  return parsed.toString();
}

/** The dashboard link of a gate, or undefined without a template; throws ConfigError on a bad one. */
export function dashboardUrlFor(
  template: string | undefined,
  gate: Pick<GateSpec, "vars" | "deployTime" | "baselineSeconds" | "windowSeconds">,
): string | undefined {
  if (!template?.trim()) return undefined;
  return renderDashboardUrl(template, {
    ...gate.vars,
    from: gate.deployTime - gate.baselineSeconds,
    to: gate.deployTime + gate.windowSeconds,
  });
}
