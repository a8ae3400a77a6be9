// A real redis-server for end-to-end tests: 127.0.0.1 on a free port, nothing persisted, stopped by
// PID. It can be stopped and started again on the same port, to test a Redis outage mid-run.
import {
  freePort,
  requireBinaries,
  startServer,
  tcpReady,
  type Requirement,
  type RunningServer,
} from "./servers.js";

/** Whether redis-server is here (fails under CI, skips with one line elsewhere: see servers.ts). */
export function redisRequirement(suite: string): Requirement {
  return requireBinaries(suite, ["redis-server"], "redis-server");
}

export class RedisServer {
  #running: RunningServer | null = null;

  private constructor(
    readonly binary: string,
    readonly port: number,
  ) {}

  /** Starts redis-server on a free port and waits until it accepts connections. */
  static async start(binary: string): Promise<RedisServer> {
    const server = new RedisServer(binary, await freePort());
    await server.start();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get pid(): number | null {
    return this.#running?.pid ?? null;
  }

  /** (Re)starts on the same port. */
  async start(): Promise<void> {
    if (this.#running) return;
    this.#running = await startServer({
      name: "redis-server",
      command: this.binary,
      // No RDB snapshots, no AOF: an in-memory server that leaves no files behind.
      args: ["--port", String(this.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
      ready: tcpReady(this.port),
      readyTimeoutMs: 15_000,
    });
  }

  /** Stops the process by PID (SIGTERM, then SIGKILL). */
  async stop(): Promise<void> {
    const running = this.#running;
    this.#running = null;
    await running?.stop(2000);
  }
}
