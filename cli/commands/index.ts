/**
 * Every command of `rds-backups`, declared in one place: what it does, its arguments, its
 * options and real examples. `--help` text and argument parsing are both derived from this.
 */
import {
  FILTERS,
  ENSURE_BACKUP_TYPE,
  GATE_BACKUP_TYPE,
  MAX_AGE,
  METHOD,
  OUTPUT,
  POINT_IN_TIME,
  QUIET,
  RECOVERABLE_WITHIN,
  RETENTION_MINIMUMS,
  SHOW_URLS,
  TIMEOUT,
  JOB_ID,
  HEARTBEAT,
  type OptionDecl,
} from "../options";
import { statusHelp } from "../format/result-lines";

export { GLOBAL_OPTIONS, type OptionDecl } from "../options";

export interface CommandDecl {
  readonly name: "list" | "latest" | "check" | "ensure" | "ensure-plan" | "emulator" | "policy";
  readonly summary: string;
  readonly usage: string;
  readonly description: string;
  /** Minimum number of positionals (instance ids unless `positional` says otherwise). */
  readonly minPositionals: number;
  /** What the positionals are, in a usage error (default `<instance-id>`). */
  readonly positional?: string;
  readonly options: readonly OptionDecl[];
  readonly examples: readonly (readonly [command: string, comment: string])[];
  /** Pass unknown flags through untouched (the emulator validates its own). */
  readonly passThrough?: boolean;
}

/** The output and pace of the commands that print one line per instance (`check`, `ensure`). */
const PER_INSTANCE: readonly OptionDecl[] = [
  {
    name: "output",
    short: "o",
    type: "string",
    value: "<format>",
    choices: ["text", "json"],
    description: "text (one line per instance, default) or json (one object).",
  },
  {
    name: "concurrency",
    type: "string",
    value: "<n>",
    description: "Instances handled at the same time, 1-16 (default 4).",
  },
];

/** `policy` prints a table (or JSON), like `list`. */
const POLICY_OUTPUT: OptionDecl = {
  name: "output",
  short: "o",
  type: "string",
  value: "<format>",
  choices: ["table", "json"],
  description: "table (for people, default) or json (one object).",
};

export const COMMANDS: readonly CommandDecl[] = [
  {
    name: "list",
    summary: "List every backup of one or more instances, newest first",
    usage: "rds-backups list <instance-id>... [filters] [--output table|json|ndjson|csv]",
    description:
      "Reads every page of DescribeBackups for each instance and prints all matching backups, newest first (by start time).\n" +
      "With several instances, an INSTANCE column (an `instance` field) says which instance was asked for.\n" +
      "Sizes in the table are 1024-based (KiB, MiB, GiB); times are UTC; AGE is measured from the end time.\n" +
      "Download URLs are never printed unless --show-download-urls is given.",
    minPositionals: 1,
    options: [...FILTERS, OUTPUT, QUIET, SHOW_URLS],
    examples: [
      ["rds-backups list rm-uf6wjk5xxxxxxx", "every backup, as a table"],
      ["rds-backups list rm-uf6wjk5xxxxxxx --since 7d --status Failed", "failed backups of the last week"],
      [
        "rds-backups list rm-a rm-b --type FullBackup -o csv > backups.csv",
        "full backups of two instances, for a spreadsheet",
      ],
      ["rds-backups list rm-uf6wjk5xxxxxxx -o ndjson | jq -r 'select(.isAvail) | .backupId'", "stream to jq"],
    ],
  },
  {
    name: "latest",
    summary: "Show the newest usable backup (Success and available, by end time) of each instance",
    usage: "rds-backups latest <instance-id>... [--type FullBackup] [--mode Automated] [--since 7d] [--output ...]",
    description:
      "Prints the newest usable backup of each instance: status Success and available, the newest by end time.\n" +
      "Exits 1 (with a message on stderr) when an instance has none; 2 when the API could not be read.",
    minPositionals: 1,
    options: [...FILTERS.filter((o) => o.name !== "status"), OUTPUT, QUIET, SHOW_URLS],
    examples: [
      ["rds-backups latest rm-uf6wjk5xxxxxxx", "the newest usable backup, as a table"],
      ["BACKUP_ID=$(rds-backups latest rm-uf6wjk5xxxxxxx --type FullBackup -q)", "its id, for a script"],
      ["rds-backups latest rm-a rm-b -o json", "one JSON array, one object per instance"],
    ],
  },
  {
    name: "check",
    summary:
      "Gate: exit 0 when every instance has a usable backup newer than --max-age (and can be restored to now within --recoverable-within)",
    usage:
      "rds-backups check <instance-id>... (--max-age <duration> | --recoverable-within <duration>) [--backup-type FullBackup|IncrementalBackup|any]\n" +
      "       [--point-in-time <time>] [--min-retention-days <days>] [--min-log-retention-days <days>] [--output text|json]",
    description:
      "The same check as the Pulumi gate (requireFreshBackup), with the same message. One line per instance:\n" +
      "  ok     the newest usable backup ended within --max-age\n" +
      "  STALE  it is older, or there is none\n" +
      "  ERROR  the API could not be read, or answered what cannot be right\n" +
      "With --output json, each result's status is one word, the same words as ensure's:\n" +
      `${statusHelp(["fresh", "stale", "recoverable", "unrecoverable", "error"])}\n` +
      "Only full backups count unless --backup-type says otherwise: an incremental set cannot be restored alone.\n" +
      "With --recoverable-within, also (or only, without --max-age) a point-in-time restore check, one more line:\n" +
      "  ok     log backup on, a full set before the point, the restore window and an unbroken log chain reaching\n" +
      "         the point (now, or --point-in-time) minus <duration>; retention at least the minimums given\n" +
      "  FAIL   one of those does not hold: each is named with its figure (the gap's bounds, the window's end and age,\n" +
      "         the policy field and value). SQL Server cannot be checked this way and always FAILs, saying so.\n" +
      "Exit status: 0 all pass; 1 at least one STALE or FAIL (and no error); 2 an API error or bad input (fail closed).\n" +
      "Instances are checked concurrently (at most --concurrency at a time).",
    minPositionals: 1,
    options: [
      MAX_AGE,
      GATE_BACKUP_TYPE,
      ...FILTERS.filter((o) => o.name === "mode"),
      RECOVERABLE_WITHIN,
      POINT_IN_TIME,
      ...RETENTION_MINIMUMS,
      ...PER_INSTANCE,
    ],
    examples: [
      [
        "rds-backups check rm-uf6wjk5xxxxxxx --max-age 24h",
        "before `pulumi up`: fails the step when the backup is stale",
      ],
      ["rds-backups check rm-a rm-b --max-age 7d", "a full backup within a week, for both"],
      ["rds-backups check rm-a --max-age 12h --backup-type any", "a full or an incremental backup within 12 hours"],
      ["rds-backups check rm-a --max-age 26h -o json | jq -r '.results[0].message'", "for machines"],
      [
        "rds-backups check rm-a --max-age 24h --recoverable-within 15m",
        "before a migration: a fresh backup, and a restore to the minute before it possible",
      ],
      ["rds-backups check rm-a rm-b --recoverable-within 1h --min-retention-days 30", "compliance: PITR and 30 days"],
    ],
  },
  {
    name: "ensure",
    summary: "Take a backup when the newest usable one is older than --max-age, and wait until it is usable",
    usage:
      "rds-backups ensure <instance-id>... --max-age <duration> --timeout <duration> [--method Physical|Snapshot|Logical] [--job-id <id>] [--output text|json]",
    description:
      "Judges each instance as `check` does; when it is stale, joins the backup task already running on the instance\n" +
      "or calls CreateBackup, then waits (DescribeBackupTasks, DescribeBackups) until the new set is Success and available.\n" +
      "CreateBackup is never re-sent after a lost answer. A run joins a backup task that still runs; after a time-out,\n" +
      "run it again with --job-id <id> (the time-out prints it) to wait for that job without taking another backup.\n" +
      "A run without --job-id cannot see a task that finished while its set is not listed yet (DescribeBackupTasks\n" +
      "shows finished tasks only by id), so it would take a second backup: the time-out message says when that applies.\n" +
      "One line per instance:\n" +
      "  ok       a usable backup ended within --max-age: nothing was taken\n" +
      "  TAKEN    ensure took a backup and it is usable\n" +
      "  JOINED   a backup task was already running; ensure waited for it\n" +
      "  FAILED   the backup task ended Failed (the job id is named)\n" +
      "  TIMEOUT  it did not finish within --timeout (the job id is named; it may still finish)\n" +
      "  ERROR    the API could not be read or refused the call\n" +
      "With --output json, each result's status is one word, the same words as check's:\n" +
      `${statusHelp(["fresh", "taken", "joined", "failed", "timeout", "error"])}\n` +
      "Exit status: 0 every instance fresh (or made fresh); 1 a backup failed or timed out; 2 an API error or bad input;\n" +
      "on SIGINT/SIGTERM it names the jobs it started or joined (they go on at the service) and ends as the signal does (130/143).\n" +
      "Progress is shown on stderr: redrawn on a terminal; otherwise a heartbeat line per instance every --heartbeat\n" +
      "(job id, status, elapsed). Needs rds:CreateBackup and rds:DescribeBackupTasks as well as rds:DescribeBackups.",
    minPositionals: 1,
    options: [MAX_AGE, TIMEOUT, METHOD, ENSURE_BACKUP_TYPE, JOB_ID, HEARTBEAT, ...PER_INSTANCE],
    examples: [
      [
        "rds-backups ensure rm-uf6wjk5xxxxxxx --max-age 24h --timeout 2h",
        "before a migration: a backup of at most a day, taken now if needed",
      ],
      ["rds-backups ensure rm-a rm-b --max-age 6h --timeout 1h --method Snapshot", "snapshot backups of two instances"],
      [
        "rds-backups ensure rm-a --max-age 24h --timeout 1h -o json | jq -r '.results[0].backup.backupId'",
        "the id of the backup that protects the change",
      ],
      [
        "rds-backups ensure rm-a --max-age 24h --timeout 2h --job-id 5073731",
        "after a time-out: wait for the job it named instead of taking another backup",
      ],
    ],
  },
  {
    name: "ensure-plan",
    summary:
      "Ensure a fresh backup of exactly the instances a saved `pulumi preview --json` updates, replaces or deletes",
    usage:
      "rds-backups ensure-plan <preview.json | -> --max-age <duration> --timeout <duration> [--dry-run] [--method ...] [--output text|json]",
    positional: "<preview.json> (the output of `pulumi preview --json`, or - for standard input)",
    description:
      "For pipelines that cannot use the resource hooks (Pulumi YAML, other tools): reads the JSON of `pulumi preview --json`\n" +
      "and runs `ensure` for each RDS instance whose resources the plan updates, replaces or deletes, once per instance.\n" +
      "Which resources count, and the instance each names (in its state before the change):\n" +
      "  alicloud:rds/instance:Instance                   its id\n" +
      "  alicloud:rds/database:Database                   instanceId\n" +
      "  alicloud:rds/account:Account                     dbInstanceId (or the deprecated instanceId)\n" +
      "  alicloud:rds/readOnlyInstance:ReadOnlyInstance   masterDbInstanceId\n" +
      "Operations that count: update, replace, create-replacement, delete-replaced, delete, import-replacement.\n" +
      "Creates, reads, refreshes and unchanged resources take no backup. A plan whose preview reported an error, an\n" +
      "operation this command does not know, or a changed resource whose instance cannot be read is refused (exit 2)\n" +
      "before any call. The changes behind each instance are listed on stderr; the result lines, the JSON and the\n" +
      "exit status are those of `ensure`. With --dry-run, it prints what it would ensure and calls nothing.\n" +
      "The region is the one given (--region, ALIBABA_CLOUD_REGION_ID): one plan, one region.",
    minPositionals: 1,
    options: [
      MAX_AGE,
      TIMEOUT,
      METHOD,
      ENSURE_BACKUP_TYPE,
      ...PER_INSTANCE,
      {
        name: "dry-run",
        type: "boolean",
        description: "Print the instances it would ensure and the changes behind each; call nothing.",
      },
    ],
    examples: [
      [
        "pulumi preview --json > plan.json && rds-backups ensure-plan plan.json --max-age 24h --timeout 2h && pulumi up --yes",
        "in a pipeline: a backup of each changed database first, then the deployment",
      ],
      ["rds-backups ensure-plan plan.json --max-age 24h --timeout 2h --dry-run", "what it would back up, and why"],
      [
        "pulumi preview --json | rds-backups ensure-plan - --max-age 10m --timeout 1h",
        "from a pipe; a backup at most 10 minutes old: in effect a new one before each deployment",
      ],
    ],
  },
  {
    name: "emulator",
    summary:
      "Run the local RDS API emulator (backups, backup tasks, policy, log files, restore window) for tests and demos",
    usage: "rds-backups emulator [serve | generate] <emulator flags>",
    description:
      "Runs the emulator that ships with this package, exactly as `npm run emulator` does: its flags are passed to it\n" +
      "untouched, and it checks them itself. `serve` (the default) prints its URL as the first stdout line, then one\n" +
      "line per request on stderr, until Ctrl-C; `generate` writes generated data to a file.\n" +
      "Point the CLI at it with --endpoint <url> or ALIBABA_CLOUD_RDS_ENDPOINT=<url>; generated data accepts the\n" +
      "emulator's test key, whose id `--generate` prints on stderr (the README gives its secret).",
    minPositionals: 0,
    // The emulator declares and checks its own flags (it shares no code with the CLI).
    options: [],
    examples: [
      [
        "rds-backups emulator --port 9000 --generate --instances 2 --backups 100",
        "serve generated data on http://127.0.0.1:9000",
      ],
      [
        "rds-backups emulator generate --out backups.json && rds-backups emulator --port 9000 --data backups.json",
        "write the data to a file, edit it, serve it",
      ],
      ["ALIBABA_CLOUD_RDS_ENDPOINT=http://127.0.0.1:9000 rds-backups list rm-demo", "then, in another shell"],
    ],
    passThrough: true,
  },
  {
    name: "policy",
    summary: "Show the backup policy of each instance: log backup on or off, retention, schedule",
    usage:
      "rds-backups policy <instance-id>... [--min-retention-days <days>] [--min-log-retention-days <days>] [--output table|json]",
    description:
      "Reads DescribeBackupPolicy for each instance and prints one row per instance: log backup (on/off), data and log\n" +
      "retention in days, the backup window (UTC), the weekdays, the next scheduled backup.\n" +
      "Exit status: 0 every instance has log backup on and meets the minimums given; 1 at least one does not (it is\n" +
      "named on stderr); 2 an instance could not be read, or bad input (fail closed), as `check`.",
    minPositionals: 1,
    options: [...RETENTION_MINIMUMS, ...PER_INSTANCE.map((o) => (o.name === "output" ? POLICY_OUTPUT : o))],
    examples: [
      ["rds-backups policy rm-uf6wjk5xxxxxxx", "is log backup on, how long is it kept?"],
      ["rds-backups policy rm-a rm-b --min-retention-days 30 -o json", "a compliance minimum, for machines"],
    ],
  },
];

export function findCommand(name: string): CommandDecl | undefined {
  return COMMANDS.find((c) => c.name === name);
}
