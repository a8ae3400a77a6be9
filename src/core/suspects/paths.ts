// Path classification shared by the features and the service inference: which files are not
// production code (tests, docs, CI), and safe picomatch options for globs that come from repository
// content rather than from the operator.

import picomatch from "picomatch";

/** Globs from CODEOWNERS or inference: no extglobs (their backtracking is the risky part), dotfiles match. */
export const GLOB_OPTIONS = Object.freeze({ dot: true, noextglob: true });
/** Longer patterns are dropped: a glob is compiled to a regular expression per pattern. */
export const MAX_PATTERN_LENGTH = 200;

export type PathTest = (path: string) => boolean;

/** Compiles a glob, or returns undefined for one too long or that picomatch rejects. */
export function compileGlob(glob: string): PathTest | undefined {
  if (glob.length === 0 || glob.length > MAX_PATTERN_LENGTH) return undefined;
  try {
    return picomatch(glob, GLOB_OPTIONS);
  } catch {
    return undefined;
  }
}

// Folder names that hold code which never runs in production: a change confined to them cannot page.
const NON_PRODUCTION_DIRS = new Set([
  "test",
  "tests",
  "__tests__",
  "__mocks__",
  "spec",
  "specs",
  "e2e",
  "cypress",
  "playwright",
  "fixtures",
  "testdata",
  "docs",
  "doc",
  "examples",
  "example",
  ".github",
  ".circleci",
  ".gitlab",
  ".vscode",
  ".devcontainer",
  ".changeset",
]);
const NON_PRODUCTION_FILE =
  /(^|[._-])(test|tests|spec)\.[a-z0-9]+$|_test\.go$|^test_.*\.py$|\.(md|mdx|rst|txt|adoc)$|^(license|licence|codeowners|changelog|authors|contributing)(\.[a-z]+)?$|^\.(gitignore|gitattributes|editorconfig|prettierrc|prettierignore|eslintrc|eslintignore|pre-commit-config\.yaml)/i;
const CI_FILE =
  /^(\.travis\.yml|\.gitlab-ci\.yml|jenkinsfile|azure-pipelines\.yml|\.pre-commit-config\.yaml)$/i;

/** True for tests, docs, CI and editor configuration: code that does not run in production. */
export function isNonProductionPath(path: string): boolean {
  const segments = path.split("/");
  const name = segments[segments.length - 1] ?? "";
  for (let i = 0; i < segments.length - 1; i++) {
    if (NON_PRODUCTION_DIRS.has((segments[i] ?? "").toLowerCase())) return true;
  }
  // requirements.txt and similar manifests are production inputs, not docs.
  if (/^requirements.*\.txt$/i.test(name)) return false;
  return NON_PRODUCTION_FILE.test(name) || CI_FILE.test(name);
}

// Manifests and lockfiles: a change to these alone is a dependency bump.
const DEPENDENCY_FILE =
  /^(package\.json|package-lock\.json|yarn\.lock|pnpm-lock\.yaml|npm-shrinkwrap\.json|go\.mod|go\.sum|requirements.*\.(txt|in)|poetry\.lock|pyproject\.toml|pipfile(\.lock)?|uv\.lock|gemfile(\.lock)?|cargo\.(toml|lock)|composer\.(json|lock)|pom\.xml|build\.gradle(\.kts)?|gradle\.lockfile|mix\.(exs|lock)|\.nvmrc|\.node-version|\.tool-versions|\.ruby-version|\.python-version)$/i;

export function isDependencyFile(path: string): boolean {
  return DEPENDENCY_FILE.test(path.slice(path.lastIndexOf("/") + 1));
}

// Stylesheets, images, fonts and translation catalogues: a change confined to them alters how a page
// looks or reads, rarely whether a request fails (none of the 153 culprits of the dev set is one).
const COSMETIC_FILE =
  /\.(css|scss|sass|less|styl|svg|png|jpe?g|gif|webp|ico|woff2?|ttf|eot|otf|po|pot|mo|xliff)$/i;
const COSMETIC_DIRS = new Set(["locale", "locales", "translations", "i18n", "lang"]);

/** True for a stylesheet, image, font, or a file under a translations folder. */
export function isCosmeticPath(path: string): boolean {
  if (COSMETIC_FILE.test(path)) return true;
  const segments = path.split("/");
  for (let i = 0; i < segments.length - 1; i++)
    if (COSMETIC_DIRS.has((segments[i] ?? "").toLowerCase())) return true;
  return false;
}
