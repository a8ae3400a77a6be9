// The Helm chart, rendered without helm: its templates use only `{{ .Values.x }}`, `.Release.Name`,
// `.Chart.AppVersion` and `| quote`, which this test substitutes (and refuses anything else, so the
// chart stays this small or the test grows with it). The rendered YAML is then checked.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { ROOT, readDockerfile } from "./dockerfile.js";

const CHART = join(ROOT, "deploy/helm/aftershock");

function lookup(root: Record<string, unknown>, path: string): unknown {
  return path.split(".").reduce<unknown>((o, key) => {
    if (o === null || typeof o !== "object" || !(key in o))
      throw new Error(`the chart reads .${path}, which is not set`);
    return (o as Record<string, unknown>)[key];
  }, root);
}

function renderTemplate(template: string, scope: Record<string, unknown>): string {
  return template.replace(/\{\{-?\s*(.*?)\s*-?\}\}/g, (_, expr: string) => {
    const m = /^\.([A-Za-z][\w.]*)(\s*\|\s*quote)?$/.exec(expr);
    if (!m) throw new Error(`the chart uses "{{ ${expr} }}", which this test does not render`);
    const value = lookup(scope, m[1]!);
    if (value !== null && typeof value === "object") throw new Error(`.${m[1]} is not a scalar`);
    return m[2] ? JSON.stringify(String(value)) : String(value);
  });
}

function render(values: Record<string, unknown> = {}) {
  const chart = parse(readFileSync(join(CHART, "Chart.yaml"), "utf8")) as {
    appVersion: string;
    version: string;
  };
  const defaults = parse(readFileSync(join(CHART, "values.yaml"), "utf8")) as Record<string, unknown>;
  const scope = {
    Values: { ...defaults, ...values },
    Release: { Name: "aftershock" },
    Chart: { AppVersion: chart.appVersion, Version: chart.version },
  };
  const docs = readdirSync(join(CHART, "templates"))
    .filter((f) => f.endsWith(".yaml"))
    .flatMap((f) =>
      parseAllDocuments(renderTemplate(readFileSync(join(CHART, "templates", f), "utf8"), scope)),
    );
  for (const d of docs) expect(d.errors, String(d.errors[0])).toEqual([]);
  return docs.map((d) => d.toJS() as { kind: string; spec: Record<string, any> }); // eslint-disable-line @typescript-eslint/no-explicit-any
}

describe("the Helm chart", () => {
  const objects = render();
  const deployment = objects.find((o) => o.kind === "Deployment")!;
  const service = objects.find((o) => o.kind === "Service")!;
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0];

  it("renders a Deployment and a Service that reaches its port", () => {
    expect(objects.map((o) => o.kind).sort()).toEqual(["Deployment", "Service"]);
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
    expect(deployment.spec.template.metadata.labels).toMatchObject(deployment.spec.selector.matchLabels);
    const port = container.ports.find((p: { name: string }) => p.name === service.spec.ports[0].targetPort);
    expect(port.containerPort).toBe(3000);
  });

  it("probes /healthz for liveness and /readyz for readiness", () => {
    expect(container.livenessProbe.httpGet.path).toBe("/healthz");
    expect(container.readinessProbe.httpGet.path).toBe("/readyz");
  });

  it("runs as the image's non-root user, with credentials from a Secret", () => {
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(pod.securityContext.runAsUser).not.toBe(0);
    expect(
      readDockerfile()
        .at(-1)!
        .instructions.some((i) => i.op === "USER" && i.args === "node"),
    ).toBe(true);
    expect(container.securityContext.allowPrivilegeEscalation).toBe(false);
    expect(container.envFrom).toEqual([{ secretRef: { name: "aftershock" } }]);
    const env = Object.fromEntries(
      container.env.map((e: { name: string; value: string }) => [e.name, e.value]),
    );
    expect(env).toMatchObject({ HOST: "0.0.0.0", PORT: "3000", LOG_FORMAT: "json" });
  });

  it("lets Prometheus scrape /metrics and takes image and replicas from values", () => {
    expect(deployment.spec.template.metadata.annotations).toMatchObject({
      "prometheus.io/scrape": "true",
      "prometheus.io/path": "/metrics",
    });
    const custom = render({
      replicaCount: 3,
      image: { repository: "r.example/a", tag: "9.9.9", pullPolicy: "Always" },
    });
    const d = custom.find((o) => o.kind === "Deployment")!;
    expect(d.spec.replicas).toBe(3);
    expect(d.spec.template.spec.containers[0].image).toBe("r.example/a:9.9.9");
  });

  it("deploys the version package.json is at", () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    const chart = parse(readFileSync(join(CHART, "Chart.yaml"), "utf8")) as { appVersion: string };
    const values = parse(readFileSync(join(CHART, "values.yaml"), "utf8")) as { image: { tag: string } };
    expect([chart.appVersion, values.image.tag]).toEqual([version, version]);
  });

  it("refuses template syntax this test cannot render, and values that are not set", () => {
    expect(() => renderTemplate("{{ toYaml .Values.x }}", {})).toThrow(/does not render/);
    expect(() => renderTemplate("{{ .Values.missing }}", { Values: {} })).toThrow(/not set/);
  });
});
