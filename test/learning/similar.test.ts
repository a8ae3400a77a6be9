import { describe, expect, it } from "vitest";
import { IncidentRecordSchema } from "../../src/core/incident/incident-record.js";
import {
  culpritsOf,
  findSimilar,
  outcomeOf,
  recurrenceBoost,
  type IncidentDraft,
} from "../../src/core/learning/similar.js";
import { loadHistory, pastIncidents } from "./fixture.js";

const raw = loadHistory();
const past = pastIncidents(raw);
const byNumber = (n: number) => past.find((p) => p.number === n)!;

describe("culpritsOf and outcomeOf", () => {
  it("names confirmed root causes and merged reverts, with their files", () => {
    expect(culpritsOf(byNumber(101).record)).toEqual([
      { pr: 12, how: "confirmed", files: ["src/db/pool.ts", "src/checkout/cart.ts"] },
    ]);
    expect(culpritsOf(byNumber(104).record)).toEqual([
      { pr: 30, how: "rolled back", files: ["src/checkout/cart.ts"] },
    ]);
    // 105 has a suspect but nothing confirmed.
    expect(culpritsOf(byNumber(105).record)).toEqual([]);
  });

  it("tells rolled back, fixed forward, flaky and open apart", () => {
    expect(outcomeOf(byNumber(101))).toBe("rolled back");
    expect(outcomeOf(byNumber(102))).toBe("fixed forward");
    expect(outcomeOf(byNumber(103))).toBe("flaky");
    expect(outcomeOf(byNumber(103), 5 * 60_000)).toBe("fixed forward");
    expect(outcomeOf(byNumber(105))).toBe("open");
  });

  it("has no file match when the record keeps no suspect files (a record written before they were kept)", () => {
    const parsed = IncidentRecordSchema.parse(raw.incidents.find((i) => i.number === 101)!.record);
    const bare = { ...parsed, suspects: parsed.suspects.map(({ files: _files, ...s }) => s) };
    expect(culpritsOf(bare)).toEqual([{ pr: 12, how: "confirmed", files: [] }]);
  });

  it("the record schema keeps suspect files", () => {
    const parsed = IncidentRecordSchema.parse(raw.incidents.find((i) => i.number === 101)!.record);
    expect(culpritsOf(parsed)).toEqual([
      { pr: 12, how: "confirmed", files: ["src/db/pool.ts", "src/checkout/cart.ts"] },
    ]);
  });
});

describe("findSimilar", () => {
  it("matches the same alert and service, earlier culprits' files and the same error, newest first", () => {
    const current = byNumber(105).record;
    const similar = findSimilar(current, past);
    // 103 (search) and the deploy checks do not match; 105 itself is not in its own past.
    expect(similar.map((s) => s.number)).toEqual([102, 101, 106]);
    const s101 = similar.find((s) => s.number === 101)!;
    expect(s101.matches).toEqual(["alert", "culprit-files", "signature"]);
    expect(s101.outcome).toBe("rolled back");
    expect(s101.why).toContain("same alert CheckoutErrorRate on service checkout");
    expect(s101.why).toContain(
      "#40 touches src/db/pool.ts, also changed by #12 (the confirmed culprit in #101)",
    );
    expect(s101.why.at(-1)).toMatch(/^same error: java\.net\.sockettimeoutexception: pool timeout/);
    expect(similar.find((s) => s.number === 102)!.outcome).toBe("fixed forward");
  });

  it("ignores incidents opened after the current one", () => {
    const similar = findSimilar(byNumber(101).record, past);
    expect(similar.map((s) => s.number)).toEqual([106]);
  });

  it("matches a draft by suspect files alone, on another service", () => {
    const draft: IncidentDraft = {
      name: "PaymentsDown",
      service: "payments",
      environment: "production",
      source: "alert",
      suspects: [{ number: 99, files: ["src/checkout/cart.ts"] }, { number: 98 }],
    };
    const similar = findSimilar(draft, past);
    expect(similar.map((s) => [s.number, s.matches])).toEqual([
      [104, ["culprit-files"]],
      [101, ["culprit-files"]],
    ]);
    expect(similar[0]!.why).toEqual([
      "#99 touches src/checkout/cart.ts, also changed by #30 (rolled back in #104)",
    ]);
  });

  it("matches the same deploy check failing again in the same service and environment", () => {
    const draft: IncidentDraft = {
      name: "Deploy check failed",
      service: "checkout",
      environment: "production",
      source: "deploy-check",
    };
    const similar = findSimilar(draft, past);
    expect(similar.map((s) => s.number)).toEqual([107, 104]);
    expect(similar[0]!.matches).toEqual(["alert", "deploy-check"]);
    expect(similar[0]!.why).toContain("the deploy check of checkout in production failed before");
    expect(
      findSimilar({ ...draft, environment: "staging" }, past).every(
        (s) => !s.matches.includes("deploy-check"),
      ),
    ).toBe(true);
  });

  it("limits the results", () => {
    expect(findSimilar(byNumber(105).record, past, { limit: 1 }).map((s) => s.number)).toEqual([102]);
  });
});

describe("recurrenceBoost", () => {
  const suspects = [
    { number: 50, score: 0.6, reasons: ["deployed 5 min before the alert (+0.30)"], files: ["src/api/x.ts"] },
    {
      number: 51,
      score: 0.5,
      reasons: ["deployed 9 min before the alert (+0.25)"],
      files: ["src/db/pool.ts"],
    },
    { number: 52, score: 0.95, reasons: [], files: ["src/checkout/cart.ts", "src/db/pool.ts"] },
    { number: 53, score: 0.2, reasons: [] },
  ];
  const draft: IncidentDraft = {
    name: "CheckoutErrorRate",
    service: "checkout",
    environment: "production",
    source: "alert",
    suspects,
  };
  const similar = findSimilar(draft, past);

  it("raises suspects touching earlier culprits' files, says why, keeps scores ≤ 1 and re-sorts", () => {
    const boosted = recurrenceBoost(suspects, similar);
    expect(boosted.map((s) => s.number)).toEqual([52, 51, 50, 53]);
    const s51 = boosted.find((s) => s.number === 51)!;
    expect(s51.score).toBe(0.65);
    expect(s51.reasons.at(-1)).toBe(
      "touches files of an earlier culprit: src/db/pool.ts (#7, rolled back; #12, confirmed; #20, confirmed) (+0.15)",
    );
    const s52 = boosted.find((s) => s.number === 52)!;
    expect(s52.score).toBe(1);
    expect(s52.reasons.at(-1)).toBe(
      "touches files of an earlier culprit: src/checkout/cart.ts (#12, confirmed; #30, rolled back), src/db/pool.ts (#7, rolled back; #12, confirmed; #20, confirmed) (+0.05)",
    );
    expect(boosted.find((s) => s.number === 50)!.score).toBe(0.6);
    expect(boosted.find((s) => s.number === 50)!.reasons).toHaveLength(1);
    // The input is untouched, and the result is the same every time.
    expect(suspects[1]!.score).toBe(0.5);
    expect(recurrenceBoost(suspects, similar)).toEqual(boosted);
  });

  it("changes nothing without a recurrence", () => {
    const sorted = [...suspects].sort((a, b) => b.score - a.score);
    expect(recurrenceBoost(sorted, [])).toEqual(sorted);
    expect(recurrenceBoost(suspects, similar, { boost: 0.3 }).find((s) => s.number === 51)!.score).toBe(0.8);
  });
});
