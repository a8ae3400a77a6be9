// A tiny in-memory OpenTelemetry tracer for tests (no SDK is installed): it implements the API's
// TracerProvider, Tracer and Span, plus an AsyncLocalStorage context manager so active spans
// propagate through awaits and children know their parent, the way the Node SDK does.
import { AsyncLocalStorage } from "node:async_hooks";
import { randomBytes } from "node:crypto";
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  context,
  trace,
  type Attributes,
  type Context,
  type ContextManager,
  type Exception,
  type Span,
  type SpanAttributeValue,
  type SpanContext,
  type SpanOptions,
  type SpanStatus,
  type Tracer,
  type TracerProvider,
} from "@opentelemetry/api";

export interface RecordedSpan {
  name: string;
  kind: SpanKind;
  spanId: string;
  traceId: string;
  parentSpanId: string | undefined;
  attributes: Attributes;
  status: SpanStatus;
  exceptions: string[];
  ended: boolean;
}

class MemorySpan implements Span {
  readonly #context: SpanContext;
  constructor(readonly record: RecordedSpan) {
    this.#context = { traceId: record.traceId, spanId: record.spanId, traceFlags: TraceFlags.SAMPLED };
  }
  spanContext(): SpanContext {
    return this.#context;
  }
  setAttribute(key: string, value: SpanAttributeValue): this {
    this.record.attributes[key] = value;
    return this;
  }
  setAttributes(attributes: Attributes): this {
    Object.assign(this.record.attributes, attributes);
    return this;
  }
  addEvent(): this {
    return this;
  }
  addLink(): this {
    return this;
  }
  addLinks(): this {
    return this;
  }
  setStatus(status: SpanStatus): this {
    this.record.status = status;
    return this;
  }
  updateName(name: string): this {
    this.record.name = name;
    return this;
  }
  end(): void {
    this.record.ended = true;
  }
  isRecording(): boolean {
    return !this.record.ended;
  }
  recordException(exception: Exception): void {
    this.record.exceptions.push(typeof exception === "string" ? exception : String(exception.message));
  }
}

class MemoryTracer implements Tracer {
  constructor(private readonly spans: RecordedSpan[]) {}

  startSpan(name: string, options: SpanOptions = {}, ctx: Context = context.active()): Span {
    const parent = trace.getSpan(ctx)?.spanContext();
    const record: RecordedSpan = {
      name,
      kind: options.kind ?? SpanKind.INTERNAL,
      spanId: randomBytes(8).toString("hex"),
      traceId: parent?.traceId ?? randomBytes(16).toString("hex"),
      parentSpanId: parent?.spanId,
      attributes: { ...options.attributes },
      status: { code: SpanStatusCode.UNSET },
      exceptions: [],
      ended: false,
    };
    this.spans.push(record);
    return new MemorySpan(record);
  }

  startActiveSpan<F extends (span: Span) => unknown>(name: string, ...rest: unknown[]): ReturnType<F> {
    const fn = rest.pop() as F;
    const [options, ctx] = rest as [SpanOptions | undefined, Context | undefined];
    const parentContext = ctx ?? context.active();
    const span = this.startSpan(name, options, parentContext);
    return context.with(trace.setSpan(parentContext, span), () => fn(span) as ReturnType<F>);
  }
}

class AsyncContextManager implements ContextManager {
  readonly #storage = new AsyncLocalStorage<Context>();
  active(): Context {
    return this.#storage.getStore() ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    return this.#storage.run(ctx, () => fn.call(thisArg, ...args));
  }
  bind<T>(ctx: Context, target: T): T {
    if (typeof target !== "function") return target;
    return ((...args: unknown[]) =>
      this.with(ctx, target as (...a: unknown[]) => unknown, undefined, ...args)) as T;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.#storage.disable();
    return this;
  }
}

export interface MemoryTracing {
  spans: RecordedSpan[];
  byName(name: string): RecordedSpan[];
  uninstall(): void;
}

/** Registers the in-memory provider globally (the app's tracer picks it up); uninstall afterwards. */
export function installMemoryTracing(): MemoryTracing {
  const spans: RecordedSpan[] = [];
  const provider: TracerProvider = { getTracer: () => new MemoryTracer(spans) };
  trace.disable();
  context.disable();
  if (!context.setGlobalContextManager(new AsyncContextManager())) {
    throw new Error("could not register the test context manager");
  }
  if (!trace.setGlobalTracerProvider(provider)) throw new Error("could not register the test tracer");
  return {
    spans,
    byName: (name) => spans.filter((s) => s.name === name),
    uninstall: () => {
      trace.disable();
      context.disable();
    },
  };
}
