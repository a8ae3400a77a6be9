// Error signatures: the text of an alert's annotations with everything that changes from one
// occurrence to the next (numbers, ids, UUIDs, hex, quoted values, timestamps, ids in paths) replaced
// by placeholders, so "timeout after 3012 ms on order 8812" and "... 2990 ms on order 17" count as one
// error. Pure and deterministic.

/** Annotations read for a signature, most specific first: the first non-empty one is used. */
export const SIGNATURE_ANNOTATIONS = ["error", "exception", "message", "description", "summary"] as const;

/** A signature never grows past this many characters (bounded memory, readable tables). */
export const MAX_SIGNATURE_LENGTH = 160;
/** Input past this many characters is not read (a stack trace pasted into an annotation). */
const MAX_INPUT_LENGTH = 4000;

export interface ErrorSignature {
  /** Normalized text: lowercase, placeholders for variable parts, whitespace collapsed, bounded. */
  signature: string;
  /** The exception or error type named in the text, as written (e.g. `java.net.SocketTimeoutException`). */
  exceptionType?: string;
  /** The annotation the signature was taken from. */
  annotation: string;
}

// Order matters: the specific shapes go first, so a UUID is not eaten as numbers and hex.
const RULES: ReadonlyArray<[RegExp, string]> = [
  // ISO 8601 and common log timestamps: 2024-05-01T12:00:00.123Z, 2024-05-01 12:00:00, 12:00:00.5
  [/\b\d{4}-\d{2}-\d{2}(?:[t ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:z|[+-]\d{2}:?\d{2})?)?\b/gi, "<ts>"],
  [/\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?\b/g, "<ts>"],
  // Quoted values: 'abc', "abc", `abc` (the value varies, the shape of the message does not).
  [/"[^"\n]{0,200}"|'[^'\n]{0,200}'|`[^`\n]{0,200}`/g, "<str>"],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, "<uuid>"],
  [/\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/g, "<email>"],
  [/\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b/g, "<ip>"],
  [/\b0x[0-9a-f]+\b/gi, "<hex>"],
  // Hex runs of 8+ with at least one digit and one letter: commit SHAs, trace ids, object ids.
  [/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/gi, "<hex>"],
];

/** A path segment that is an id: has a digit and is made of id characters (123, a1b2c3, ord_93k). */
const ID_SEGMENT = /^(?=.*\d)[\w-]+$/;
const PATH = /(?:\/[^\s/?#"'`]*)+\/?/g;
const NUMBER = /\b\d+(?:\.\d+)?(?:e[-+]?\d+)?\b/gi;

/**
 * The normalized form of one message. Lowercased at the end, so placeholders stay distinct from text;
 * path segments that are ids become `<id>` (`/orders/8812/items` → `/orders/<id>/items`).
 */
export function normalizeMessage(text: string, maxLength = MAX_SIGNATURE_LENGTH): string {
  let s = String(text ?? "").slice(0, MAX_INPUT_LENGTH);
  for (const [re, placeholder] of RULES) s = s.replace(re, placeholder);
  s = s.replace(PATH, (path) =>
    path
      .split("/")
      .map((seg) => (ID_SEGMENT.test(seg) && !/^<\w+>$/.test(seg) ? "<id>" : seg))
      .join("/"),
  );
  s = s.replace(NUMBER, "<n>");
  s = s.toLowerCase().replace(/\s+/g, " ").trim();
  return Array.from(s).slice(0, maxLength).join("").trimEnd();
}

// Qualified names ending in Exception/Error/Fault (Java, C#, JS, Python), or a Go panic.
const EXCEPTION = /\b((?:[a-z_$][\w$]*\.)*[A-Z][\w$]*(?:Exception|Error|Fault))\b/;
const GO_PANIC = /\bpanic: (runtime error|[a-z][\w .]{0,40}?)(?::|$)/m;

/** The exception type named in `text`, or undefined. */
export function exceptionType(text: string): string | undefined {
  const s = String(text ?? "").slice(0, MAX_INPUT_LENGTH);
  const m = EXCEPTION.exec(s);
  if (m) return m[1];
  const p = GO_PANIC.exec(s);
  return p ? `panic: ${p[1]!.trim()}` : undefined;
}

/**
 * The signature of an alert from its annotations (the first of SIGNATURE_ANNOTATIONS with text), or
 * null when none has any. The exception type is looked for in every annotation, the chosen one first.
 */
export function errorSignature(
  annotations: Readonly<Record<string, string | undefined>> | undefined,
): ErrorSignature | null {
  if (!annotations) return null;
  const key = SIGNATURE_ANNOTATIONS.find((k) => (annotations[k] ?? "").trim() !== "");
  if (key === undefined) return null;
  const signature = normalizeMessage(annotations[key]!);
  if (signature === "") return null;
  const out: ErrorSignature = { signature, annotation: key };
  for (const k of [key, ...SIGNATURE_ANNOTATIONS]) {
    const type = exceptionType(annotations[k] ?? "");
    if (type) {
      out.exceptionType = type;
      break;
    }
  }
  return out;
}

/**
 * The distinct signatures of an incident's alerts. A record keeps only each alert's `summary`, so
 * that is what is read here; the app can call `errorSignature` on the full annotations instead.
 */
export function recordSignatures(record: {
  fingerprints: Readonly<Record<string, { summary?: string | undefined }>>;
}): ErrorSignature[] {
  const seen = new Map<string, ErrorSignature>();
  for (const fp of Object.keys(record.fingerprints).sort()) {
    const sig = errorSignature({ summary: record.fingerprints[fp]?.summary });
    if (sig && !seen.has(sig.signature)) seen.set(sig.signature, sig);
  }
  return [...seen.values()];
}
