// A real Prometheus for end-to-end tests: backfill OpenMetrics text with promtool into a temp
// TSDB, serve it on a free 127.0.0.1 port with no scrape jobs, stop it by PID. Also the two
// broken Prometheus stand-ins: one that answers 503 to everything and a port nobody listens on.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  freePort,
  httpReady,
  requireBinaries,
  runCommand,
  startServer,
  type Requirement,
  type RunningServer,
} from "./servers.js";

/** Looks up prometheus and promtool once per suite (and prints why the suite is skipped, if it is). */
export function requirePrometheus(suite: string): Requirement {
  return requireBinaries(suite, ["prometheus", "promtool"], "prometheus");
}

export interface PrometheusServer {
  /** Base URL, e.g. http://127.0.0.1:40123 */
  readonly url: string;
  readonly pid: number;
  /** Stops the server by PID and removes its temp directory. */
  stop(): Promise<void>;
}

// No scrape jobs: the backfilled blocks are the only data, so queries see exactly the scenarios.
const CONFIG = "global:\n  scrape_interval: 15s\nscrape_configs: []\n";

/**
 * Backfills `openMetrics` and starts Prometheus on it. Retention is far longer than the data's
 * age so no block is deleted at startup (retention counts back from the newest block).
 */
export async function startPrometheus(
  req: Requirement,
  openMetrics: string,
  opts: { retention?: string } = {},
): Promise<PrometheusServer> {
  const prometheus = req.paths.prometheus;
  const promtool = req.paths.promtool;
  if (!prometheus || !promtool) throw new Error(req.missing ?? "prometheus/promtool not found");
  const dir = await mkdtemp(join(tmpdir(), "aftershock-prom-"));
  let server: RunningServer | undefined;
  try {
    const input = join(dir, "scenarios.om");
    const data = join(dir, "data");
    const config = join(dir, "prometheus.yml");
    await writeFile(input, openMetrics);
    await writeFile(config, CONFIG);
    const backfill = await runCommand(
      promtool,
      ["tsdb", "create-blocks-from", "openmetrics", "--quiet", input, data],
      { timeoutMs: 60_000 },
    );
    if (backfill.code !== 0) {
      throw new Error(
        `promtool could not backfill the scenarios (exit ${backfill.code}):\n${backfill.stderr}${backfill.stdout}`,
      );
    }
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    server = await startServer({
      name: "prometheus",
      command: prometheus,
      args: [
        `--config.file=${config}`,
        `--storage.tsdb.path=${data}`,
        `--storage.tsdb.retention.time=${opts.retention ?? "3650d"}`,
        `--web.listen-address=127.0.0.1:${port}`,
        "--log.level=warn",
      ],
      cwd: dir,
      ready: httpReady(`${url}/-/ready`),
    });
    const running = server;
    return {
      url,
      pid: running.pid,
      async stop() {
        await running.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

export interface FakeServer {
  readonly url: string;
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 that answers every request with `status` and a plain-text body, like a proxy in front of a sick Prometheus. */
export async function startStatusServer(status = 503): Promise<FakeServer> {
  const server = createServer((req, res) => {
    req.resume();
    res.writeHead(status, { "content-type": "text/plain" });
    res.end(`${status} Service Unavailable\n`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A URL where nothing listens: "Prometheus is down" (connection refused). */
export async function unusedUrl(): Promise<string> {
  return `http://127.0.0.1:${await freePort()}`;
}
