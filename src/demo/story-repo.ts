// The demo's bundled repository: acme/shop with a day of merged PRs and production deployments,
// the last one at the deploy the gate checks (examples/scenarios/step-regression.json). One PR is
// planted to be the culprit: it ships with that deploy, touches checkout and a migration, and is
// large. The real fetchHistory and scorer have to find it; nothing here ranks anything.
import { createHash } from "node:crypto";
import type { SimCommit, SimDeployment, SimFile, SimPull, SimRepo } from "./repo-history.js";

export const STORY_OWNER = "acme";
export const STORY_REPO = "shop";
export const STORY_SERVICE = "checkout";
export const STORY_ENVIRONMENT = "production";
/** The deploy the gate checks: the scenario files' data are around it. */
export const STORY_DEPLOY_TIME = "2026-11-26T14:00:00Z";
/** The planted culprit. */
export const STORY_CULPRIT = 418;

/** `.github/aftershock.yml` of the repository: which paths belong to which service. */
export const STORY_REPO_CONFIG = `# aftershock's settings for acme/shop
services:
  checkout: ["services/checkout/**"]
  search: ["services/search/**"]
  billing: ["services/billing/**"]
rollback:
  draft: true
`;

interface PlannedPull {
  number: number;
  title: string;
  author: string;
  /** Minutes before the deployment that shipped it. */
  mergedBefore: number;
  files: SimFile[];
}

interface PlannedDeploy {
  id: number;
  /** Minutes relative to the checked deploy (0). */
  at: number;
  state: string;
  pulls: PlannedPull[];
}

const f = (path: string, additions: number, deletions: number): SimFile => ({ path, additions, deletions });

const PLAN: PlannedDeploy[] = [
  // Before the 24 h lookback: the base the history walk starts from.
  { id: 7101, at: -27 * 60, state: "inactive", pulls: [] },
  {
    id: 7102,
    at: -15 * 60,
    state: "inactive",
    pulls: [
      {
        number: 409,
        title: "search: typo-tolerant product queries",
        author: "rin",
        mergedBefore: 95,
        files: [f("services/search/src/query.ts", 88, 21), f("services/search/src/query.test.ts", 64, 0)],
      },
      {
        number: 410,
        title: "docs: on-call runbook for payment timeouts",
        author: "sam",
        mergedBefore: 40,
        files: [f("docs/runbooks/payments.md", 120, 4)],
      },
    ],
  },
  {
    id: 7103,
    at: -4 * 60,
    state: "inactive",
    pulls: [
      {
        number: 412,
        title: "Bump pino to 10.4",
        author: "dependabot",
        mergedBefore: 30,
        files: [f("package.json", 1, 1), f("package-lock.json", 40, 38)],
      },
      {
        number: 414,
        title: "billing: retry invoice e-mails once",
        author: "ola",
        mergedBefore: 12,
        files: [f("services/billing/src/invoices.ts", 18, 3)],
      },
    ],
  },
  {
    id: 7104,
    at: 0,
    state: "success",
    pulls: [
      {
        number: STORY_CULPRIT,
        title: "checkout: batch order lookups behind a new orders index",
        author: "kim",
        mergedBefore: 50,
        files: [
          f("services/checkout/src/orders/lookup.ts", 212, 96),
          f("services/checkout/src/orders/batch.ts", 174, 0),
          f("services/checkout/migrations/0042_orders_customer_index.sql", 14, 0),
          f("services/checkout/src/orders/lookup.test.ts", 240, 31),
        ],
      },
      {
        number: 419,
        title: "checkout: clearer copy on the payment page",
        author: "ada",
        mergedBefore: 35,
        files: [f("services/checkout/web/payment.tsx", 6, 6)],
      },
      {
        number: 420,
        title: "search: cache facet counts for 60s",
        author: "rin",
        mergedBefore: 20,
        files: [f("services/search/src/facets.ts", 41, 9)],
      },
    ],
  },
];

const sha = (label: string) => createHash("sha1").update(`aftershock-demo:${label}`).digest("hex");
const iso = (ms: number) => new Date(ms).toISOString();

/** The repository history, built fresh (the stand-in changes deployment states). */
export function storyRepo(): SimRepo {
  const deployAt = Date.parse(STORY_DEPLOY_TIME);
  const commits: SimCommit[] = [];
  const pulls = new Map<number, SimPull>();
  const deployments: SimDeployment[] = [];
  // A few commits before any deployment: the root of the history.
  for (let i = 0; i < 3; i++)
    commits.push({ sha: sha(`root-${i}`), committedDate: iso(deployAt - (30 - i) * 3600_000) });
  for (const d of PLAN) {
    const at = deployAt + d.at * 60_000;
    for (const p of [...d.pulls].sort((a, b) => b.mergedBefore - a.mergedBefore)) {
      const commit: SimCommit = {
        sha: sha(`pr-${p.number}`),
        committedDate: iso(at - p.mergedBefore * 60_000),
        pull: p.number,
      };
      commits.push(commit);
      pulls.set(p.number, {
        number: p.number,
        title: p.title,
        author: p.author,
        mergedAt: commit.committedDate,
        additions: p.files.reduce((s, x) => s + x.additions, 0),
        deletions: p.files.reduce((s, x) => s + x.deletions, 0),
        files: p.files,
        mergeCommitSha: commit.sha,
      });
    }
    deployments.push({
      id: d.id,
      sha: commits.at(-1)!.sha,
      environment: STORY_ENVIRONMENT,
      createdAt: iso(at),
      state: d.state,
    });
  }
  return { owner: STORY_OWNER, repo: STORY_REPO, commits, pulls, deployments, culprit: STORY_CULPRIT };
}

/** The deployment the gate checks. */
export function checkedDeployment(repo: SimRepo): SimDeployment {
  const found = repo.deployments.find((d) => Date.parse(d.createdAt) === Date.parse(STORY_DEPLOY_TIME));
  if (!found) throw new Error(`the demo repository has no deployment at ${STORY_DEPLOY_TIME}`);
  return found;
}
