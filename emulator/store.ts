import { validateBackup, validateBackupPolicy, validateLogFiles } from "./data";
import { RESPONSE_SECOND, parseUtc } from "./enums";
import { defaultPolicy } from "./log-backups";
import type { EmulatorData, RawBackup, RawBackupPolicy, RawBinlogFile } from "./types";

/** What the data file says about an instance besides its sets (see InstanceData). */
export interface InstanceSettings {
  status: string;
  readonly engine: string;
  readonly backupDurationMs: number | undefined;
  readonly backupVisibilityLagMs: number | undefined;
  readonly failBackups: boolean;
}

interface StoredInstance {
  readonly regionId: string;
  readonly settings: InstanceSettings;
  /** By BackupId, so tests can add and remove sets between pages. */
  readonly backups: Map<string, RawBackup>;
  /** The sets in answer order, computed once per change (not once per request). */
  sorted?: readonly RawBackup[];
  /** DescribeBackupPolicy's answer: the data's fields over the engine's defaults. */
  policy: RawBackupPolicy;
  /** Log backup files, oldest LogBeginTime first. */
  logFiles: readonly RawBinlogFile[];
}

const byBegin = (files: readonly RawBinlogFile[]): RawBinlogFile[] =>
  files
    .map((f) => structuredClone(f))
    .sort(
      (a, b) => (parseUtc(a.LogBeginTime, RESPONSE_SECOND) ?? 0) - (parseUtc(b.LogBeginTime, RESPONSE_SECOND) ?? 0),
    );

/**
 * The emulator's storage, behind a small interface so the handler never sees the data file.
 * Sets are copied in: a test that keeps its data object cannot change answers behind our back.
 */
export class BackupStore {
  private readonly instances = new Map<string, StoredInstance>();

  constructor(data: EmulatorData) {
    for (const [id, inst] of Object.entries(data.instances)) {
      const backups = new Map<string, RawBackup>();
      for (const b of inst.backups) backups.set(b.BackupId, structuredClone(b));
      const newest = [...backups.values()].sort((a, b) => b.BackupStartTime.localeCompare(a.BackupStartTime))[0];
      const seconds = (s: number | undefined) => (s === undefined ? undefined : s * 1000);
      const settings: InstanceSettings = {
        status: inst.status ?? "Running",
        engine: inst.engine ?? newest?.Engine ?? "MySQL",
        backupDurationMs: seconds(inst.backupDurationSeconds),
        backupVisibilityLagMs: seconds(inst.backupVisibilityLagSeconds),
        failBackups: inst.failBackups ?? false,
      };
      const policy = { ...defaultPolicy(settings.engine), ...structuredClone(inst.backupPolicy ?? {}) };
      this.instances.set(id, {
        regionId: inst.regionId,
        settings,
        backups,
        policy,
        logFiles: byBegin(inst.binlogFiles ?? []),
      });
    }
  }

  has(instanceId: string): boolean {
    return this.instances.has(instanceId);
  }

  regionOf(instanceId: string): string | undefined {
    return this.instances.get(instanceId)?.regionId;
  }

  /** The instance's settings, live: `status` may be changed by a test. */
  settingsOf(instanceId: string): InstanceSettings | undefined {
    return this.instances.get(instanceId)?.settings;
  }

  /** The instance's backup policy (undefined for an unknown instance). */
  policyOf(instanceId: string): RawBackupPolicy | undefined {
    return this.instances.get(instanceId)?.policy;
  }

  /** The instance's log backup files, oldest first: the stored objects (callers copy what they hand out). */
  logFilesOf(instanceId: string): readonly RawBinlogFile[] {
    return this.instances.get(instanceId)?.logFiles ?? [];
  }

  /** Changes fields of the policy; validated like the data file. */
  setPolicy(instanceId: string, fields: Partial<RawBackupPolicy>): void {
    const inst = this.instances.get(instanceId);
    if (!inst) throw new Error(`setBackupPolicy: unknown instance ${instanceId}`);
    inst.policy = {
      ...inst.policy,
      ...validateBackupPolicy(structuredClone(fields), `setBackupPolicy(${instanceId})`),
    };
  }

  /** Replaces the log files; validated like the data file. */
  setLogFiles(instanceId: string, files: readonly RawBinlogFile[]): void {
    const inst = this.instances.get(instanceId);
    if (!inst) throw new Error(`setLogFiles: unknown instance ${instanceId}`);
    inst.logFiles = byBegin(validateLogFiles(structuredClone(files), `setLogFiles(${instanceId})`));
  }

  /** The largest all-digit BackupId of any instance (0 when none): new sets get larger ids. */
  largestNumericBackupId(): number {
    let max = 0;
    for (const inst of this.instances.values()) {
      for (const id of inst.backups.keys()) if (/^\d{1,15}$/.test(id)) max = Math.max(max, Number(id));
    }
    return max;
  }

  /**
   * Every set of the instance, newest BackupStartTime first (ties: larger BackupId first). The
   * stored objects themselves, sorted once per change: callers copy what they hand out (a page),
   * so a request costs its page, not the whole history (a 10,000-set instance cost 70 ms a page
   * when every request sorted and cloned everything).
   */
  list(instanceId: string): readonly RawBackup[] {
    const inst = this.instances.get(instanceId);
    if (!inst) return [];
    if (!inst.sorted) {
      const start = new Map<RawBackup, number>();
      for (const b of inst.backups.values()) start.set(b, parseUtc(b.BackupStartTime, RESPONSE_SECOND) ?? 0);
      inst.sorted = [...inst.backups.values()].sort(
        (a, b) => start.get(b)! - start.get(a)! || compareIds(b.BackupId, a.BackupId),
      );
    }
    return inst.sorted;
  }

  /** Adds (or replaces, by BackupId) one set; validates it like the data file. */
  add(instanceId: string, raw: RawBackup): void {
    const inst = this.instances.get(instanceId);
    if (!inst) throw new Error(`addBackup: unknown instance ${instanceId}`);
    const backup = validateBackup(structuredClone(raw), `addBackup(${instanceId})`, instanceId);
    inst.backups.set(backup.BackupId, backup);
    inst.sorted = undefined;
  }

  /** Removes one set; false when it was not there. */
  remove(instanceId: string, backupId: string): boolean {
    const inst = this.instances.get(instanceId);
    if (!inst?.backups.delete(backupId)) return false;
    inst.sorted = undefined;
    return true;
  }
}

/** Numeric ids compare as numbers ("99" < "100"); anything else as text. */
function compareIds(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b) && a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
