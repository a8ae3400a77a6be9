// Reading the repository's paths (git trees API) and CODEOWNERS for service hints, through nock.
import nock from "nock";
import { Octokit } from "octokit";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { readCodeowners, readRepoPaths } from "../../src/github/service-hints.js";

const API = "https://api.github.com";
const repo = { owner: "o", repo: "r" };
const SHA = "a".repeat(40);

function client() {
  return new Octokit({ auth: "test-token", retry: { enabled: false }, throttle: { enabled: false } });
}

beforeAll(() => {
  nock.disableNetConnect();
});

afterEach(() => {
  nock.cleanAll();
});

describe("readRepoPaths", () => {
  it("lists folders and files of the tree at the ref, and finds the CODEOWNERS GitHub would use", async () => {
    const scope = nock(API)
      .get(`/repos/o/r/git/trees/${SHA}`)
      .query({ recursive: "1" })
      .reply(200, {
        sha: "t",
        truncated: false,
        tree: [
          { path: "CODEOWNERS", type: "blob" },
          { path: "services", type: "tree" },
          { path: "services/checkout", type: "tree" },
          { path: "services/checkout/pay.ts", type: "blob" },
          { path: ".github/CODEOWNERS", type: "blob" },
          { path: "vendor/lib", type: "commit" }, // a submodule: not a path of this repository
          { path: `gen/${"x".repeat(500)}.ts`, type: "blob" }, // generated, over the length bound
        ],
      });
    const read = await readRepoPaths(client(), repo, SHA);
    expect(scope.isDone()).toBe(true);
    expect(read.paths).toEqual([
      "services",
      "services/checkout",
      "CODEOWNERS",
      "services/checkout/pay.ts",
      ".github/CODEOWNERS",
    ]);
    expect(read.truncated).toBe(false);
    // .github/ comes before the root in GitHub's order, whatever the tree's order.
    expect(read.codeownersPath).toBe(".github/CODEOWNERS");
  });

  it("keeps at most maxPaths, folders first, and says the list was cut", async () => {
    const files = Array.from({ length: 30 }, (_, i) => ({ path: `f${i}.ts`, type: "blob" }));
    const folders = Array.from({ length: 4 }, (_, i) => ({ path: `svc${i}`, type: "tree" }));
    nock(API)
      .get(`/repos/o/r/git/trees/main`)
      .query({ recursive: "1" })
      .reply(200, { truncated: false, tree: [...files, ...folders] });
    const read = await readRepoPaths(client(), repo, "main", 10);
    expect(read.paths).toHaveLength(10);
    expect(read.paths.slice(0, 4)).toEqual(["svc0", "svc1", "svc2", "svc3"]);
    expect(read.paths[4]).toBe("f0.ts");
    expect(read.truncated).toBe(true);
  });

  it("passes on GitHub's own truncation", async () => {
    nock(API)
      .get(`/repos/o/r/git/trees/${SHA}`)
      .query({ recursive: "1" })
      .reply(200, { truncated: true, tree: [{ path: "a", type: "tree" }] });
    const read = await readRepoPaths(client(), repo, SHA);
    expect(read).toEqual({ paths: ["a"], truncated: true });
  });
});

describe("readCodeowners", () => {
  const file = (text: string) => ({
    type: "file",
    encoding: "base64",
    content: Buffer.from(text).toString("base64"),
  });

  it("reads the file at the ref", async () => {
    const text = "/services/checkout/ @acme/payments\n";
    nock(API).get("/repos/o/r/contents/.github%2FCODEOWNERS").query({ ref: SHA }).reply(200, file(text));
    expect(await readCodeowners(client(), repo, ".github/CODEOWNERS", SHA)).toBe(text);
  });

  it("cuts a large file at the last whole line within the bound", async () => {
    const line = "/services/checkout/ @acme/payments\n"; // 35 bytes
    nock(API)
      .get("/repos/o/r/contents/CODEOWNERS")
      .query(true)
      .reply(200, file(line.repeat(10)));
    const text = await readCodeowners(client(), repo, "CODEOWNERS", SHA, 100);
    expect(text).toBe(line.repeat(2));
  });

  it("is undefined when the file is gone or not a file, and throws other failures", async () => {
    nock(API).get("/repos/o/r/contents/CODEOWNERS").query(true).reply(404, { message: "Not Found" });
    expect(await readCodeowners(client(), repo, "CODEOWNERS", SHA)).toBeUndefined();
    nock(API)
      .get("/repos/o/r/contents/CODEOWNERS")
      .query(true)
      .reply(200, [{ type: "file" }]);
    expect(await readCodeowners(client(), repo, "CODEOWNERS", SHA)).toBeUndefined();
    nock(API).get("/repos/o/r/contents/CODEOWNERS").query(true).reply(502, { message: "Bad Gateway" });
    await expect(readCodeowners(client(), repo, "CODEOWNERS", SHA)).rejects.toMatchObject({ status: 502 });
  });
});
