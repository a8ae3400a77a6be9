// The App installed the way the image installs it: a fresh folder with package.json, the lock file
// and dist/, then the Dockerfile's own `npm ci --omit=dev …`, then `node dist/main.js` must serve
// /healthz. A runtime import of a dev dependency (or of a file left out of dist/) fails here.
// Runs after `npm run bundle` (.ci/run checks dist/ is fresh first).
import { generateKeyPairSync } from "node:crypto";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { productionInstall, readDockerfile } from "../deploy/dockerfile.js";
import { ROOT, npm, start, waitFor, type Started } from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "aftershock-prod-"));
let app: Started | undefined;
afterAll(async () => {
  await app?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer().listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

describe("the production install", () => {
  it("serves /healthz from node dist/main.js with production dependencies only", async () => {
    for (const f of ["package.json", "package-lock.json", "dist"])
      cpSync(join(ROOT, f), join(dir, f), { recursive: true });
    const args = productionInstall(readDockerfile());
    expect(args).toContain("--omit=dev");
    await npm(dir, args);
    // Proof that the install left the dev dependencies out.
    await expect(npm(dir, ["ls", "vitest"])).rejects.toThrow();

    const { privateKey } = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      privateKeyEncoding: { type: "pkcs8", format: "pem" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    });
    const port = await freePort();
    app = start(process.execPath, ["dist/main.js"], dir, {
      PATH: process.env.PATH,
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: String(port),
      APP_ID: "1",
      PRIVATE_KEY: privateKey,
      WEBHOOK_SECRET: "secret",
      ALERTMANAGER_TOKEN: "token",
      LOG_FORMAT: "json",
    });
    const res = await waitFor(`http://127.0.0.1:${port}/healthz`, 200, app);
    expect(await res.json()).toEqual({ status: "ok" });
    // JSON logs in production: every line parses.
    const lines = app.output().trim().split("\n").filter(Boolean);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();

    // A mistyped LOG_FORMAT stops the process with one line that says so.
    // Cast: Probot's types allow only the two valid values.
    const env = { PATH: process.env.PATH, LOG_FORMAT: "logfmt" } as unknown as NodeJS.ProcessEnv;
    const bad = start(process.execPath, ["dist/main.js"], dir, env);
    const code = await new Promise((resolve) => bad.child.once("exit", resolve));
    expect(code).toBe(2);
    expect(bad.output().trim()).toBe('aftershock: LOG_FORMAT "logfmt" must be json or pretty');
  }, 240_000);
});
