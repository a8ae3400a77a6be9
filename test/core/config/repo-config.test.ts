// `.github/aftershock.yml`: severity bands, runbooks, the dashboard template, and errors that say
// what is wrong and where (the setting's path and its line). The loader is tested in test/app.
import { describe, expect, it } from "vitest";
import { DEFAULT_REPO_CONFIG, parseRepoConfig } from "../../../src/core/config/repo-config.js";
import { DEFAULT_SEVERITY_BANDS } from "../../../src/core/gate/severity.js";

describe("severityBands, runbooks, dashboard", () => {
  it("defaults: the runbook's bands, no runbooks, no dashboard", () => {
    const { config } = parseRepoConfig("");
    expect(config.severityBands).toEqual(DEFAULT_SEVERITY_BANDS);
    expect(config.runbooks).toEqual({});
    expect(config.dashboard).toBeUndefined();
  });

  it("reads severity bands as a string or a list, percentages or ratios", () => {
    const expected = [
      { severity: "P1", min: 0.2, exclusive: true },
      { severity: "P2", min: 0.02, exclusive: false },
      { severity: "P3", min: 0, exclusive: false },
    ];
    expect(parseRepoConfig('severityBands: "P1:>20%,P2:2%,P3:0"').config.severityBands).toEqual(expected);
    expect(parseRepoConfig("severityBands: [P1:>0.2, P2:0.02, P3:0]").config.severityBands).toEqual(expected);
  });

  it("reads runbooks by alert name and the dashboard template", () => {
    const { config, error } = parseRepoConfig(`
runbooks:
  HighErrorRate: https://wiki.example/rb/errors
  default: https://wiki.example/rb
dashboard: "https://grafana.example/d/x?var-service={{service}}&var-env={{ environment }}"
`);
    expect(error).toBeNull();
    expect(config.runbooks).toEqual({
      HighErrorRate: "https://wiki.example/rb/errors",
      default: "https://wiki.example/rb",
    });
    expect(config.dashboard).toBe(
      "https://grafana.example/d/x?var-service={{service}}&var-env={{ environment }}",
    );
  });
});

describe("an invalid file: the defaults, and what is wrong where", () => {
  it("names the path of a bad list item and its line", () => {
    const text = "labels: [ops]\nservices:\n  checkout:\n    - 42\n    - services/checkout/**\n";
    const { config, error } = parseRepoConfig(text);
    expect(config).toEqual(DEFAULT_REPO_CONFIG);
    expect(error).toBe(
      ".github/aftershock.yml: services.checkout[0] must be a string, not a number (line 4); the defaults were used",
    );
  });

  it("names the line of the key for a bad value, and says what was expected", () => {
    expect(parseRepoConfig("assignees: [a]\n\ncloseOnResolve: sometimes\n").error).toBe(
      ".github/aftershock.yml: closeOnResolve must be true or false, not a string (line 3); the defaults were used",
    );
  });

  it("refuses a bad severity band, naming the item of a list", () => {
    expect(parseRepoConfig('severityBands: "P1:>5%,P4:2%"').error).toMatch(
      /^\.github\/aftershock\.yml: severityBands must be bands like .*"P4:2%".* \(line 1\); the defaults were used$/,
    );
    expect(parseRepoConfig("severityBands:\n  - P1:>5%\n  - lots\n").error).toMatch(
      /severityBands\[1\] must be bands like .*"lots".* \(line 3\)/,
    );
  });

  it("refuses a runbook or dashboard that is not an http(s) URL", () => {
    expect(
      parseRepoConfig("runbooks:\n  default: https://ok.example\n  Disk: javascript:alert(1)\n").error,
    ).toMatch(/runbooks\.Disk must be an http\(s\) URL \(line 3\)/);
    expect(parseRepoConfig("dashboard: '{{service}}.grafana'\n").error).toMatch(
      /: dashboard must be an http\(s\) URL, with placeholders like .* \(line 1\)/,
    );
  });

  it("names every problem, up to three, and counts the rest", () => {
    const { error } = parseRepoConfig("lookback: soon\nassignees: 3\ncloseOnResolve: x\nenvironments: []\n");
    expect(error).toMatch(
      /lookback must be a duration .*\(line 1\); assignees must be a list, not a number \(line 2\); /,
    );
    expect(error).toMatch(/\(and 1 more problem\); the defaults were used$/);
  });

  it("says where invalid YAML breaks", () => {
    expect(parseRepoConfig("labels: [ops]\nassignees: [a\n").error).toMatch(
      /^\.github\/aftershock\.yml is not valid YAML: .*line \d+, column \d+; the defaults were used$/,
    );
  });

  it("names the line of an unknown setting, which is only a warning", () => {
    const { config, error, warnings } = parseRepoConfig("assignees: [a]\nrunbook: https://x.example\n");
    expect(error).toBeNull();
    expect(config.assignees).toEqual(["a"]);
    expect(warnings[0]).toMatch(
      /^\.github\/aftershock\.yml: unknown setting "runbook" \(line 2\) was ignored/,
    );
  });
});

describe("bounded configs (issue 11, findings 2 and 10)", () => {
  it("drops extglobs and overlong globs with a warning that names them", () => {
    const evil = "**/*(*)*(*)*(*)*(*)*(*)*(*)@";
    const long = `src/${"a".repeat(300)}/**`;
    const parsed = parseRepoConfig(
      `services:\n  payments: ["${evil}", "services/payments/**"]\n  web: ["${long}"]\nriskyPaths: ["+(a|b)/**"]\n`,
    );
    expect(parsed.error).toBeNull();
    expect(parsed.config.services).toEqual({ payments: ["services/payments/**"], web: [] });
    expect(parsed.config.riskyPaths).toEqual([]);
    expect(parsed.warnings.join("\n")).toContain(`services.payments: glob "${evil}" was ignored`);
    expect(parsed.warnings.join("\n")).toMatch(/services\.web: glob "src\/a+…" was ignored: longer than 200/);
    expect(parsed.warnings.join("\n")).toContain('riskyPaths: glob "+(a|b)/**" was ignored');
  });

  it("refuses a file above 64 kB, and lists 10 unknown keys of 30 000 with a count", () => {
    const huge = parseRepoConfig(`# ${"x".repeat(70 * 1024)}\nlabels: [ops]\n`);
    expect(huge.error).toMatch(/larger than 65536 bytes; the defaults were used/);
    const keys = Array.from({ length: 3000 }, (_, i) => `k${i}: 1`).join("\n");
    const many = parseRepoConfig(keys);
    expect(many.warnings).toHaveLength(11);
    expect(many.warnings[0]).toMatch(/unknown setting "k0" \(line 1\)/);
    expect(many.warnings[9]).toMatch(/unknown setting "k9" \(line 10\)/);
    expect(many.warnings[10]).toMatch(/and 2990 more unknown settings/);
  });
});
