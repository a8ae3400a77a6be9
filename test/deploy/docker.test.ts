// The image, checked without Docker: stages, base, user, production-only dependencies, and the
// HEALTHCHECK command run for real against a server. docker-compose.yml wires the App to Redis.
import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ROOT, healthcheckCommand, productionInstall, readDockerfile } from "./dockerfile.js";

const stages = readDockerfile();
const final = stages.at(-1)!;
const ops = (op: string) => final.instructions.filter((i) => i.op === op).map((i) => i.args);

describe("Dockerfile", () => {
  it("builds in stages on Node 24 slim", () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const s of stages) expect(s.from).toMatch(/^node:24(\.\d+)*-[a-z]*-?slim$|^node:24-slim$/);
    const build = stages.find((s) =>
      s.instructions.some((i) => i.op === "RUN" && /npm run build/.test(i.args)),
    );
    expect(build, "a stage runs npm run build").toBeDefined();
    expect(ops("COPY").some((a) => a.includes(`--from=${build!.name}`) && a.includes("dist"))).toBe(true);
  });

  it("ships production dependencies only, without install scripts", () => {
    const args = productionInstall(stages);
    expect(args).toContain("--omit=dev");
    expect(args).toContain("--ignore-scripts");
    // No node_modules from the build stage, which holds the dev dependencies.
    const build = stages.find((s) => s.instructions.some((i) => /npm run build/.test(i.args)))!;
    expect(
      ops("COPY").filter((a) => a.includes(`--from=${build.name}`) && a.includes("node_modules")),
    ).toEqual([]);
  });

  it("runs as a non-root user, serving on all interfaces", () => {
    const user = ops("USER").at(-1);
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    expect(ops("ENV").join(" ")).toMatch(/HOST=0\.0\.0\.0/);
    expect(ops("CMD").at(-1)).toBe('["node", "dist/main.js"]');
  });

  describe("HEALTHCHECK", () => {
    let server: Server | undefined;
    afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

    async function probe(status: number): Promise<{ code: number | null; paths: string[] }> {
      const paths: string[] = [];
      server = createServer((req, res) => {
        paths.push(req.url ?? "");
        res.writeHead(status).end();
      });
      await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
      const port = (server.address() as { port: number }).port;
      const [cmd, ...args] = healthcheckCommand(final);
      expect(cmd).toBe("node");
      // Asynchronously: this process's server has to answer while the probe waits.
      const result = await new Promise<number | null>((resolve) => {
        const child = spawn(process.execPath, args, {
          env: { ...process.env, PORT: String(port) },
          stdio: "ignore",
        });
        child.on("exit", (code) => resolve(code));
      });
      return { code: result, paths };
    }

    it("passes when /healthz answers 200 and fails otherwise", async () => {
      const ok = await probe(200);
      expect(ok).toEqual({ code: 0, paths: ["/healthz"] });
      const down = await probe(503);
      expect(down.code).toBe(1);
    });
  });
});

describe("docker-compose.yml", () => {
  const compose = parse(readFileSync(join(ROOT, "docker-compose.yml"), "utf8")) as {
    services: Record<
      string,
      {
        build?: unknown;
        image?: string;
        environment?: Record<string, string>;
        depends_on?: Record<string, { condition: string }>;
        healthcheck?: unknown;
      }
    >;
  };

  it("runs the App from this Dockerfile with Redis, once Redis answers", () => {
    const app = compose.services.aftershock!;
    expect(app.build).toBe(".");
    const redisName = Object.keys(compose.services).find((n) =>
      /^redis(:|$)/.test(compose.services[n]!.image ?? ""),
    )!;
    expect(redisName).toBeDefined();
    expect(new URL(app.environment!.REDIS_URL!).hostname).toBe(redisName);
    expect(app.depends_on?.[redisName]?.condition).toBe("service_healthy");
    expect(compose.services[redisName]!.healthcheck).toBeDefined();
  });
});
