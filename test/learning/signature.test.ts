import { describe, expect, it } from "vitest";
import {
  MAX_SIGNATURE_LENGTH,
  errorSignature,
  exceptionType,
  normalizeMessage,
  recordSignatures,
} from "../../src/core/learning/signature.js";

describe("normalizeMessage", () => {
  it.each([
    ["numbers", "Timeout after 3012 ms, 4 retries", "timeout after <n> ms, <n> retries"],
    ["ISO timestamps", "failed at 2024-05-01T12:00:03.123Z", "failed at <ts>"],
    ["log timestamps", "2024-05-01 12:00:03 pool exhausted", "<ts> pool exhausted"],
    ["UUIDs", "order 550e8400-e29b-41d4-a716-446655440000 lost", "order <uuid> lost"],
    ["hex literals and SHAs", "segfault at 0x7ffd1234 in deadbeef1234abcd", "segfault at <hex> in <hex>"],
    ["quoted strings", `user 'alice' and "bob" not found`, "user <str> and <str> not found"],
    ["ids in paths", "GET /api/orders/8812/items/a1b2c3 failed", "get /api/orders/<id>/items/<id> failed"],
    ["IPs and ports", "connect to 10.0.0.12:5432 refused", "connect to <ip> refused"],
    ["e-mail addresses", "mail to ops@example.com bounced", "mail to <email> bounced"],
    ["case and whitespace", "  HIGH   Error Rate\n\n in checkout  ", "high error rate in checkout"],
  ])("replaces %s", (_what, input, expected) => {
    expect(normalizeMessage(input)).toBe(expected);
  });

  it("maps two occurrences of the same error to one signature", () => {
    const a = normalizeMessage("Timeout after 3012 ms on /orders/8812 at 2024-05-01T12:00:00Z");
    const b = normalizeMessage("timeout after 17 ms on /orders/5 at 2024-06-30T23:59:59Z");
    expect(a).toBe(b);
    expect(normalizeMessage("connection refused")).not.toBe(a);
  });

  it("bounds the signature", () => {
    const long = "word ".repeat(500);
    expect(Array.from(normalizeMessage(long)).length).toBeLessThanOrEqual(MAX_SIGNATURE_LENGTH);
    expect(normalizeMessage(long, 20)).toBe("word word word word");
  });
});

describe("exceptionType", () => {
  it.each([
    ["java.net.SocketTimeoutException: Read timed out", "java.net.SocketTimeoutException"],
    ["Unhandled TypeError: x is undefined", "TypeError"],
    ["raise KeyError('user')", "KeyError"],
    ["panic: runtime error: index out of range", "panic: runtime error"],
    ["error rate above 5%", undefined],
  ])("%s → %s", (text, expected) => {
    expect(exceptionType(text)).toBe(expected);
  });
});

describe("errorSignature", () => {
  it("prefers the most specific annotation and finds the type in any of them", () => {
    const sig = errorSignature({
      summary: "High error rate on checkout",
      error: "pool timeout after 3000 ms",
      description: "caused by java.sql.SQLTransientConnectionException",
    });
    expect(sig).toEqual({
      signature: "pool timeout after <n> ms",
      annotation: "error",
      exceptionType: "java.sql.SQLTransientConnectionException",
    });
  });

  it("is null without text", () => {
    expect(errorSignature(undefined)).toBeNull();
    expect(errorSignature({ runbook: "https://x", summary: "   " })).toBeNull();
  });

  it("collects the distinct signatures of a record's alerts", () => {
    const record = {
      fingerprints: {
        b: { summary: "timeout after 5 ms" },
        a: { summary: "timeout after 900 ms" },
        c: {},
        d: { summary: "disk full on /dev/sda1" },
      },
    };
    expect(recordSignatures(record).map((s) => s.signature)).toEqual([
      "timeout after <n> ms",
      "disk full on /dev/<id>",
    ]);
  });
});
