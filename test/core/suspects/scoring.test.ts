import { describe, expect, it } from "vitest";
import type {
  CorrelationCase,
  DeploymentRef,
  PullRef,
} from "../../../src/core/suspects/correlation-types.js";
import {
  CaseValidationError,
  DEFAULT_RISKY_PATHS,
  caseFeatures,
  rankSuspects,
  validateCase,
  type ScoredSuspect,
} from "../../../src/core/suspects/scoring.js";
import {
  DEFAULT_MODEL,
  MAX_REASONS,
  confidences,
  logitsOf,
  weightOf,
  type SuspectModel,
} from "../../../src/core/suspects/model.js";

const T = "2024-05-01T12:00:00Z";
const minutesBefore = (m: number) => new Date(Date.parse(T) - m * 60_000).toISOString();
const coef = (f: keyof SuspectModel["coefficients"]) => DEFAULT_MODEL.coefficients[f] ?? 0;

function deploy(id: number, minutes: number, extra: Partial<DeploymentRef> = {}): DeploymentRef {
  return {
    id,
    sha: `sha${id}`,
    environment: "production",
    createdAt: minutesBefore(minutes),
    status: "success",
    ...extra,
  };
}

function pull(
  number: number,
  deploymentId: number,
  files: string[] = ["src/app.ts"],
  extra: Partial<PullRef> = {},
): PullRef {
  return {
    number,
    title: `PR ${number}`,
    author: "alice",
    mergedAt: minutesBefore(300),
    deploymentId,
    additions: 2,
    deletions: 1,
    files: files.map((path) => ({ path, additions: 1, deletions: 0 })),
    ...extra,
  };
}

function makeCase(
  deployments: DeploymentRef[],
  pulls: PullRef[],
  config: CorrelationCase["config"] = {},
): CorrelationCase {
  return {
    alert: {
      startsAt: T,
      labels: { alertname: "HighErrors", service: "checkout", environment: "production" },
    },
    deployments,
    pulls,
    config,
  };
}

const CHECKOUT = { services: { checkout: ["src/checkout/**"], search: ["src/search/**"] } };
const numbers = (c: CorrelationCase) => rankSuspects(c).map((s) => s.number);
const byNumber = (ranked: ScoredSuspect[]) => new Map(ranked.map((s) => [s.number, s]));
/** A model that weighs nothing: every PR ties, so only the tie-breaks order them. */
const FLAT: SuspectModel = { ...DEFAULT_MODEL, coefficients: {}, priors: {} };

describe("rankSuspects", () => {
  it("ranks more recent deploys higher when nothing else tells the PRs apart", () => {
    const c = makeCase(
      [deploy(1, 120), deploy(2, 5), deploy(3, 40)],
      [pull(10, 1), pull(20, 2), pull(30, 3)],
    );
    const ranked = rankSuspects(c);
    expect(ranked.map((s) => s.number)).toEqual([20, 30, 10]);
    expect(ranked[0]!.reasons[0]).toMatch(
      /^deployed 5 min before the alert in deploy 2 \(the latest deploy, the last PR shipped\): odds ×\d/,
    );
    expect(byNumber(ranked).get(10)!.reasons).toContainEqual(
      expect.stringMatching(
        /^deployed 2 h before the alert in deploy 1 \(2 deploys since, 2 PRs shipped after it\): odds ×0\.\d+$/,
      ),
    );
  });

  it("puts the PR that touches the alert's service first, even when another shipped later, and names the glob", () => {
    const c = makeCase(
      [deploy(1, 180), deploy(2, 10)],
      [pull(1, 2, ["src/search/q.ts"]), pull(2, 1, ["src/checkout/cart.ts"])],
      CHECKOUT,
    );
    const [first, second] = rankSuspects(c);
    expect(first!.number).toBe(2);
    expect(first!.reasons[0]).toMatch(
      /^touches src\/checkout\/\*\* \(the alert's service\), 100 % of its changes there, the latest change to the service: odds ×\d/,
    );
    expect(second!.reasons).toContainEqual(
      expect.stringMatching(/^touches none of the paths of checkout \(the alert's service\): odds ×0\./),
    );
    expect(first!.confidence).toBeGreaterThan(second!.confidence);
  });

  it("compiles globs without extglobs, so +(…) and @(…) are literal text (issue 11, finding 2)", () => {
    const c = makeCase([deploy(1, 10)], [pull(1, 1, ["src/checkout/cart.ts"])], {
      services: { checkout: ["+(src)/checkout/**"] },
      riskyPaths: ["@(src)/**"],
    });
    const [only] = rankSuspects(c);
    expect(only!.factors.touchesService).toBeUndefined();
    expect(only!.factors.riskyPaths).toBeUndefined();
  });

  it("among PRs touching the service, prefers the one shipped last", () => {
    const c = makeCase(
      [deploy(1, 300), deploy(2, 120), deploy(3, 10)],
      [pull(1, 1, ["src/checkout/a.ts"]), pull(2, 2, ["src/checkout/b.ts"]), pull(3, 3, ["src/search/c.ts"])],
      CHECKOUT,
    );
    const ranked = rankSuspects(c);
    expect(ranked.map((s) => s.number)).toEqual([2, 1, 3]);
    expect(ranked[1]!.reasons[0]).toContain("1 later change to the service");
  });

  it("uses the alert's service only, first matching service wins: another service's paths do not count", () => {
    const c = makeCase(
      [deploy(1, 10)],
      [pull(1, 1, ["src/search/q.ts"]), pull(2, 1, ["src/checkout/x.ts"])],
      {
        // An ordered map: src/checkout/** listed under search first, so checkout's own glob never sees it.
        services: { search: ["src/search/**", "src/checkout/x.ts"], checkout: ["src/**"] },
      },
    );
    const ranked = byNumber(rankSuspects(c));
    expect(ranked.get(1)!.factors.touchesService).toBeUndefined();
    expect(ranked.get(2)!.factors.touchesService).toBeUndefined();
  });

  it("flags risky paths with the default globs and with configured ones", () => {
    const risky = [
      "db/migrations/0042.sql",
      "package-lock.json",
      "deploy/app.yaml",
      "services/api/go.sum",
      "Dockerfile",
    ];
    for (const path of risky) {
      const ranked = rankSuspects(makeCase([deploy(1, 10)], [pull(1, 1, [path]), pull(2, 1, ["src/a.ts"])]));
      const s = byNumber(ranked).get(1)!;
      expect(s.factors.riskyPaths, path).toBe(
        Math.round(weightOf(DEFAULT_MODEL, "riskyPaths") * 1000) / 1000,
      );
      expect(s.reasons.join("\n"), path).toMatch(
        new RegExp(`touches risky paths: ${path.replace(/\./g, "\\.")}: odds`),
      );
    }
    const [plain] = rankSuspects(makeCase([deploy(1, 10)], [pull(1, 1, ["src/app.ts", "config.md"])]));
    expect(plain!.factors.riskyPaths).toBeUndefined();
    const [custom] = rankSuspects(
      makeCase([deploy(1, 10)], [pull(1, 1, ["src/app.ts"])], { riskyPaths: ["src/*.ts"] }),
    );
    expect(custom!.factors.riskyPaths).toBeDefined();
    expect(DEFAULT_RISKY_PATHS).toContain("**/migrations/**");
  });

  it("weighs change size, test-only changes and dependency bumps the way the fitted model says", () => {
    const manyFiles = pull(
      2,
      1,
      Array.from({ length: 30 }, (_, i) => `src/f${i}.ts`),
    );
    const c = makeCase(
      [deploy(1, 10)],
      [
        pull(1, 1, ["src/one.ts"], { mergedAt: minutesBefore(20) }),
        { ...manyFiles, mergedAt: minutesBefore(20) },
        pull(3, 1, ["test/a.test.ts", "docs/x.md"], { mergedAt: minutesBefore(20) }),
        pull(4, 1, ["package.json", "package-lock.json"], {
          mergedAt: minutesBefore(20),
          author: "dependabot[bot]",
          title: "Bump left-pad from 1.0.0 to 1.0.1",
        }),
      ],
    );
    const s = byNumber(rankSuspects(c));
    // Each comparison follows the sign of the shipped coefficient, so a refit cannot silently flip it.
    expect(Math.sign(s.get(2)!.confidence - s.get(1)!.confidence)).toBe(Math.sign(coef("files")));
    expect(Math.sign(s.get(3)!.confidence - s.get(1)!.confidence)).toBe(Math.sign(coef("nonProductionOnly")));
    expect(s.get(3)!.reasons).toContainEqual(expect.stringMatching(/^changes only tests, docs or CI: odds/));
    expect(s.get(4)!.reasons.join("\n")).toMatch(/a dependency bump/);
    expect(s.get(2)!.reasons).toContainEqual(
      expect.stringMatching(/^change size: 3 lines in 30 files: odds/),
    );
  });

  it("weighs a change of only styles, images, fonts or translations the way the fitted model says", () => {
    const c = makeCase(
      [deploy(1, 10)],
      [
        pull(1, 1, ["src/checkout/a.ts"], { mergedAt: minutesBefore(20) }),
        pull(2, 1, ["src/checkout/a.scss", "config/locales/fr.yml", "static/logo.svg"], {
          mergedAt: minutesBefore(20),
        }),
      ],
      CHECKOUT,
    );
    const s = byNumber(rankSuspects(c));
    expect(coef("cosmeticOnly")).toBeLessThan(0);
    expect(s.get(2)!.confidence).toBeLessThan(s.get(1)!.confidence);
    expect(s.get(2)!.reasons.join("\n")).toMatch(/changes only styles, images, fonts or translations: odds/);
    expect(s.get(1)!.factors.cosmeticOnly).toBeUndefined();
  });

  it("does not make a lone suspect certain: the outside option keeps room for alerts no listed PR caused", () => {
    const lone = (files: string[], minutes = 10) =>
      rankSuspects(makeCase([deploy(1, minutes)], [pull(1, 1, files)], CHECKOUT))[0]!.confidence;
    // The reference profile: one file, all in the alert's service, deployed 10 minutes before: 0.9.
    expect(lone(["src/checkout/a.ts"])).toBeCloseTo(0.9, 2);
    // The same change a day's half older is less likely; one elsewhere is unlikely to be the cause.
    expect(lone(["src/checkout/a.ts"], 12 * 60)).toBeLessThan(0.9);
    expect(lone(["src/search/x.ts"])).toBeLessThan(0.5);
    // Without an outside option (a model that has none) a lone suspect is certain, as before.
    const conditional: SuspectModel = { ...DEFAULT_MODEL };
    delete conditional.outside;
    const c = makeCase([deploy(1, 10)], [pull(1, 1, ["src/search/x.ts"])], CHECKOUT);
    expect(rankSuspects(c, { model: conditional })[0]!.confidence).toBe(1);
  });

  it("adds the failed-check prior and counts a deploy whose check failed even though its status is failure", () => {
    const c = makeCase(
      [
        deploy(1, 10),
        deploy(2, 10, { status: "failure", checkFailed: true }),
        deploy(3, 20, { status: "failure" }),
      ],
      [pull(1, 1), pull(2, 2), pull(3, 3)],
    );
    const ranked = rankSuspects(c);
    expect(ranked.map((s) => s.number)).toEqual([2, 1]); // deploy 3 failed to ship: not suspected
    expect(ranked[0]!.reasons).toContainEqual(
      expect.stringMatching(/^the deploy check failed for deploy 2: odds ×/),
    );
    expect(ranked[0]!.factors.checkFailed).toBe(DEFAULT_MODEL.priors.checkFailed);
  });

  it("ignores deployments after the alert, before the lookback, of other environments, or that never went live", () => {
    const c = makeCase(
      [
        deploy(1, -1), // one minute after the alert
        deploy(2, 25 * 60), // older than 24 h
        deploy(3, 10, { environment: "staging" }),
        deploy(4, 10, { status: "error" }),
        deploy(5, 60, { status: "inactive" }), // superseded success: it was live
        deploy(6, 0), // exactly at the alert start counts
      ],
      [1, 2, 3, 4, 5, 6].map((n) => pull(n, n)),
    );
    expect(numbers(c).sort()).toEqual([5, 6]);
    expect(numbers({ ...c, config: { lookbackSeconds: 26 * 3600 } }).sort()).toEqual([2, 5, 6]);
  });

  it("honours `now` as a cut-off for replays", () => {
    const c = makeCase([deploy(1, 10), deploy(2, 60)], [pull(1, 1), pull(2, 2)]);
    expect(rankSuspects(c, { now: minutesBefore(30) }).map((s) => s.number)).toEqual([2]);
  });

  it("ignores PRs of unknown deployments and counts a PR listed twice once", () => {
    const c = makeCase([deploy(1, 10), deploy(2, 100)], [pull(7, 2), pull(7, 1), pull(8, 99)]);
    const ranked = rankSuspects(c);
    expect(ranked.map((s) => [s.number, s.deploymentId])).toEqual([[7, 2]]);
  });

  it("matches deployment ids across numbers and strings", () => {
    const c = makeCase([deploy(1, 10, { id: "42" })], [pull(1, 42 as unknown as number)]);
    expect(numbers(c)).toEqual([1]);
  });

  it("breaks ties by deploy recency, then PR number", () => {
    const c = makeCase([deploy(1, 10), deploy(2, 50)], [pull(9, 2), pull(5, 1), pull(3, 1)]);
    const ranked = rankSuspects(c, { model: FLAT });
    expect(ranked.every((s) => s.score === ranked[0]!.score)).toBe(true);
    expect(ranked.map((s) => s.number)).toEqual([3, 5, 9]);
  });

  it("is deterministic and order-independent; confidences and the outside option sum to 1; score is the confidence", () => {
    const c = makeCase(
      [deploy(1, 7, { checkFailed: true, status: "failure" }), deploy(2, 33), deploy(3, 90)],
      [
        pull(1, 1, ["src/checkout/a.ts", "db/migrations/1.sql"], { additions: 900, deletions: 100 }),
        pull(2, 2, ["src/checkout/b.ts"]),
        pull(3, 3, ["README.md"]),
        pull(4, 3, ["src/search/x.ts"]),
      ],
      CHECKOUT,
    );
    const shuffled = { ...c, deployments: [...c.deployments].reverse(), pulls: [...c.pulls].reverse() };
    const a = rankSuspects(c);
    expect(rankSuspects(shuffled)).toEqual(a);
    const { none } = confidences(DEFAULT_MODEL, logitsOf(DEFAULT_MODEL, caseFeatures(c)));
    expect(none).toBeGreaterThan(0);
    expect(a.reduce((sum, s) => sum + s.confidence, 0) + none).toBeCloseTo(1, 2);
    for (const s of a) {
      expect(s.score).toBe(s.confidence);
      expect(s.confidence).toBeGreaterThanOrEqual(0);
      expect(s.confidence).toBeLessThanOrEqual(1);
      expect(Math.round(s.score * 1000) / 1000).toBe(s.score);
      expect(s.reasons.length).toBeGreaterThan(0);
      expect(s.reasons.length).toBeLessThanOrEqual(MAX_REASONS);
      for (const r of s.reasons) expect(r).toMatch(/: odds ×\d+(\.\d+)?$/);
    }
    expect(a[0]!.number).toBe(1);
  });

  it("explains with the top factors first: the reasons are ordered by how far they move the odds", () => {
    const c = makeCase(
      [deploy(1, 240), deploy(2, 5)],
      [pull(1, 1, ["src/checkout/a.ts"]), pull(2, 2, ["docs/a.md"]), pull(3, 2, ["src/x.ts"])],
      CHECKOUT,
    );
    for (const s of rankSuspects(c)) {
      const moves = s.reasons.map((r) => Math.abs(Math.log(Number(/odds ×([\d.]+)$/.exec(r)![1]))));
      // Rounding of the shown multipliers may tie neighbours; never reverse them.
      for (let i = 1; i < moves.length; i++) expect(moves[i]!).toBeLessThanOrEqual(moves[i - 1]! + 0.05);
    }
    const top = rankSuspects(c)[0]!;
    expect(top.number).toBe(1);
    expect(top.reasons[0]).toMatch(/^touches src\/checkout\/\*\*/);
  });

  it("uses every deployment's environment when the alert names none", () => {
    const c = makeCase([deploy(1, 10, { environment: "staging" })], [pull(1, 1)]);
    c.alert.labels = { alertname: "X" };
    expect(numbers(c)).toEqual([1]);
  });
});

describe("rankSuspects: deployments not yet successful", () => {
  it("ranks a deployment still in_progress at the alert, first when it ships the service's change, and says its status", () => {
    const c = makeCase(
      [deploy(1, 360), deploy(42, 4, { status: "in_progress" })],
      [
        pull(1, 1, ["src/checkout/old.ts"]),
        pull(2, 42, ["src/checkout/new.ts"]),
        pull(3, 42, ["src/search/q.ts"]),
      ],
      CHECKOUT,
    );
    const ranked = rankSuspects(c);
    expect(ranked[0]!.number).toBe(2);
    expect(ranked[0]!.deploymentId).toBe(42);
    expect(ranked[0]!.reasons).toContainEqual(
      expect.stringMatching(/^deployment 42 is still in_progress \(the gate is verifying it\): odds ×/),
    );
    expect(byNumber(ranked).get(3)!.reasons.join("\n")).toContain("deployment 42 is still in_progress");
    expect(byNumber(ranked).get(1)!.reasons.join("\n")).not.toContain("still");
  });

  it("ranks queued and pending deployments, and the latest deployment whatever its status, but not failed ones", () => {
    const c = makeCase(
      [
        deploy(1, 100, { status: "queued" }),
        deploy(2, 80, { status: "pending" }),
        deploy(3, 60, { status: "failure" }),
        deploy(4, 50, { status: "waiting" }), // not the latest: an unknown status does not count
        deploy(5, 5, { status: "waiting" }), // the latest one counts whatever its status
      ],
      [1, 2, 3, 4, 5].map((n) => pull(n, n)),
    );
    expect(numbers(c).sort()).toEqual([1, 2, 5]);
    const latestFailed = makeCase(
      [deploy(1, 60), deploy(2, 5, { status: "error" })],
      [pull(1, 1), pull(2, 2)],
    );
    expect(numbers(latestFailed)).toEqual([1]);
  });

  it("still ranks the in-progress release first over an older service change when it touches the service too", () => {
    const c = makeCase(
      [deploy(1, 6 * 60), deploy(9, 2, { status: "in_progress" })],
      [pull(1, 1, ["src/checkout/a.ts"], { additions: 400 }), pull(2, 9, ["src/checkout/b.ts"])],
      CHECKOUT,
    );
    expect(numbers(c)).toEqual([2, 1]);
  });
});

describe("validateCase", () => {
  const valid = () =>
    JSON.parse(JSON.stringify(makeCase([deploy(1, 10)], [pull(1, 1), pull(2, 1), pull(3, 1)])));

  it("accepts a valid case and keeps working with extra fields", () => {
    const json = valid();
    json.extra = true;
    json.pulls[0].labels = ["bug"];
    const c = validateCase(json);
    expect(c.pulls).toHaveLength(3);
    expect(rankSuspects(c)).toHaveLength(3);
  });

  it("names the bad field and what was expected", () => {
    const json = valid();
    json.pulls[2].mergedAt = "yesterday";
    expect(() => validateCase(json)).toThrow(CaseValidationError);
    expect(() => validateCase(json)).toThrow(/pulls\[2\]\.mergedAt: expected an ISO 8601 date/);
  });

  it("reports missing and mistyped fields with their paths", () => {
    const json = valid();
    delete json.alert.startsAt;
    json.deployments[0].id = null;
    json.pulls[1].files = [{ path: "a", additions: "many" }];
    try {
      validateCase(json);
      expect.unreachable();
    } catch (err) {
      const issues = (err as CaseValidationError).issues.join("\n");
      expect(issues).toMatch(/^alert\.startsAt: missing/m);
      expect(issues).toMatch(/^deployments\[0\]\.id: /m);
      expect(issues).toMatch(/^pulls\[1\]\.files\[0\]\.additions: expected a number, got "many"/m);
    }
  });

  it("defaults optional parts: status, files, sizes summed from files", () => {
    const c = validateCase({
      alert: { startsAt: T, labels: {} },
      deployments: [{ id: 1, sha: "s", environment: "p", createdAt: T }],
      pulls: [
        {
          number: 1,
          mergedAt: T,
          deploymentId: 1,
          files: [{ path: "a", additions: 3, deletions: 2 }, { path: "b" }],
        },
      ],
    });
    expect(c.deployments[0]!.status).toBe("success");
    expect(c.pulls[0]).toMatchObject({ additions: 3, deletions: 2, title: "", author: "" });
  });

  it("takes the culprit dataset's shape: candidates with deployId, and serviceMap as the services", () => {
    const c = validateCase({
      id: "x-1",
      repo: "o/r",
      alert: { startsAt: T, labels: { service: "checkout", environment: "production" } },
      deployments: [{ id: "d-1", sha: "s", environment: "production", createdAt: minutesBefore(30) }],
      candidates: [
        { number: 4, title: "t", author: "a", mergedAt: minutesBefore(40), deployId: "d-1", files: [] },
      ],
      serviceMap: { checkout: ["src/checkout/**"] },
    });
    expect(c.pulls[0]).toMatchObject({ number: 4, deploymentId: "d-1" });
    expect(c.config?.services).toEqual({ checkout: ["src/checkout/**"] });
    expect(rankSuspects(c).map((s) => s.number)).toEqual([4]);
  });

  it("names the dataset's own fields in errors", () => {
    const bad = {
      alert: { startsAt: T, labels: {} },
      deployments: [],
      candidates: [{ number: 4, mergedAt: T, deployId: null }],
      serviceMap: { checkout: "src/**" },
    };
    expect(() => validateCase(bad)).toThrow(/candidates\[0\]\.deployId: /);
    expect(() => validateCase(bad)).toThrow(/serviceMap\.checkout: expected array/);
  });

  it("keeps service hints for path inference", () => {
    const json = valid();
    json.hints = { paths: ["src/checkout/a.ts"], codeowners: "/src/checkout/ @acme/checkout", extra: 1 };
    expect(validateCase(json).hints).toEqual({
      paths: ["src/checkout/a.ts"],
      codeowners: "/src/checkout/ @acme/checkout",
    });
    json.hints.paths = "src";
    expect(() => validateCase(json)).toThrow(/hints\.paths: expected array/);
  });

  it("rejects a non-object", () => {
    expect(() => validateCase([])).toThrow(/\(case\): expected object/);
  });
});
