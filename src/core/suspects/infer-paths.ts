// The alert's service paths when `services:` names none: most repositories never write a service
// map, but their layout, CODEOWNERS and past incidents say a lot. Pure and bounded: every source is
// capped, patterns are length-limited and compiled without extglobs.

import type { ServiceHints } from "./correlation-types.js";
import { MAX_PATTERN_LENGTH, compileGlob, isNonProductionPath } from "./paths.js";

export interface ServicePath {
  glob: string;
  /** Where the glob came from, for the reason: "a folder named like the service". */
  source: string;
}

/** Globs returned at most, over all sources. */
export const MAX_INFERRED_PATHS = 16;
/** Globs per source, so one noisy source cannot crowd out the others. */
const MAX_PER_SOURCE = 8;
/** Paths read from the hints and the candidates (the reader bounds them too). */
const MAX_HINT_PATHS = 50_000;
const MAX_CODEOWNERS_CHARS = 64 * 1024;
const MAX_CODEOWNERS_LINES = 2_000;

export const SOURCE_FOLDER = "a folder named like the service";
export const SOURCE_CODEOWNERS = "CODEOWNERS assigns it to the service's owners";
export const SOURCE_PAST_CULPRIT = "an earlier incident's culprit for the service changed it";

/**
 * Globs for the service's code, each with its source: past culprits' folders for the service,
 * CODEOWNERS entries whose section or owners are named like the service, then folders named like it.
 */
export function inferServicePaths(
  service: string,
  hints: ServiceHints = {},
  candidatePaths: readonly string[] = [],
): ServicePath[] {
  const tokens = tokenize(service);
  if (tokens.length === 0) return [];
  const out: ServicePath[] = [];
  const seen = new Set<string>();
  const add = (glob: string, source: string, budget: { left: number }) => {
    if (budget.left <= 0 || out.length >= MAX_INFERRED_PATHS || seen.has(glob)) return;
    if (compileGlob(glob) === undefined) return;
    seen.add(glob);
    out.push({ glob, source });
    budget.left -= 1;
  };

  const past = { left: MAX_PER_SOURCE };
  for (const glob of pastCulpritGlobs(hints.pastCulpritFiles ?? [])) add(glob, SOURCE_PAST_CULPRIT, past);

  const owners = { left: MAX_PER_SOURCE };
  for (const glob of codeownersGlobs(hints.codeowners ?? "", tokens)) add(glob, SOURCE_CODEOWNERS, owners);

  const folders = { left: MAX_PER_SOURCE };
  const all = [...(hints.paths ?? []), ...candidatePaths].slice(0, MAX_HINT_PATHS);
  for (const folder of foldersNamedLike(tokens, all)) add(`${folder}/**`, SOURCE_FOLDER, folders);
  return out;
}

/** "Checkout-API" → ["checkout", "api"]; camelCase splits too. */
export function tokenize(s: string): string[] {
  return s
    .slice(0, MAX_PATTERN_LENGTH)
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length > 0);
}

// Words that say what a part of a system does, not which one it is: alone they name no service.
const ROLE_WORDS = new Set([
  "api",
  "app",
  "apps",
  "web",
  "www",
  "ui",
  "core",
  "common",
  "lib",
  "libs",
  "main",
  "src",
  "server",
  "service",
  "services",
  "svc",
  "backend",
  "frontend",
  "client",
  "public",
  "graph",
  "v1",
  "v2",
  "v3",
  "prod",
  "config",
]);

/**
 * Folders named like the service, most specific evidence first; the first tier that finds any wins:
 * 1. named exactly like it, separators aside (`checkout`, `check_out`, `public-graph`);
 * 2. a folder path spelling its words (`warehouse/accounts` for warehouse-accounts), or a folder
 *    named like it with a role word added or dropped (`checkout-api` for checkout, and back);
 * 3. named like the label without its first word, a product prefix (`proofing` for idp-proofing),
 *    unless what is left is only a role word.
 * Shallower folders first; test, docs and CI folders never count.
 */
function foldersNamedLike(tokens: string[], paths: readonly string[]): string[] {
  const folders = new Set<string>();
  for (const p of paths) {
    if (p.length > 4 * MAX_PATTERN_LENGTH) continue;
    const segments = p.replace(/\/+$/, "").split("/");
    // Every ancestor of a file is a folder; a trailing entry may be a folder too (git tree lists them).
    for (let i = 1; i <= segments.length; i++) folders.add(segments.slice(0, i).join("/"));
  }
  const candidates = [...folders].filter(
    (f) => !isNonProductionPath(`${f}/x`) && !/[*?[\]{}()!+@\\]/.test(f) && f.length < MAX_PATTERN_LENGTH - 3,
  );
  const joined = tokens.join("");
  const withoutRole = ROLE_WORDS.has(tokens[tokens.length - 1] ?? "") ? tokens.slice(0, -1) : [];
  const prefixless = tokens.slice(1);
  const tiers: ((segments: string[]) => boolean)[] = [
    (s) => squash(s[s.length - 1] ?? "") === joined,
    (s) => {
      const lastTokens = tokenize(s[s.length - 1] ?? "");
      if (
        tokens.length >= 2 &&
        s.length >= tokens.length &&
        s.slice(-tokens.length).map(squash).join() === tokens.join()
      )
        return true;
      const lastHasRole = lastTokens.length >= 2 && ROLE_WORDS.has(lastTokens[lastTokens.length - 1] ?? "");
      if (lastHasRole && lastTokens.slice(0, -1).join("") === joined) return true;
      return withoutRole.length > 0 && lastTokens.join("") === withoutRole.join("");
    },
    (s) =>
      prefixless.length > 0 &&
      !prefixless.every((t) => ROLE_WORDS.has(t)) &&
      squash(s[s.length - 1] ?? "") === prefixless.join(""),
  ];
  for (const matches of tiers) {
    const found = candidates.filter((f) => matches(f.split("/")));
    if (found.length > 0) return found.sort((a, b) => depth(a) - depth(b) || (a < b ? -1 : a > b ? 1 : 0));
  }
  return [];
}

function squash(segment: string): string {
  return segment.toLowerCase().replace(/[^a-z0-9]+/g, "");
}

function depth(folder: string): number {
  return folder.split("/").length;
}

/** The folders of earlier culprits' files (a root file stands for itself). */
function pastCulpritGlobs(files: readonly string[]): string[] {
  const globs: string[] = [];
  for (const f of files.slice(0, 200)) {
    if (f.length === 0 || f.length > MAX_PATTERN_LENGTH || /[*?[\]{}()!+@\\]/.test(f)) continue;
    if (isNonProductionPath(f)) continue;
    const slash = f.lastIndexOf("/");
    globs.push(slash > 0 ? `${f.slice(0, slash)}/**` : f);
  }
  // Most-cited folders first: several past culprits in one folder is stronger evidence.
  const counts = new Map<string, number>();
  for (const g of globs) counts.set(g, (counts.get(g) ?? 0) + 1);
  return [...counts.keys()].sort((a, b) => counts.get(b)! - counts.get(a)! || (a < b ? -1 : 1));
}

/**
 * CODEOWNERS lines whose owners (`@acme/checkout-team`) or section (`[Checkout]`, or a `# Checkout`
 * comment heading the block) name the service, as globs.
 */
export function codeownersGlobs(text: string, tokens: string[]): string[] {
  const out: string[] = [];
  let section: string[] = [];
  const lines = text.slice(0, MAX_CODEOWNERS_CHARS).split(/\r?\n/).slice(0, MAX_CODEOWNERS_LINES);
  for (const raw of lines) {
    const line = raw.trim();
    if (line === "") {
      section = [];
      continue;
    }
    const header = /^\^?\[([^\]]{1,100})\]/.exec(line);
    if (header) {
      section = tokenize(header[1] ?? "");
      continue;
    }
    if (line.startsWith("#")) {
      section = tokenize(line.slice(1));
      continue;
    }
    const [pattern, ...owners] = line.split(/\s+/);
    // Negations, and patterns for a file type anywhere (`*.rb`), say nothing about a service's code.
    if (pattern === undefined || pattern.startsWith("!") || /^\/?\*[^/]*$/.test(pattern)) continue;
    const named =
      containsRun(section, tokens) ||
      owners.some((o) => o.startsWith("@") && containsRun(tokenize(o), tokens));
    if (!named) continue;
    const glob = codeownersPatternToGlob(pattern);
    if (glob !== undefined) out.push(glob);
  }
  return out;
}

/** True when `run` appears in `haystack` as consecutive words. */
function containsRun(haystack: string[], run: string[]): boolean {
  if (run.length === 0 || haystack.length < run.length) return false;
  for (let i = 0; i + run.length <= haystack.length; i++) {
    if (run.every((t, j) => haystack[i + j] === t)) return true;
  }
  return false;
}

/** gitignore-style CODEOWNERS pattern → a root-anchored glob. */
export function codeownersPatternToGlob(pattern: string): string | undefined {
  if (pattern.length === 0 || pattern.length > MAX_PATTERN_LENGTH || pattern.includes("\\")) return undefined;
  if (pattern === "*" || pattern === "/*" || pattern === "/**" || pattern === "**") return undefined; // the whole repo names no service
  const anchored = pattern.startsWith("/") || pattern.slice(0, -1).includes("/");
  let body = pattern.replace(/^\/+/, "");
  const folder = body.endsWith("/");
  body = body.replace(/\/+$/, "");
  if (body === "") return undefined;
  const base = anchored ? body : `**/${body}`;
  if (folder || body.endsWith("/**")) return body.endsWith("/**") ? base : `${base}/**`;
  // "docs" or "src/app" without a trailing slash matches the file or everything under the folder.
  return /\*|\.[A-Za-z0-9]+$/.test(body) ? base : `${base}{,/**}`;
}
