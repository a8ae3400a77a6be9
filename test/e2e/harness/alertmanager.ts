// A real Alertmanager for end-to-end tests: one webhook receiver pointing at the app (bearer token,
// send_resolved), short group timers so a test waits seconds, clustering off, a temp storage dir,
// a free 127.0.0.1 port; stopped by PID. Alerts go in through its API v2, as Prometheus sends them.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import {
  freePort,
  httpReady,
  requireBinaries,
  startServer,
  type Requirement,
  type RunningServer,
} from "./servers.js";

/** Looks up Alertmanager (Debian names it prometheus-alertmanager) once per suite. */
export function requireAlertmanager(suite: string): Requirement {
  return requireBinaries(suite, [["prometheus-alertmanager", "alertmanager"]], "prometheus-alertmanager");
}

export interface AlertmanagerOptions {
  /** Where the webhook posts, e.g. http://127.0.0.1:40123/alertmanager */
  webhookUrl: string;
  /** Sent as `Authorization: Bearer <token>`; never logged by us. */
  token: string;
  /** Defaults 1s / 1s / 1h: the first notification a second after an alert, no repeats during a test. */
  groupWait?: string;
  groupInterval?: string;
  repeatInterval?: string;
  groupBy?: string[];
}

/** The config file: one route, one webhook receiver. */
export function alertmanagerConfig(opts: AlertmanagerOptions): string {
  return stringify({
    route: {
      receiver: "aftershock",
      group_by: opts.groupBy ?? ["alertname", "repository"],
      group_wait: opts.groupWait ?? "1s",
      group_interval: opts.groupInterval ?? "1s",
      repeat_interval: opts.repeatInterval ?? "1h",
    },
    receivers: [
      {
        name: "aftershock",
        webhook_configs: [
          {
            url: opts.webhookUrl,
            send_resolved: true,
            http_config: { authorization: { type: "Bearer", credentials: opts.token } },
          },
        ],
      },
    ],
  });
}

/** An alert as POST /api/v2/alerts takes it. */
export interface PostableAlert {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt?: string;
  /** In the past: the alert is resolved. */
  endsAt?: string;
  generatorURL?: string;
}

export interface AlertmanagerServer {
  /** Base URL, e.g. http://127.0.0.1:40124 */
  readonly url: string;
  readonly pid: number;
  /** Pushes alerts through the API v2, as Prometheus does; throws unless Alertmanager accepts them. */
  postAlerts(alerts: PostableAlert[]): Promise<void>;
  /** Sum of a counter from /metrics over the series whose labels include `labels`. */
  metric(name: string, labels?: Record<string, string>): Promise<number>;
  /** Alertmanager's log so far (it logs failed notifications). */
  output(): string;
  /** Stops it by PID and removes its temp directory. */
  stop(): Promise<void>;
}

export async function startAlertmanager(
  req: Requirement,
  opts: AlertmanagerOptions,
): Promise<AlertmanagerServer> {
  const binary = req.paths["prometheus-alertmanager"];
  if (!binary) throw new Error(req.missing ?? "prometheus-alertmanager not found");
  const dir = await mkdtemp(join(tmpdir(), "aftershock-am-"));
  let server: RunningServer | undefined;
  try {
    const config = join(dir, "alertmanager.yml");
    await writeFile(config, alertmanagerConfig(opts), { mode: 0o600 });
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    server = await startServer({
      name: "alertmanager",
      command: binary,
      args: [
        `--config.file=${config}`,
        `--storage.path=${join(dir, "data")}`,
        `--web.listen-address=127.0.0.1:${port}`,
        // Empty: no gossip, so two of them behave like an HA pair that cannot see each other.
        "--cluster.listen-address=",
        "--log.level=info",
      ],
      cwd: dir,
      ready: httpReady(`${url}/-/ready`),
    });
    const running = server;
    return {
      url,
      pid: running.pid,
      output: () => running.output(),
      async postAlerts(alerts) {
        const res = await fetch(`${url}/api/v2/alerts`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(alerts),
        });
        if (res.status !== 200) {
          throw new Error(`Alertmanager refused the alerts (HTTP ${res.status}): ${await res.text()}`);
        }
        await res.body?.cancel();
      },
      async metric(name, labels = {}) {
        const text = await (await fetch(`${url}/metrics`)).text();
        let sum = 0;
        for (const line of text.split("\n")) {
          const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
          if (!m || m[1] !== name) continue;
          const series = m[2] ?? "";
          if (Object.entries(labels).every(([k, v]) => series.includes(`${k}="${v}"`))) sum += Number(m[3]);
        }
        return sum;
      },
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
