// `.github/aftershock.yml`: the schema (src/core/config/repo-config.ts) and the loader (src/github/repo-config.ts).
import nock from "nock";
import { ProbotOctokit } from "probot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_REPO_CONFIG, lookbackSeconds, parseRepoConfig } from "../../src/core/config/repo-config.js";
import { loadRepoConfig } from "../../src/github/repo-config.js";

describe("parseRepoConfig", () => {
  it("defaults: incident labels, no assignees, 24h lookback, closeOnResolve off", () => {
    const { config, error } = parseRepoConfig("");
    expect(error).toBeNull();
    expect(config.labels).toEqual({ incident: "incident", resolved: "resolved", extra: [] });
    expect(config.closeOnResolve).toBe(false);
    expect(lookbackSeconds(config)).toBe(86_400);
    expect(config.repositoryLabel).toBe("repository");
  });

  it("reads every setting, with labels as a list or a mapping", () => {
    const text = `
labels: { incident: sev, extra: [ops] }
assignees: [alice]
services: { checkout: ["services/checkout/**"] }
riskyPaths: ["db/**"]
lookback: 90m
repositoryLabel: repo
closeOnResolve: true
environments: [prod]
`;
    const { config, error } = parseRepoConfig(text);
    expect(error).toBeNull();
    expect(config).toMatchObject({
      labels: { incident: "sev", resolved: "resolved", extra: ["ops"] },
      assignees: ["alice"],
      services: { checkout: ["services/checkout/**"] },
      riskyPaths: ["db/**"],
      repositoryLabel: "repo",
      closeOnResolve: true,
      environments: ["prod"],
    });
    expect(lookbackSeconds(config)).toBe(5400);
    expect(parseRepoConfig("labels: [a, b]").config.labels.extra).toEqual(["a", "b"]);
  });

  it("an invalid file gives the defaults and an error naming the setting", () => {
    const bad = parseRepoConfig("lookback: soon");
    expect(bad.config).toEqual(DEFAULT_REPO_CONFIG);
    expect(bad.error).toMatch(/lookback.*duration/);
    expect(parseRepoConfig("a: [").error).toMatch(/not valid YAML/);
    expect(parseRepoConfig("- a").error).toMatch(/mapping/);
  });

  it("warns about unknown settings but uses the rest", () => {
    const { config, warnings } = parseRepoConfig("assignes: [bob]\nassignees: [carol]");
    expect(config.assignees).toEqual(["carol"]);
    expect(warnings[0]).toMatch(/unknown setting "assignes"/);
  });
});

describe("loadRepoConfig", () => {
  const octokit = new ProbotOctokit({
    auth: { token: "t" },
    retry: { enabled: false },
    throttle: { enabled: false },
  });
  const contents = /\/repos\/acme\/shop\/contents\/\.github(%2F|\/)aftershock\.yml/;

  beforeEach(() => nock.disableNetConnect());
  afterEach(() => {
    nock.cleanAll();
  });

  it("a missing file means the defaults", async () => {
    nock("https://api.github.com").get(contents).reply(404, { message: "Not Found" });
    expect(await loadRepoConfig(octokit, { owner: "acme", repo: "shop" })).toEqual({
      config: DEFAULT_REPO_CONFIG,
      error: null,
      warnings: [],
    });
  });

  it("decodes and parses the file", async () => {
    const content = Buffer.from("assignees: [oncall]\n").toString("base64");
    nock("https://api.github.com").get(contents).reply(200, { type: "file", encoding: "base64", content });
    const { config } = await loadRepoConfig(octokit, { owner: "acme", repo: "shop" });
    expect(config.assignees).toEqual(["oncall"]);
  });

  it("throws on a GitHub failure, so the caller can retry", async () => {
    nock("https://api.github.com").get(contents).reply(502, { message: "Bad Gateway" });
    await expect(loadRepoConfig(octokit, { owner: "acme", repo: "shop" })).rejects.toMatchObject({
      status: 502,
    });
  });
});
