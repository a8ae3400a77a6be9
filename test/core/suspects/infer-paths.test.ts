import picomatch from "picomatch";
import { describe, expect, it } from "vitest";
import type { CorrelationCase } from "../../../src/core/suspects/correlation-types.js";
import { rankSuspects } from "../../../src/core/suspects/scoring.js";
import {
  MAX_INFERRED_PATHS,
  SOURCE_CODEOWNERS,
  SOURCE_FOLDER,
  SOURCE_PAST_CULPRIT,
  codeownersGlobs,
  codeownersPatternToGlob,
  inferServicePaths,
  tokenize,
} from "../../../src/core/suspects/infer-paths.js";

const TREE = [
  "services/checkout/main.go",
  "services/checkout/cart/cart.go",
  "services/search/query.go",
  "cmd/checkout-api/main.go",
  "test/checkout/cart_test.go",
  "docs/checkout/index.md",
  "warehouse/accounts/views.py",
  "warehouse/static/app.js",
  "app/services/proofing/step.rb",
  "lib/idp/config.rb",
];
const globs = (service: string, hints = {}, candidates: string[] = []) =>
  inferServicePaths(service, hints, candidates).map((p) => p.glob);

describe("inferServicePaths: folders named like the service", () => {
  it("finds a folder named exactly like the label, anywhere, but never under tests or docs", () => {
    expect(inferServicePaths("checkout", { paths: TREE })).toEqual([
      { glob: "services/checkout/**", source: SOURCE_FOLDER },
    ]);
    expect(globs("Check_Out", { paths: TREE })).toEqual(["services/checkout/**"]);
  });

  it("reads folders from the candidates' changed paths when there is no tree", () => {
    expect(globs("checkout", {}, ["services/checkout/cart/cart.go"])).toEqual(["services/checkout/**"]);
  });

  it("takes a folder with a role word added or dropped (checkout-api ↔ checkout)", () => {
    expect(globs("checkout-api", { paths: TREE })).toEqual(["cmd/checkout-api/**"]);
    expect(globs("search-api", { paths: TREE })).toEqual(["services/search/**"]);
    expect(globs("orders", { paths: ["apps/orders-service/x.ts"] })).toEqual(["apps/orders-service/**"]);
  });

  it("spells a multi-word label as a folder path (warehouse-accounts → warehouse/accounts)", () => {
    expect(globs("warehouse-accounts", { paths: TREE })).toEqual(["warehouse/accounts/**"]);
  });

  it("drops a product prefix only when what is left is not a bare role word", () => {
    expect(globs("idp-proofing", { paths: TREE })).toEqual(["app/services/proofing/**"]);
    // "web" alone names no service: nothing, rather than any folder called web.
    expect(globs("shop-web", { paths: ["apps/web/index.ts"] })).toEqual([]);
  });

  it("prefers the most specific tier: an exact folder wins over looser matches", () => {
    expect(globs("checkout", { paths: [...TREE, "apps/checkout-web/x.ts"] })).toEqual([
      "services/checkout/**",
    ]);
  });

  it("returns nothing for an empty label or no matching folder", () => {
    expect(inferServicePaths("", { paths: TREE })).toEqual([]);
    expect(inferServicePaths("billing", { paths: TREE })).toEqual([]);
  });

  it("is bounded: at most MAX_INFERRED_PATHS globs, shallow folders first, odd names skipped", () => {
    const many = Array.from({ length: 200 }, (_, i) => `${"d/".repeat(i % 7)}m${i}/checkout/x.ts`);
    const out = globs("checkout", { paths: [...many, "weird(1)/checkout/x.ts"] });
    expect(out.length).toBeLessThanOrEqual(MAX_INFERRED_PATHS);
    expect(out[0]!.split("/").length).toBeLessThanOrEqual(out.at(-1)!.split("/").length);
    expect(out.some((g) => g.includes("("))).toBe(false);
  });
});

describe("inferServicePaths: CODEOWNERS and past culprits", () => {
  const CODEOWNERS = [
    "# Checkout",
    "/services/pay/ @acme/payments",
    "*.go @acme/gophers",
    "",
    "[Search]",
    "/services/search/ @acme/search",
    "/lib/cart @acme/checkout-team",
    "!/lib/cart/vendor @acme/checkout-team",
  ].join("\n");

  it("takes the entries of a section named like the service, and those owned by a team named like it", () => {
    expect(codeownersGlobs(CODEOWNERS, tokenize("checkout"))).toEqual(["services/pay/**", "lib/cart{,/**}"]);
    expect(inferServicePaths("checkout", { codeowners: CODEOWNERS })).toEqual([
      { glob: "services/pay/**", source: SOURCE_CODEOWNERS },
      { glob: "lib/cart{,/**}", source: SOURCE_CODEOWNERS },
    ]);
    // A GitLab-style section covers its block; owners named like another service add it there too.
    expect(codeownersGlobs(CODEOWNERS, tokenize("search"))).toEqual(["services/search/**", "lib/cart{,/**}"]);
  });

  it("turns CODEOWNERS patterns into root-anchored globs that match what GitHub would", () => {
    expect(codeownersPatternToGlob("/src/app/")).toBe("src/app/**");
    // Without a leading or inner slash, a pattern matches at any depth, as in .gitignore.
    expect(codeownersPatternToGlob("docs/")).toBe("**/docs/**");
    expect(codeownersPatternToGlob("apps/web/")).toBe("apps/web/**");
    expect(codeownersPatternToGlob("/a/b.ts")).toBe("a/b.ts");
    expect(codeownersPatternToGlob("*")).toBeUndefined();
    const lib = picomatch(codeownersPatternToGlob("lib")!, { dot: true });
    expect([lib("lib"), lib("lib/x.ts"), lib("src/lib/y.ts"), lib("library/z.ts")]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    expect(codeownersPatternToGlob("x".repeat(500))).toBeUndefined();
  });

  it("uses the folders of earlier culprits' files, most cited first, tests and docs left out", () => {
    const out = inferServicePaths("checkout", {
      pastCulpritFiles: ["src/pay/a.ts", "src/cart/b.ts", "src/cart/c.ts", "Makefile", "test/x.test.ts"],
    });
    expect(out).toEqual([
      { glob: "src/cart/**", source: SOURCE_PAST_CULPRIT },
      { glob: "Makefile", source: SOURCE_PAST_CULPRIT },
      { glob: "src/pay/**", source: SOURCE_PAST_CULPRIT },
    ]);
  });

  it("combines the sources without repeating a glob", () => {
    const out = inferServicePaths(
      "checkout",
      { paths: TREE, pastCulpritFiles: ["services/checkout/main.go"] },
      ["services/checkout/x.go"],
    );
    expect(out.map((p) => p.glob)).toEqual(["services/checkout/**"]);
    expect(out[0]!.source).toBe(SOURCE_PAST_CULPRIT);
  });

  it("reads only a bounded CODEOWNERS", () => {
    const huge = "/a/ @acme/checkout\n".repeat(10_000) + "/late/ @acme/checkout\n";
    expect(codeownersGlobs(huge, tokenize("checkout"))).not.toContain("late/**");
  });
});

describe("rankSuspects without configured service paths", () => {
  const T = "2024-05-01T12:00:00Z";
  const at = (m: number) => new Date(Date.parse(T) - m * 60_000).toISOString();
  const pull = (number: number, deploymentId: number, path: string) => ({
    number,
    title: `PR ${number}`,
    author: "a",
    mergedAt: at(400),
    deploymentId,
    additions: 3,
    deletions: 1,
    files: [{ path, additions: 3, deletions: 1 }],
  });
  const base = (): CorrelationCase => ({
    alert: { startsAt: T, labels: { service: "checkout", environment: "production" } },
    deployments: [
      { id: 1, sha: "a", environment: "production", createdAt: at(240), status: "success" },
      { id: 2, sha: "b", environment: "production", createdAt: at(10), status: "success" },
    ],
    pulls: [pull(1, 1, "services/checkout/cart.go"), pull(2, 2, "services/search/q.go")],
    // Another service is configured; the alert's is not, so its paths are inferred.
    config: { services: { search: ["services/search/**"] } },
  });

  it("infers the service's folder from the changed paths and says where the match came from", () => {
    const ranked = rankSuspects(base());
    expect(ranked[0]!.number).toBe(1);
    expect(ranked[0]!.reasons[0]).toMatch(
      /^matches services\/checkout\/\*\* \(a folder named like the service\), 100 % of its changes there/,
    );
  });

  it("uses CODEOWNERS and past culprits from the hints", () => {
    const c = base();
    c.pulls = [pull(1, 1, "src/pay/capture.ts"), pull(2, 2, "src/search/q.ts")];
    expect(rankSuspects(c)[0]!.number).toBe(2);
    c.hints = { codeowners: "/src/pay/ @acme/checkout-team\n" };
    const ranked = rankSuspects(c);
    expect(ranked[0]!.number).toBe(1);
    expect(ranked[0]!.reasons[0]).toMatch(
      /^matches src\/pay\/\*\* \(CODEOWNERS assigns it to the service's owners\)/,
    );
    c.hints = { pastCulpritFiles: ["src/pay/refund.ts"] };
    expect(rankSuspects(c)[0]!.reasons[0]).toMatch(/^matches src\/pay\/\*\* \(an earlier incident's culprit/);
  });
});
