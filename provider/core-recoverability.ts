/**
 * The read behind `getRecoverability` (the dynamic read and the plugin's invoke): the sdk's
 * point-in-time verdict (sdk/recoverability.ts) as data: the policy, the restore window, the full
 * set, the log files, the chain's end and its gaps, each failing condition with its figure.
 *
 * A data source reports: "not recoverable" is a result (`recoverable: false`), in every mode.
 * Bad input is refused before any call (./args.ts, and the sdk's own check that the point is not
 * in the future); an API error or an answer that cannot be right fails the read, as the sdk throws.
 */
import {
  type Backup,
  judgeRecoverability,
  type LogFile,
  RdsBackupsError,
  type RecoverabilityFailure,
  type LogGap,
  withoutDownloadLinks,
} from "../sdk/internal";
import { checkRecoverabilityArgs, type RecoverabilityRequest } from "./args";
import {
  argumentsChanged,
  readInputs,
  verdictError,
  type CallContext,
  type Mode,
  type Props,
  type ResourceCore,
} from "./core";
import { RECOVERABILITY_OUTPUTS, type OutputDecl, type OutputValues } from "./outputs";
import { connectionOptions } from "./settings";
import type { BackupPolicy } from "./types";

export type RecoverabilityOutputs = OutputValues<typeof RECOVERABILITY_OUTPUTS> & {
  readonly recoverable: boolean;
  readonly message: string;
  readonly failures: RecoverabilityFailure[];
  readonly pointInTime: string;
  readonly checkedAt: string;
  readonly recoverableWithinSeconds: number;
  readonly engine: string | null;
  readonly policy: BackupPolicy;
  readonly restoreWindowBegin: string | null;
  readonly restoreWindowEnd: string | null;
  readonly fullBackup: Backup | null;
  readonly logFiles: LogFile[];
  readonly logChainEnd: string | null;
  readonly gaps: LogGap[];
};

/**
 * What is not an argument among a read's props: the outputs, but for `pointInTime`, which is an
 * argument as well; its output is under its own key in a dynamic state (./outputs.ts says why),
 * and the plugin's invoke gets arguments only.
 */
const NOT_ARGUMENTS: readonly OutputDecl[] = RECOVERABILITY_OUTPUTS.map((d) =>
  d.name === "pointInTime" ? { ...d, name: d.dynamicKey } : d,
);

export const recoverabilityCore: ResourceCore<RecoverabilityRequest> & {
  run(mode: Mode, context: CallContext<RecoverabilityRequest>): Promise<RecoverabilityOutputs>;
} = {
  outputs: RECOVERABILITY_OUTPUTS,
  pending: {},
  changed: (state, judged) => argumentsChanged(state, judged, NOT_ARGUMENTS),
  inputs: (props: Props) => readInputs(props, NOT_ARGUMENTS, (args) => checkRecoverabilityArgs(args)),
  run: readRecoverability,
};

async function readRecoverability(
  _mode: Mode,
  { settings, subject, request, now }: CallContext<RecoverabilityRequest>,
): Promise<RecoverabilityOutputs> {
  let verdict;
  try {
    verdict = await judgeRecoverability(now === undefined ? request.plan : { ...request.plan, now }, {
      ...connectionOptions(request.connection, settings),
      includeDownloadUrls: request.includeDownloadUrls,
    });
  } catch (err) {
    throw err instanceof RdsBackupsError ? verdictError(`${subject}: ${err.message}`) : err;
  }
  // The request id is one call's, not the policy's: left out.
  const { requestId, ...policy } = verdict.policy;
  // null, not absent: in a preview the engine reads an absent output as unknown.
  return {
    recoverable: verdict.recoverable,
    message: verdict.message,
    failures: [...verdict.failures],
    pointInTime: verdict.pointInTime,
    checkedAt: verdict.checkedAt,
    recoverableWithinSeconds: verdict.recoverableWithinSeconds,
    engine: verdict.engine ?? null,
    policy,
    restoreWindowBegin: verdict.window?.begin ?? null,
    restoreWindowEnd: verdict.window?.end ?? null,
    // The links asked for are the log files'; the full set's never leave (the sdk keeps them with the option).
    fullBackup: verdict.fullBackup ? withoutDownloadLinks(verdict.fullBackup) : null,
    logFiles: inStableOrder(verdict.logFiles ?? []),
    logChainEnd: verdict.chainEnd ?? null,
    gaps: [...verdict.gaps],
  };
}

/**
 * Oldest first (begin time, then end time, node and name): the same files give the same array
 * whatever order the API answered in, so a preview's diff shows only files added or gone.
 */
function inStableOrder(files: readonly LogFile[]): LogFile[] {
  const key = (f: LogFile) => [f.beginTime, f.endTime, f.hostInstanceId, f.fileName];
  return [...files].sort((a, b) => {
    const [ka, kb] = [key(a), key(b)];
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! < kb[i]! ? -1 : 1;
    return 0;
  });
}
