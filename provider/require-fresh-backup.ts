/**
 * `requireFreshBackup`: a deployment gate. Resolves to the newest usable backup when it ended
 * within `maxAge`; otherwise the read fails, and with it `pulumi preview` and `pulumi up`, with a
 * message naming the instance, the newest usable backup and its age (or that there is none) and
 * the limit. Resources that depend on it are then neither previewed as created nor touched.
 *
 * The verdict is the provider's (./runtime.ts); what the program adds is what only the program
 * can show as a real warning on the gate: an override in use, and a preview that could not judge.
 */
import * as pulumi from "@pulumi/pulumi";
import { parseFreshBackupArgs } from "./args";
import { overrideWarning } from "./core-gate";
import { FreshBackup } from "./dynamic";
import { GATE_OVERRIDES_KEY } from "./overrides";
import { registerRead } from "./reads";
import type { RequireFreshBackupOutputArgs } from "./types";

/**
 * Use the result in `dependsOn` of the risky change, and `checked` (stable while the gate holds)
 * where an input is wanted. Costs one API call however long the history is.
 */
export function requireFreshBackup(
  args: RequireFreshBackupOutputArgs,
  opts?: {
    parent?: pulumi.Resource;
    dependsOn?: pulumi.Input<pulumi.Input<pulumi.Resource>[]> | pulumi.Input<pulumi.Resource>;
  },
): FreshBackup {
  const gate = registerRead({
    kind: "fresh-backup",
    args: { ...args },
    validate: (plain) => void parseFreshBackupArgs(plain),
    construct: (name, props, resourceOpts) => new FreshBackup(name, props, resourceOpts),
    opts,
  });
  if (!announced.has(gate)) {
    announced.add(gate);
    announce(gate, args);
  }
  return gate;
}

/** Equal calls share one gate (./reads.ts): say things once per gate. */
const announced = new WeakSet<FreshBackup>();

function announce(gate: FreshBackup, args: RequireFreshBackupOutputArgs): void {
  // A provider's own output reaches the engine only as an info line on the stack; a log on the
  // gate from the program is a warning, counted and shown under the gate in preview and up.
  gate.override.apply((record) => {
    if (record) void pulumi.log.warn(overrideWarning(record, "requireFreshBackup", GATE_OVERRIDES_KEY), gate);
  });
  if (pulumi.runtime.isDryRun()) {
    void isKnown(pulumi.output(args)).then((known) => {
      if (!known) {
        void pulumi.log.warn(
          "requireFreshBackup: the instance id (or another argument) is not known yet, so this preview cannot judge " +
            "the backup; the gate will be judged during the update, before anything that depends on it " +
            "(dependsOn) is created or changed. Resources that do not depend on it are not held back.",
          gate,
        );
      }
    });
  }
}

/**
 * Whether an output's value is known in this run. `isKnown` is on every Output (output.js) but
 * not in the published types; without it we say nothing rather than guess.
 */
function isKnown(output: pulumi.Output<unknown>): Promise<boolean> {
  const field = (output as unknown as { isKnown?: Promise<boolean> }).isKnown;
  return field instanceof Promise ? field : Promise.resolve(true);
}
