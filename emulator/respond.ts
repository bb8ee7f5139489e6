import type { ServerResponse } from "node:http";
import { ApiError, errorBody } from "./errors";
import type { ScriptedFault } from "./faults";
import { toXml } from "./xml";

/** Per-request facts every answer carries. */
export interface RequestContext {
  readonly requestId: string;
  readonly traceId: string;
  readonly hostId: string;
  readonly startedAt: number;
  action?: string;
  instance?: string;
  /** What the request asked for: `Format`, else XML for a legacy v1 request and JSON otherwise. */
  format?: "JSON" | "XML";
  /** The fault chosen for this request; body faults are applied while serializing. */
  fault?: ScriptedFault;
  /** What was answered, for the log line and stats. */
  status?: number;
  code?: string;
}

const JSON_TYPE = "application/json;charset=utf-8";
const XML_TYPE = "text/xml;charset=utf-8";

/** A body in the format the request asked for; `root` names the XML document element. */
function serialize(
  ctx: RequestContext,
  root: string,
  body: Record<string, unknown>,
): { bytes: Buffer; contentType: string } {
  if (ctx.format === "XML") return { bytes: Buffer.from(toXml(root, body)), contentType: XML_TYPE };
  return { bytes: Buffer.from(JSON.stringify(body)), contentType: JSON_TYPE };
}

/** Writes one answer with the headers the service puts on every answer, errors included. */
export function send(
  res: ServerResponse,
  ctx: RequestContext,
  status: number,
  body: Buffer,
  contentType = JSON_TYPE,
  extra: Readonly<Record<string, string>> = {},
): void {
  if (res.destroyed || res.headersSent) return;
  ctx.status = status;
  const headers: Record<string, string | number> = {
    "content-type": contentType,
    "x-acs-request-id": ctx.requestId,
    "x-acs-trace-id": ctx.traceId,
    ...extra,
  };
  if (ctx.fault?.kind === "reset") {
    // Promise the whole body, deliver half, then cut the connection: a reset mid-body.
    res.writeHead(status, { ...headers, "content-length": body.length });
    res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.socket?.destroy());
    return;
  }
  const out = ctx.fault?.kind === "truncatedJson" ? body.subarray(0, Math.floor(body.length / 2)) : body;
  res.writeHead(status, { ...headers, "content-length": out.length });
  res.end(out);
}

/** A success body, with the content faults a test may have asked for. */
export function sendResult(res: ServerResponse, ctx: RequestContext, result: Record<string, unknown>): void {
  const kind = ctx.fault?.kind;
  const body: Record<string, unknown> = structuredClone(result);
  if (kind === "wrongType") {
    const items = body.Items as
      | {
          Backup?: Array<Record<string, unknown>>;
          BackupJob?: Array<Record<string, unknown>>;
          BinLogFile?: Array<Record<string, unknown>>;
        }
      | undefined;
    // A numeric field as a word: the SDK cannot coerce it, the client has to notice.
    if (items?.Backup?.[0]) items.Backup[0].BackupSize = "about two megabytes";
    else if (items?.BinLogFile?.[0]) items.BinLogFile[0].FileSize = "about two megabytes";
    else if (items?.BinLogFile) body.TotalRecordCount = "a few";
    else if ("RecoveryEndTime" in body) body.RecoveryEndTime = "yesterday evening";
    else if ("BackupRetentionPeriod" in body) body.BackupRetentionPeriod = "a week";
    else if (items?.BackupJob?.[0]) items.BackupJob[0].Process = "about half";
    else if (items?.BackupJob) body.Items = "none";
    else if ("BackupJobId" in body) body.BackupJobId = "job five";
    else body.TotalEcsSnapshotSize = "none";
  }
  if (kind === "totalMismatch") body.TotalRecordCount = String(Number(body.TotalRecordCount ?? 0) + 7);
  if (kind === "rewrite") {
    Object.assign(body, structuredClone(ctx.fault?.set ?? {}));
    const holder = body.Items as
      { Backup?: Array<Record<string, unknown>>; BinLogFile?: Array<Record<string, unknown>> } | undefined;
    for (const item of [...(holder?.Backup ?? []), ...(holder?.BinLogFile ?? [])])
      Object.assign(item, ctx.fault?.setEachItem);
  }
  const out = serialize(ctx, `${ctx.action ?? "Unknown"}Response`, body);
  send(res, ctx, 200, out.bytes, out.contentType);
}

export function sendError(res: ServerResponse, ctx: RequestContext, err: ApiError): void {
  ctx.code = err.code;
  const out = serialize(ctx, "Error", errorBody(err, ctx.requestId, ctx.hostId));
  send(res, ctx, err.status, out.bytes, out.contentType, err.headers);
}

/** A 502 from a proxy in front of the service: HTML, not JSON. */
export function sendHtml502(res: ServerResponse, ctx: RequestContext): void {
  ctx.code = "BadGateway(html)";
  const html =
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>Tengine</center>\r\n</body>\r\n</html>\r\n";
  send(res, ctx, 502, Buffer.from(html), "text/html");
}

/** An error status with nothing in the body. */
export function sendEmpty(res: ServerResponse, ctx: RequestContext, status: number): void {
  ctx.code = "EmptyBody";
  send(res, ctx, status, Buffer.alloc(0));
}
