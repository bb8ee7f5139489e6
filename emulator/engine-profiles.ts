/**
 * What differs between engines in generated data. Versions are those RDS sells; methods and
 * schedules follow what each engine's automated backups look like.
 */
export type GeneratedEngine = "MySQL" | "PostgreSQL" | "SQLServer" | "MariaDB";

export interface EngineProfile {
  readonly versions: readonly string[];
  readonly defaultVersion: string;
  /** Instance id prefix: PostgreSQL instances are `pgm-`, the others `rm-`. */
  readonly idPrefix: string;
  readonly defaultMethod: "Physical" | "Snapshot";
  /** Automated incremental backups between daily fulls. */
  readonly incremental: boolean;
  /** Typical full backup size range, bytes. */
  readonly sizeRange: readonly [number, number];
}

const MB = 1024 * 1024;
const GB = 1024 * MB;

export const ENGINE_PROFILES: Readonly<Record<GeneratedEngine, EngineProfile>> = {
  MySQL: {
    versions: ["5.6", "5.7", "8.0"],
    defaultVersion: "8.0",
    idPrefix: "rm-",
    defaultMethod: "Physical",
    incremental: true,
    sizeRange: [200 * MB, 60 * GB],
  },
  PostgreSQL: {
    versions: ["12.0", "13.0", "14.0", "15.0", "16.0"],
    defaultVersion: "15.0",
    idPrefix: "pgm-",
    defaultMethod: "Physical",
    incremental: false,
    sizeRange: [100 * MB, 40 * GB],
  },
  SQLServer: {
    versions: ["2016_std_ha", "2017_std_ha", "2019_std_ha", "2022_std_ha", "2019_ent"],
    defaultVersion: "2019_std_ha",
    idPrefix: "rm-",
    defaultMethod: "Physical",
    incremental: true,
    sizeRange: [500 * MB, 80 * GB],
  },
  MariaDB: {
    versions: ["10.3", "10.6"],
    defaultVersion: "10.3",
    idPrefix: "rm-",
    defaultMethod: "Physical",
    incremental: false,
    sizeRange: [100 * MB, 20 * GB],
  },
};

/** The instances `generateData` makes when the spec names none: one of each kind worth testing. */
export const DEFAULT_INSTANCE_PRESETS: ReadonlyArray<{
  engine: GeneratedEngine;
  engineVersion: string;
  backupMethod?: "Physical" | "Snapshot";
}> = [
  { engine: "MySQL", engineVersion: "8.0" },
  { engine: "MySQL", engineVersion: "5.6" },
  { engine: "PostgreSQL", engineVersion: "15.0" },
  { engine: "SQLServer", engineVersion: "2019_std_ha", backupMethod: "Snapshot" },
  { engine: "MariaDB", engineVersion: "10.3" },
];

/** Well-known key of generated data (`--generate`): a local emulator's key, not a real secret. */
export const DEFAULT_ACCESS_KEY_ID = "LTAI5tEmulatorLocalKey01";
export const DEFAULT_ACCESS_KEY_SECRET = "emulator-local-secret-do-not-use-in-cloud";
