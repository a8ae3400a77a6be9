// A stand-in for rankSuspects in the grouping tests: each alert's service decides its top suspect
// (checkout and payments → deploy 7, search → deploy 8 in grouping-fixtures.ts). Types only: vi.mock
// factories import it while the app's modules are still loading.
import type { PullRef, Suspect } from "../../src/core/suspects/correlation-types.js";

/** the pull whose title names the alert's service ranks first. */
export function rankByService({
  pulls,
  alert,
}: {
  pulls: PullRef[];
  alert: { labels: Record<string, string> };
}): Suspect[] {
  const service = alert.labels["service"] ?? "";
  const ranked = [...pulls].sort(
    (a, b) => Number(b.title.includes(service)) - Number(a.title.includes(service)),
  );
  return ranked.map((p) => ({
    number: p.number,
    title: p.title,
    author: p.author,
    deploymentId: p.deploymentId,
    deploymentSha: "",
    score: 0.7,
    reasons: ["deployed before the alert"],
    files: [],
  }));
}
