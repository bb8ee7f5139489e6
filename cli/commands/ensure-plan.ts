/**
 * `rds-backups ensure-plan <preview.json>`: `ensure` for exactly the instances a saved
 * `pulumi preview --json` updates, replaces or deletes (cli/plan-file.ts reads the plan). For
 * pipelines that cannot use the resource hooks. The result lines, the JSON and the exit status
 * are `ensure`'s; the changes behind each instance go to stderr, so the log says why.
 */
import {
  ARGUMENTS,
  checkArguments,
  type ConnectionOptions,
  ENSURE_ARGUMENTS,
  type FreshBackupType,
} from "../../sdk/internal";
import { renderJson } from "../format/json";
import type { Io } from "../io";
import { describeChange, type InstanceChanges, readPlanFile } from "../plan-file";
import { concurrencyOf, describeFailures, durationSeconds } from "../query";
import { usageError } from "../exit-error";
import { ENSURE_BACKUP_TYPE } from "../options";
import { ensure, type EnsureOutput } from "./ensure";

interface EnsurePlanCommandOptions {
  /** The positionals as given: one plan file, or `-`. */
  readonly plans: readonly string[];
  readonly maxAge: string;
  readonly timeout: string;
  readonly method?: string;
  readonly backupType?: FreshBackupType;
  readonly output: EnsureOutput;
  readonly concurrency?: string;
  readonly dryRun: boolean;
  readonly connection: ConnectionOptions;
}

export async function ensurePlanCommand(options: EnsurePlanCommandOptions, io: Io): Promise<void> {
  const [source, ...extra] = options.plans;
  if (source === undefined || extra.length > 0)
    throw usageError(
      `ensure-plan reads one plan (got ${options.plans.length}): give one file, or - for standard input`,
    );
  if (source === "-" && process.stdin.isTTY)
    throw usageError("- reads the plan from standard input, which is a terminal: pipe `pulumi preview --json` into it");
  // Every flag is judged before the plan is read, and the plan before any call.
  const maxAgeSeconds = durationSeconds(options.maxAge, "--max-age");
  const timeoutSeconds = durationSeconds(options.timeout, "--timeout");
  concurrencyOf(options.concurrency);
  checkEnsureFlags({
    maxAge: maxAgeSeconds,
    timeout: timeoutSeconds,
    backupMethod: options.method,
    backupType: options.backupType,
  });

  const plan = await readPlanFile(source);
  const instances = plan.instances.map((i) => i.instance);
  if (options.dryRun) return printDryRun(plan.instances, { ...options, maxAgeSeconds, timeoutSeconds }, io);
  for (const line of changeLines(plan.instances)) io.err(`plan: ${line}\n`);
  if (instances.length === 0 && options.output === "text") {
    io.out(`nothing to back up: the plan updates, replaces or deletes no RDS resource (${plan.steps} steps read)\n`);
    return;
  }
  return ensure({ ...options, instances }, io);
}

/** ensure's own arguments but the instance (a plan may name none, and --dry-run runs no ensure). */
function checkEnsureFlags(given: Record<string, unknown>): void {
  const decls = ENSURE_ARGUMENTS.filter((d) => d.name !== ARGUMENTS.dbInstanceId.name);
  const defined = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
  const { failures } = checkArguments(defined, decls);
  if (failures.length > 0) throw usageError(describeFailures(failures, false, [ENSURE_BACKUP_TYPE]));
}

/** `rm-a: update of alicloud:rds/instance:Instance "a", delete of ... "db"`: one line per instance. */
function changeLines(instances: readonly InstanceChanges[]): string[] {
  return instances.map((i) => `${i.instance}: ${i.changes.map(describeChange).join(", ")}`);
}

function printDryRun(
  instances: readonly InstanceChanges[],
  options: EnsurePlanCommandOptions & { maxAgeSeconds: number; timeoutSeconds: number },
  io: Io,
): void {
  if (options.output === "json") {
    io.out(
      renderJson({
        dryRun: true,
        maxAge: options.maxAge,
        maxAgeSeconds: options.maxAgeSeconds,
        timeoutSeconds: options.timeoutSeconds,
        instances,
      }),
    );
    return;
  }
  const lines = changeLines(instances).map((l) => `would ensure ${l}\n`);
  const count = instances.length === 1 ? "1 instance" : `${instances.length} instances`;
  io.out(
    `${lines.join("")}would ensure a backup no older than ${options.maxAge} of ${count}; nothing was called (--dry-run)\n`,
  );
}
