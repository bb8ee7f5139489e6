import {
  DEFAULT_ACCESS_KEY_ID,
  DEFAULT_ACCESS_KEY_SECRET,
  DEFAULT_INSTANCE_PRESETS,
  ENGINE_PROFILES,
  type GeneratedEngine,
} from "./engine-profiles";
import { defaultPolicy, generateLogFiles, type LogChainSpec } from "./log-backups";
import { makeBackup, type InstanceFacts, type Slot } from "./make-backup";
import { Rng } from "./rng";
import type { EmulatorData, RawBackup } from "./types";

/** One generated instance; everything is optional. */
export interface InstanceSpec {
  /** Default: `rm-bp1…` (`pgm-bp1…` for PostgreSQL), drawn from the seed. */
  id?: string;
  /** Default: the presets in turn (MySQL 8.0, MySQL 5.6, PostgreSQL, SQL Server snapshot, MariaDB). */
  engine?: GeneratedEngine;
  engineVersion?: string;
  regionId?: string;
  /** Backup sets to make. Default 60. */
  count?: number;
  /** The newest set (always a successful automated one) ended this many hours before `now`. Default 3. */
  newestAgeHours?: number;
  /** Share of sets (other than the newest) that failed: MetaStatus EMPTY, IsAvail 0. Default 0.03. */
  failedShare?: number;
  /** Share of sets made by hand (Manual, User). Default 0.05. */
  manualShare?: number;
  /** Default: the engine's (SQL Server on cloud disks: "Snapshot"). */
  backupMethod?: "Physical" | "Snapshot";
  /** Daily full plus an incremental 12 h later. Default: MySQL and SQL Server yes, others no. */
  incremental?: boolean;
  /** Log backup on (the service's default). Default true. */
  logBackup?: boolean;
  /** BackupRetentionPeriod, days. Default 7. */
  retentionDays?: number;
  /** LogBackupRetentionPeriod, days (at most retentionDays). Default 7. */
  logRetentionDays?: number;
  /**
   * Log backup files for this instance (`{}`: a healthy chain), and how they deviate from one:
   * gaps, switch-overs, uploads. Without it an instance has none (a week of hourly files is
   * ~170 files with their links: too much for fleets of a thousand generated instances), except
   * the default presets, which get a healthy chain.
   */
  logChain?: LogChainSpec;
}

export interface GenerateSpec {
  /** Same seed, same data. Default 1. */
  seed?: number;
  /** The generator's "now" (freshness is relative to it). Default: the current time. */
  now?: Date | string | number;
  /** Default cn-hangzhou. */
  regionId?: string;
  /** Default: `{ [DEFAULT_ACCESS_KEY_ID]: DEFAULT_ACCESS_KEY_SECRET }`. */
  accessKeys?: EmulatorData["accessKeys"];
  instances?: InstanceSpec[];
}

const HOUR_MS = 3600 * 1000;

function facts(
  rng: Rng,
  spec: InstanceSpec,
  index: number,
  regionId: string,
  nowMs: number,
  taken: Set<string>,
): InstanceFacts {
  const preset = DEFAULT_INSTANCE_PRESETS[index % DEFAULT_INSTANCE_PRESETS.length]!;
  const engine = spec.engine ?? preset.engine;
  const profile = ENGINE_PROFILES[engine];
  let id = spec.id;
  while (id === undefined || taken.has(id)) id = `${profile.idPrefix}bp1${rng.chars(14)}`;
  taken.add(id);
  const [lo, hi] = profile.sizeRange;
  return {
    id,
    engine,
    regionId: spec.regionId ?? regionId,
    nowMs,
    engineVersion: spec.engineVersion ?? (spec.engine === undefined ? preset.engineVersion : profile.defaultVersion),
    method: spec.backupMethod ?? (spec.engine === undefined ? preset.backupMethod : undefined) ?? profile.defaultMethod,
    custins: String(rng.int(10_000_000, 99_999_999)),
    hostIds: [String(rng.int(1_000_000, 29_999_999)), String(rng.int(1_000_000, 29_999_999))],
    databases: ["orders", "users", "inventory", "audit", "billing"].slice(0, rng.int(1, 4)),
    encryption: rng.chance(0.2)
      ? JSON.stringify({
          encryptionKey: `${rng.chars(8, "0123456789abcdef")}-${rng.chars(4, "0123456789abcdef")}-${rng.chars(4, "0123456789abcdef")}-${rng.chars(12, "0123456789abcdef")}`,
          encryptionType: "cloud_disk",
        })
      : "{}",
    fullSize: Math.round(lo + (hi - lo) * rng.next() ** 2),
    expiresSec: Math.floor(nowMs / 1000) + 3600,
  };
}

/** The sets of one instance, newest first: automated slots every 12 or 24 h, manual ones between them. */
function instanceBackups(rng: Rng, spec: InstanceSpec, inst: InstanceFacts, nextId: () => string): RawBackup[] {
  const count = spec.count ?? 60;
  const incremental = spec.incremental ?? ENGINE_PROFILES[inst.engine].incremental;
  const step = (incremental ? 12 : 24) * HOUR_MS;
  const newestEnd = inst.nowMs - (spec.newestAgeHours ?? 3) * HOUR_MS;
  const planned: Array<Omit<Slot, "backupId" | "startMs"> & { endMs: number; size: number }> = [];
  let k = 0;
  for (let i = 0; i < count; i++) {
    const manual = i > 0 && rng.chance(spec.manualShare ?? 0.05);
    const slotEnd = newestEnd - k * step + (k > 0 ? rng.int(-600, 600) * 1000 : 0);
    const endMs = manual ? slotEnd + rng.int(1, Math.floor(step / HOUR_MS) - 1) * HOUR_MS : slotEnd;
    if (!manual) k += 1;
    const type = manual || !incremental || (k - 1) % 2 === 0 ? "FullBackup" : "IncrementalBackup";
    const size = Math.round(
      inst.fullSize * (type === "FullBackup" ? 0.9 + rng.next() * 0.2 : 0.02 + rng.next() * 0.13),
    );
    // Manual sets sit between automated ones, so they never become the newest.
    planned.push({
      endMs: manual ? Math.min(endMs, newestEnd - 60_000) : endMs,
      size,
      type,
      mode: manual ? "Manual" : "Automated",
      failed: i > 0 && rng.chance(spec.failedShare ?? 0.03),
    });
  }
  // Ids grow with time, as the service's do: assign them oldest first.
  const out: RawBackup[] = [];
  for (const p of planned.reverse()) {
    const seconds = p.failed
      ? rng.int(30, 600)
      : Math.ceil(p.size / (rng.int(40, 160) * 1024 * 1024)) + rng.int(20, 180);
    const slot: Slot = {
      backupId: nextId(),
      startMs: p.endMs - seconds * 1000,
      type: p.type,
      mode: p.mode,
      failed: p.failed,
    };
    out.push(makeBackup(rng, inst, slot, p.endMs, p.size));
  }
  return out;
}

/**
 * Realistic DescribeBackups data, reproducible: the same spec (seed and `now` included)
 * always gives the same data. Sets are stored oldest first, so the emulator's own ordering is
 * what clients see.
 */
export function generateData(spec: GenerateSpec = {}): EmulatorData {
  const rng = new Rng(spec.seed ?? 1);
  const nowMs = spec.now === undefined ? Date.now() : new Date(spec.now).getTime();
  if (Number.isNaN(nowMs)) throw new Error(`generateData: now is not a date: ${String(spec.now)}`);
  const regionId = spec.regionId ?? "cn-hangzhou";
  let id = rng.int(300_000_000, 600_000_000);
  const nextId = () => String((id += rng.int(1_000, 90_000)));
  const taken = new Set<string>();
  const instances: EmulatorData["instances"] = {};
  const specs: InstanceSpec[] = spec.instances ?? DEFAULT_INSTANCE_PRESETS.map(() => ({ logChain: {} }));
  specs.forEach((s, i) => {
    const inst = facts(rng, s, i, regionId, nowMs, taken);
    const backups = instanceBackups(rng, s, inst, nextId);
    const policy = {
      ...defaultPolicy(inst.engine),
      BackupRetentionPeriod: s.retentionDays ?? 7,
      LogBackupRetentionPeriod: s.logRetentionDays ?? Math.min(7, s.retentionDays ?? 7),
      ...(s.logBackup === false ? { BackupLog: "Disabled", EnableBackupLog: "0" } : {}),
    };
    // Log files draw from their own sequence, so adding them left every earlier draw as it was.
    const logRng = new Rng(((spec.seed ?? 1) * 7919 + i + 1) >>> 0);
    const binlogFiles = s.logChain === undefined ? [] : generateLogFiles(logRng, inst, policy, nowMs, s.logChain);
    instances[inst.id] = { regionId: inst.regionId, backups, backupPolicy: policy, binlogFiles };
  });
  return { accessKeys: spec.accessKeys ?? { [DEFAULT_ACCESS_KEY_ID]: DEFAULT_ACCESS_KEY_SECRET }, instances };
}
