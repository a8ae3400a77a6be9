// Traces through the OpenTelemetry API only. Without an SDK registered every tracer is a no-op, so
// spans cost nothing until OTEL_EXPORTER_OTLP_ENDPOINT is set and the SDK packages are installed.
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  SpanKind,
  SpanStatusCode,
  trace,
  type Span,
  type SpanOptions,
  type Tracer,
} from "@opentelemetry/api";
import type { Logger } from "pino";
import { COMMAND_SPECS } from "../../core/incident/commands.js";
import { errorMessage } from "../../core/errors.js";

export const TRACER_NAME = "aftershock";

const COMMANDS = new Set<string>(COMMAND_SPECS.map((s) => s.name));

/** A command name for a span or a metric label: one of the known commands, else "unknown". */
export function boundedCommand(name: string): string {
  const normalized = name.trim().replace(/^\//, "").toLowerCase();
  return COMMANDS.has(normalized) ? normalized : "unknown";
}

/** Looked up on each use: a provider registered later (the SDK, a test) is picked up. */
export function tracer(): Tracer {
  return trace.getTracer(TRACER_NAME);
}

// Spans already failed with an exception's message, which a later generic status must not replace.
const failed = new WeakSet<Span>();

/** Marks a span failed with the error recorded on it. */
export function failSpan(span: Span, err: unknown): void {
  const error = err instanceof Error ? err : new Error(String(err));
  span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
  failed.add(span);
}

/** Records an error caught inside a traced section on the active span (no-op without one). */
export function recordException(err: unknown): void {
  const span = trace.getActiveSpan();
  if (span) failSpan(span, err);
}

/** Runs `fn` inside an active span; a throw is recorded, sets the status and is rethrown. */
export async function traced<T>(
  name: string,
  fn: (span: Span) => Promise<T> | T,
  options: SpanOptions = {},
): Promise<T> {
  return tracer().startActiveSpan(name, options, async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      failSpan(span, err);
      throw err;
    } finally {
      span.end();
    }
  });
}

type RouteHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/**
 * Wraps an addHandler route in a server span, only for the requests it owns (`matches`), so the
 * other routes' requests make no spans. The answer's status is recorded; 5xx marks an error.
 */
export function traceRoute(
  name: string,
  matches: (req: IncomingMessage) => boolean,
  handler: RouteHandler,
): RouteHandler {
  return async (req, res) => {
    if (!matches(req)) return handler(req, res);
    return traced(
      name,
      async (span) => {
        const handled = await handler(req, res);
        span.setAttribute("http.response.status_code", res.statusCode);
        if (res.statusCode >= 500 && !failed.has(span)) {
          span.setStatus({ code: SpanStatusCode.ERROR, message: `answered ${res.statusCode}` });
        }
        return handled;
      },
      { kind: SpanKind.SERVER, attributes: { "http.request.method": req.method ?? "" } },
    );
  };
}

export interface TracingHandle {
  /** Whether an SDK was started (spans are exported). */
  enabled: boolean;
  /** Flushes and stops the SDK; resolves at once when tracing is off. */
  shutdown(): Promise<void>;
}

const SDK_PACKAGES =
  "@opentelemetry/sdk-trace-node @opentelemetry/exporter-trace-otlp-http @opentelemetry/resources";

/**
 * Starts the OpenTelemetry SDK when OTEL_EXPORTER_OTLP_ENDPOINT (or ..._TRACES_ENDPOINT) is set.
 * The SDK is an optional dependency, imported at run time: when it is missing the app still runs,
 * with a warning naming the packages to install. `load` is for tests.
 */
export async function startTracing(
  log: Pick<Logger, "info" | "warn">,
  env: NodeJS.ProcessEnv = process.env,
  load: (name: string) => Promise<unknown> = (name) => import(name),
): Promise<TracingHandle> {
  const off: TracingHandle = { enabled: false, shutdown: async () => {} };
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint || env.OTEL_SDK_DISABLED === "true") return off;
  // Loaded only when configured, so an app without tracing never pays for the SDK.
  let sdk: {
    NodeTracerProvider: new (config: object) => { register(): void; shutdown(): Promise<void> };
    BatchSpanProcessor: new (exporter: unknown) => unknown;
  };
  let exporter: { OTLPTraceExporter: new (config: { url: string }) => unknown };
  let resources: { resourceFromAttributes: (attributes: Record<string, string>) => unknown };
  try {
    sdk = (await load("@opentelemetry/sdk-trace-node")) as typeof sdk;
    exporter = (await load("@opentelemetry/exporter-trace-otlp-http")) as typeof exporter;
    resources = (await load("@opentelemetry/resources")) as typeof resources;
  } catch (err) {
    log.warn(
      { err: { message: errorMessage(err) } },
      `OTEL_EXPORTER_OTLP_ENDPOINT is set but the OpenTelemetry SDK could not be loaded, so no traces are exported. Reinstall it with: npm install ${SDK_PACKAGES}`,
    );
    return off;
  }
  // The traces endpoint is used as given; the general one gets the OTLP/HTTP path, as the spec says.
  // Headers and timeouts come from the standard OTEL_EXPORTER_OTLP_* variables.
  const url = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || `${endpoint.replace(/\/+$/, "")}/v1/traces`;
  const provider = new sdk.NodeTracerProvider({
    resource: resources.resourceFromAttributes({ "service.name": env.OTEL_SERVICE_NAME || "aftershock" }),
    spanProcessors: [new sdk.BatchSpanProcessor(new exporter.OTLPTraceExporter({ url }))],
  });
  provider.register();
  log.info({ endpoint: safeEndpoint(endpoint) }, "exporting traces over OTLP");
  return { enabled: true, shutdown: () => provider.shutdown() };
}

/** The endpoint without credentials or query (which may hold a token) for the log. */
function safeEndpoint(endpoint: string): string {
  try {
    const url = new URL(endpoint);
    return `${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    return "(unparsable URL)";
  }
}
