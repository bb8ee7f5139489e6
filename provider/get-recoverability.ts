/**
 * `getRecoverability` / `getRecoverabilityOutput`: can the instance be restored to a point in time
 * (default now) losing at most a stated lag? The sdk's verdict (sdk/recoverability.ts) as Pulumi
 * values: the window, the log files and the policy as typed outputs, after the conventions of
 * Pulumi's generated data sources (./get-backups.ts is the model).
 */
import * as pulumi from "@pulumi/pulumi";
import { parseRecoverabilityArgs } from "./args";
import { RecoverabilityRead } from "./dynamic";
import { invokeOptionsToResource, promiseForm, registerRead } from "./reads";
import type { GetRecoverabilityArgs, GetRecoverabilityOutputArgs, GetRecoverabilityResult, LogFile } from "./types";

/**
 * The point-in-time verdict on `dbInstanceId`: log backup on, a full set before the point, the
 * restore window and an unbroken log chain reaching the point within `recoverableWithin`, the
 * retention minimums if given. Runs during `pulumi preview` too. "Not recoverable" is a result
 * (`recoverable: false`, each failing condition in `failures`), not an error; bad arguments fail
 * at once, before any call; an API error or an answer that cannot be right fails the read.
 *
 * The Promise form cannot carry secrecy, so it refuses `includeDownloadUrls`: use
 * `getRecoverabilityOutput`, whose result is then a secret output.
 */
export function getRecoverability(
  args: GetRecoverabilityArgs,
  opts?: pulumi.InvokeOptions,
): Promise<GetRecoverabilityResult> {
  return promiseForm("getRecoverability", args, () => getRecoverabilityOutput(args, opts));
}

/** `getRecoverability` taking `Input`s and giving an `Output`: chain it to other resources' outputs. */
export function getRecoverabilityOutput(
  args: GetRecoverabilityOutputArgs,
  opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<GetRecoverabilityResult> {
  const read = registerRead({
    kind: "recoverability",
    args: { ...args },
    validate: (plain) => void parseRecoverabilityArgs(plain),
    construct: (name, props, resourceOpts) => new RecoverabilityRead(name, props, resourceOpts),
    // Only when asked for links: the log files are then secret, in state and in the program.
    secretOutputs: args.includeDownloadUrls === true ? ["logFilesJson"] : undefined,
    opts: invokeOptionsToResource(opts),
  });
  const result = pulumi
    .all([
      pulumi.all([read.id, read.dbInstanceId, read.recoverable, read.message, read.failures, read.judgedPointInTime]),
      pulumi.all([read.checkedAt, read.recoverableWithinSeconds, read.engine, read.policy]),
      pulumi.all([read.restoreWindowBegin, read.restoreWindowEnd, read.fullBackup, read.logFilesJson]),
      pulumi.all([read.logChainEnd, read.gaps]),
    ])
    .apply(
      ([
        [id, dbInstanceId, recoverable, message, failures, pointInTime],
        [checkedAt, recoverableWithinSeconds, engine, policy],
        [restoreWindowBegin, restoreWindowEnd, fullBackup, logFilesJson],
        [logChainEnd, gaps],
      ]): GetRecoverabilityResult => ({
        id,
        dbInstanceId,
        recoverable,
        message,
        failures,
        pointInTime,
        checkedAt,
        recoverableWithinSeconds,
        ...(engine !== null && engine !== undefined ? { engine } : {}),
        policy,
        ...(restoreWindowBegin ? { restoreWindowBegin } : {}),
        ...(restoreWindowEnd ? { restoreWindowEnd } : {}),
        ...(fullBackup ? { fullBackup } : {}),
        // The read keeps the files as one JSON text (provider/outputs.ts says why).
        logFiles: JSON.parse(logFilesJson) as LogFile[],
        ...(logChainEnd ? { logChainEnd } : {}),
        gaps,
      }),
    );
  // The engine marks the outputs secret (additionalSecretOutputs); this says so in the program too.
  return args.includeDownloadUrls === true ? (pulumi.secret(result) as pulumi.Output<GetRecoverabilityResult>) : result;
}
