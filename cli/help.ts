/** `--help` and `--version` text, derived from the declarations in commands/index.ts and package.json. */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { COMMANDS, GLOBAL_OPTIONS, type CommandDecl, type OptionDecl } from "./commands";

const ENVIRONMENT = [
  ["ALIBABA_CLOUD_ACCESS_KEY_ID / _SECRET", "access keys (+ ALIBABA_CLOUD_SECURITY_TOKEN for STS); else the"],
  ["", "credential chain: OIDC, aliyun CLI profile, ~/.alibabacloud/credentials, ECS RAM role"],
  ["ALIBABA_CLOUD_REGION_ID", "default region"],
  ["ALIBABA_CLOUD_PROFILE", "default aliyun CLI profile"],
  ["ALIBABA_CLOUD_RDS_ENDPOINT", "endpoint override (URL or host)"],
  ["NO_COLOR / FORCE_COLOR", "turn colour off / on (off anyway when not a terminal)"],
] as const;

export function globalHelp(version: string): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `rds-backups ${version}: Alibaba Cloud RDS backups for people and CI gates.`,
    "",
    "Usage: rds-backups <command> [options]",
    "",
    "Commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Global options:",
    ...optionLines([...GLOBAL_OPTIONS, { name: "version", type: "boolean", description: "Print the version." }]),
    "",
    "Environment:",
    ...ENVIRONMENT.map(([k, v]) => `  ${k.padEnd(38)} ${v}`),
    "",
    "Exit status: 0 ok; 1 a verdict against you (check, latest, policy: stale, missing, unrecoverable, short;",
    "ensure, ensure-plan: failed or timed out); 2 bad input, an API error or an answer that cannot be right;",
    "130/143 interrupted (SIGINT/SIGTERM). Each command's --help says its own.",
    "Download URLs are secrets: they are only printed with --show-download-urls.",
    "",
    "Examples:",
    ...COMMANDS.flatMap((c) => (c.examples[0] ? [`  ${c.examples[0][0]}`] : [])),
    "",
    "Run 'rds-backups <command> --help' for a command's options and examples.",
    "",
  ].join("\n");
}

export function commandHelp(command: CommandDecl): string {
  const width = headWidth(command.passThrough ? command.options : [...command.options, ...GLOBAL_OPTIONS]);
  const global = command.passThrough ? [] : ["", "Global options:", ...optionLines(GLOBAL_OPTIONS, width)];
  return [
    `${command.summary}.`,
    "",
    `Usage: ${command.usage}`,
    "",
    command.description,
    "",
    ...(command.passThrough
      ? [`Options: passed on untouched; 'rds-backups ${command.name} --help' lists them.`]
      : ["Options:", ...optionLines(command.options, width)]),
    ...global,
    "",
    "Examples:",
    ...command.examples.flatMap(([cmd, comment]) => [`  # ${comment}`, `  ${cmd}`]),
    "",
  ].join("\n");
}

function head(o: OptionDecl): string {
  return `${o.short ? `-${o.short}, ` : "    "}--${o.name}${o.value ? ` ${o.value}` : ""}`;
}

function headWidth(options: readonly OptionDecl[]): number {
  return Math.max(22, ...options.map((o) => head(o).length));
}

function optionLines(options: readonly OptionDecl[], width = headWidth(options)): string[] {
  const heads = options.map(head);
  return options.map((o, i) => {
    const allowed = o.choices ? ` One of: ${o.choices.join(", ")}.` : "";
    return `  ${(heads[i] ?? "").padEnd(width)}  ${o.description}${allowed}`;
  });
}

/** The package version, read from the package.json above this file (source or dist/). */
export function version(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === "pulumi-alicloud-rds-backups" && pkg.version) return pkg.version;
    } catch {
      // not here: look one level up
    }
    if (path.dirname(dir) === dir) return "unknown";
  }
}
