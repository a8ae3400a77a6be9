// bench:culprit's stand-in for the app's past incidents when the service maps are removed: only the
// culprits of the same repository's earlier cases of the same service, confirmed before the alert and
// within the history look-back, never the case's own culprit.
import { describe, expect, it } from "vitest";
import {
  DEFAULT_HISTORY_LOOKBACK_MS,
  pastCulpritFilesFor,
  withPastCulprits,
  type DatasetCase,
} from "../../scripts/culprit-cases.js";
import type { CorrelationCase } from "../../src/core/suspects/correlation-types.js";

const DAY = 86_400_000;
const T0 = Date.parse("2024-06-01T12:00:00Z");

function datasetCase(
  id: string,
  at: number,
  service: string,
  culprit: string[],
  other: string[] = ["docs/x.md"],
  repo = "acme/shop",
): DatasetCase {
  return {
    id,
    repo,
    truth: 2,
    input: {
      id,
      repo,
      alert: { startsAt: new Date(at).toISOString(), labels: { service } },
      deployments: [],
      candidates: [
        { number: 1, files: other.map((path) => ({ path })) },
        { number: 2, files: culprit.map((path) => ({ path })) },
      ],
    },
  };
}

describe("pastCulpritFilesFor", () => {
  it("takes earlier culprits of the same repository and service, newest first, never the case's own", () => {
    const ds = [
      datasetCase("a", T0 - 30 * DAY, "checkout", ["src/checkout/old.py", "src/checkout/shared.py"]),
      datasetCase("b", T0 - 2 * DAY, "checkout", ["src/checkout/new.py", "src/checkout/shared.py"]),
      datasetCase("c", T0 - DAY, "search", ["src/search/index.py"]),
      datasetCase("d", T0 - DAY, "checkout", ["other/repo.py"], [], "acme/other"),
      datasetCase("e", T0, "Checkout", ["src/checkout/culprit-of-this-case.py"]),
    ];
    expect(pastCulpritFilesFor(ds, 4)).toEqual([
      "src/checkout/new.py",
      "src/checkout/shared.py",
      "src/checkout/old.py",
    ]);
  });

  it("needs the earlier alert 10 minutes before (its revert merged by then) and inside the look-back", () => {
    const ds = [
      datasetCase("old", T0 - DEFAULT_HISTORY_LOOKBACK_MS - 60_000, "api", ["api/too-old.py"]),
      datasetCase("near", T0 - 9 * 60_000, "api", ["api/not-yet-confirmed.py"]),
      datasetCase("ok", T0 - 11 * 60_000, "api", ["api/known.py"]),
      datasetCase("now", T0, "api", ["api/this.py"]),
    ];
    expect(DEFAULT_HISTORY_LOOKBACK_MS).toBe(90 * DAY);
    expect(pastCulpritFilesFor(ds, 3)).toEqual(["api/known.py"]);
    expect(pastCulpritFilesFor(ds, 0)).toEqual([]);
  });

  it("adds them as hints only when there are some", () => {
    const ds = [
      datasetCase("a", T0 - DAY, "api", ["api/known.py"]),
      datasetCase("b", T0, "api", ["api/this.py"]),
    ];
    const c = {
      alert: { startsAt: "x", labels: {} },
      deployments: [],
      pulls: [],
    } as unknown as CorrelationCase;
    expect(withPastCulprits(c, ds, 1).hints).toEqual({ pastCulpritFiles: ["api/known.py"] });
    expect(withPastCulprits(c, ds, 0)).toBe(c);
  });
});
