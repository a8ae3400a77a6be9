// Fitting the conditional logit (McFadden's choice model): each case is a choice among its
// candidates, P(i) = exp(w·x_i) / Σ_j exp(w·x_j), so only differences between the candidates of one
// case matter and the softmax is a probability. Newton's method with an L2 penalty on standardised
// features: deterministic, converges in a few steps for a few dozen features, no dependency.

/** One case: a row of features per candidate, and the index of the culprit. */
export interface ChoiceGroup {
  x: number[][];
  chosen: number;
}

export interface FitOptions {
  /** L2 penalty on the standardised coefficients (a Gaussian prior of variance 1/l2). */
  l2: number;
  /** Multiplies l2 per column (default 1 for every column): a weaker or stronger prior on some. */
  l2Scale?: readonly number[];
  maxIterations?: number;
}

/** Coefficients on the original feature scale, in the column order of the rows. */
export function fitConditionalLogit(groups: readonly ChoiceGroup[], opts: FitOptions): number[] {
  const dim = groups[0]?.x[0]?.length ?? 0;
  if (dim === 0) return [];
  const scale = featureScales(groups, dim);
  const z = groups.map((g) => ({ chosen: g.chosen, x: g.x.map((row) => row.map((v, k) => v / scale[k]!)) }));
  const l2 = Array.from({ length: dim }, (_, k) => opts.l2 * (opts.l2Scale?.[k] ?? 1));
  let w = new Array<number>(dim).fill(0);
  for (let iter = 0; iter < (opts.maxIterations ?? 50); iter++) {
    const { gradient, hessian } = derivatives(z, w, l2);
    const step = solve(hessian, gradient);
    // Damped step: halve until the penalised likelihood does not fall (it is concave, so this ends).
    const before = penalisedLogLikelihood(z, w, l2);
    let t = 1;
    let next = w.map((wi, k) => wi + step[k]!);
    while (penalisedLogLikelihood(z, next, l2) < before - 1e-12 && t > 1e-6) {
      t /= 2;
      next = w.map((wi, k) => wi + t * step[k]!);
    }
    const moved = Math.max(...next.map((v, k) => Math.abs(v - w[k]!)));
    w = next;
    if (moved < 1e-9) break;
  }
  return w.map((wi, k) => wi / scale[k]!);
}

/** Standard deviation of each column over all candidates (1 for a constant column). */
function featureScales(groups: readonly ChoiceGroup[], dim: number): number[] {
  const sum = new Array<number>(dim).fill(0);
  const sq = new Array<number>(dim).fill(0);
  let n = 0;
  for (const g of groups)
    for (const row of g.x) {
      n += 1;
      row.forEach((v, k) => {
        sum[k]! += v;
        sq[k]! += v * v;
      });
    }
  return sum.map((s, k) => {
    const variance = sq[k]! / n - (s / n) ** 2;
    return variance > 1e-12 ? Math.sqrt(variance) : 1;
  });
}

export function softmax(logits: readonly number[]): number[] {
  const max = Math.max(...logits);
  const e = logits.map((l) => Math.exp(l - max));
  const total = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / total);
}

function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function penalisedLogLikelihood(groups: readonly ChoiceGroup[], w: number[], l2: readonly number[]): number {
  let ll = 0;
  for (const g of groups) {
    const p = softmax(g.x.map((row) => dot(row, w)));
    ll += Math.log(Math.max(p[g.chosen]!, 1e-300));
  }
  return ll - w.reduce((s, wi, k) => s + (l2[k]! / 2) * wi * wi, 0);
}

/** Gradient of the penalised log-likelihood, and the negated Hessian (positive definite). */
function derivatives(groups: readonly ChoiceGroup[], w: number[], l2: readonly number[]) {
  const dim = w.length;
  const gradient = w.map((wi, k) => -l2[k]! * wi);
  const hessian = Array.from({ length: dim }, (_, i) =>
    Array.from({ length: dim }, (_, j) => (i === j ? l2[i]! : 0)),
  );
  for (const g of groups) {
    const p = softmax(g.x.map((row) => dot(row, w)));
    const mean = new Array<number>(dim).fill(0);
    g.x.forEach((row, i) => row.forEach((v, k) => (mean[k]! += p[i]! * v)));
    const chosen = g.x[g.chosen]!;
    for (let k = 0; k < dim; k++) gradient[k]! += chosen[k]! - mean[k]!;
    g.x.forEach((row, i) => {
      for (let a = 0; a < dim; a++) {
        const da = row[a]! - mean[a]!;
        if (da === 0) continue;
        for (let b = 0; b < dim; b++) hessian[a]![b]! += p[i]! * da * (row[b]! - mean[b]!);
      }
    });
  }
  return { gradient, hessian };
}

/** Solves A x = b for a symmetric positive definite A (Gaussian elimination with partial pivoting). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    const p = m[col]![col]!;
    if (Math.abs(p) < 1e-15) continue;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = m[r]![col]! / p;
      if (f === 0) continue;
      for (let c = col; c <= n; c++) m[r]![c]! -= f * m[col]![c]!;
    }
  }
  return m.map((row, i) => (Math.abs(row[i]!) < 1e-15 ? 0 : row[n]! / row[i]!));
}

/**
 * The temperature T that makes softmax(logits / T) best calibrated on held-out cases (least
 * negative log-likelihood), by golden-section search over [0.25, 4].
 */
export function fitTemperature(held: readonly { logits: number[]; chosen: number }[]): number {
  const nll = (t: number) =>
    held.reduce((s, h) => s - Math.log(Math.max(softmax(h.logits.map((l) => l / t))[h.chosen]!, 1e-300)), 0);
  let lo = Math.log(0.25);
  let hi = Math.log(4);
  const phi = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 60; i++) {
    const a = hi - phi * (hi - lo);
    const b = lo + phi * (hi - lo);
    if (nll(Math.exp(a)) <= nll(Math.exp(b))) hi = b;
    else lo = a;
  }
  return Math.exp((lo + hi) / 2);
}
