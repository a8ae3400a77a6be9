// The burst bench:load sends: Alertmanager webhook bodies (version 4) for N alert groups, each
// delivered about deliveries/groups times the way Alertmanager does over an incident's life: the
// whole group every time (repeat_interval redeliveries of the same alerts), new instances joining,
// some resolving (a resolved alert is sent once, then dropped), an exact duplicate now and then (an
// HA peer or a resend), and for some groups a final "everything resolved". Deterministic for a
// seed, then shuffled, so deliveries of one group overlap and arrive out of order.
import { createHash } from "node:crypto";
import { mulberry32 } from "../test/helpers/mulberry32.js";

export interface LoadDelivery {
  /** Index of the alert group (0-based). */
  group: number;
  /** Position in the group's own sequence (0 = the first notification). */
  seq: number;
  groupKey: string;
  payload: AlertmanagerBody;
}

export interface AlertmanagerBody {
  version: "4";
  receiver: string;
  status: "firing" | "resolved";
  alerts: AlertBody[];
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  groupKey: string;
  truncatedAlerts: number;
}

interface AlertBody {
  status: "firing" | "resolved";
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
}

export interface LoadShape {
  deliveries: number;
  groups: number;
  seed: number;
  owner: string;
  repo: string;
  /** When the first alert of group 0 started; groups start a few seconds apart after it. */
  startsAt: Date;
}

const ALERTNAMES = ["HighErrorRate", "HighLatencyP99", "PodCrashLooping", "QueueBacklog", "ErrorBudgetBurn"];
// Services the story repository's config maps to paths, so correlation has real work to do.
const SERVICES = ["checkout", "search", "billing"];
const ZERO_TIME = "0001-01-01T00:00:00Z";
const MAX_INSTANCES = 6;

/** Fisher–Yates with the given random source, in place. */
export function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** Every delivery of the burst, shuffled. Throws when there are fewer deliveries than groups. */
export function generateBurst(shape: LoadShape): LoadDelivery[] {
  if (!Number.isInteger(shape.groups) || shape.groups < 1) {
    throw new Error(`groups must be a whole number ≥ 1, got ${shape.groups}`);
  }
  if (shape.deliveries < shape.groups) {
    throw new Error(
      `${shape.deliveries} deliveries cannot cover ${shape.groups} groups: give at least one per group`,
    );
  }
  const random = mulberry32(shape.seed);
  const all: LoadDelivery[] = [];
  for (let g = 0; g < shape.groups; g++) {
    const count = Math.floor(shape.deliveries / shape.groups) + (g < shape.deliveries % shape.groups ? 1 : 0);
    all.push(...groupDeliveries(shape, g, count, random));
  }
  return shuffle(all, random);
}

interface Instance {
  pod: number;
  status: "firing" | "resolved";
  startsAt: number;
  endsAt?: number;
  /** A resolved alert is notified once, then Alertmanager drops it from the group. */
  notifiedResolved: boolean;
}

function groupDeliveries(shape: LoadShape, g: number, count: number, random: () => number): LoadDelivery[] {
  const alertname = ALERTNAMES[g % ALERTNAMES.length]!;
  const service = SERVICES[Math.floor(g / ALERTNAMES.length) % SERVICES.length]!;
  const cluster = `prod-${Math.floor(g / (ALERTNAMES.length * SERVICES.length))}`;
  const repository = `${shape.owner}/${shape.repo}`;
  const groupLabels = { alertname, cluster, repository, service };
  const groupKey = `{}/{severity=~"page|ticket"}:{alertname="${alertname}", cluster="${cluster}", repository="${repository}", service="${service}"}`;
  const base = shape.startsAt.getTime() + g * 7_000;
  const instances: Instance[] = [{ pod: 0, status: "firing", startsAt: base, notifiedResolved: false }];
  // Roughly a third of the groups end with everything resolved.
  const resolvesAtEnd = random() < 0.3;
  const out: LoadDelivery[] = [];
  let previous: AlertmanagerBody | undefined;

  for (let seq = 0; seq < count; seq++) {
    const at = base + seq * 30_000;
    const r = random();
    if (previous && r < 0.15) {
      // An exact duplicate: the other Alertmanager of an HA pair, or a resend.
      out.push({ group: g, seq, groupKey, payload: previous });
      continue;
    }
    // Resolved alerts already notified leave the group.
    for (let i = instances.length - 1; i >= 0; i--)
      if (instances[i]!.notifiedResolved) instances.splice(i, 1);
    const firing = instances.filter((i) => i.status === "firing");
    const last = seq === count - 1;
    if (last && resolvesAtEnd && seq > 0) {
      for (const i of firing) Object.assign(i, { status: "resolved", endsAt: at });
    } else if (seq > 0 && r < 0.45 && instances.length < MAX_INSTANCES) {
      const pod = Math.max(-1, ...instances.map((i) => i.pod)) + 1;
      instances.push({ pod, status: "firing", startsAt: at - 15_000, notifiedResolved: false });
    } else if (seq > 0 && r < 0.6 && firing.length > 1) {
      const gone = firing[Math.floor(random() * firing.length)]!;
      Object.assign(gone, { status: "resolved", endsAt: at });
    }
    // else: a repeat_interval redelivery of the same alerts.
    const alerts = instances.map((i) => alertBody({ alertname, cluster, repository, service }, i, g));
    for (const i of instances) if (i.status === "resolved") i.notifiedResolved = true;
    const payload: AlertmanagerBody = {
      version: "4",
      receiver: "aftershock",
      status: alerts.some((a) => a.status === "firing") ? "firing" : "resolved",
      alerts,
      groupLabels,
      commonLabels: commonLabels(alerts),
      commonAnnotations: alerts.length === 1 ? { ...alerts[0]!.annotations } : {},
      externalURL: "http://alertmanager.load:9093",
      groupKey,
      truncatedAlerts: 0,
    };
    out.push({ group: g, seq, groupKey, payload });
    previous = payload;
  }
  return out;
}

function alertBody(group: Record<string, string>, i: Instance, g: number): AlertBody {
  const labels = {
    ...group,
    environment: "production",
    instance: `${group.service}-${g}-${i.pod}`,
    severity: g % 4 === 0 ? "ticket" : "page",
  };
  return {
    status: i.status,
    labels,
    annotations: {
      summary: `${group.alertname} on ${labels.instance}`,
      runbook_url: `https://runbooks.example/${group.alertname}`,
    },
    startsAt: new Date(i.startsAt).toISOString(),
    endsAt: i.endsAt === undefined ? ZERO_TIME : new Date(i.endsAt).toISOString(),
    generatorURL: `http://prometheus.load:9090/graph?g0.expr=${encodeURIComponent(group.alertname!)}`,
    fingerprint: fingerprint(labels),
  };
}

/** 16 hex digits from the sorted labels, like Alertmanager's (which hashes them with FNV-64a). */
function fingerprint(labels: Record<string, string>): string {
  const text = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(",");
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

function commonLabels(alerts: AlertBody[]): Record<string, string> {
  const [first, ...rest] = alerts;
  if (!first) return {};
  return Object.fromEntries(
    Object.entries(first.labels).filter(([k, v]) => rest.every((a) => a.labels[k] === v)),
  );
}
