// Stage 2: read the request body, refusing (413) anything above the limit without buffering it all.
import type { IncomingMessage } from "node:http";
import { HttpError } from "../http.js";

function tooLarge(maxBytes: number): HttpError {
  return new HttpError(
    413,
    `request body is larger than ${maxBytes} bytes: lower max_alerts in Alertmanager's webhook_config ` +
      "or raise ALERTMANAGER_MAX_BODY_BYTES",
    undefined,
    { connection: "close" },
  );
}

/** How long a whole body may take to arrive; Alertmanager sends its payload at once. */
export const DEFAULT_BODY_TIMEOUT_MS = 10_000;

export async function readBody(
  req: IncomingMessage,
  maxBytes: number,
  timeoutMs = DEFAULT_BODY_TIMEOUT_MS,
): Promise<string> {
  // Some hosts (serverless adapters) have already read and maybe parsed the body.
  if (typeof req.body === "string" || (req.body && typeof req.body === "object")) {
    const text = typeof req.body === "string" ? req.body : JSON.stringify(req.body);
    if (Buffer.byteLength(text) > maxBytes) throw tooLarge(maxBytes);
    return text;
  }
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);

  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    // A client trickling its body must not hold a socket (and a slot of the process) for minutes.
    const timer = setTimeout(() => {
      cleanup();
      req.pause();
      reject(
        new HttpError(408, `the request body did not arrive within ${timeoutMs} ms`, undefined, {
          connection: "close",
        }),
      );
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        cleanup();
        req.pause();
        reject(tooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks).toString("utf8"));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(new HttpError(400, `could not read the request body: ${err.message}`));
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
  });
}
