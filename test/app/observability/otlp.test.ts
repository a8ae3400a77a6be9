// Traces really leave the process over OTLP/HTTP when an endpoint is configured: a collector
// stand-in on 127.0.0.1 receives the export. Own file: the SDK registers a global provider.
import { createServer, type Server } from "node:http";
import { trace } from "@opentelemetry/api";
import { afterAll, describe, expect, it, vi } from "vitest";
import { startTracing, traced } from "../../../src/app/observability/tracing.js";

describe("startTracing with an OTLP endpoint", () => {
  let server: Server | undefined;
  afterAll(() => {
    server?.close();
    trace.disable();
  });

  it("exports the spans to the collector and flushes them on shutdown", async () => {
    const received: { path: string; body: Buffer }[] = [];
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        received.push({ path: req.url ?? "", body: Buffer.concat(chunks) });
        res.writeHead(200, { "content-type": "application/json" }).end("{}");
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    const log = { info: vi.fn(), warn: vi.fn() };
    const handle = await startTracing(log, {
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
      OTEL_SERVICE_NAME: "aftershock-test",
    });
    expect(handle.enabled).toBe(true);
    expect(log.warn).not.toHaveBeenCalled();
    await traced("aftershock correlate", async () => "done");
    await handle.shutdown();
    const exported = received.filter((r) => r.path === "/v1/traces");
    expect(exported.length).toBeGreaterThan(0);
    // The protobuf/JSON payload carries the span name and the service name.
    const payload = Buffer.concat(exported.map((r) => r.body)).toString("latin1");
    expect(payload).toContain("aftershock correlate");
    expect(payload).toContain("aftershock-test");
  });
});
