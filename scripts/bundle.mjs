// Bundles the three entry points into dist/ (or --outdir DIR). The Action bundle is self-contained
// (GitHub runs it without npm install); the CLI and the app keep their npm dependencies external.
// Also writes licenses.txt: the licences of the third-party code the bundles carry.
import { build } from "esbuild";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { bundledPackageDirs, licenseEntries, renderLicenses } from "./licenses.mjs";

const { values } = parseArgs({ options: { outdir: { type: "string", default: "dist" } } });
const outdir = values.outdir;
const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
const external = Object.keys(pkg.dependencies ?? {});
// ESM bundles of CommonJS dependencies need require(): give them one.
const banner = {
  js: "import { createRequire as __aftershockCreateRequire } from 'node:module'; const require = __aftershockCreateRequire(import.meta.url);",
};
const common = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  banner,
  // The licence texts go to licenses.txt instead, whole rather than as scattered comments.
  legalComments: "none",
  logLevel: "warning",
  metafile: true,
};

const results = await Promise.all([
  build({ ...common, entryPoints: ["src/action/main.ts"], outfile: join(outdir, "index.js") }),
  build({ ...common, entryPoints: ["src/cli/main.ts"], outfile: join(outdir, "cli.js"), external }),
  build({ ...common, entryPoints: ["src/app/main.ts"], outfile: join(outdir, "main.js"), external }),
]);
const dirs = [...new Set(results.flatMap((r) => bundledPackageDirs(r.metafile)))];
writeFileSync(join(outdir, "licenses.txt"), renderLicenses(licenseEntries(process.cwd(), dirs)));
