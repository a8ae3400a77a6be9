// Statistics for the deploy gate. Pure functions, no I/O, no dependencies.
//
// Conventions:
// - An empty input gives NaN (never a throw): "no data" is decided by the caller's policy.
// - NaN inside an input propagates to NaN (as in numpy); call `finite(xs)` first to drop it.
// - Reference implementations are numpy (descriptive statistics) and scipy.stats.mannwhitneyu;
//   test/fixtures/stats/*.json holds their values, produced by scripts/stats-reference.py.

/** Scale that makes the MAD a consistent estimator of the standard deviation for normal data. */
export const MAD_TO_SD = 1.4826;
/** Scale that makes the mean absolute deviation consistent for normal data (sqrt(pi/2)). */
export const MEAN_AD_TO_SD = 1.253314;

/** The values that are real numbers: drops NaN (0/0 from a zero-traffic window) and ±Infinity. */
export function finite(xs: readonly number[]): number[] {
  return xs.filter((x) => Number.isFinite(x));
}

/** Ascending copy; Float64Array sorts numerically (NaN last). */
function sorted(xs: readonly number[]): Float64Array {
  return Float64Array.from(xs).sort();
}

function hasNaN(xs: readonly number[]): boolean {
  return xs.some((x) => Number.isNaN(x));
}

function medianOfSorted(s: Float64Array): number {
  const n = s.length;
  if (n === 0) return NaN;
  const mid = n >> 1;
  // Odd: the middle element; even: the mean of the two middle ones (numpy's definition).
  return n % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0 || hasNaN(xs)) return NaN;
  return medianOfSorted(sorted(xs));
}

/**
 * The q-th quantile (0 <= q <= 1) with linear interpolation between order statistics,
 * numpy's default (`method="linear"`, Hyndman & Fan type 7).
 */
export function quantile(xs: readonly number[], q: number): number {
  if (!(q >= 0 && q <= 1)) {
    throw new RangeError(
      `quantile: q must be a number in [0, 1], got ${q}; pass 0.95 for the 95th percentile.`,
    );
  }
  if (xs.length === 0 || hasNaN(xs)) return NaN;
  const s = sorted(xs);
  const pos = q * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, s.length - 1);
  const t = pos - lo;
  const a = s[lo]!;
  const b = s[hi]!;
  if (t === 0 || a === b) return a; // also avoids Inf - Inf = NaN
  // numpy interpolates from the nearer end, which keeps the result monotone in q.
  return t < 0.5 ? a + (b - a) * t : b - (b - a) * (1 - t);
}

/** Raw median absolute deviation from the median (unscaled: multiply by MAD_TO_SD for a sigma). */
export function mad(xs: readonly number[]): number {
  const m = median(xs);
  if (Number.isNaN(m)) return NaN;
  return median(xs.map((x) => Math.abs(x - m)));
}

export function mean(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  let sum = 0;
  for (const x of xs) sum += x;
  return sum / xs.length;
}

/** Sample standard deviation (n - 1 in the denominator); NaN for fewer than two values. */
export function stddev(xs: readonly number[]): number {
  if (xs.length < 2) return NaN;
  const m = mean(xs);
  // Two passes: subtracting the mean first avoids the cancellation of sum(x^2) - n*m^2.
  let ss = 0;
  for (const x of xs) ss += (x - m) * (x - m);
  return Math.sqrt(ss / (xs.length - 1));
}

// ---------------------------------------------------------------------------------------------
// Normal tail

const SQRT2 = Math.SQRT2;
const SQRT_PI = Math.sqrt(Math.PI);

/** Complementary error function, accurate to ~1e-15 relative (series below 2.5, continued fraction above). */
function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < 2.5) {
    // erf(x) = 2/sqrt(pi) e^{-x^2} sum_n 2^n x^{2n+1} / (1*3*...*(2n+1)): all terms positive, no cancellation.
    const x2 = x * x;
    let term = x;
    let sum = x;
    for (let n = 1; n < 200; n++) {
      term *= (2 * x2) / (2 * n + 1);
      sum += term;
      if (term < sum * 1e-17) break;
    }
    return 1 - (2 / SQRT_PI) * Math.exp(-x2) * sum;
  }
  if (x > 27) return 0; // e^{-x^2} underflows
  // erfc(x) = e^{-x^2}/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))), by modified Lentz.
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 500; k++) {
    const a = k / 2;
    d = x + a * d;
    d = d === 0 ? tiny : 1 / d;
    c = x + a / c;
    if (c === 0) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / SQRT_PI / f;
}

/** P(Z >= z) for a standard normal Z (scipy's `norm.sf`, `special.ndtr(-z)`). */
export function normalSf(z: number): number {
  return 0.5 * erfc(z / SQRT2);
}

// ---------------------------------------------------------------------------------------------
// Mann–Whitney U

/** Largest n1*n2 for which the exact null distribution is computed (50 x 50 takes ~0.3 ms at worst). */
export const MWU_EXACT_MAX_CELLS = 2500;

export interface MannWhitneyResult {
  /** U statistic of x: pairs with x > y, plus half the ties. */
  u: number;
  /** One-sided p-value for "x is stochastically greater than y"; NaN when either sample is empty. */
  p: number;
  /** "exact" without ties and n1*n2 <= MWU_EXACT_MAX_CELLS, else the normal approximation. */
  method: "exact" | "asymptotic";
}

/**
 * One-sided Mann–Whitney U test of H1 "x is stochastically greater than y".
 * Agrees with `scipy.stats.mannwhitneyu(x, y, alternative="greater", method=result.method)`:
 * exact null distribution when there are no ties and n1*n2 <= MWU_EXACT_MAX_CELLS, otherwise the
 * normal approximation with tie and continuity correction. O((n1+n2) log(n1+n2)) plus, on the
 * exact path, O(min(n1,n2) * n1*n2).
 */
export function mannWhitneyGreater(
  x: readonly number[],
  y: readonly number[],
  /**
   * Multiplies the variance of U (>= 1). Serially correlated samples (overlapping rate windows, a
   * slowly wandering baseline) carry less information than their count; `(1 + ρ) / (1 − ρ)` for a
   * lag-1 autocorrelation ρ is the usual AR(1) correction. Above 1, the normal approximation is used.
   */
  varianceInflation = 1,
): MannWhitneyResult {
  const n1 = x.length;
  const n2 = y.length;
  const exactOk = n1 * n2 <= MWU_EXACT_MAX_CELLS && varianceInflation <= 1;
  if (n1 === 0 || n2 === 0 || hasNaN(x) || hasNaN(y)) {
    return { u: NaN, p: NaN, method: exactOk ? "exact" : "asymptotic" };
  }
  const xs = sorted(x);
  const ys = sorted(y);

  // Walk both sorted samples in step, one group of equal values at a time.
  let u = 0;
  let tieTerm = 0; // sum over tie groups of t^3 - t
  let i = 0;
  let j = 0;
  while (i < n1 || j < n2) {
    const v = Math.min(i < n1 ? xs[i]! : Infinity, j < n2 ? ys[j]! : Infinity);
    let a = 0;
    while (i < n1 && xs[i] === v) {
      i++;
      a++;
    }
    const yBelow = j;
    let b = 0;
    while (j < n2 && ys[j] === v) {
      j++;
      b++;
    }
    u += a * yBelow + (a * b) / 2;
    const t = a + b;
    tieTerm += t * t * t - t;
  }

  if (tieTerm === 0 && exactOk) {
    return { u, p: clamp01(exactSf(u, n1, n2)), method: "exact" };
  }
  const n = n1 + n2;
  const sd = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))) * Math.max(1, varianceInflation));
  // All values tied: U sits at its mean and there is no evidence either way.
  if (!(sd > 0)) return { u, p: 1, method: "asymptotic" };
  const z = (u - (n1 * n2) / 2 - 0.5) / sd; // -0.5: continuity correction towards the mean
  return { u, p: clamp01(normalSf(z)), method: "asymptotic" };
}

function clamp01(p: number): number {
  return Math.min(1, Math.max(0, p));
}

/**
 * P(U >= u) under H0 without ties. The counts of U = k are the coefficients of the Gaussian
 * binomial [n1+n2 choose m]_q = prod_{j=1..m} (1 - q^{nb+j}) / (1 - q^j), m = min(n1, n2),
 * built one factor at a time and truncated at the degree we need.
 */
function exactSf(u: number, n1: number, n2: number): number {
  const cells = n1 * n2;
  if (u <= 0) return 1;
  if (u > cells) return 0;
  const m = Math.min(n1, n2);
  const nb = Math.max(n1, n2);
  // The distribution is symmetric about cells/2: sum the shorter lower tail.
  const upperViaLower = cells - u < u;
  const K = upperViaLower ? cells - u : u - 1;
  const c = new Float64Array(K + 1);
  c[0] = 1;
  for (let j = 1; j <= m; j++) {
    const big = nb + j;
    for (let k = K; k >= big; k--) c[k]! -= c[k - big]!;
    for (let k = j; k <= K; k++) c[k]! += c[k - j]!;
  }
  let below = 0;
  for (let k = 0; k <= K; k++) below += c[k]!;
  let total = 1; // C(n1+n2, m), exact in doubles while it fits 2^53 and accurate to ~1e-15 after
  for (let k = 1; k <= m; k++) total = (total * (nb + k)) / k;
  const cdf = below / total;
  return upperViaLower ? cdf : 1 - cdf;
}

/** Hodges–Lehmann shift: the median of all pairwise differences x_i - y_j (Kayenta's effect size). */
export function hodgesLehmannShift(x: readonly number[], y: readonly number[]): number {
  if (x.length === 0 || y.length === 0 || hasNaN(x) || hasNaN(y)) return NaN;
  const d = new Float64Array(x.length * y.length);
  let k = 0;
  for (const xi of x) for (const yj of y) d[k++] = xi - yj;
  return medianOfSorted(d.sort());
}

/**
 * Robust z-score of `value` against `baseline`: (value - median) / (1.4826 * MAD).
 * When more than half the baseline is one value the MAD is 0; the scale then falls back to
 * 1.253314 * (mean absolute deviation from the median), and for a completely flat baseline to
 * 1e-9 * max(1, |median|). So a flat baseline and an equal value give 0, and a different value
 * a large but finite z. NaN when the baseline is empty or value/baseline contain NaN.
 */
export function robustZ(value: number, baseline: readonly number[]): number {
  const m = median(baseline);
  if (Number.isNaN(m) || Number.isNaN(value)) return NaN;
  const dev = value - m;
  if (dev === 0) return 0;
  return dev / robustScale(baseline, m);
}

/**
 * The spread robustZ divides by: 1.4826 × MAD, else 1.253314 × the mean absolute deviation from the
 * median, else 1e-9 × max(1, |median|) for a flat baseline. `m` is the baseline's median.
 */
export function robustScale(baseline: readonly number[], m = median(baseline)): number {
  const absDev = baseline.map((b) => Math.abs(b - m));
  const scale = MAD_TO_SD * median(absDev);
  if (scale > 0) return scale;
  const meanAd = MEAN_AD_TO_SD * mean(absDev);
  // An infinite outlier in a flat baseline would make every z 0: use the floor instead.
  return meanAd > 0 && Number.isFinite(meanAd) ? meanAd : 1e-9 * Math.max(1, Math.abs(m));
}

/** Lag-1 autocorrelation of a series (NaN when it is shorter than 3 or constant). */
export function lag1Autocorrelation(xs: readonly number[]): number {
  if (xs.length < 3) return NaN;
  const m = mean(xs);
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    const d = xs[i]! - m;
    den += d * d;
    if (i > 0) num += d * (xs[i - 1]! - m);
  }
  return den > 0 ? num / den : NaN;
}

// ---------------------------------------------------------------------------------------------
// Student's t tail

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9: ~15 digits). */
function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction of the regularized incomplete beta function (modified Lentz). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  d = Math.abs(d) < tiny ? 1 / tiny : 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    d = Math.abs(d) < tiny ? 1 / tiny : 1 / d;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    d = Math.abs(d) < tiny ? 1 / tiny : 1 / d;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return h;
}

/** The regularized incomplete beta function I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (!(x > 0)) return 0;
  if (!(x < 1)) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2)
    ? (front * betaContinuedFraction(a, b, x)) / a
    : 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** P(T >= t) for Student's t with `df` degrees of freedom (any df > 0, not only whole numbers). */
export function studentTSf(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return NaN;
  if (t === Infinity) return 0;
  if (t === -Infinity) return 1;
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? tail : 1 - tail;
}
