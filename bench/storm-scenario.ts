// bench:storm's world: a repository with ten bad deploys ten minutes apart (each shipping one PR to
// its own service), and an alert storm of five groups per deploy. Each group's notifications are
// what Alertmanager sends over an incident's life, in order: the whole group every time, instances
// joining, exact redeliveries (repeat_interval, HA peers), some alerts resolving, and for half the
// groups a final "all resolved". Deterministic for a seed.
import { createHash } from "node:crypto";
import type { SimCommit, SimPull, SimRepo } from "../src/demo/repo-history.js";
import { mulberry32 } from "../test/helpers/mulberry32.js";

export const STORM_OWNER = "acme";
export const STORM_REPO = "platform";
export const CAUSES = 10;
export const GROUPS_PER_CAUSE = 5;
/** The first bad deploy; the others follow every ten minutes. */
export const FIRST_DEPLOY = Date.parse("2026-11-26T14:00:00Z");
const DEPLOY_SPACING = 10 * 60_000;
const ALERTNAMES = ["HighErrorRate", "HighLatencyP99", "PodCrashLooping", "QueueBacklog", "ErrorBudgetBurn"];

const sha = (label: string) => createHash("sha1").update(`aftershock-storm:${label}`).digest("hex");
const iso = (ms: number) => new Date(ms).toISOString();
export const serviceOf = (cause: number) => `svc${cause}`;

/** `.github/aftershock.yml`: a service per cause, and grouping on or off. */
export function stormConfig(grouping: boolean): string {
  const services = Array.from(
    { length: CAUSES },
    (_, c) => `  ${serviceOf(c)}: ["services/${serviceOf(c)}/**"]`,
  );
  return ["services:", ...services, `grouping: { enabled: ${grouping}, windowMinutes: 120 }`, ""].join("\n");
}

/** An old base deploy, then one deploy per cause, each shipping one PR that touches its service. */
export function stormRepo(): SimRepo {
  const commits: SimCommit[] = [{ sha: sha("root"), committedDate: iso(FIRST_DEPLOY - 26 * 3600_000) }];
  const pulls = new Map<number, SimPull>();
  const deployments: SimRepo["deployments"] = [
    {
      id: 9000,
      sha: commits[0]!.sha,
      environment: "production",
      createdAt: iso(FIRST_DEPLOY - 25 * 3600_000),
      state: "inactive",
    },
  ];
  for (let c = 0; c < CAUSES; c++) {
    const at = FIRST_DEPLOY + c * DEPLOY_SPACING;
    const number = 700 + c;
    const commit: SimCommit = { sha: sha(`pr-${number}`), committedDate: iso(at - 5 * 60_000), pull: number };
    commits.push(commit);
    const path = `services/${serviceOf(c)}/src/handler.ts`;
    pulls.set(number, {
      number,
      title: `${serviceOf(c)}: new request handler`,
      author: `dev${c}`,
      mergedAt: commit.committedDate,
      additions: 120,
      deletions: 30,
      files: [{ path, additions: 120, deletions: 30 }],
      mergeCommitSha: commit.sha,
    });
    deployments.push({
      id: 9001 + c,
      sha: commit.sha,
      environment: "production",
      createdAt: iso(at),
      state: c === CAUSES - 1 ? "success" : "inactive",
    });
  }
  return { owner: STORM_OWNER, repo: STORM_REPO, commits, pulls, deployments, culprit: 700 + CAUSES - 1 };
}

export interface StormAlert {
  fingerprint: string;
  status: "firing" | "resolved";
}

export interface Notification {
  group: number;
  cause: number;
  seq: number;
  /** Milliseconds after the storm starts that Alertmanager sends it. */
  at: number;
  alerts: StormAlert[];
  body: string;
}

/**
 * Every group's notifications, `deliveries` in all, over `stormMs`: the five groups of a cause start
 * within two seconds of each other (they race to open the incident), causes start in turn.
 */
export function stormNotifications(opts: {
  deliveries: number;
  stormMs: number;
  seed: number;
}): Notification[][] {
  const random = mulberry32(opts.seed);
  const groups = CAUSES * GROUPS_PER_CAUSE;
  const perGroup = Math.max(2, Math.round(opts.deliveries / groups));
  const spread = opts.stormMs / 3;
  const all: Notification[][] = [];
  for (let g = 0; g < groups; g++) {
    const cause = g % CAUSES;
    const name = ALERTNAMES[Math.floor(g / CAUSES)]!;
    const start = (cause / CAUSES) * spread + random() * 2000;
    const interval = (opts.stormMs - start) / perGroup;
    const alertsStart = FIRST_DEPLOY + cause * DEPLOY_SPACING + 3 * 60_000;
    const resolvesAtEnd = random() < 0.5;
    let alerts: StormAlert[] = [{ fingerprint: fp(g, 0), status: "firing" }];
    const list: Notification[] = [];
    for (let seq = 0; seq < perGroup; seq++) {
      const last = seq === perGroup - 1;
      if (seq > 0) {
        const roll = random();
        if (last && resolvesAtEnd) alerts = alerts.map((a) => ({ ...a, status: "resolved" }));
        else if (roll < 0.3 && alerts.length < 6)
          alerts = [...alerts, { fingerprint: fp(g, alerts.length), status: "firing" }];
        else if (roll < 0.4 && alerts.length > 1)
          alerts = alerts.map((a, i) => (i === 0 ? { ...a, status: "resolved" } : a));
        else if (roll < 0.45) alerts = alerts.map((a) => ({ ...a, status: "firing" }));
        // Otherwise an exact redelivery of the same state.
      }
      list.push({
        group: g,
        cause,
        seq,
        at: start + seq * interval,
        alerts,
        body: JSON.stringify(payload(g, cause, name, alerts, alertsStart)),
      });
    }
    all.push(list);
  }
  return all;
}

function fp(group: number, instance: number): string {
  return createHash("sha256").update(`${group}:${instance}`).digest("hex").slice(0, 16);
}

function payload(group: number, cause: number, name: string, alerts: StormAlert[], startsAt: number) {
  const service = serviceOf(cause);
  const common = {
    alertname: name,
    service,
    environment: "production",
    repository: `${STORM_OWNER}/${STORM_REPO}`,
  };
  return {
    version: "4",
    receiver: "aftershock",
    status: alerts.some((a) => a.status === "firing") ? "firing" : "resolved",
    alerts: alerts.map((a, i) => ({
      status: a.status,
      labels: {
        ...common,
        instance: `${service}-${i}:8080`,
        severity: group % 3 === 0 ? "critical" : "warning",
      },
      annotations: { summary: `${name} on ${service} instance ${i}` },
      startsAt: iso(startsAt + i * 30_000),
      endsAt: a.status === "resolved" ? iso(startsAt + 20 * 60_000) : "0001-01-01T00:00:00Z",
      generatorURL: `http://prometheus.example:9090/graph?g0.expr=${name}`,
      fingerprint: a.fingerprint,
    })),
    groupLabels: { alertname: name, service },
    commonLabels: common,
    commonAnnotations: {},
    externalURL: "http://alertmanager.example:9093",
    groupKey: `{}:{alertname="${name}", service="${service}"}`,
    truncatedAlerts: 0,
  };
}
