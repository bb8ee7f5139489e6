import type { EmulatorStats } from "./types";

/** Mutable counters behind `RunningEmulator.stats`, which hands out copies. */
export class StatsRecorder {
  private data: EmulatorStats = StatsRecorder.empty();

  private static empty(): EmulatorStats {
    return {
      requests: 0,
      describeBackups: 0,
      createBackup: 0,
      byAction: {},
      byCode: {},
      faults: {},
      lastParams: undefined,
    };
  }

  request(): void {
    this.data.requests += 1;
  }

  /** An authenticated request dispatched to `action`; `lastParams` keeps DescribeBackups' only. */
  action(action: string, params: Record<string, string>): void {
    this.data.byAction[action] = (this.data.byAction[action] ?? 0) + 1;
    if (action === "CreateBackup") this.data.createBackup += 1;
    if (action !== "DescribeBackups") return;
    this.data.describeBackups += 1;
    this.data.lastParams = { ...params };
  }

  error(code: string): void {
    this.data.byCode[code] = (this.data.byCode[code] ?? 0) + 1;
  }

  fault(kind: string): void {
    this.data.faults[kind] = (this.data.faults[kind] ?? 0) + 1;
  }

  snapshot(): EmulatorStats {
    return structuredClone(this.data);
  }

  reset(): void {
    this.data = StatsRecorder.empty();
  }
}
