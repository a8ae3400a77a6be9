// Span helpers against an in-memory tracer: names, nesting, status and recorded exceptions; and the
// optional OTLP SDK start-up (present, missing, not configured).
import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import {
  boundedCommand,
  recordException,
  startTracing,
  traceRoute,
  traced,
} from "../../../src/app/observability/tracing.js";
import { serve } from "../helpers.js";
import { installMemoryTracing, type MemoryTracing } from "./memory-tracing.js";

let tracing: MemoryTracing;
beforeAll(() => {
  tracing = installMemoryTracing();
});
afterAll(() => tracing.uninstall());
beforeEach(() => {
  tracing.spans.length = 0;
});

describe("traced", () => {
  it("ends the span and nests spans started inside it", async () => {
    const result = await traced("outer", async () => traced("inner", async () => 42));
    expect(result).toBe(42);
    const [outer] = tracing.byName("outer");
    const [inner] = tracing.byName("inner");
    expect(outer?.ended && inner?.ended).toBe(true);
    expect(inner?.parentSpanId).toBe(outer?.spanId);
    expect(outer?.status.code).toBe(SpanStatusCode.UNSET);
  });

  it("records a thrown error, sets the error status and rethrows", async () => {
    await expect(
      traced("fails", async () => {
        throw new Error("GitHub said no");
      }),
    ).rejects.toThrow("GitHub said no");
    const [span] = tracing.byName("fails");
    expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: "GitHub said no" });
    expect(span?.exceptions).toEqual(["GitHub said no"]);
    expect(span?.ended).toBe(true);
  });

  it("recordException marks the active span, and does nothing outside one", async () => {
    recordException(new Error("nowhere"));
    await traced("caught", async () => {
      recordException(new Error("handled inside"));
    });
    expect(tracing.byName("caught")[0]?.exceptions).toEqual(["handled inside"]);
    expect(tracing.spans).toHaveLength(1);
  });
});

describe("boundedCommand", () => {
  it("keeps the known command names and nothing else", () => {
    expect(boundedCommand("action-item")).toBe("action-item");
    expect(boundedCommand("ack ")).toBe("ack");
    expect(boundedCommand("drop-database")).toBe("unknown");
  });
});

describe("traceRoute", () => {
  it("makes a server span only for the requests the route owns, failing it on a 5xx", async () => {
    const handler = traceRoute(
      "alertmanager delivery",
      (req) => req.url === "/alertmanager",
      async (req, res) => {
        if (req.url !== "/alertmanager") return false;
        await traced("child", async () => {});
        res.writeHead(503).end();
        return true;
      },
    );
    const server = await serve(handler);
    try {
      expect((await fetch(`${server.url}/other`)).status).toBe(404);
      expect(tracing.spans).toHaveLength(0);
      expect((await fetch(`${server.url}/alertmanager`, { method: "POST" })).status).toBe(503);
    } finally {
      await server.close();
    }
    const [span] = tracing.byName("alertmanager delivery");
    expect(span).toMatchObject({
      kind: SpanKind.SERVER,
      attributes: { "http.request.method": "POST", "http.response.status_code": 503 },
      status: { code: SpanStatusCode.ERROR, message: "answered 503" },
    });
    expect(tracing.byName("child")[0]?.parentSpanId).toBe(span?.spanId);
  });
});

describe("startTracing", () => {
  const log = () => ({ info: vi.fn(), warn: vi.fn() });

  it("stays off without an OTLP endpoint and never imports the SDK", async () => {
    const load = vi.fn();
    const handle = await startTracing(log(), {}, load);
    expect(handle.enabled).toBe(false);
    expect(load).not.toHaveBeenCalled();
  });

  it("warns naming the packages to install when the SDK is missing", async () => {
    const l = log();
    const handle = await startTracing(
      l,
      { OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318" },
      async (name) => {
        throw new Error(`Cannot find package '${name}'`);
      },
    );
    expect(handle.enabled).toBe(false);
    expect(l.warn).toHaveBeenCalledOnce();
    const message = String(l.warn.mock.calls[0]?.[1]);
    expect(message).toContain("@opentelemetry/sdk-trace-node");
    expect(message).toContain("@opentelemetry/exporter-trace-otlp-http");
  });
});
