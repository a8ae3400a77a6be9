// The GitHub client policy's throttling: writes (and GraphQL mutations) stay spaced as Octokit's
// throttling spaces them; GraphQL queries are reads and do not queue behind writes (issue 11,
// latency). Asserted by the order in which requests reach GitHub, never by how long they took.
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { githubOctokit } from "../../src/app/replicas.js";

const API = "https://api.github.com";
let arrived: string[];

beforeEach(() => {
  nock.disableNetConnect();
  arrived = [];
  nock(API)
    .persist()
    .post("/repos/o/r/git/blobs")
    .reply((_uri, body) => {
      arrived.push(`create ${(body as { content: string }).content}`);
      return [201, { sha: "1" }];
    })
    .post("/graphql")
    .reply((_uri, body) => {
      const query = (body as { query: string }).query;
      arrived.push(query.trim().startsWith("mutation") ? "mutation" : "query");
      return [200, { data: { viewer: { login: "x" } } }];
    });
});

afterEach(() => nock.cleanAll());

function client() {
  const Octokit = githubOctokit();
  return new Octokit({
    auth: "ghs_test",
    retry: { enabled: false },
    throttle: { id: `test-${Math.random()}`, onRateLimit: () => false, onSecondaryRateLimit: () => false },
  });
}

describe("githubOctokit throttling", () => {
  it("a GraphQL query does not wait behind writes; a mutation does", async () => {
    const octokit = client();
    const create = (title: string) =>
      octokit.request("POST /repos/{owner}/{repo}/git/blobs", { owner: "o", repo: "r", content: title });
    await Promise.all([
      create("one"),
      create("two"),
      octokit.graphql('mutation { addStar(input: {starrableId: "x"}) { clientMutationId } }'),
      octokit.graphql("query { viewer { login } }"),
    ]);
    // "two" waits for the write spacing after "one"; the query does not, the mutation does.
    expect(arrived.indexOf("query")).toBeLessThan(arrived.indexOf("create two"));
    expect(arrived.indexOf("mutation")).toBeGreaterThan(arrived.indexOf("create two"));
  });
});
