import { backupUrls } from "./download-urls";
import { ENGINE_PROFILES, type GeneratedEngine } from "./engine-profiles";
import { RESPONSE_SECOND, formatSecond, parseUtc } from "./enums";
import { Rng } from "./rng";
import type { BackupStore } from "./store";
import type { BackupTaskStatus, RawBackup, RawBackupJob } from "./types";

/** Defaults when neither the data file nor the options say: short enough for a demo. */
export const DEFAULT_BACKUP_DURATION_MS = 5000;
export const DEFAULT_BACKUP_VISIBILITY_LAG_MS = 1000;

/** A failing task fails this far into its duration (so a client sees it fail before a success would end). */
const FAIL_AT = 0.6;

const DAY_MS = 24 * 3600 * 1000;

/** One backup task. Its status is a function of the emulator's clock: nothing runs in the background. */
export interface BackupTask {
  readonly jobId: string;
  readonly instanceId: string;
  readonly mode: "Automated" | "Manual";
  readonly method: string;
  /** Emulator clock, epoch ms. */
  readonly createdAt: number;
  readonly durationMs: number;
  readonly visibilityLagMs: number;
  readonly fail: boolean;
  /** Reserved at creation, shown once Finished. */
  readonly backupId: string;
  /** True once its set is in the BackupStore. */
  stored: boolean;
}

export interface NewTask {
  mode: "Automated" | "Manual";
  method: string;
  durationMs?: number;
  fail?: boolean;
}

/**
 * Which ended tasks DescribeBackupTasks shows: `by-id` (default) when asked by BackupJobId, an
 * inference the reference marks UNCONFIRMED; `never`: an ended task vanishes from every answer,
 * so a client cannot rely on seeing Finished or Failed.
 */
export type EndedTasksListed = "by-id" | "never";

export interface TaskFilter {
  BackupJobId?: string;
  BackupMode?: string;
  BackupJobStatus?: string;
}

/**
 * The timeline of a task, as fractions of its duration: NoStart, Checking, Preparing, then
 * Uploading until the end. The reference lists the statuses but says nothing of their order or
 * timing; this order is our choice, the one the names describe (queued, checked, prepared, then
 * the data uploaded, then Finished), and emulator/README.md states it as such.
 */
const PHASES: ReadonlyArray<readonly [number, BackupTaskStatus]> = [
  [0.1, "NoStart"],
  [0.2, "Checking"],
  [0.3, "Preparing"],
  [1, "Uploading"],
];

/** When the task ends (Finished or Failed), emulator ms. */
export function endOf(task: BackupTask): number {
  return task.createdAt + Math.round(task.durationMs * (task.fail ? FAIL_AT : 1));
}

/**
 * The backup tasks of every instance: CreateBackup starts them, DescribeBackupTasks reads
 * them, and `settle` moves the set of an ended task into the store once its visibility lag
 * has passed (DescribeBackups lags the task, as Terraform's one-minute sleep says).
 */
export class BackupTasks {
  private readonly tasks = new Map<string, BackupTask>();
  private readonly failNext = new Set<string>();
  private nextJobId = 5073731;
  private nextBackupId = 0;

  constructor(
    private readonly store: BackupStore,
    private readonly defaults: { durationMs: number; visibilityLagMs: number; endedTasksListed?: EndedTasksListed },
  ) {}

  /** The next task started on the instance ends Failed. */
  failNextOn(instanceId: string): void {
    this.failNext.add(instanceId);
  }

  start(instanceId: string, spec: NewTask, now: number): BackupTask {
    const settings = this.store.settingsOf(instanceId);
    if (!settings) throw new Error(`unknown instance ${instanceId}`);
    const fail = spec.fail ?? (this.failNext.delete(instanceId) || settings.failBackups);
    this.nextBackupId = Math.max(this.nextBackupId, this.store.largestNumericBackupId()) + 1;
    const task: BackupTask = {
      jobId: String(this.nextJobId++),
      instanceId,
      mode: spec.mode,
      method: spec.method,
      createdAt: now,
      durationMs: spec.durationMs ?? settings.backupDurationMs ?? this.defaults.durationMs,
      visibilityLagMs: settings.backupVisibilityLagMs ?? this.defaults.visibilityLagMs,
      fail,
      backupId: String(this.nextBackupId),
      stored: false,
    };
    this.tasks.set(task.jobId, task);
    return task;
  }

  /** The task still running on the instance, if any (at most one: CreateBackup refuses a second). */
  running(instanceId: string, now: number): BackupTask | undefined {
    for (const t of this.tasks.values()) if (t.instanceId === instanceId && now < endOf(t)) return t;
    return undefined;
  }

  /**
   * Manual sets of the instance started on the UTC day of `now`: those in the store, and those of
   * manual tasks whose set is not stored yet. Failed sets count (the limit is on sets made).
   */
  manualSetsToday(instanceId: string, now: number): number {
    const dayStart = Math.floor(now / DAY_MS) * DAY_MS;
    const today = (ms: number) => ms >= dayStart && ms < dayStart + DAY_MS;
    let count = 0;
    for (const b of this.store.list(instanceId)) {
      if (b.BackupMode === "Manual" && today(parseUtc(b.BackupStartTime, RESPONSE_SECOND) ?? NaN)) count += 1;
    }
    for (const t of this.tasks.values()) {
      if (t.instanceId === instanceId && t.mode === "Manual" && !t.stored && today(t.createdAt)) count += 1;
    }
    return count;
  }

  /**
   * DescribeBackupTasks: without BackupJobId, the tasks not ended yet (the BackupJobStatus filter
   * knows only NoStart and Progressing, hence the inference); with it, that task in any state
   * (unless ended tasks are never listed). Newest first.
   */
  list(instanceId: string, filter: TaskFilter, now: number): RawBackupJob[] {
    const out: RawBackupJob[] = [];
    const endedShownById = (this.defaults.endedTasksListed ?? "by-id") === "by-id";
    for (const t of [...this.tasks.values()].reverse()) {
      if (t.instanceId !== instanceId) continue;
      if (filter.BackupJobId !== undefined ? t.jobId !== filter.BackupJobId : now >= endOf(t)) continue;
      if (!endedShownById && now >= endOf(t)) continue;
      if (filter.BackupMode !== undefined && t.mode !== filter.BackupMode) continue;
      const job = this.view(t, now, filter.BackupJobId !== undefined);
      if (filter.BackupJobStatus === "NoStart" && job.BackupStatus !== "NoStart") continue;
      if (filter.BackupJobStatus === "Progressing" && (job.BackupStatus === "NoStart" || now >= endOf(t))) continue;
      out.push(job);
    }
    return out;
  }

  /** What the task looks like at `now`, every field a string. */
  view(t: BackupTask, now: number, withBackupId: boolean): RawBackupJob {
    const base = {
      BackupJobId: t.jobId,
      JobMode: t.mode,
      TaskAction: t.mode === "Manual" ? "TempBackupTask" : "NormalBackupTask",
    } as const;
    const elapsed = t.durationMs === 0 ? 1 : (Math.min(now, endOf(t)) - t.createdAt) / t.durationMs;
    const percent = String(Math.max(0, Math.min(99, Math.floor(elapsed * 100))));
    if (now >= endOf(t) && !t.fail) {
      return {
        ...base,
        BackupStatus: "Finished",
        BackupProgressStatus: "Finished",
        Process: "100",
        ...(withBackupId ? { BackupId: t.backupId } : {}),
      };
    }
    const phase = PHASES.find(([until]) => elapsed < until)?.[1] ?? "Uploading";
    if (now >= endOf(t)) return { ...base, BackupStatus: "Failed", BackupProgressStatus: phase, Process: percent };
    return { ...base, BackupStatus: phase, BackupProgressStatus: phase, Process: percent };
  }

  /** Stores the set of every task that ended at least its visibility lag ago. Idempotent. */
  settle(now: number): void {
    for (const t of this.tasks.values()) {
      if (t.stored || now < endOf(t) + t.visibilityLagMs) continue;
      if (this.store.has(t.instanceId)) this.store.add(t.instanceId, this.backupSet(t));
      t.stored = true;
    }
  }

  /** The DescribeBackups element of a task's set: Manual/User for CreateBackup, Automated/System otherwise. */
  private backupSet(t: BackupTask): RawBackup {
    const ok = !t.fail;
    const engine = this.store.settingsOf(t.instanceId)?.engine ?? "MySQL";
    const newest = this.store.list(t.instanceId).find((b) => b.Engine === engine);
    const profile = ENGINE_PROFILES[engine as GeneratedEngine] ?? ENGINE_PROFILES.MySQL;
    const rng = new Rng(Number(t.jobId));
    const hostId = newest?.HostInstanceID ?? String(rng.int(1_000_000, 29_999_999));
    const urls =
      ok && t.method !== "Snapshot"
        ? backupUrls(
            rng,
            this.store.regionOf(t.instanceId) ?? "cn-hangzhou",
            String(rng.int(10_000_000, 99_999_999)),
            hostId,
            t.createdAt,
            Math.floor(endOf(t) / 1000) + 3600,
          )
        : undefined;
    return {
      BackupDownloadLinkByDB: { BackupDownloadLinkByDB: [] },
      BackupDownloadURL: urls?.publicUrl ?? "",
      BackupEndTime: formatSecond(endOf(t)),
      BackupId: t.backupId,
      BackupInitiator: t.mode === "Manual" ? "User" : "System",
      BackupIntranetDownloadURL: urls?.intranetUrl ?? "",
      BackupMethod: t.method,
      BackupMode: t.mode,
      BackupSize: ok ? newest?.BackupSize || profile.sizeRange[0] : 0,
      BackupStartTime: formatSecond(t.createdAt),
      BackupStatus: ok ? "Success" : "Failed",
      BackupType: "FullBackup",
      Checksum: ok ? String(rng.int(1_000_000_000, 9_999_999_999)) : "",
      ConsistentTime: 0,
      DBInstanceId: t.instanceId,
      Encryption: newest?.Encryption ?? "{}",
      Engine: engine,
      EngineVersion: newest?.EngineVersion ?? profile.defaultVersion,
      HostInstanceID: hostId,
      IsAvail: ok ? 1 : 0,
      MetaStatus: ok ? "OK" : "EMPTY",
      StorageClass: "0",
      StoreStatus: t.mode === "Manual" ? "Enabled" : "Disabled",
    };
  }

  /** Every task of the instance as DescribeBackupTasks would show it by id, oldest first (for tests). */
  snapshot(instanceId: string, now: number): RawBackupJob[] {
    return [...this.tasks.values()].filter((t) => t.instanceId === instanceId).map((t) => this.view(t, now, true));
  }
}
