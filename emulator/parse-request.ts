import type { IncomingHttpHeaders, IncomingMessage } from "node:http";

/** A request as the pipeline sees it after the "parse" stage. */
export interface ParsedRequest {
  readonly method: string;
  /** Path without the query string, e.g. `/`. */
  readonly path: string;
  /** Query parameters decoded off the wire, in wire order (signatures re-encode them). */
  readonly queryPairs: ReadonlyArray<readonly [string, string]>;
  /** Form-encoded body parameters, decoded (empty for other bodies). */
  readonly bodyPairs: ReadonlyArray<readonly [string, string]>;
  /** The raw body bytes, hashed by ACS3 (`x-acs-content-sha256`). */
  readonly body: Buffer;
  readonly headers: IncomingHttpHeaders;
  /** Every API parameter, query and body merged; the query wins on a clash. */
  readonly params: Readonly<Record<string, string>>;
}

/** Largest body accepted: DescribeBackups has nine short parameters. */
const MAX_BODY_BYTES = 64 * 1024;

/** Form decoding (`+` is a space), the way every RPC client encodes its query. */
function decodePairs(text: string): Array<[string, string]> {
  return [...new URLSearchParams(text)];
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error("request body too large"));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** Splits the URL and decodes query and form body; no validation happens here. */
export function parseRequest(req: IncomingMessage, body: Buffer): ParsedRequest {
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  const path = q < 0 ? url : url.slice(0, q);
  const queryPairs = q < 0 ? [] : decodePairs(url.slice(q + 1));
  const contentType = String(req.headers["content-type"] ?? "").toLowerCase();
  const bodyPairs = contentType.startsWith("application/x-www-form-urlencoded") ? decodePairs(body.toString("utf8")) : [];
  const params: Record<string, string> = {};
  // First occurrence wins: no official client repeats a key.
  for (const [k, v] of bodyPairs) if (!(k in params)) params[k] = v;
  const fromQuery: Record<string, string> = {};
  for (const [k, v] of queryPairs) if (!(k in fromQuery)) fromQuery[k] = v;
  Object.assign(params, fromQuery);
  return { method: (req.method ?? "GET").toUpperCase(), path, queryPairs, bodyPairs, body, headers: req.headers, params };
}

/** One header as a string: repeated headers are joined the way ACS3 clients sign them. */
export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v.join(",") : v;
}
