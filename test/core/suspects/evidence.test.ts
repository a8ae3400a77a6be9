import { describe, expect, it } from "vitest";
import type { CorrelationCase } from "../../../src/core/suspects/correlation-types.js";
import { rankSuspects } from "../../../src/core/suspects/scoring.js";
import {
  MAX_ANNOTATION_CHARS,
  MAX_FRAMES,
  frameFor,
  parseEvidence,
} from "../../../src/core/suspects/evidence.js";

const STACK = [
  "TypeError: cannot read properties of undefined",
  "    at applyCoupon (src/checkout/coupon.ts:12:3)",
  "    at Object.<anonymous> (/app/node_modules/express/lib/router.js:1:1)",
  '  File "app/payments/capture.py", line 88, in capture',
  "goroutine 1 [running]:",
  "/srv/app/pkg/cart/cart.go:42 +0x1d",
  "\tat com.acme.orders.OrderService.place(OrderService.java:10)",
  "runbook: https://runbooks.example.com/checkout/errors.html (see node.js docs)",
].join("\n");

describe("parseEvidence", () => {
  it("finds JavaScript, Python, Go and Java frames, and skips libraries, URLs and prose", () => {
    const frames = parseEvidence({ description: STACK });
    expect(frames.map((f) => f.text).sort()).toEqual(
      [
        "src/checkout/coupon.ts:12",
        "app/payments/capture.py:88",
        "/srv/app/pkg/cart/cart.go:42",
        "OrderService.java:10",
      ].sort(),
    );
  });

  it("is bounded in characters read and frames kept", () => {
    const many = Array.from({ length: 500 }, (_, i) => `at f (src/f${i}.ts:1:1)`).join("\n");
    expect(parseEvidence({ a: many }).length).toBe(MAX_FRAMES);
    const late = { a: "x".repeat(MAX_ANNOTATION_CHARS), b: "at f (src/late.ts:1:1)" };
    expect(parseEvidence(late)).toEqual([]);
  });

  it("stays fast on hostile input", () => {
    const started = performance.now();
    parseEvidence({ a: "a.".repeat(8_000), b: "/a".repeat(8_000) + "!", c: "(".repeat(16_000) });
    expect(performance.now() - started).toBeLessThan(500);
  });

  it("matches repository files by path suffix at folder boundaries", () => {
    const frames = parseEvidence({ description: STACK });
    expect(frameFor("pkg/cart/cart.go", frames)?.line).toBe(42);
    expect(frameFor("src/main/java/com/acme/orders/OrderService.java", frames)?.text).toBe(
      "OrderService.java:10",
    );
    expect(frameFor("src/checkout/coupon.ts", frames)?.line).toBe(12);
    expect(frameFor("lib/checkout/coupon.ts", frames)).toBeUndefined();
    expect(frameFor("xcart.go", frames)).toBeUndefined();
    // A root file matches only a shallow frame: /usr/src/go/main.go is some other main.go.
    expect(frameFor("main.go", parseEvidence({ a: "/app/main.go:3" }))?.line).toBe(3);
    expect(frameFor("main.go", parseEvidence({ a: "/usr/src/go/runtime/main.go:3" }))).toBeUndefined();
  });
});

describe("rankSuspects with evidence in the alert", () => {
  const T = "2024-05-01T12:00:00Z";
  const at = (m: number) => new Date(Date.parse(T) - m * 60_000).toISOString();
  const base = (annotations?: Record<string, string>): CorrelationCase => ({
    alert: { startsAt: T, labels: { service: "checkout", environment: "production" }, annotations },
    deployments: [
      { id: 1, sha: "a", environment: "production", createdAt: at(300), status: "success" },
      { id: 2, sha: "b", environment: "production", createdAt: at(10), status: "success" },
    ],
    pulls: [
      {
        number: 1,
        title: "Coupons",
        author: "a",
        mergedAt: at(320),
        deploymentId: 1,
        additions: 5,
        deletions: 0,
        files: [{ path: "src/checkout/coupon.ts", additions: 5, deletions: 0 }],
      },
      {
        number: 2,
        title: "Cart",
        author: "b",
        mergedAt: at(20),
        deploymentId: 2,
        additions: 5,
        deletions: 0,
        files: [{ path: "src/checkout/cart.ts", additions: 5, deletions: 0 }],
      },
    ],
    config: { services: { checkout: ["src/checkout/**"] } },
  });

  it("puts the PR that changed a file in the alert's stack first and quotes the frame", () => {
    expect(rankSuspects(base()).map((s) => s.number)).toEqual([2, 1]);
    const ranked = rankSuspects(base({ description: STACK }));
    expect(ranked.map((s) => s.number)).toEqual([1, 2]);
    expect(ranked[0]!.reasons[0]).toMatch(
      /^the alert names src\/checkout\/coupon\.ts:12, and this PR changed src\/checkout\/coupon\.ts: odds ×/,
    );
    expect(ranked[1]!.reasons.join("\n")).not.toContain("the alert names");
  });

  it("ignores annotations without paths", () => {
    const plain = rankSuspects(base({ summary: "checkout 5xx above 2%" }));
    expect(plain).toEqual(rankSuspects(base()));
  });
});
