/**
 * argv → values for one declared command, with util.parseArgs doing the tokenizing and this
 * file writing the errors: each names the flag, the value and what is allowed (exit 2).
 */
import { parseArgs } from "node:util";
import { GLOBAL_OPTIONS, type CommandDecl, type OptionDecl } from "./commands";
import { closest } from "../sdk/internal";
import { usageError } from "./exit-error";

export interface ParsedArgs {
  readonly positionals: readonly string[];
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  /** For pass-through commands: the argv as given. */
  readonly rest: readonly string[];
}

function optionsOf(command: CommandDecl): readonly OptionDecl[] {
  return command.passThrough ? command.options : [...command.options, ...GLOBAL_OPTIONS];
}

export function parseCommandArgs(command: CommandDecl, argv: readonly string[]): ParsedArgs {
  const decls = optionsOf(command);
  const config = Object.fromEntries(
    decls.map((o) => [o.name, o.short ? { type: o.type, short: o.short } : { type: o.type }]),
  );
  const { values, positionals, tokens } = parseArgs({
    args: [...argv],
    options: config,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  if (command.passThrough) return { positionals, values: values as ParsedArgs["values"], rest: argv };
  const seen = new Set<string>();
  for (const token of tokens) {
    if (token.kind !== "option") continue;
    const decl = decls.find((o) => o.name === token.name);
    const flag = token.rawName;
    if (!decl) throw usageError(unknownOption(command, flag, decls));
    if (decl.type === "string" && (token.value === undefined || token.value === "")) {
      throw usageError(`${flag} needs a value${decl.value ? ` ${decl.value}` : ""}${allowedText(decl)}`);
    }
    if (decl.type === "boolean" && token.value !== undefined) {
      throw usageError(`--${decl.name} takes no value (got "${token.value}")`);
    }
    if (decl.type === "string" && seen.has(decl.name)) {
      throw usageError(`--${decl.name} was given more than once; give it once`);
    }
    seen.add(decl.name);
    if (decl.choices && !decl.sdkField && typeof token.value === "string" && !decl.choices.includes(token.value)) {
      throw usageError(`invalid value for --${decl.name}: "${token.value}"${allowedText(decl)}`);
    }
  }
  if (!values.help && positionals.length < command.minPositionals) {
    throw usageError(`missing ${command.positional ?? "<instance-id>"}: usage: ${command.usage}`);
  }
  return { positionals, values: values as ParsedArgs["values"], rest: argv };
}

function allowedText(decl: OptionDecl): string {
  return decl.choices ? ` (allowed: ${decl.choices.join(", ")})` : "";
}

function unknownOption(command: CommandDecl, flag: string, decls: readonly OptionDecl[]): string {
  const bare = flag.replace(/^-+/, "").split("=")[0] ?? "";
  const near = closest(
    bare,
    decls.map((o) => o.name),
  );
  const hint = near ? ` Did you mean --${near}?` : "";
  return `unknown option ${flag} for 'rds-backups ${command.name}'.${hint} See 'rds-backups ${command.name} --help'.`;
}
