/**
 * The gate behind `requireFreshBackup` (a dynamic read) and `FreshBackupGate` (the plugin's
 * custom resource).
 *
 * preview and judge: it fails when the newest usable backup is older than `maxAge` or, with
 * `recoverableWithin`, when a point-in-time restore to within that lag of now is not possible
 * (sdk/recoverability.ts names each failing condition), unless the stack records an override for
 * the instance; it fails closed when the API cannot be read: a gate never passes on an error, and
 * an override never opens a gate that could not read. A gate that passes on an override says so
 * (`fresh` or `recoverable` false, `override`: the record).
 *
 * refresh: it reports and never fails on the verdict: a refresh deploys nothing, and a stack must
 * stay refreshable on the day the backup job breaks. The record of the last override (if any)
 * stays with the state.
 */
import {
  type FreshnessVerdict,
  judgeFreshness,
  RdsValidationError,
  type RecoverabilityVerdict,
  withoutDownloadLinks,
} from "../sdk/internal";
import { checkFreshBackupArgs, requirementText, type FreshBackupRequest } from "./args";
import {
  argumentsChanged,
  notice,
  pendingOutputs,
  readInputs,
  verdictError,
  type CallContext,
  type Mode,
  type Props,
  type ResourceCore,
} from "./core";
import { GATE_OUTPUTS, type OutputValues } from "./outputs";
import { failedVerdict, judgeRecoveryIfAsked, recoveryOutputs } from "./recovery";
import { GATE_OVERRIDES_KEY, parseGateOverrides, useOverride, type GateOverride } from "./overrides";
import { connectionOptions, type StackSettings } from "./settings";
import type { GateOverrideRecord } from "./types";

export type GateOutputs = OutputValues<typeof GATE_OUTPUTS> & {
  readonly checked: string;
  readonly fresh: boolean;
  readonly override: GateOverrideRecord | null;
};

export const gateCore: ResourceCore<FreshBackupRequest> & {
  run(mode: Mode, context: CallContext<FreshBackupRequest>, previous?: Props): Promise<GateOutputs>;
} = {
  outputs: GATE_OUTPUTS,
  pending: pendingOutputs(GATE_OUTPUTS),
  changed: (state, judged) => argumentsChanged(state, judged, GATE_OUTPUTS) || gateVerdictChanged(state, judged),
  inputs: (props: Props) => readInputs(props, GATE_OUTPUTS, checkFreshBackupArgs),
  run: judgeGate,
};

async function judgeGate(
  mode: Mode,
  { settings, subject, request, now = new Date() }: CallContext<FreshBackupRequest>,
  previous: Props = {},
): Promise<GateOutputs> {
  const refresh = mode === "refresh";
  const key = overridesKey(settings);
  // Checked before any call, like every input; a refresh does not use them.
  const overrides = refresh ? new Map<string, GateOverride>() : overridesOrRefusal(settings, subject);
  const { dbInstanceId } = request;
  let verdict: FreshnessVerdict;
  let recovery: RecoverabilityVerdict | undefined;
  try {
    const options = connectionOptions(request.connection, settings);
    verdict = await judgeFreshness({ ...request, now }, options);
    recovery = await judgeRecoveryIfAsked(dbInstanceId, request.recovery, options, now);
  } catch (err) {
    if (err instanceof RdsValidationError) throw verdictError(err.message);
    if (refresh) {
      notice(
        `${subject}: refresh could not read the backups of ${dbInstanceId}; the gate keeps its last verdict: ${(err as Error).message}`,
      );
      return { ...outputsOf(request, undefined), ...lastVerdict(previous) };
    }
    const overridden = overrides.has(dbInstanceId)
      ? ` The override in ${key} does not apply: it vouches for a verdict, not for an answer nobody could read.`
      : "";
    throw verdictError(
      `${subject}: could not read the backups of ${dbInstanceId}, so ${request.recovery ? "freshness and recoverability" : "freshness"} cannot be proven ` +
        `and the deployment is stopped: ${(err as Error).message}${overridden}`,
    );
  }
  const outputs = outputsOf(request, verdict, recovery);
  const failed = failedVerdict(verdict, recovery);

  if (failed === undefined) {
    if (overrides.has(dbInstanceId)) {
      notice(`${subject}: ${dbInstanceId} passes the gate; its override in ${key} is not needed and can be removed`);
    }
    return outputs;
  }
  if (refresh) {
    notice(`${subject}: refresh found ${failed}; not enforced on refresh, the next preview or up judges it`);
    return { ...outputs, override: (previous.override as GateOverrideRecord | null | undefined) ?? null };
  }
  const decision = useOverride(overrides.get(dbInstanceId), { dbInstanceId, verdict: failed, key, now });
  if ("refusal" in decision) throw verdictError(`${subject}: ${decision.refusal}`);
  notice(overrideWarning(decision.record, subject, key));
  return { ...outputs, override: decision.record };
}

/**
 * The warning for a gate that passed on an override, the same from every front door: the
 * dynamic provider's notice, the program's warning on the gate, the plugin's warning, the
 * backup hooks (which say where they record it).
 */
export function overrideWarning(
  record: GateOverrideRecord,
  subject: string,
  key: string,
  recordedIn = "its outputs (override)",
): string {
  const until = record.expiresAt ? `, until ${record.expiresAt}` : "";
  return `${subject} OVERRIDDEN by ${key} (reason: "${record.reason}"${until}): ${record.verdict}. Recorded in ${recordedIn}.`;
}

/** The gate's outputs from a verdict (fresh or not; none when it could not read); the backup fields are null when there is none. */
function outputsOf(
  request: FreshBackupRequest,
  verdict: FreshnessVerdict | undefined,
  recovery?: RecoverabilityVerdict,
): GateOutputs {
  const backup = verdict?.newest === undefined ? null : withoutDownloadLinks(verdict.newest);
  return {
    maxAgeSeconds: request.maxAgeSeconds,
    // Derived from the question only, so it stays the same while the gate holds: the input to
    // give a gated resource (a backup id would change it with every new backup).
    checked: requirementText(request, request.recovery),
    fresh: verdict?.fresh ?? false,
    backup,
    backupId: backup?.backupId ?? null,
    backupEndTime: backup?.backupEndTime ?? null,
    override: null,
    ...recoveryOutputs(recovery),
  };
}

/** The verdict fields of the state being refreshed, kept when the API cannot be read. */
function lastVerdict(previous: Props): Partial<GateOutputs> {
  const kept = [
    "fresh",
    "backup",
    "backupId",
    "backupEndTime",
    "override",
    "recoverable",
    "restoreWindowEnd",
    "logChainEnd",
  ] as const;
  return Object.fromEntries(kept.filter((k) => previous[k] !== undefined).map((k) => [k, previous[k]]));
}

/** Where this host's config keeps the overrides (the provider plugin's namespace differs), for messages. */
export function overridesKey(settings: StackSettings): string {
  return settings.gateOverridesKey ?? GATE_OVERRIDES_KEY;
}

/** The stack's overrides, or a refusal naming every bad field of the setting (before any call). */
export function overridesOrRefusal(settings: StackSettings, subject: string): ReadonlyMap<string, GateOverride> {
  try {
    return parseGateOverrides(settings.gateOverrides, overridesKey(settings));
  } catch (err) {
    throw err instanceof RdsValidationError ? verdictError(`${subject}: ${err.message}`) : err;
  }
}

/**
 * Whether an update must write the gate's state: the check's verdict (`judged`, what check added
 * to the inputs) is not the one the state (`state`, the outputs) records. A gate that holds
 * shows no change; a gate passed on an override always does, so that every use of an override
 * lands in the state. The engine also asks this on refresh, with the state just read and the
 * inputs of the last check: an override use recorded since (usedAt not older) is no change.
 */
export function gateVerdictChanged(state: Props, judged: Props): boolean {
  if (judged.fresh === undefined) return false;
  if (judged.fresh !== state.fresh) return true;
  if ((judged.recoverable ?? null) !== (state.recoverable ?? null)) return true;
  return overrideUsedSince(state, judged);
}

/** Whether the check (`judged`) used an override that the state does not record yet (its use is newer). */
export function overrideUsedSince(state: Props, judged: Props): boolean {
  const used = judged.override as GateOverrideRecord | null | undefined;
  if (!used) return false;
  const recorded = state.override as GateOverrideRecord | null | undefined;
  return !(recorded && typeof recorded.usedAt === "string" && recorded.usedAt >= used.usedAt);
}
