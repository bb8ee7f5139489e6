/**
 * A stand-in for the network between a client and the emulator: an HTTP proxy that passes every
 * request on, except those a test picks by action, which it replays, stalls, delays or answers
 * with a rewritten body. The emulator stays the one server that counts what was executed.
 */
import * as http from "node:http";
import type { AddressInfo, Socket } from "node:net";

export type Behaviour =
  /** Sends the request twice and passes on the second answer (a retrying middlebox). */
  | { readonly kind: "replay" }
  /** Passes the request on, then sends the status line and headers of its answer and nothing more. */
  | { readonly kind: "stall-after-headers" }
  /** Never answers (the request is not passed on). */
  | { readonly kind: "never-answer" }
  /** Passes the request on and the answer back, `ms` later. */
  | { readonly kind: "delay"; readonly ms: number }
  /** Passes the request on; the JSON answer is rewritten by `edit` before it goes back. */
  | { readonly kind: "rewrite"; readonly edit: (body: Record<string, unknown>) => Record<string, unknown> };

export interface Middlebox {
  readonly url: string;
  /** Requests seen, by action. */
  readonly seen: Record<string, number>;
  close(): Promise<void>;
}

interface Answer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

/**
 * `decide` picks the behaviour of each request from its action and query parameters; undefined
 * passes it on untouched.
 */
export async function startMiddlebox(
  upstreamUrl: string,
  decide: (action: string, params: URLSearchParams) => Behaviour | undefined,
): Promise<Middlebox> {
  const upstream = new URL(upstreamUrl);
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const seen: Record<string, number> = {};
  const forward = (req: http.IncomingMessage, body: Buffer) =>
    new Promise<Answer>((resolve, reject) => {
      const out = http.request(
        { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
        (up) => {
          const chunks: Buffer[] = [];
          up.on("data", (c: Buffer) => chunks.push(c));
          up.on("end", () =>
            resolve({ status: up.statusCode ?? 500, headers: up.headers, body: Buffer.concat(chunks) }),
          );
          up.on("error", reject);
        },
      );
      out.on("error", reject);
      out.end(body);
    });
  const later = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const params = new URL(req.url ?? "/", "http://x").searchParams;
      const action = String(req.headers["x-acs-action"] ?? params.get("Action") ?? "");
      seen[action] = (seen[action] ?? 0) + 1;
      const behaviour = decide(action, params);
      void (async () => {
        if (behaviour?.kind === "never-answer") return;
        let answer = await forward(req, body);
        if (behaviour?.kind === "replay") answer = await forward(req, body);
        if (behaviour?.kind === "delay") await later(behaviour.ms);
        if (behaviour?.kind === "stall-after-headers") {
          res.writeHead(answer.status, { ...answer.headers, "content-length": String(answer.body.length) });
          res.flushHeaders();
          return;
        }
        if (behaviour?.kind === "rewrite") {
          const edited = Buffer.from(JSON.stringify(behaviour.edit(JSON.parse(answer.body.toString("utf8")))));
          res.writeHead(answer.status, { ...answer.headers, "content-length": String(edited.length) });
          return void res.end(edited);
        }
        res.writeHead(answer.status, answer.headers);
        res.end(answer.body);
      })().catch(() => req.socket.destroy());
    });
  });
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
