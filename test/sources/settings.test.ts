import { describe, expect, it } from "vitest";
import { SECRET_INPUTS, sourceSettingsFrom } from "../../src/sources/settings.js";

describe("sourceSettingsFrom", () => {
  it("reads secrets from the environment when no input carries them, and returns them for masking", () => {
    const { settings, defaultKind, secrets } = sourceSettingsFrom(
      { source: "datadog", "datadog-site": "datadoghq.eu", "newrelic-account-id": "42" },
      { DD_API_KEY: "env-api-key-123", DD_APPLICATION_KEY: "env-app-key-456", NEW_RELIC_API_KEY: "NRAK-XYZ" },
    );
    expect(defaultKind).toBe("datadog");
    expect(settings.datadog).toEqual({
      site: "datadoghq.eu",
      apiKey: "env-api-key-123",
      applicationKey: "env-app-key-456",
    });
    expect(settings.newrelic).toEqual({ accountId: "42", region: undefined, apiKey: "NRAK-XYZ" });
    expect(secrets.sort()).toEqual(["NRAK-XYZ", "env-api-key-123", "env-app-key-456"]);
  });

  it("an input beats the environment; json-headers ${ENV} values are secrets too; blank lines are ignored", () => {
    const { settings, secrets } = sourceSettingsFrom(
      {
        "datadog-api-key": "input-key-abc",
        "json-url": "https://m.test/q?q={{query}}",
        "json-headers": "Authorization: Bearer ${TOKEN}\n\nX-Team: sre",
        "json-timestamps": "$.t[*]",
        "json-values": "$.v[*]",
      },
      { DD_API_KEY: "env-key", TOKEN: "json-token-789" },
    );
    expect(settings.datadog?.apiKey).toBe("input-key-abc");
    expect(settings.json?.headers).toEqual({ Authorization: "Bearer ${TOKEN}", "X-Team": "sre" });
    expect(secrets).toContain("json-token-789");
    expect(secrets).not.toContain("env-key");
  });

  it("rejects an unknown source kind and a non-boolean prometheus-sigv4", () => {
    expect(() => sourceSettingsFrom({ source: "influx" }, {})).toThrow(/influx.*prometheus, datadog/);
    expect(() => sourceSettingsFrom({ "prometheus-sigv4": "yes" }, {})).toThrow(/true or false/);
  });

  it("every secret has an environment variable, so the CLI never needs it as a flag", async () => {
    const { OPTION_NAMES } = await import("../../src/core/config/schema.js");
    for (const [name, secret] of Object.entries(SECRET_INPUTS)) {
      expect(secret.env).toMatch(/^[A-Z_]+$/);
      expect(OPTION_NAMES as string[]).not.toContain(name);
    }
  });
});

describe("source: in a checks YAML", () => {
  it("a check may name its source; an unknown one is refused with its path", async () => {
    const { parseChecksYaml } = await import("../../src/core/config/gate-config.js");
    const checks = parseChecksYaml("- query: sum:errors{*}\n  source: datadog\n- query: up\n");
    expect(checks.map((c) => c.source)).toEqual(["datadog", undefined]);
    expect(() => parseChecksYaml("- query: up\n  source: influx\n")).toThrow(/checks\[0\]\.source/);
  });
});
