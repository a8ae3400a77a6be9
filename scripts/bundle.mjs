// Bundles the three entry points into dist/. The Action bundle is self-contained (GitHub runs it
// without npm install); the CLI and the app keep their npm dependencies external.
import { build } from "esbuild";
import { readFileSync } from "node:fs";

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
  legalComments: "none",
  logLevel: "warning",
};

await build({ ...common, entryPoints: ["src/action/main.ts"], outfile: "dist/index.js" });
await build({ ...common, entryPoints: ["src/cli/main.ts"], outfile: "dist/cli.js", external });
await build({ ...common, entryPoints: ["src/app/main.ts"], outfile: "dist/main.js", external });
