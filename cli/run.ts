/**
 * argv → command: finds the command, parses its flags (commands/index.ts), builds its typed
 * options and awaits it. Returns the exit code; never exits (main.ts does).
 */
import type { FreshBackupType } from "../sdk/internal";
import { parseCommandArgs, type ParsedArgs } from "./args";
import { COMMANDS, findCommand, type CommandDecl } from "./commands";
import { check, type CheckOutput } from "./commands/check";
import { emulator } from "./commands/emulator";
import { ensure, type EnsureOutput } from "./commands/ensure";
import { ensurePlanCommand } from "./commands/ensure-plan";
import { latest } from "./commands/latest";
import { list } from "./commands/list";
import { policy, type PolicyOutput } from "./commands/policy";
import { usageError } from "./exit-error";
import type { ListOutput } from "./format/backup-rows";
import { FILTERS } from "./options";
import { commandHelp, globalHelp, version } from "./help";
import type { Io } from "./io";
import { connectionOptions, type FilterFlags } from "./query";
import { errorReport, exitCodeOf } from "./report-error";

export async function run(argv: readonly string[], io: Io): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (err) {
    io.err(errorReport(err, io.paintErr));
    return exitCodeOf(err);
  }
}

async function dispatch(argv: readonly string[], io: Io): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.err(globalHelp(version()));
    return 2;
  }
  if (first === "help") {
    const topic = rest[0] === undefined ? undefined : findCommand(rest[0]);
    if (rest[0] !== undefined && !topic) throw unknownCommand(rest[0]);
    return print(io, topic ? commandHelp(topic) : globalHelp(version()));
  }
  // --version and --help are global: they win wherever they are on the line (before a `--`).
  const end = argv.indexOf("--");
  const flags = end < 0 ? argv : argv.slice(0, end);
  if (flags.includes("--version") || flags.includes("-V")) return print(io, `${version()}\n`);
  const wantsHelp = flags.includes("--help") || flags.includes("-h");
  // `rds-backups --region x list rm-1`: flags before the command are allowed too.
  const at = argv.findIndex((a) => findCommand(a) !== undefined);
  if (first.startsWith("-") && at > 0) return dispatch([argv[at] as string, ...argv.filter((_, i) => i !== at)], io);
  const command = findCommand(first);
  if (!command && wantsHelp) return print(io, globalHelp(version()));
  if (!command) throw unknownCommand(first);
  if (wantsHelp && !command.passThrough) return print(io, commandHelp(command));
  // A pass-through command's flags are its own: our part of the help, then the command's (it gets --help).
  if (wantsHelp) io.out(`${commandHelp(command)}\n`);
  const args = parseCommandArgs(command, rest);
  await execute(command, args, io);
  return 0;
}

async function execute(command: CommandDecl, args: ParsedArgs, io: Io): Promise<void> {
  const v = args.values;
  const s = (name: string): string | undefined => (typeof v[name] === "string" ? (v[name] as string) : undefined);
  const connection = () =>
    connectionOptions({ region: s("region"), profile: s("profile"), endpoint: s("endpoint") }, io.env);
  const filters: FilterFlags = Object.fromEntries(FILTERS.map((o) => [o.name, s(o.name)]));
  // What `list` and `latest` take alike: they read the same rows and print them the same ways.
  const rows = () => ({
    instances: args.positionals,
    filters,
    output: (s("output") ?? "table") as ListOutput,
    quiet: v.quiet === true,
    showDownloadUrls: v["show-download-urls"] === true,
    connection: connection(),
  });
  switch (command.name) {
    case "list":
      return list(rows(), io);
    case "latest":
      return latest(rows(), io);
    case "check": {
      const maxAge = s("max-age");
      const recoverableWithin = s("recoverable-within");
      if (maxAge === undefined && recoverableWithin === undefined)
        throw usageError(
          "--max-age is required, e.g. --max-age 24h, or --recoverable-within 15m (see 'rds-backups check --help')",
        );
      return check(
        {
          instances: args.positionals,
          ...(maxAge !== undefined ? { maxAge } : {}),
          ...(recoverableWithin !== undefined ? { recoverableWithin } : {}),
          pointInTime: s("point-in-time"),
          minRetentionDays: s("min-retention-days"),
          minLogRetentionDays: s("min-log-retention-days"),
          backupType: s("backup-type") as FreshBackupType | undefined,
          mode: s("mode"),
          output: (s("output") ?? "text") as CheckOutput,
          concurrency: s("concurrency"),
          connection: connection(),
        },
        io,
      );
    }
    case "policy":
      return policy(
        {
          instances: args.positionals,
          minRetentionDays: s("min-retention-days"),
          minLogRetentionDays: s("min-log-retention-days"),
          output: (s("output") ?? "table") as PolicyOutput,
          concurrency: s("concurrency"),
          connection: connection(),
        },
        io,
      );
    case "ensure": {
      const maxAge = s("max-age");
      const timeout = s("timeout");
      if (maxAge === undefined)
        throw usageError("--max-age is required, e.g. --max-age 24h (see 'rds-backups ensure --help')");
      if (timeout === undefined)
        throw usageError(
          "--timeout is required, e.g. --timeout 1h: how long to wait for the backup (see 'rds-backups ensure --help')",
        );
      return ensure(
        {
          instances: args.positionals,
          maxAge,
          timeout,
          method: s("method"),
          backupType: s("backup-type") as FreshBackupType | undefined,
          jobId: s("job-id"),
          heartbeat: s("heartbeat"),
          output: (s("output") ?? "text") as EnsureOutput,
          concurrency: s("concurrency"),
          connection: connection(),
        },
        io,
      );
    }
    case "ensure-plan": {
      const maxAge = s("max-age");
      const timeout = s("timeout");
      if (maxAge === undefined || timeout === undefined)
        throw usageError(
          "--max-age and --timeout are required, e.g. --max-age 24h --timeout 1h (see 'rds-backups ensure-plan --help')",
        );
      return ensurePlanCommand(
        {
          plans: args.positionals,
          maxAge,
          timeout,
          method: s("method"),
          backupType: s("backup-type") as FreshBackupType | undefined,
          output: (s("output") ?? "text") as EnsureOutput,
          concurrency: s("concurrency"),
          dryRun: v["dry-run"] === true,
          connection: connection(),
        },
        io,
      );
    }
    case "emulator":
      return emulator({ args: args.rest });
  }
}

function print(io: Io, text: string): number {
  io.out(text);
  return 0;
}

function unknownCommand(name: string) {
  return usageError(
    `unknown command "${name}". Commands: ${COMMANDS.map((c) => c.name).join(", ")}. See 'rds-backups --help'.`,
  );
}
