// The `dashboard-url` input: a link from the job summary to the team's dashboard, templated like the
// query. Values are URL-encoded (not PromQL-escaped) so a service name cannot break out of the query
// string, and {{from}}/{{to}} (Unix milliseconds, as Grafana takes them) frame baseline and window.
import { ConfigError } from "../errors.js";
import { TEMPLATE_VAR_NAMES, fillPlaceholders } from "./template.js";
import type { GateSpec, TemplateVars } from "./types.js";

export interface DashboardVars extends TemplateVars {
  /** Unix seconds of the baseline's start and the window's end. */
  from: number;
  to: number;
}

export function renderDashboardUrl(template: string, vars: DashboardVars): string {
  // {{from}} and {{to}} in Unix milliseconds, as Grafana takes them.
  const values = {
    ...vars,
    from: String(Math.round(vars.from * 1000)),
    to: String(Math.round(vars.to * 1000)),
  };
  const url = fillPlaceholders(
    template.trim(),
    "dashboard-url",
    values,
    [...TEMPLATE_VAR_NAMES, "from", "to"],
    encodeURIComponent,
    (m) => new ConfigError(m),
  );
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
