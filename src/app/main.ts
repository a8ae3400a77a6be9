// `npm start`: Probot's own `run` (the same as `probot run`, including its setup flow when no app
// credentials are set), with our logger so secrets in request headers never reach the logs.
import { run } from "probot";
import aftershock from "./index.js";
import { createLogger } from "./observability/logger.js";

await run(aftershock, { log: createLogger() });
