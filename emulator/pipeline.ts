import { randomBytes, randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { authenticate } from "./auth/authenticate";
import type { KeyRing } from "./auth/key-ring";
import type { NonceCache } from "./auth/nonce-cache";
import { authorize } from "./auth/ram";
import type { BackupTasks } from "./backup-tasks";
import { createBackup, validateCreateBackupParams } from "./create-backup";
import { describeBackupTasks, validateDescribeBackupTasksParams } from "./describe-backup-tasks";
import { describeBackups } from "./describe-backups";
import { validateDescribeBackupsParams } from "./describe-backups-params";
import { ApiError, Errors } from "./errors";
import {
  describeBackupPolicy,
  describeBinlogFiles,
  describeLocalAvailableRecoveryTime,
  validateDescribeBackupPolicyParams,
  validateDescribeBinlogFilesParams,
  validateRecoveryTimeParams,
} from "./log-backup-actions";
import type { FaultController } from "./faults";
import {
  BodyTooLargeError,
  MAX_BODY_BYTES,
  header,
  parseRequest,
  queryParams,
  readBody,
  responseFormat,
} from "./parse-request";
import { sendEmpty, sendError, sendHtml502, sendResult, type RequestContext } from "./respond";
import type { StatsRecorder } from "./stats";
import type { BackupStore } from "./store";
import type { DescribeBackupsParams } from "./types";

export const API_VERSION = "2014-08-15";

/** The actions the emulator serves; any other is InvalidAction.NotFound. */
export const ACTIONS: readonly string[] = [
  "DescribeBackups",
  "CreateBackup",
  "DescribeBackupTasks",
  "DescribeBackupPolicy",
  "DescribeLocalAvailableRecoveryTime",
  "DescribeBinlogFiles",
];

/** Parameters that belong to the protocol, not to the action: kept out of `stats.lastParams`. */
const PROTOCOL_PARAMS = new Set([
  "Action",
  "Version",
  "Format",
  "Timestamp",
  "SignatureNonce",
  "SignatureMethod",
  "SignatureVersion",
  "AccessKeyId",
  "Signature",
  "SecurityToken",
]);

export interface PipelineDeps {
  readonly store: BackupStore;
  readonly tasks: BackupTasks;
  readonly keys: KeyRing;
  readonly nonces: NonceCache;
  readonly faults: FaultController;
  readonly stats: StatsRecorder;
  /** The emulator's clock, epoch ms (wall clock + clockOffsetMs). */
  now(): number;
  /** A delay that `close()` can cancel. */
  sleep(ms: number): Promise<void>;
  /** Runs the `onRequest` hooks. */
  runHooks(params: DescribeBackupsParams): Promise<void>;
  /** A bug or a throwing hook: answered as InternalError, reported here. */
  unexpected(err: unknown): void;
}

/**
 * The request pipeline, in this order:
 *  1. context   request id (UUID) and trace id (32 hex), for every answer, errors too
 *  2. parse     path, query and form body decoded (a body over 64 KiB: 413); the answer's
 *               format (Format, else XML for legacy v1, JSON for ACS3)
 *  3. authenticate  ACS3-HMAC-SHA256 or HMAC-SHA1, key, date, signature, STS token, nonce
 *  4. dispatch  action and version (InvalidAction.NotFound / InvalidVersion)
 *  5. faults    scripted, then flow control, then configured rates; delays happen here
 *  6. validate  the action's parameters
 *  7. authorize RAM: keys limited to some instances, denial naming `rds:<Action>`
 *  8. hooks     onRequest (DescribeBackups only), so a test can move sets between pages
 *  9. handler   DescribeBackups: filter, order, page; CreateBackup: preconditions, start a task;
 *               DescribeBackupTasks: the tasks at this moment; DescribeBackupPolicy, the restore
 *               window and the log files (log-backup-actions.ts). Ended tasks' sets are stored
 *               first (once their visibility lag has passed), so every action sees one state.
 * 10. serialize JSON or XML with the service's headers (body faults applied here)
 * 11. error     any ApiError becomes the service's error body; anything else is InternalError
 */
export function createPipeline(
  deps: PipelineDeps,
): (req: IncomingMessage, res: ServerResponse, ctx: RequestContext) => Promise<void> {
  return async (req, res, ctx) => {
    try {
      const early = queryParams(req.url);
      ctx.format = responseFormat(early, req.headers);
      ctx.action = header(req.headers, "x-acs-action") ?? early.Action;
      ctx.instance = early.DBInstanceId;
      const request = parseRequest(req, await readBody(req));
      ctx.format = responseFormat(request.params, request.headers);
      // Named early so the log line says what a rejected request was after.
      ctx.action = header(request.headers, "x-acs-action") ?? request.params.Action;
      ctx.instance = request.params.DBInstanceId;
      if (request.path !== "/") throw Errors.invalidActionNotFound();
      const key = authenticate(request, deps.keys, deps.nonces, deps.now());
      const action = header(request.headers, "x-acs-action") ?? request.params.Action;
      const version = header(request.headers, "x-acs-version") ?? request.params.Version;
      if (action === undefined || !ACTIONS.includes(action)) throw Errors.invalidActionNotFound();
      if (version !== API_VERSION) throw Errors.invalidVersion();
      const apiParams = Object.fromEntries(Object.entries(request.params).filter(([k]) => !PROTOCOL_PARAMS.has(k)));
      deps.stats.action(action, apiParams);

      const decision = deps.faults.next();
      if (decision.fault) {
        ctx.fault = decision.fault;
        deps.stats.fault(decision.fault.kind);
      }
      if (decision.delayMs > 0) await deps.sleep(decision.delayMs);
      if (res.destroyed) return;
      switch (ctx.fault?.kind) {
        case "drop":
          req.socket.destroy();
          return;
        case "throttle":
          throw Errors.throttlingUser(ctx.fault.retryAfterMs);
        case "internalError":
          throw Errors.internalError();
        case "serviceUnavailable":
          throw Errors.serviceUnavailable();
        case "html502":
          return sendHtml502(res, ctx);
        case "emptyBody":
          return sendEmpty(res, ctx, ctx.fault.status ?? 404);
        default:
          break;
      }

      const now = deps.now();
      const region = (id: string) => deps.store.regionOf(id) ?? "cn-hangzhou";
      deps.tasks.settle(now);
      if (action === "CreateBackup") {
        const params = validateCreateBackupParams(apiParams);
        authorize(key, action, params.DBInstanceId, region(params.DBInstanceId));
        return sendResult(res, ctx, createBackup(deps.store, deps.tasks, params, now, ctx.requestId));
      }
      if (action === "DescribeBackupTasks") {
        const params = validateDescribeBackupTasksParams(apiParams);
        authorize(key, action, params.DBInstanceId, region(params.DBInstanceId));
        return sendResult(res, ctx, describeBackupTasks(deps.store, deps.tasks, params, now, ctx.requestId));
      }
      if (action === "DescribeBackupPolicy") {
        const params = validateDescribeBackupPolicyParams(apiParams);
        authorize(key, action, params.DBInstanceId, region(params.DBInstanceId));
        return sendResult(res, ctx, { ...describeBackupPolicy(deps.store, params, ctx.requestId) });
      }
      if (action === "DescribeLocalAvailableRecoveryTime") {
        const params = validateRecoveryTimeParams(apiParams);
        authorize(key, action, params.DBInstanceId, region(params.DBInstanceId));
        return sendResult(res, ctx, describeLocalAvailableRecoveryTime(deps.store, params, now, ctx.requestId));
      }
      if (action === "DescribeBinlogFiles") {
        const params = validateDescribeBinlogFilesParams(apiParams);
        authorize(key, action, params.DBInstanceId, region(params.DBInstanceId));
        return sendResult(res, ctx, { ...describeBinlogFiles(deps.store, params, ctx.requestId) });
      }
      const params = validateDescribeBackupsParams(apiParams);
      authorize(key, action, params.DBInstanceId, region(params.DBInstanceId));
      await deps.runHooks(params);
      sendResult(res, ctx, { ...describeBackups(deps.store, params, ctx.requestId) });
    } catch (err) {
      if (!(err instanceof ApiError) && !(err instanceof BodyTooLargeError)) deps.unexpected(err);
      const apiError =
        err instanceof ApiError
          ? err
          : err instanceof BodyTooLargeError
            ? Errors.requestTooLarge(MAX_BODY_BYTES)
            : Errors.internalError();
      deps.stats.error(apiError.code);
      sendError(res, ctx, apiError);
    }
  };
}

export function newContext(req: IncomingMessage): RequestContext {
  return {
    requestId: randomUUID().toUpperCase(),
    traceId: randomBytes(16).toString("hex"),
    hostId: header(req.headers, "host") ?? "rds.aliyuncs.com",
    startedAt: performance.now(),
  };
}
