import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // e2e suites start real servers; keep files isolated but not too many at once on 2 cores.
    maxWorkers: 2,
  },
});
