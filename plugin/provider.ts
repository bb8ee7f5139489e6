/**
 * The provider behind `pulumi-resource-alicloud-rds-backups`, for every Pulumi language: the
 * function `getBackups` (an invoke) and the resources `FreshBackupGate` and `EnsuredBackup`.
 *
 * It adapts the gRPC calls of `@pulumi/pulumi/provider` to the provider runtime the dynamic
 * providers use (../provider/runtime.ts): the same reads, checks and verdicts. What is
 * its own is only what a plugin does differently:
 * - the gate is a custom resource, not a read: the engine calls `check` in preview and in up, for
 *   every resource of the program, so `check` judges and a stale backup fails both; `diff` reports
 *   a change only when an argument changed, so a held gate never churns; `read` (refresh) reports
 *   through the runtime's refresh path and never fails on the verdict; `delete` makes no call;
 * - secrets and unknowns arrive in the engine's wire shape (./wire-values.ts).
 */
import type * as pulumiProvider from "@pulumi/pulumi/provider";
import {
  checkBackupsArgs,
  checkEnsureBackupArgs,
  checkFreshBackupArgs,
  REQUIRE_FRESH_BACKUP_ARGUMENTS,
  requirementText,
} from "../provider/args";
import * as runtime from "../provider/runtime";
import type { Backup } from "../sdk/internal";
import { PLUGIN_GATE_OVERRIDES_KEY } from "./config";
import type { EngineLog } from "./engine-log";
import { packageVersion, schemaText } from "./package-files";
import type { GateOverrideRecord } from "../provider/types";
import { closeSecrets, isUnknown, openSecrets, secret } from "./wire-values";
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";

/** The resources as a program writes them (`FreshBackupGate` in YAML, Python, Go, .NET): what their messages start with. */
const GATE = "FreshBackupGate";
const ENSURE = "EnsuredBackup";
const GET_BACKUPS = "alicloud-rds-backups:index:getBackups";
const FRESH_BACKUP_GATE = `alicloud-rds-backups:index:${GATE}`;
const ENSURED_BACKUP = `alicloud-rds-backups:index:${ENSURE}`;

type Props = Record<string, unknown>;

/** The gate's arguments: what `diff` compares (schema.json's inputs are derived from the same list). */
const GATE_INPUTS: readonly string[] = REQUIRE_FRESH_BACKUP_ARGUMENTS.map((decl) => decl.name);

export class RdsBackupsProvider implements pulumiProvider.Provider {
  /** `log`: messages on a resource (./engine-log.ts); tests may pass their own. */
  constructor(private readonly log: EngineLog) {}

  readonly version = packageVersion();
  readonly schema = schemaText();

  /**
   * The gate's arguments without what check added (`checked`): the runtime takes an output key
   * among its props for a refresh, which reports instead of judging.
   */
  private gateArgs(props: Props): Props {
    return Object.fromEntries(GATE_INPUTS.filter((key) => props[key] !== undefined).map((key) => [key, props[key]]));
  }

  /**
   * An override in use is a warning on the gate, in preview and in up: the deployment passes a
   * stale backup. Said by check only, which the engine calls before every create and update.
   */
  private async warnOverride(urn: string, outputs: Props): Promise<void> {
    const record = outputs.override as GateOverrideRecord | null | undefined;
    if (!record) return;
    const until = record.expiresAt ? `, until ${record.expiresAt}` : "";
    await this.log(
      "warning",
      urn,
      `${GATE} OVERRIDDEN by ${PLUGIN_GATE_OVERRIDES_KEY} (reason: "${record.reason}"${until}): ${record.verdict}. ` +
        "Recorded in this gate's outputs (override).",
    );
  }

  async check(urn: string, olds: Props, news: Props): Promise<pulumiProvider.CheckResult> {
    const { plain, secretKeys } = openSecrets(news);
    switch (resourceType(urn)) {
      case FRESH_BACKUP_GATE: {
        // A value not known in this preview (an instance created in the same update) is judged
        // by create, once known; the known ones are checked now.
        const unknownKeys = Object.keys(plain).filter((key) => isUnknown(plain[key]));
        const { failures, request } = checkFreshBackupArgs(plain);
        const known = failures.filter((f) => !unknownKeys.includes(f.field));
        if (known.length > 0) return { inputs: news, failures: runtime.checkFailures(known) };
        if (unknownKeys.length > 0 || request === undefined) return { inputs: { ...news, checked: unknownValue } };
        // The verdict: throws, naming the instance and its newest usable backup, when stale.
        const { props } = await runtime.readFreshBackup("", plain, new Date(), { checked: request, subject: GATE });
        await this.warnOverride(urn, props as Props);
        // `checked` among the checked inputs: the engine shows inputs as the outputs of a
        // resource it will create, so a preview knows it (as the TypeScript gate's does).
        return { inputs: closeSecrets({ ...plain, checked: (props as Props).checked }, secretKeys) };
      }
      case ENSURED_BACKUP: {
        const checked = checkEnsureBackupArgs(runtime.ensureArgsOf(plain));
        const result = await runtime.checkEnsureBackup(olds, plain, { checked, subject: ENSURE });
        if (result.failures !== undefined && result.failures.length > 0) return result;
        const inputs = result.inputs as Props;
        if (typeof inputs.plan === "string" && inputs.plan.startsWith("take "))
          await this.log("info", urn, `${ENSURE}: the update will ${inputs.plan}`);
        // What it guarantees (the TypeScript API derives it in the program): unknown until the arguments are.
        const ensured =
          Object.values(inputs).some(isUnknown) || checked.request === undefined
            ? unknownValue
            : requirementText(checked.request.plan);
        return { inputs: closeSecrets({ ...inputs, ensured }, secretKeys) };
      }
      default:
        throw unknownType(urn);
    }
  }

  async diff(id: string, urn: string, olds: Props, news: Props): Promise<pulumiProvider.DiffResult> {
    const before = openSecrets(olds).plain;
    const after = openSecrets(news).plain;
    switch (resourceType(urn)) {
      case FRESH_BACKUP_GATE:
        return {
          changes: GATE_INPUTS.some(
            (key) => JSON.stringify(before[key] ?? null) !== JSON.stringify(after[key] ?? null),
          ),
        };
      case ENSURED_BACKUP:
        return runtime.diffEnsureBackup(id, before, after);
      default:
        throw unknownType(urn);
    }
  }

  async create(urn: string, inputs: Props): Promise<pulumiProvider.CreateResult> {
    const { plain, secretKeys } = openSecrets(inputs);
    switch (resourceType(urn)) {
      case FRESH_BACKUP_GATE: {
        const { props } = await runtime.readFreshBackup("", this.gateArgs(plain), new Date(), { subject: GATE });
        return { id: String(plain.dbInstanceId), outs: closeSecrets(props as Props, secretKeys) };
      }
      case ENSURED_BACKUP: {
        const { id, outs } = await runtime.createEnsureBackup(plain, ENSURE);
        return { id, outs: closeSecrets(outs as Props, secretKeys) };
      }
      default:
        throw unknownType(urn);
    }
  }

  async update(id: string, urn: string, olds: Props, news: Props): Promise<pulumiProvider.UpdateResult> {
    const { plain, secretKeys } = openSecrets(news);
    switch (resourceType(urn)) {
      case FRESH_BACKUP_GATE: {
        const { props } = await runtime.readFreshBackup(id, this.gateArgs(plain), new Date(), { subject: GATE });
        return { outs: closeSecrets(props as Props, secretKeys) };
      }
      case ENSURED_BACKUP: {
        const { outs } = await runtime.updateEnsureBackup(id, openSecrets(olds).plain, plain, ENSURE);
        return { outs: closeSecrets(outs as Props, secretKeys) };
      }
      default:
        throw unknownType(urn);
    }
  }

  /** Refresh: the engine passes the previous outputs; the gate reports on them and never fails on the verdict. */
  async read(id: string, urn: string, props: Props): Promise<pulumiProvider.ReadResult> {
    const { plain, secretKeys } = openSecrets(props);
    switch (resourceType(urn)) {
      case FRESH_BACKUP_GATE: {
        const result = await runtime.readFreshBackup(id, plain, new Date(), { subject: GATE });
        return { id: result.id, props: closeSecrets(result.props as Props, secretKeys) };
      }
      case ENSURED_BACKUP: {
        const result = await runtime.readEnsureBackup(id, plain);
        return { id: result.id, props: closeSecrets(result.props as Props, secretKeys) };
      }
      default:
        throw unknownType(urn);
    }
  }

  /** Deleting a gate or an ensured backup deletes nothing and calls nothing: backup sets follow the instance's retention. */
  async delete(_id: string, urn: string): Promise<void> {
    if (resourceType(urn) !== FRESH_BACKUP_GATE && resourceType(urn) !== ENSURED_BACKUP) throw unknownType(urn);
  }

  async invoke(token: string, inputs: Props): Promise<pulumiProvider.InvokeResult> {
    if (token !== GET_BACKUPS)
      throw new Error(`alicloud-rds-backups has no function ${JSON.stringify(token)}; it has ${GET_BACKUPS}`);
    const { plain, secretKeys } = openSecrets(inputs);
    const { failures, request } = checkBackupsArgs(plain);
    if (request === undefined) return { failures: runtime.checkFailures(failures) };
    const { props } = await runtime.readBackups(String(plain.dbInstanceId), plain, request);
    const read = props as {
      dbInstanceId: string;
      backupsJson: string;
      ids: string[];
      totalCount: number;
      totalEcsSnapshotSize: number;
      latest: Backup | null;
    };
    // The read keys the sets by id (a stable diff in the dynamic provider's state); `ids` holds their order.
    const byId = JSON.parse(read.backupsJson) as Record<string, Backup>;
    const outputs: Props = {
      id: read.dbInstanceId,
      dbInstanceId: read.dbInstanceId,
      backups: read.ids.map((id) => byId[id]),
      ids: read.ids,
      totalCount: read.totalCount,
      totalEcsSnapshotSize: read.totalEcsSnapshotSize,
      ...(read.latest !== null ? { latest: read.latest } : {}),
    };
    // Pre-signed links only when asked, and then secret; a secret argument makes the whole answer secret.
    const secretOutputs =
      secretKeys.size > 0 ? Object.keys(outputs) : plain.includeDownloadUrls === true ? ["backups", "latest"] : [];
    return {
      outputs: Object.fromEntries(
        Object.entries(outputs).map(([k, v]) => [k, secretOutputs.includes(k) ? secret(v) : v]),
      ),
    };
  }
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
