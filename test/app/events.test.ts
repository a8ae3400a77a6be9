// The app's event bus: listeners run after the delivery that emitted the event, so they must not
// carry its deadline (an auto-rollback's writes would all be refused once it has passed).
import { describe, expect, it } from "vitest";
import { AppEvents } from "../../src/app/events.js";
import { currentDeadline, withDeadline } from "../../src/app/pacing/deadline.js";
import { incidentRecord } from "../helpers/incident-record.js";

const opened = () => ({
  repo: { owner: "o", repo: "r" },
  number: 1,
  url: "https://example.invalid/1",
  record: incidentRecord(),
  config: {} as never,
  source: "alert" as const,
});

describe("AppEvents", () => {
  it("runs listeners outside the emitting delivery's deadline", async () => {
    const events = new AppEvents();
    const seen: Array<number | undefined> = [];
    events.on("incident.opened", () => {
      seen.push(currentDeadline());
    });
    let inside: number | undefined;
    await withDeadline(1_000, async () => {
      events.emit("incident.opened", opened());
      inside = currentDeadline();
    });
    await events.idle();
    expect(inside).toBe(1_000);
    expect(seen).toEqual([undefined]);
  });

  it("reports a listener's failure to the error handler instead of throwing", async () => {
    const events = new AppEvents();
    const errors: unknown[] = [];
    events.setErrorHandler((err) => errors.push(err));
    events.on("incident.opened", () => {
      throw new Error("boom");
    });
    events.emit("incident.opened", opened());
    await events.idle();
    expect(errors.map((e) => (e as Error).message)).toEqual(["boom"]);
  });
});
