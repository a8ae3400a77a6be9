// A small, bounded JSONPath subset for the JSON source: `$`, `.name`, `["name"]`, `[n]`, `[*]`
// and `.*`. Nothing is evaluated: a selector is parsed into steps once and walked over the answer.

export type Step = { kind: "key"; key: string } | { kind: "index"; index: number } | { kind: "all" };

const MAX_STEPS = 32;
const MAX_SELECTOR_CHARS = 256;
/** More matches than this is a runaway selector (or answer), not a time series. */
export const MAX_MATCHES = 100_000;

export class SelectorError extends Error {}

/** Parses `$.data.result[*].values[*][0]` into steps; throws SelectorError naming the position. */
export function parseSelector(text: string): Step[] {
  const s = text.trim();
  if (s.length > MAX_SELECTOR_CHARS)
    throw new SelectorError(`the selector is longer than ${MAX_SELECTOR_CHARS} characters`);
  if (!s.startsWith("$"))
    throw new SelectorError(`a selector starts with $, e.g. $.data[*].value (got "${s}")`);
  const steps: Step[] = [];
  let i = 1;
  while (i < s.length) {
    if (steps.length >= MAX_STEPS) throw new SelectorError(`the selector has more than ${MAX_STEPS} steps`);
    const c = s[i];
    if (c === ".") {
      if (s[i + 1] === "*") {
        steps.push({ kind: "all" });
        i += 2;
        continue;
      }
      const name = /^[A-Za-z_$][\w$-]*/.exec(s.slice(i + 1))?.[0];
      if (!name) throw new SelectorError(`expected a name after "." at position ${i + 1} of "${s}"`);
      steps.push({ kind: "key", key: name });
      i += 1 + name.length;
    } else if (c === "[") {
      const close = s.indexOf("]", i);
      if (close < 0) throw new SelectorError(`unclosed [ at position ${i + 1} of "${s}"`);
      const inner = s.slice(i + 1, close).trim();
      if (inner === "*") steps.push({ kind: "all" });
      else if (/^-?\d+$/.test(inner)) steps.push({ kind: "index", index: Number(inner) });
      else if (/^(['"]).*\1$/.test(inner)) steps.push({ kind: "key", key: inner.slice(1, -1) });
      else throw new SelectorError(`[${inner}] at position ${i + 1} of "${s}" must be [n], [*] or ["name"]`);
      i = close + 1;
    } else {
      throw new SelectorError(`unexpected "${c}" at position ${i + 1} of "${s}"`);
    }
  }
  return steps;
}

/** Every value the steps reach, in document order; throws SelectorError past MAX_MATCHES. */
export function select(root: unknown, steps: readonly Step[]): unknown[] {
  let current: unknown[] = [root];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const node of current) {
      if (step.kind === "key") {
        if (isObject(node) && Object.hasOwn(node, step.key)) next.push(node[step.key]);
      } else if (step.kind === "index") {
        if (Array.isArray(node)) {
          const item: unknown = node[step.index < 0 ? node.length + step.index : step.index];
          if (item !== undefined) next.push(item);
        }
      } else {
        const children: unknown[] = Array.isArray(node) ? node : isObject(node) ? Object.values(node) : [];
        if (next.length + children.length > MAX_MATCHES) {
          throw new SelectorError(`the selector matches more than ${MAX_MATCHES} values`);
        }
        for (const child of children) next.push(child);
      }
    }
    current = next;
  }
  return current;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
