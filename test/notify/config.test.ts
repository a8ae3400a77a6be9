// The `notifications` section of .github/aftershock.yml: names of the app's variables, never secrets.
import { describe, expect, it } from "vitest";
import { parseRepoConfig } from "../../src/core/config/repo-config.js";

describe("notifications in .github/aftershock.yml", () => {
  it("is off when absent", () => {
    expect(parseRepoConfig("").config.notifications).toEqual({});
    expect(parseRepoConfig("assignees: [a]").config.notifications).toEqual({});
  });

  it("names the environment variables, with defaults for an empty channel", () => {
    const { config, error } = parseRepoConfig(
      "notifications:\n  slack: {}\n  pagerduty: { routingKeyEnv: AFTERSHOCK_PAGERDUTY_TEAM_A }\n",
    );
    expect(error).toBeNull();
    expect(config.notifications.slack?.webhookUrlEnv).toBe("SLACK_WEBHOOK_URL");
    expect(config.notifications.pagerduty?.routingKeyEnv).toBe("AFTERSHOCK_PAGERDUTY_TEAM_A");
  });

  it("refuses a secret written into the file, without repeating it", () => {
    const secret = "https://hooks.slack.com/services/T0/B0/sEcReT";
    for (const text of [
      `notifications:\n  slack:\n    webhookUrl: ${secret}\n`,
      "notifications:\n  pagerduty:\n    routingKey: sEcReT\n",
      `notifications:\n  slack:\n    webhookURL: ${secret}\n`,
    ]) {
      const { config, error } = parseRepoConfig(text);
      expect(config.notifications).toEqual({});
      expect(error).toMatch(/notifications\.(slack|pagerduty)/);
      expect(error).not.toContain("sEcReT");
    }
    expect(parseRepoConfig("notifications:\n  slack:\n    webhookUrl: x\n").error).toMatch(
      /must not be in the repository file.*webhookUrlEnv/,
    );
  });

  it("cannot point at an unrelated secret of the app", () => {
    for (const name of [
      "PRIVATE_KEY",
      "WEBHOOK_SECRET",
      "ALERTMANAGER_TOKEN",
      "slack_webhook_url",
      "SLACK_",
    ]) {
      const { error } = parseRepoConfig(`notifications:\n  slack: { webhookUrlEnv: ${name} }\n`);
      expect(error, name).toMatch(
        /webhookUrlEnv must name an environment variable of the app starting with SLACK_/,
      );
    }
    expect(parseRepoConfig("notifications:\n  pagerduty: { routingKeyEnv: SLACK_X }\n").error).toMatch(
      /routingKeyEnv must name .* PAGERDUTY_/,
    );
  });
});
