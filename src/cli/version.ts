// The version printed by `aftershock --version`: package.json's, inlined by esbuild into dist/cli.js
// so the installed bin reports what was packed.
import pkg from "../../package.json" with { type: "json" };

export const VERSION: string = pkg.version;
