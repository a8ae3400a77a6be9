// File paths and stack frames in an alert's annotations: error trackers and log-based alerts carry
// them, and a PR that changed a file in the failing stack is a strong suspect (what Sentry's suspect
// commits do). Input is bounded and every regular expression runs in linear time.

/** Characters of annotations read, over all of them. */
export const MAX_ANNOTATION_CHARS = 16_000;
/** Frames kept, first ones first (the top of a stack is nearest the failure). */
export const MAX_FRAMES = 50;

export interface Frame {
  /** The path as the frame spells it, without a leading "./" (may be absolute or a bare file name). */
  path: string;
  line?: number;
  /** The frame as shown in a reason: "src/a/b.ts:12". */
  text: string;
}

// A path-like token: segments of safe characters with a file extension, then an optional :line.
// It must follow a delimiter that is not part of a token, so each token has one start and a URL's
// path (after "://") never matches. Python's `File "x.py", line 3` is the other common shape.
const PATH_TOKEN =
  /(?:^|[\s("'`[=,])(\/?[\w.@~+-]*(?:\/[\w.@~+-]+)*\.[A-Za-z][A-Za-z0-9]{0,7})(?::(\d{1,7}))?/g;
const PYTHON_FRAME = /File "([^"\n]{1,300})", line (\d{1,7})/g;
// Frames in installed libraries and runtimes are not the repository's files.
const LIBRARY_PATH =
  /(^|\/)(node_modules|site-packages|dist-packages|vendor|\.venv|venv|gems|go\/pkg\/mod|usr\/lib|usr\/local\/lib)\//;
// Extensions that are rarely source files named in an alert (hosts, addresses, versions).
const NOT_SOURCE = /\.(com|org|net|io|dev|app|cloud|local|internal|svc|html?)$/i;

/** Frames and file paths mentioned in the annotations, deduplicated, bounded. */
export function parseEvidence(annotations: Record<string, string> | undefined): Frame[] {
  if (annotations === undefined) return [];
  let budget = MAX_ANNOTATION_CHARS;
  const frames: Frame[] = [];
  const seen = new Set<string>();
  const push = (rawPath: string, line: string | undefined) => {
    const path = rawPath.replace(/^\.\//, "");
    if (path.length === 0 || path.length > 300 || NOT_SOURCE.test(path)) return;
    // A bare name needs a line number to count ("Foo.java:10"), or it is likely prose ("node.js").
    if (!path.includes("/") && line === undefined) return;
    if (LIBRARY_PATH.test(path) || seen.has(path) || frames.length >= MAX_FRAMES) return;
    seen.add(path);
    const frame: Frame = { path, text: line === undefined ? path : `${path}:${line}` };
    if (line !== undefined) frame.line = Number(line);
    frames.push(frame);
  };
  for (const key of Object.keys(annotations).sort()) {
    if (budget <= 0) break;
    const text = String(annotations[key] ?? "").slice(0, budget);
    budget -= text.length;
    for (const m of text.matchAll(PYTHON_FRAME)) push(m[1] ?? "", m[2]);
    for (const m of text.matchAll(PATH_TOKEN)) {
      push(m[1] ?? "", m[2]);
    }
  }
  return frames;
}

/**
 * The first frame that names `file` (a repository path): the frame's path ends with the file's path
 * (a deployed `/app/pkg/x.go` is the repository's `pkg/x.go`), the file's path ends with the frame's
 * (Java's `Foo.java:10` in `src/main/java/Foo.java`) at a folder boundary, or they are equal.
 */
export function frameFor(file: string, frames: readonly Frame[]): Frame | undefined {
  const rootFile = !file.includes("/");
  for (const f of frames) {
    if (f.path === file) return f;
    // A root file (main.go) only matches a frame no deeper than one folder (/app/main.go): deeper ones
    // are some other main.go.
    const shallow = f.path.replace(/^\//, "").split("/").length <= 2;
    if (f.path.endsWith(`/${file}`) && (!rootFile || shallow)) return f;
    if (file.endsWith(`/${f.path}`)) return f;
  }
  return undefined;
}
