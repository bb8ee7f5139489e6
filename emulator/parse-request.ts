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

/** Largest body accepted: these actions have a handful of short parameters. */
export const MAX_BODY_BYTES = 64 * 1024;

/** A body over MAX_BODY_BYTES: answered 413 without reading (or keeping) the rest. */
export class BodyTooLargeError extends Error {
  override name = "BodyTooLargeError";
}

/** Form decoding (`+` is a space), the way every RPC client encodes its query. */
function decodePairs(text: string): Array<[string, string]> {
  return [...new URLSearchParams(text)];
}

/**
 * The body, at most MAX_BODY_BYTES. A larger one (by Content-Length, or once its bytes pass the
 * cap) fails at once; Node discards the rest of it after the answer (the request is dumped), so
 * neither memory nor the answer waits for it.
 */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > MAX_BODY_BYTES) return reject(new BodyTooLargeError(`${declared} bytes`));
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.off("data", onData);
        chunks.length = 0;
        reject(new BodyTooLargeError(`more than ${MAX_BODY_BYTES} bytes`));
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** The query parameters alone, first occurrence of each (before the body is read). */
export function queryParams(url: string | undefined): Record<string, string> {
  const q = (url ?? "").indexOf("?");
  const out: Record<string, string> = {};
  if (q >= 0) for (const [k, v] of decodePairs((url ?? "").slice(q + 1))) if (!(k in out)) out[k] = v;
  return out;
}

/**
 * The format of the answer: `Format` when sent (XML or JSON, any case; anything else is JSON),
 * else XML for a legacy v1 request (its documented default) and JSON for ACS3 (whose clients
 * expect JSON and send no Format).
 */
export function responseFormat(params: Readonly<Record<string, string>>, headers: IncomingHttpHeaders): "JSON" | "XML" {
  const format = params.Format;
  if (format !== undefined && format !== "") return format.toUpperCase() === "XML" ? "XML" : "JSON";
  const v1 =
    header(headers, "authorization") === undefined &&
    (params.Signature !== undefined || params.SignatureMethod !== undefined || params.AccessKeyId !== undefined);
  return v1 ? "XML" : "JSON";
}

/** Splits the URL and decodes query and form body; no validation happens here. */
export function parseRequest(req: IncomingMessage, body: Buffer): ParsedRequest {
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  const path = q < 0 ? url : url.slice(0, q);
  const queryPairs = q < 0 ? [] : decodePairs(url.slice(q + 1));
  const contentType = String(req.headers["content-type"] ?? "").toLowerCase();
  const bodyPairs = contentType.startsWith("application/x-www-form-urlencoded")
    ? decodePairs(body.toString("utf8"))
    : [];
  const params: Record<string, string> = {};
  // First occurrence wins: no official client repeats a key.
  for (const [k, v] of bodyPairs) if (!(k in params)) params[k] = v;
  const fromQuery: Record<string, string> = {};
  for (const [k, v] of queryPairs) if (!(k in fromQuery)) fromQuery[k] = v;
  Object.assign(params, fromQuery);
  return {
    method: (req.method ?? "GET").toUpperCase(),
    path,
    queryPairs,
    bodyPairs,
    body,
    headers: req.headers,
    params,
  };
}

/** One header as a string: repeated headers are joined the way ACS3 clients sign them. */
export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v.join(",") : v;
}
