/**
 * The dynamic providers' side of the provider core, inside Pulumi's dynamic-provider process. The
 * serialized providers (./dynamic.ts) are thin shims that `require` this module by path at run
 * time, so:
 * - nothing here is serialized into state (no closure capture of config or credentials);
 * - the stack config received by `configure` lives only in that process;
 * - `@alicloud/rds20140815` is loaded by sdk/ on the first call, not when a program starts.
 *
 * Each function adapts the dynamic host's wire values (props, olds/news) into one call of a
 * resource's core (./core-backups.ts, ./core-gate.ts, ./core-ensure.ts), as the provider plugin
 * does for its own wire; the work and the messages are the cores'. This module is also the
 * package's `./provider-runtime` entry: the cores and their contract are re-exported below.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { ValidationFailure } from "../sdk/internal";
import { backupsCore, type BackupsOutputs } from "./core-backups";
import { plain, requestOf, type Mode, type Props, type ResourceCore } from "./core";
import { ensureCore } from "./core-ensure";
import { gateCore } from "./core-gate";
import { BACKUPS_OUTPUTS, dynamicOutputKeys, previewedOutputs, type OutputDecl } from "./outputs";
import { stackSettingsFrom, type StackSettings } from "./settings";

export * from "./core";
export { backupsCore, type BackupsOutputs } from "./core-backups";
export { ensureChanged, ensureCore, PLAN_FRESH, PLAN_UNKNOWN, type EnsureOutputs } from "./core-ensure";
export { gateCore, gateVerdictChanged, overridesKey, overrideWarning, type GateOutputs } from "./core-gate";

let stackSettings: StackSettings = {};

/** What the messages start with here: the functions a TypeScript program calls. */
const BACKUPS_SUBJECT = "getBackups";
const GATE_SUBJECT = "requireFreshBackup";
const ENSURE_SUBJECT = "ensureFreshBackup";

/** Called once per provider process with the whole stack config (secrets in plaintext, in memory only). */
export async function configure(req: dynamic.ConfigureRequest): Promise<void> {
  stackSettings = stackSettingsFrom((key) => req.config.get(key));
}

/** The settings when they come from elsewhere: tests that call the dynamic provider's methods in-process. */
export function setStackSettings(settings: StackSettings): void {
  stackSettings = settings;
}

/**
 * The engine gives a read no preview or refresh flag; what differs is `props`: preview and up
 * pass the program's inputs (the declared outputs seeded as absent), refresh passes the previous
 * OUTPUTS. Only the dynamic read needs this guess: the plugin's calls say what they are.
 */
function readMode(props: Props, outputs: readonly OutputDecl[]): Mode {
  return dynamicOutputKeys(outputs).some((key) => props[key] !== undefined && props[key] !== null)
    ? "refresh"
    : "judge";
}

/** One call of a core from the dynamic host: the props read and checked once, the outputs after the arguments. */
async function runCore<R>(
  core: ResourceCore<R>,
  subject: string,
  mode: Mode,
  props: Props,
  now?: Date,
): Promise<{ args: Props; outputs: Props }> {
  const inputs = core.inputs(props);
  const request = requestOf(inputs, subject);
  const outputs = await core.run(mode, { settings: stackSettings, subject, request, now }, props);
  return { args: inputs.args, outputs };
}

/** Failures as a provider's `check` (and the plugin's) returns them. */
export function checkFailures(failures: readonly ValidationFailure[]): dynamic.CheckFailure[] {
  return failures.map(({ field, reason }) => ({ property: field, reason }));
}

// --- getBackups: a read ------------------------------------------------------------------------

const BACKUPS_JSON = BACKUPS_OUTPUTS.find((d) => d.name === "backups")?.dynamicKey ?? "backups";

export async function readBackups(id: string, props: Props): Promise<dynamic.ReadResult> {
  const { args, outputs } = await runCore(backupsCore, BACKUPS_SUBJECT, readMode(props, backupsCore.outputs), props);
  const { backups, ...rest } = outputs as BackupsOutputs;
  return {
    id,
    props: plain({
      ...args,
      // `backups` as one JSON text keyed by backup id (./outputs.ts says why).
      [BACKUPS_JSON]: JSON.stringify(Object.fromEntries(backups.map((b) => [b.backupId, b]))),
      ...rest,
    }),
  };
}

export async function checkBackups(_olds: unknown, news: Props): Promise<dynamic.CheckResult> {
  return { inputs: news, failures: checkFailures(backupsCore.inputs(news).failures) };
}

// --- requireFreshBackup: a read ----------------------------------------------------------------

/** `now`: the moment judged at (a parameter for tests; the engine never passes it). */
export async function readFreshBackup(id: string, props: Props, now?: Date): Promise<dynamic.ReadResult> {
  const { args, outputs } = await runCore(gateCore, GATE_SUBJECT, readMode(props, gateCore.outputs), props, now);
  return { id, props: plain({ ...args, ...outputs }) };
}

export async function checkFreshBackupInputs(_olds: unknown, news: Props): Promise<dynamic.CheckResult> {
  return { inputs: news, failures: checkFailures(gateCore.inputs(news).failures) };
}

// --- ensureFreshBackup: a custom resource ------------------------------------------------------

export async function checkEnsureBackup(_olds: unknown, news: Props): Promise<dynamic.CheckResult> {
  const inputs = ensureCore.inputs(news);
  if (inputs.unknownKeys.length > 0) return { inputs: { ...inputs.args, ...ensureCore.pending } };
  if (inputs.request === undefined) return { inputs: news, failures: checkFailures(inputs.failures) };
  const outputs = await ensureCore.run("preview", {
    settings: stackSettings,
    subject: ENSURE_SUBJECT,
    request: inputs.request,
  });
  return { inputs: { ...inputs.args, ...previewedOutputs(ensureCore.outputs, outputs) } };
}

export async function diffEnsureBackup(_id: string, olds: Props, news: Props): Promise<dynamic.DiffResult> {
  return { changes: ensureCore.changed(olds, news) };
}

export async function createEnsureBackup(news: Props): Promise<dynamic.CreateResult> {
  const { args, outputs } = await runCore(ensureCore, ENSURE_SUBJECT, "judge", news);
  return { id: String(args.dbInstanceId), outs: plain({ ...args, ...outputs }) };
}

export async function updateEnsureBackup(_id: string, _olds: Props, news: Props): Promise<dynamic.UpdateResult> {
  const { args, outputs } = await runCore(ensureCore, ENSURE_SUBJECT, "judge", news);
  return { outs: plain({ ...args, ...outputs }) };
}

/** Refresh: the state stays as the last update left it; nothing is judged or taken. */
export async function readEnsureBackup(id: string, props: Props): Promise<dynamic.ReadResult> {
  const { args, outputs } = await runCore(ensureCore, ENSURE_SUBJECT, "refresh", props);
  return { id, props: plain({ ...args, ...outputs }) };
}

// --- getRecoverability: a read -----------------------------------------------------------------
// Its imports are here rather than above, so that this section reaches main as an append.
import { recoverabilityCore, type RecoverabilityOutputs } from "./core-recoverability";
import { RECOVERABILITY_OUTPUTS } from "./outputs";

export { recoverabilityCore, type RecoverabilityOutputs } from "./core-recoverability";

const RECOVERABILITY_SUBJECT = "getRecoverability";
/** Each output's key in the dynamic read's state: `logFiles` as JSON text, the judged `pointInTime` (./outputs.ts says why). */
const stateKey = (name: string) =>
  (RECOVERABILITY_OUTPUTS as readonly OutputDecl[]).find((d) => d.name === name)?.dynamicKey ?? name;

/** `now`: the moment judged at (a parameter for tests; the engine never passes it). */
export async function readRecoverability(id: string, props: Props, now?: Date): Promise<dynamic.ReadResult> {
  const mode = readMode(props, recoverabilityCore.outputs);
  const { args, outputs } = await runCore(recoverabilityCore, RECOVERABILITY_SUBJECT, mode, props, now);
  const { logFiles, pointInTime, ...rest } = outputs as RecoverabilityOutputs;
  return {
    id,
    props: plain({
      ...args,
      // An array, oldest first, as one JSON text.
      [stateKey("logFiles")]: JSON.stringify(logFiles),
      [stateKey("pointInTime")]: pointInTime,
      ...rest,
    }),
  };
}

export async function checkRecoverability(_olds: unknown, news: Props): Promise<dynamic.CheckResult> {
  return { inputs: news, failures: checkFailures(recoverabilityCore.inputs(news).failures) };
}
