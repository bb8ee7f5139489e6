/**
 * What a test (or the demo) needs to run a program written with the real `@pulumi/alicloud`
 * SDK: the stand-in plugin (./main.js) first on PATH, where the CLI looks before it would try a
 * download, and what the plugin did, read from its state file.
 *
 *   const standIn = alicloudStandIn(backend.dir, { a: "rm-e2ehooksa" });
 *   await pulumiOk(["up", "--yes"], { cwd, backend, stack, env: { ...standIn.env(bin), ... } });
 *   standIn.operations().filter((o) => o.op === "update");
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** The directory holding `pulumi-resource-alicloud`. */
export const ALICLOUD_STANDIN_DIR = __dirname;

export interface StandInOperation {
  readonly op: "create" | "read" | "update" | "delete";
  /** The type token, e.g. `alicloud:rds/instance:Instance`. */
  readonly type: string;
  readonly urn: string;
  readonly id?: string;
  /** ISO-8601 UTC with milliseconds: when the plugin was asked. */
  readonly at: string;
}

export interface AlicloudStandIn {
  /** The environment of a CLI run: PATH with the plugin first (then `bin`, the CLI's dir), its state file, the ids. */
  env(bin: string): Record<string, string>;
  /** Every operation the plugin was asked for, oldest first ([] before any). */
  operations(): StandInOperation[];
}

/**
 * A stand-in whose state lives in `dir`; `instanceIds` maps an instance's `instanceName` to the
 * emulator instance id it gets when created.
 */
export function alicloudStandIn(dir: string, instanceIds: Record<string, string> = {}): AlicloudStandIn {
  const stateFile = path.join(dir, "alicloud-standin-state.json");
  return {
    env: (bin) => ({
      PATH: [ALICLOUD_STANDIN_DIR, bin, process.env["PATH"] ?? ""].join(path.delimiter),
      ALICLOUD_STANDIN_STATE: stateFile,
      ALICLOUD_STANDIN_INSTANCE_IDS: JSON.stringify(instanceIds),
    }),
    operations: () =>
      fs.existsSync(stateFile)
        ? (JSON.parse(fs.readFileSync(stateFile, "utf8")) as { operations: StandInOperation[] }).operations
        : [],
  };
}
