// The Action's entry point: kept thin, the logic lives in run.ts and the engine.
import { run } from "./run.js";

void run();
