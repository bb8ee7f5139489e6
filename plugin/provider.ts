/**
 * The provider behind `pulumi-resource-alicloud-rds-backups`, for every Pulumi language: the
 * functions `getBackups` and `getRecoverability` (invokes) and the resources `FreshBackupGate` and `EnsuredBackup`.
 *
 * It adapts the gRPC calls of `@pulumi/pulumi/provider` to the provider runtime the dynamic
 * providers use (../provider/core*.ts, through ../provider/runtime.ts): the same cores, called with
 * the mode the engine's call means, the same checks and verdicts. What is
 * its own is only what a plugin does differently:
 * - the gate is a custom resource, not a read: the engine calls `check` in preview and in up, for
 *   every resource of the program, so `check` judges and a stale backup fails both; `diff` reports
 *   a change when an argument changed or the verdict is not the state's (a gate passed on an
 *   override always updates, so the state records it), so a held gate never churns; `read`
 *   (refresh) reports in the core's refresh mode and never fails on the verdict; `delete` makes no call;
 * - secrets and unknowns arrive in the engine's wire shape (./wire-values.ts).
 */
import type * as pulumiProvider from "@pulumi/pulumi/provider";
import {
  backupsCore,
  checkFailures,
  recoverabilityCore,
  ensureCore,
  gateCore,
  overrideWarning,
  type Mode,
  type Props,
  type ResourceCore,
} from "../provider/runtime";
import { previewedOutputs } from "../provider/outputs";
import type { StackSettings } from "../provider/settings";
import { PLUGIN_GATE_OVERRIDES_KEY } from "./config";
import type { EngineLog } from "./engine-log";
import { packageVersion, schemaText } from "./package-files";
import type { GateOverrideRecord } from "../provider/types";
import { closeSecrets, hideSecrets, hideSecretTexts, openSecrets, secret } from "./wire-values";

/** The resources as a program writes them (`FreshBackupGate` in YAML, Python, Go, .NET): what their messages start with. */
const GATE = "FreshBackupGate";
const ENSURE = "EnsuredBackup";
const GET_BACKUPS_NAME = "getBackups";
const GET_BACKUPS = `alicloud-rds-backups:index:${GET_BACKUPS_NAME}`;
const FRESH_BACKUP_GATE = `alicloud-rds-backups:index:${GATE}`;
const ENSURED_BACKUP = `alicloud-rds-backups:index:${ENSURE}`;

/** Each resource type: its core and what its messages start with. */
const RESOURCES: Readonly<Record<string, { core: ResourceCore<unknown>; subject: string }>> = {
  [FRESH_BACKUP_GATE]: { core: gateCore as ResourceCore<unknown>, subject: GATE },
  [ENSURED_BACKUP]: { core: ensureCore as ResourceCore<unknown>, subject: ENSURE },
};

export class RdsBackupsProvider implements pulumiProvider.Provider {
  /** The settings Configure gave (./main.ts), in memory only. */
  private settings: StackSettings = {};

  /** `log`: messages on a resource (./engine-log.ts); tests may pass their own. */
  constructor(private readonly log: EngineLog) {}

  readonly version = packageVersion();
  readonly schema = schemaText();

  configure(settings: StackSettings): void {
    this.settings = settings;
  }

  /**
   * One call of a resource's core: its props (as they came: secrets marked) read and checked
   * once; throws a refusal (the engine checked them already). No message names a secret value.
   */
  private async run(urn: string, mode: Mode, wire: Props): Promise<{ args: Props; outputs: Props }> {
    const opened = openSecrets(wire);
    const { core, subject } = resourceOf(urn);
    const inputs = core.inputs(opened.plain);
    const request = inputs.request;
    if (request === undefined) {
      const reasons = hideSecrets(opened, inputs.failures).map((f) => f.reason);
      throw new Error(`${subject}: ${reasons.join("; ")}`);
    }
    const context = { settings: this.settings, subject, request };
    const outputs = await withSecretsHidden(opened.secretTexts, () => core.run(mode, context, opened.plain));
    return { args: inputs.args, outputs };
  }

  /**
   * The engine calls Check in preview and in up, for every resource: the core judges in preview
   * mode (a stale gate fails here), and what it decided (`inPreview` outputs) joins the inputs,
   * so a preview knows it and Diff can compare it with the state.
   */
  async check(urn: string, _olds: Props, news: Props): Promise<pulumiProvider.CheckResult> {
    const opened = openSecrets(news);
    const { plain, secretKeys } = opened;
    const { core, subject } = resourceOf(urn);
    const inputs = core.inputs(plain);
    if (inputs.failures.length > 0)
      return { inputs: news, failures: checkFailures(hideSecrets(opened, inputs.failures)) };
    // A value not known in this preview (an instance created in the same update) is judged by
    // create, once known.
    if (inputs.request === undefined) return { inputs: { ...news, ...core.pending } };
    const outputs = await withSecretsHidden(opened.secretTexts, () =>
      core.run("preview", { settings: this.settings, subject, request: inputs.request }),
    );
    await this.announce(urn, outputs);
    return { inputs: closeSecrets({ ...inputs.args, ...previewedOutputs(core.outputs, outputs) }, secretKeys) };
  }

  /** What a check decided that the person running Pulumi must see on the resource: an override in use, a backup to take. */
  private async announce(urn: string, outputs: Props): Promise<void> {
    const record = outputs.override as GateOverrideRecord | null | undefined;
    const { subject } = resourceOf(urn);
    if (record) await this.log("warning", urn, overrideWarning(record, subject, PLUGIN_GATE_OVERRIDES_KEY));
    if (typeof outputs.plan === "string" && outputs.plan.startsWith("take "))
      await this.log("info", urn, `${ENSURE}: the update will ${outputs.plan}`);
  }

  /**
   * `olds` is the state, `news` what Check returned (on refresh: the inputs of the last check).
   * A change when an argument changed, or when the check's decision is not what the state holds.
   */
  async diff(_id: string, urn: string, olds: Props, news: Props): Promise<pulumiProvider.DiffResult> {
    const state = openSecrets(olds).plain;
    const judged = openSecrets(news).plain;
    return { changes: resourceOf(urn).core.changed(state, judged) };
  }

  async create(urn: string, news: Props): Promise<pulumiProvider.CreateResult> {
    const { secretKeys } = openSecrets(news);
    const { args, outputs } = await this.run(urn, "judge", news);
    return { id: String(args.dbInstanceId), outs: closeSecrets({ ...args, ...outputs }, secretKeys) };
  }

  async update(_id: string, urn: string, _olds: Props, news: Props): Promise<pulumiProvider.UpdateResult> {
    const { secretKeys } = openSecrets(news);
    const { args, outputs } = await this.run(urn, "judge", news);
    return { outs: closeSecrets({ ...args, ...outputs }, secretKeys) };
  }

  /**
   * Refresh: the engine passes the state; the core reports and never fails on a verdict. The
   * inputs returned are what a check would have recorded for that state, so the refresh's own
   * diff (the state just read against these) settles.
   */
  async read(id: string, urn: string, props: Props): Promise<pulumiProvider.ReadResult> {
    const { secretKeys } = openSecrets(props);
    const { core } = resourceOf(urn);
    const { args, outputs } = await this.run(urn, "refresh", props);
    return {
      id,
      props: closeSecrets({ ...args, ...outputs }, secretKeys),
      inputs: closeSecrets({ ...args, ...previewedOutputs(core.outputs, outputs) }, secretKeys),
    };
  }

  /** Deleting a gate or an ensured backup deletes nothing and calls nothing: backup sets follow the instance's retention. */
  async delete(_id: string, urn: string): Promise<void> {
    resourceOf(urn);
  }

  async invoke(token: string, inputs: Props): Promise<pulumiProvider.InvokeResult> {
    if (token === GET_RECOVERABILITY) return this.invokeRecoverability(inputs);
    if (token !== GET_BACKUPS)
      throw new Error(
        `alicloud-rds-backups has no function ${JSON.stringify(token)}; it has ${GET_BACKUPS} and ${GET_RECOVERABILITY}`,
      );
    const opened = openSecrets(inputs);
    const { secretKeys } = opened;
    const checked = backupsCore.inputs(opened.plain);
    if (checked.request === undefined) return { failures: checkFailures(hideSecrets(opened, checked.failures)) };
    const context = { settings: this.settings, subject: GET_BACKUPS_NAME, request: checked.request };
    const { latest, ...read } = await withSecretsHidden(opened.secretTexts, () => backupsCore.run("judge", context));
    const dbInstanceId = checked.request.query.dbInstanceId;
    const outputs: Props = { id: dbInstanceId, dbInstanceId, ...read, ...(latest !== null ? { latest } : {}) };
    // Pre-signed links only when asked, and then secret; a secret argument makes the whole answer secret.
    const secretOutputs =
      secretKeys.size > 0 ? Object.keys(outputs) : checked.request.includeDownloadUrls ? ["backups", "latest"] : [];
    return {
      outputs: Object.fromEntries(
        Object.entries(outputs).map(([k, v]) => [k, secretOutputs.includes(k) ? secret(v) : v]),
      ),
    };
  }

  /**
   * `getRecoverability`: the recoverability read's core, its outputs as they are (an absent
   * optional output left out). Not recoverable is a result; bad input a failure before any call.
   */
  private async invokeRecoverability(inputs: Props): Promise<pulumiProvider.InvokeResult> {
    const opened = openSecrets(inputs);
    const { secretKeys } = opened;
    const checked = recoverabilityCore.inputs(opened.plain);
    if (checked.request === undefined) return { failures: checkFailures(hideSecrets(opened, checked.failures)) };
    const context = { settings: this.settings, subject: GET_RECOVERABILITY_NAME, request: checked.request };
    const read = await withSecretsHidden(opened.secretTexts, () => recoverabilityCore.run("judge", context));
    const dbInstanceId = checked.request.plan.dbInstanceId;
    const outputs: Props = {
      id: dbInstanceId,
      dbInstanceId,
      ...Object.fromEntries(Object.entries(read).filter(([, v]) => v !== null)),
    };
    // Pre-signed links only when asked, and then secret; a secret argument makes the whole answer secret.
    const secretOutputs =
      secretKeys.size > 0 ? Object.keys(outputs) : checked.request.includeDownloadUrls ? ["logFiles"] : [];
    return {
      outputs: Object.fromEntries(
        Object.entries(outputs).map(([k, v]) => [k, secretOutputs.includes(k) ? secret(v) : v]),
      ),
    };
  }
}

/** `call`, with any secret text taken out of the message of what it throws. */
async function withSecretsHidden<T>(secretTexts: readonly string[], call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof Error && secretTexts.length > 0) err.message = hideSecretTexts(err.message, secretTexts);
    throw err;
  }
}

/** A resource type of this package, by its URN. */
function resourceOf(urn: string): { core: ResourceCore<unknown>; subject: string } {
  const resource = RESOURCES[resourceType(urn)];
  if (resource === undefined) throw unknownType(urn);
  return resource;
}

/** `urn:pulumi:<stack>::<project>::<parent type>$<type>::<name>` → `<type>`. */
function resourceType(urn: string): string {
  return urn.split("::")[2]?.split("$").pop() ?? "";
}

function unknownType(urn: string): Error {
  return new Error(
    `alicloud-rds-backups has no resource type ${JSON.stringify(resourceType(urn))}; it has ${FRESH_BACKUP_GATE} and ${ENSURED_BACKUP}`,
  );
}

// --- getRecoverability (an invoke) --------------------------------------------------------------
const GET_RECOVERABILITY_NAME = "getRecoverability";
const GET_RECOVERABILITY = `alicloud-rds-backups:index:${GET_RECOVERABILITY_NAME}`;
