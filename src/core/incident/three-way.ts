// A line-based three-way merge with diff3 semantics, for reverting a commit on top of a branch that
// moved on: changes from both sides apply when they touch different lines, identical changes apply
// once, and changes that overlap (or touch, as in git) with different results are a conflict.
// Lines keep their terminators, so "\r\n" and a missing final newline survive unchanged. Pure.

export type Merge3Result = { clean: true; text: string } | { clean: false; conflicts: number };

/** One change of a diff: base lines [start, end) are replaced by `lines`. */
interface Hunk {
  start: number;
  end: number;
  lines: string[];
}

/**
 * Beyond this many edit steps the greedy diff's memory (which grows with its square) is not worth
 * it: the differing middle becomes one hunk. Still a correct diff, only a coarser one, so a merge
 * through it can only conflict more often, never merge wrongly.
 */
const MAX_EDIT_STEPS = 2000;

/** Splits text into lines that keep their "\n"; a last line without one stays as it is. */
export function splitLines(text: string): string[] {
  return text === "" ? [] : text.split(/(?<=\n)/);
}

/** A changed region: a[aStart, aEnd) became b[bStart, bEnd). */
interface Region {
  aStart: number;
  aEnd: number;
  bStart: number;
  bEnd: number;
}

/** Myers' greedy diff between two sequences of line ids: the regions where they differ. */
export function diffRegions(a: readonly number[], b: readonly number[]): Region[] {
  // Common prefix and suffix cost nothing and usually leave a small middle.
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf])
    suf++;
  const n = a.length - pre - suf;
  const m = b.length - pre - suf;
  if (n === 0 && m === 0) return [];
  const whole: Region[] = [{ aStart: pre, aEnd: pre + n, bStart: pre, bEnd: pre + m }];
  if (n === 0 || m === 0) return whole;

  const max = Math.min(n + m, MAX_EDIT_STEPS);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  // trace[d] holds v[k] for k in [-d-1, d+1] as it was before step d, at index k + d + 1.
  const trace: Int32Array[] = [];
  const goesDown = (get: (k: number) => number, k: number, d: number) =>
    k === -d || (k !== d && get(k - 1) < get(k + 1));
  let found = -1;
  for (let d = 0; d <= max && found < 0; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x = goesDown((i) => v[offset + i]!, k, d) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[pre + x] === b[pre + y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
  }
  if (found < 0) return whole;

  // Walk back from (n, m) and collect the matched pairs (the diagonals), last first.
  const matches: Array<[number, number]> = [];
  let x = n;
  let y = m;
  for (let d = found; d >= 0; d--) {
    const prev = trace[d]!;
    const get = (k: number) => prev[k + d + 1]!;
    const k = x - y;
    const prevK = goesDown(get, k, d) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : get(prevK);
    const prevY = d === 0 ? 0 : prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      matches.push([x, y]);
    }
    x = prevX;
    y = prevY;
  }
  matches.reverse();

  // The gaps between consecutive matches are the changed regions.
  const regions: Region[] = [];
  let ai = 0;
  let bi = 0;
  for (const [mx, my] of [...matches, [n, m] as const]) {
    if (mx > ai || my > bi)
      regions.push({ aStart: pre + ai, aEnd: pre + mx, bStart: pre + bi, bEnd: pre + my });
    ai = mx + 1;
    bi = my + 1;
  }
  return regions;
}

/** Diff of `base` → `other` as hunks over base lines, with their replacement lines. */
function diffLines(base: string[], other: string[], ids: Map<string, number>): Hunk[] {
  const id = (line: string) => {
    let value = ids.get(line);
    if (value === undefined) {
      value = ids.size;
      ids.set(line, value);
    }
    return value;
  };
  return diffRegions(base.map(id), other.map(id)).map((r) => ({
    start: r.aStart,
    end: r.aEnd,
    lines: other.slice(r.bStart, r.bEnd),
  }));
}

/** Base lines [start, end) with one side's hunks (all inside that range) applied. */
function applyHunks(base: string[], start: number, end: number, hunks: Hunk[]): string[] {
  const out: string[] = [];
  let at = start;
  for (const h of hunks) {
    out.push(...base.slice(at, h.start), ...h.lines);
    at = h.end;
  }
  out.push(...base.slice(at, end));
  return out;
}

/**
 * Merges the changes base → ours and base → theirs. Clean: the merged text. Otherwise the number
 * of conflicting regions (no conflict markers: callers here never write a conflicted file).
 */
export function merge3(base: string, ours: string, theirs: string): Merge3Result {
  if (ours === theirs) return { clean: true, text: ours };
  if (base === ours) return { clean: true, text: theirs };
  if (base === theirs) return { clean: true, text: ours };

  const b = splitLines(base);
  const ids = new Map<string, number>();
  const tagged = [
    ...diffLines(b, splitLines(ours), ids).map((h) => ({ ...h, side: 0 })),
    ...diffLines(b, splitLines(theirs), ids).map((h) => ({ ...h, side: 1 })),
  ].sort((x, y) => x.start - y.start || x.end - y.end);

  const out: string[] = [];
  let conflicts = 0;
  let at = 0;
  let i = 0;
  while (i < tagged.length) {
    // A cluster: hunks that overlap or touch; touching changes conflict in git too.
    const first = tagged[i]!;
    const cluster = [first];
    let end = first.end;
    i++;
    while (i < tagged.length && tagged[i]!.start <= end) {
      cluster.push(tagged[i]!);
      end = Math.max(end, tagged[i]!.end);
      i++;
    }
    const start = first.start;
    out.push(...b.slice(at, start));
    const mine = cluster.filter((h) => h.side === 0);
    const yours = cluster.filter((h) => h.side === 1);
    const oursText = applyHunks(b, start, end, mine);
    if (yours.length === 0) out.push(...oursText);
    else if (mine.length === 0) out.push(...applyHunks(b, start, end, yours));
    else {
      const theirsText = applyHunks(b, start, end, yours);
      if (oursText.join("") === theirsText.join("")) out.push(...oursText);
      else conflicts++;
    }
    at = end;
  }
  out.push(...b.slice(at));
  return conflicts > 0 ? { clean: false, conflicts } : { clean: true, text: out.join("") };
}
