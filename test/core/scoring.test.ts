import { describe, expect, it } from "vitest";
import type { CorrelationCase, DeploymentRef, PullRef } from "../../src/core/correlation-types.js";
import {
  CaseValidationError,
  DEFAULT_HALF_LIFE_MINUTES,
  DEFAULT_RISKY_PATHS,
  DEFAULT_WEIGHTS,
  LARGE_CHANGE_FILES,
  rankSuspects,
  validateCase,
} from "../../src/core/scoring.js";

const T = "2024-05-01T12:00:00Z";
const minutesBefore = (m: number) => new Date(Date.parse(T) - m * 60_000).toISOString();

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
  files: string[] = ["README.md"],
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

const numbers = (c: CorrelationCase) => rankSuspects(c).map((s) => s.number);

describe("rankSuspects", () => {
  it("ranks the most recent deploy before the alert highest, decaying with a half-life", () => {
    const c = makeCase(
      [deploy(1, 120), deploy(2, 5), deploy(3, 40)],
      [pull(10, 1), pull(20, 2), pull(30, 3)],
    );
    const ranked = rankSuspects(c);
    expect(ranked.map((s) => s.number)).toEqual([20, 30, 10]);
    const byNumber = new Map(ranked.map((s) => [s.number, s]));
    // One half-life apart: proximity halves.
    const c2 = makeCase([deploy(1, 10), deploy(2, 10 + DEFAULT_HALF_LIFE_MINUTES)], [pull(1, 1), pull(2, 2)]);
    const [a, b] = rankSuspects(c2);
    expect(b!.factors.proximity).toBeCloseTo(a!.factors.proximity / 2, 2);
    expect(byNumber.get(20)!.reasons[0]).toMatch(/^deployed 5 min before the alert \(\+0\.\d\d\)$/);
    expect(byNumber.get(10)!.reasons[0]).toContain("deployed 2 h before the alert");
  });

  it("adds the service weight when a PR touches the service's paths, and names the glob", () => {
    const c = makeCase([deploy(1, 10)], [pull(1, 1, ["docs/a.md"]), pull(2, 1, ["src/checkout/cart.ts"])], {
      services: { checkout: ["src/checkout/**"], search: ["src/search/**"] },
    });
    const [first, second] = rankSuspects(c);
    expect(first!.number).toBe(2);
    expect(first!.score - second!.score).toBeCloseTo(DEFAULT_WEIGHTS.servicePaths, 3);
    expect(first!.reasons).toContain("touches paths of service checkout: src/checkout/** (+0.20)");
    expect(second!.reasons.some((r) => r.includes("service"))).toBe(false);
  });

  it("compiles globs without extglobs, so +(…) and @(…) are literal text (issue 11, finding 2)", () => {
    const c = makeCase([deploy(1, 10)], [pull(1, 1, ["src/checkout/cart.ts"])], {
      services: { checkout: ["+(src)/checkout/**"] },
      riskyPaths: ["@(src)/**"],
    });
    const [only] = rankSuspects(c);
    expect(only!.reasons.some((r) => r.includes("service") || r.includes("risky"))).toBe(false);
  });

  it("uses the alert's service only: another service's paths do not count", () => {
    const c = makeCase([deploy(1, 10)], [pull(1, 1, ["src/search/q.ts"])], {
      services: { search: ["src/search/**"] },
    });
    expect(rankSuspects(c)[0]!.factors.servicePaths).toBe(0);
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
      const [s] = rankSuspects(makeCase([deploy(1, 10)], [pull(1, 1, [path])]));
      expect(s!.factors.riskyPaths, path).toBe(DEFAULT_WEIGHTS.riskyPaths);
      expect(s!.reasons).toContain(`touches risky paths: ${path} (+0.15)`);
    }
    const [plain] = rankSuspects(makeCase([deploy(1, 10)], [pull(1, 1, ["src/app.ts", "config.md"])]));
    expect(plain!.factors.riskyPaths).toBe(0);
    const [custom] = rankSuspects(
      makeCase([deploy(1, 10)], [pull(1, 1, ["src/app.ts"])], { riskyPaths: ["src/*.ts"] }),
    );
    expect(custom!.factors.riskyPaths).toBe(DEFAULT_WEIGHTS.riskyPaths);
    expect(DEFAULT_RISKY_PATHS).toContain("**/migrations/**");
  });

  it("scores larger changes higher, saturating at a large change", () => {
    const big = pull(2, 1, ["a.ts"], { additions: 800, deletions: 40 });
    const small = pull(1, 1, ["b.ts"], { additions: 3, deletions: 1 });
    const manyFiles = pull(
      3,
      1,
      Array.from({ length: LARGE_CHANGE_FILES }, (_, i) => `f${i}.ts`),
    );
    const ranked = rankSuspects(makeCase([deploy(1, 10)], [small, big, manyFiles]));
    const byNumber = new Map(ranked.map((s) => [s.number, s]));
    expect(byNumber.get(2)!.factors.size).toBe(DEFAULT_WEIGHTS.size);
    expect(byNumber.get(3)!.factors.size).toBe(DEFAULT_WEIGHTS.size);
    expect(byNumber.get(1)!.factors.size).toBeLessThan(DEFAULT_WEIGHTS.size / 2);
    expect(byNumber.get(2)!.reasons).toContain("large change: 840 lines in 1 file (+0.10)");
    expect(ranked.at(-1)!.number).toBe(1);
  });

  it("adds the failed-check weight and counts a deploy whose check failed even though its status is failure", () => {
    const c = makeCase(
      [
        deploy(1, 10),
        deploy(2, 10, { status: "failure", checkFailed: true }),
        deploy(3, 10, { status: "failure" }),
      ],
      [pull(1, 1), pull(2, 2), pull(3, 3)],
    );
    const ranked = rankSuspects(c);
    expect(ranked.map((s) => s.number)).toEqual([2, 1]); // deploy 3 failed to ship: not suspected
    expect(ranked[0]!.reasons).toContain("the deploy check failed for deploy 2 (+0.20)");
    expect(ranked[0]!.score - ranked[1]!.score).toBeCloseTo(DEFAULT_WEIGHTS.checkFailed, 3);
  });

  it("ignores deployments after the alert, before the lookback, of other environments, or not successful", () => {
    const c = makeCase(
      [
        deploy(1, -1), // one minute after the alert
        deploy(2, 25 * 60), // older than 24 h
        deploy(3, 10, { environment: "staging" }),
        deploy(4, 10, { status: "in_progress" }),
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
    // Same score: later deploy in the lookback cannot tie on proximity, so equalise with weights.
    const c = makeCase([deploy(1, 10), deploy(2, 50)], [pull(9, 2), pull(5, 1), pull(3, 1)]);
    const ranked = rankSuspects(c, { weights: { proximity: 0 } });
    expect(ranked.every((s) => s.score === ranked[0]!.score)).toBe(true);
    expect(ranked.map((s) => s.number)).toEqual([3, 5, 9]);
  });

  it("is deterministic, bounded and rounded to 3 decimals, with a reason for each contributing factor", () => {
    const c = makeCase(
      [deploy(1, 7, { checkFailed: true, status: "failure" }), deploy(2, 33)],
      [
        pull(1, 1, ["src/checkout/a.ts", "db/migrations/1.sql"], { additions: 900, deletions: 100 }),
        pull(2, 2, ["src/checkout/b.ts"]),
      ],
      { services: { checkout: ["src/checkout/**"] } },
    );
    const shuffled = { ...c, deployments: [...c.deployments].reverse(), pulls: [...c.pulls].reverse() };
    const a = rankSuspects(c);
    expect(rankSuspects(shuffled)).toEqual(a);
    for (const s of a) {
      expect(s.score).toBeGreaterThanOrEqual(0);
      expect(s.score).toBeLessThanOrEqual(1);
      expect(Math.round(s.score * 1000) / 1000).toBe(s.score);
      const contributing = Object.values(s.factors).filter((v) => v > 0).length;
      expect(s.reasons).toHaveLength(contributing);
      for (const r of s.reasons) expect(r).toMatch(/\(\+\d\.\d\d\)$/);
    }
    expect(a[0]!.reasons).toHaveLength(5);
    expect(a[0]!.score).toBeGreaterThan(0.9);
  });

  it("uses every deployment's environment when the alert names none", () => {
    const c = makeCase([deploy(1, 10, { environment: "staging" })], [pull(1, 1)]);
    c.alert.labels = { alertname: "X" };
    expect(numbers(c)).toEqual([1]);
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

  it("rejects a non-object", () => {
    expect(() => validateCase([])).toThrow(/\(case\): expected object/);
  });
});
