// Real servers for end-to-end tests (Prometheus now; Alertmanager and Redis later): find the
// binary, pick a free port on 127.0.0.1, spawn, wait until ready, and stop by PID.
// A missing binary fails the suite under CI (CI=true) and skips it elsewhere (DESIGN.md).
import { spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { createServer, connect } from "node:net";
import { delimiter, join } from "node:path";

/** Where Debian puts server binaries that may not be on a user's PATH. */
const EXTRA_DIRS = ["/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin"];

/** Absolute path of the first executable named `name` on PATH (or the usual system dirs), else null. */
export function findBinary(name: string): string | null {
  const dirs = [...(process.env.PATH ?? "").split(delimiter).filter(Boolean), ...EXTRA_DIRS];
  for (const dir of dirs) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return null;
}

export const isCI = (): boolean => /^(1|true|yes)$/i.test(process.env.CI ?? "");

/** What a suite needs: every binary found, or the reason it cannot run. */
export interface Requirement {
  /** Binary paths by the name asked for (the first alias found). */
  paths: Record<string, string>;
  /** Null when everything was found. */
  missing: string | null;
  /** True when the suite should be skipped: something is missing and we are not in CI. */
  skip: boolean;
}

/**
 * Looks up the binaries a suite needs. Each entry is a name or a list of aliases
 * (e.g. ["prometheus-alertmanager", "alertmanager"]); `install` names the Debian package(s).
 * Prints one line when the suite will be skipped, so a skip is never silent.
 */
export function requireBinaries(
  suite: string,
  binaries: ReadonlyArray<string | readonly string[]>,
  install: string,
): Requirement {
  const paths: Record<string, string> = {};
  const absent: string[] = [];
  for (const entry of binaries) {
    const aliases = typeof entry === "string" ? [entry] : entry;
    const found = aliases.map((a) => findBinary(a)).find((p): p is string => p !== null);
    if (found) paths[aliases[0]!] = found;
    else absent.push(aliases.join(" or "));
  }
  const missing = absent.length
    ? `${suite}: ${absent.join(", ")} not found on PATH; install the Debian package(s) ${install} (.ci/run does)`
    : null;
  const skip = missing !== null && !isCI();
  if (skip) console.log(`skipped (not CI): ${missing}`);
  return { paths, missing, skip };
}

/** Throws the requirement's reason (call it in beforeAll): under CI a missing server fails the suite. */
export function assertAvailable(req: Requirement): void {
  if (req.missing) throw new Error(req.missing);
}

/** A TCP port on 127.0.0.1 that was free a moment ago (the OS picks it; we close it again). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error("could not get a free port"))));
    });
  });
}

/** True once `url` answers HTTP 200. */
export function httpReady(url: string): () => Promise<boolean> {
  return async () => {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await res.body?.cancel();
      return res.status === 200;
    } catch {
      return false;
    }
  };
}

/** True once something accepts TCP connections on 127.0.0.1:port (for servers without HTTP, e.g. Redis). */
export function tcpReady(port: number): () => Promise<boolean> {
  return () =>
    new Promise((resolve) => {
      const socket = connect({ host: "127.0.0.1", port });
      socket.setTimeout(1000);
      const done = (ok: boolean) => {
        socket.destroy();
        resolve(ok);
      };
      socket.once("connect", () => done(true));
      socket.once("error", () => done(false));
      socket.once("timeout", () => done(false));
    });
}

export interface SpawnOptions {
  /** Shown in errors, e.g. "prometheus". */
  name: string;
  command: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Resolves true when the server is ready to serve. */
  ready: () => Promise<boolean>;
  /** Default 30 s: a cold start on a busy 2-core machine. */
  readyTimeoutMs?: number;
}

export interface RunningServer {
  readonly name: string;
  readonly pid: number;
  /** stdout and stderr so far (the tail is what matters when something fails). */
  output(): string;
  /** SIGTERM by PID, SIGKILL if it has not exited after `graceMs`. Safe to call twice. */
  stop(graceMs?: number): Promise<void>;
}

const OUTPUT_LIMIT = 64 * 1024;

/** Spawns a server and waits until `ready` says so; fails with the server's own output if it exits or hangs. */
export async function startServer(opts: SpawnOptions): Promise<RunningServer> {
  const child = spawn(opts.command, opts.args, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-OUTPUT_LIMIT);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  let exited: string | null = null;
  const exit = new Promise<void>((resolve) => {
    child.once("exit", (code, signal) => {
      exited = signal ? `killed by ${signal}` : `exited with code ${code}`;
      resolve();
    });
    child.once("error", (err) => {
      exited = `could not start: ${err.message}`;
      resolve();
    });
  });
  const tail = () => output.split("\n").slice(-15).join("\n");
  // Safety net: if the test process dies before afterAll, do not leave the server behind.
  const orphanGuard = () => {
    if (exited === null && child.pid !== undefined) child.kill("SIGKILL");
  };
  process.once("exit", orphanGuard);
  void exit.then(() => process.removeListener("exit", orphanGuard));

  const server: RunningServer = {
    name: opts.name,
    pid: child.pid ?? -1,
    output: () => output,
    async stop(graceMs = 5000) {
      if (exited !== null || child.pid === undefined) return;
      process.kill(child.pid, "SIGTERM");
      const timer = setTimeout(() => {
        if (exited === null && child.pid !== undefined) process.kill(child.pid, "SIGKILL");
      }, graceMs);
      await exit;
      clearTimeout(timer);
    },
  };

  const deadline = Date.now() + (opts.readyTimeoutMs ?? 30_000);
  for (;;) {
    if (exited !== null) {
      throw new Error(`${opts.name} ${exited} before it was ready:\n${tail()}`);
    }
    if (await opts.ready()) return server;
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`${opts.name} was not ready within ${opts.readyTimeoutMs ?? 30_000} ms:\n${tail()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion (a CLI under test, promtool), capturing its output; never throws on a non-zero exit. */
export function runCommand(
  command: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(child.pid, "SIGKILL");
    }, opts.timeoutMs ?? 30_000);
    child.once("error", (err) => {
      clearTimeout(timer);
      reject(new Error(`could not run ${command}: ${err.message}`));
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
