// GitHub's secondary rate limit in front of a GitHub stand-in: a proxy on 127.0.0.1 that counts
// content-creating requests (every REST write; GraphQL queries and token requests are not) in a
// sliding minute and answers 403 with `retry-after`, as GitHub does, past `perMinute` of them.
// Everything else is forwarded as it is.
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { isContentCreating } from "../src/app/pacing/write-budget.js";

export interface SecondaryLimits {
  url: string;
  /** Content-creating requests forwarded, and refused with 403. */
  readonly forwarded: number;
  readonly refused: number;
  close(): Promise<void>;
}

export async function startSecondaryLimits(target: string, perMinute = 80): Promise<SecondaryLimits> {
  const upstream = new URL(target);
  const writes: number[] = [];
  let forwarded = 0;
  let refused = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (isContentCreating(req.method, req.url)) {
      const now = Date.now();
      while (writes.length > 0 && writes[0]! <= now - 60_000) writes.shift();
      if (writes.length >= perMinute) {
        refused++;
        const retryAfter = Math.ceil((writes[0]! + 60_000 - now) / 1000);
        const text = JSON.stringify({
          message:
            "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
        });
        req.resume();
        res.writeHead(403, { "content-type": "application/json", "retry-after": String(retryAfter) });
        res.end(text);
        return;
      }
      writes.push(now);
      forwarded++;
    }
    const proxied = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    proxied.on("error", (err) => {
      if (!res.headersSent) res.writeHead(502, { "content-type": "application/json" });
      res.end(JSON.stringify({ message: err.message }));
    });
    req.pipe(proxied);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get forwarded() {
      return forwarded;
    },
    get refused() {
      return refused;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
