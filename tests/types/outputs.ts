/**
 * A type test: it only has to compile (`npm run typecheck`). Each dynamic resource class
 * (provider/dynamic.ts) declares, with its doc comments, exactly the outputs its resource's
 * declaration lists (provider/outputs.ts), in the state's key, plus the instance id it echoes.
 * The provider core's return types are derived from the same lists, and schema.json's outputs
 * are generated from them (tests/plugin/schema.test.ts): a key added in one place only fails.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { BackupsRead, EnsuredBackup, FreshBackup } from "../../provider/dynamic";
import type { BACKUPS_OUTPUTS, ENSURE_OUTPUTS, GATE_OUTPUTS, OutputDecl } from "../../provider/outputs";

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** The fields a class declares beyond Pulumi's own resource fields. */
type Declared<C> = Exclude<keyof C, keyof pulumi.CustomResource>;
/** The keys a list's outputs have in a dynamic resource's state. */
type StateKeys<L extends readonly OutputDecl[]> = {
  [I in keyof L]: L[I] extends { dynamicKey: infer K extends string } ? K : L[I] extends { name: infer N } ? N : never;
}[number];

export const backupsReadOutputs: Same<Declared<BackupsRead>, StateKeys<typeof BACKUPS_OUTPUTS> | "dbInstanceId"> = true;
export const freshBackupOutputs: Same<Declared<FreshBackup>, StateKeys<typeof GATE_OUTPUTS> | "dbInstanceId"> = true;
export const ensuredBackupOutputs: Same<
  Declared<EnsuredBackup>,
  StateKeys<typeof ENSURE_OUTPUTS> | "dbInstanceId"
> = true;

// getRecoverability's read (its own imports here, so this section merges as an append).
import type { RecoverabilityRead } from "../../provider/dynamic";
import type { RECOVERABILITY_OUTPUTS } from "../../provider/outputs";
export const recoverabilityReadOutputs: Same<
  Declared<RecoverabilityRead>,
  StateKeys<typeof RECOVERABILITY_OUTPUTS> | "dbInstanceId"
> = true;
