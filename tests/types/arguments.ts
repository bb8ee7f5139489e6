/**
 * A type test: it only has to compile (`npm run typecheck`). The argument types users write
 * (the sdk's queries, the Pulumi functions' args) are interfaces with their own doc comments;
 * this holds each against the argument table it is checked by (sdk/arguments.ts,
 * provider/args.ts): the same keys, which are required, and each value's type. Adding an
 * argument to one and not the other fails the build.
 */
import type * as pulumi from "@pulumi/pulumi";
import {
  ENSURE_FRESH_BACKUP_ARGUMENTS,
  GET_BACKUPS_ARGUMENTS,
  REQUIRE_FRESH_BACKUP_ARGUMENTS,
} from "../../provider/args";
import type * as rds from "../../provider";
import { ENSURE_ARGUMENTS, FRESH_BACKUP_ARGUMENTS, QUERY_ARGUMENTS, type ArgumentDecl } from "../../sdk/arguments";
import type { BackupQuery, EnsureBackupQuery, FreshBackupQuery, TimeInput } from "../../sdk";

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** A declared value's TypeScript type; `Time` is how the surface takes a moment (a string in Pulumi). */
type ValueOf<D extends ArgumentDecl, Time> = D["rule"] extends { kind: "oneOf"; values: readonly (infer V)[] }
  ? V
  : D["type"] extends "duration"
    ? string | number
    : D["type"] extends "time"
      ? Time
      : D["type"] extends "boolean"
        ? boolean
        : D["type"] extends "integer"
          ? number
          : string;

/** The args a list declares: required ones required, each with its value type. */
type Declared<L extends readonly ArgumentDecl[], Time> = {
  readonly [D in L[number] as D extends { required: true } ? D["name"] : never]: ValueOf<D, Time>;
} & { readonly [D in L[number] as D extends { required: true } ? never : D["name"]]?: ValueOf<D, Time> };

/** True when `T` has exactly the declared keys, the same ones required, and each value the declared type. */
type Matches<T, L extends readonly ArgumentDecl[], Time> = SameKeys<T, Declared<L, Time>> &
  Same<{ [K in keyof T]: T[K] }, { [K in keyof Declared<L, Time>]: Declared<L, Time>[K] }>;

/** The Output form: the same keys, each an Input of the plain type (includeDownloadUrls stays plain). */
type InputsOf<T> = {
  readonly [K in keyof T]: K extends "includeDownloadUrls"
    ? T[K]
    : pulumi.Input<Exclude<T[K], undefined>> | Extract<T[K], undefined>;
};
type SameKeys<A, B> = Same<keyof A, keyof B> & Same<RequiredKeys<A>, RequiredKeys<B>>;
type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];

export const sdkQuery: Matches<BackupQuery, typeof QUERY_ARGUMENTS, TimeInput> = true;
export const sdkFreshQuery: Matches<FreshBackupQuery, typeof FRESH_BACKUP_ARGUMENTS, TimeInput> = true;
export const sdkEnsureQuery: Matches<EnsureBackupQuery, typeof ENSURE_ARGUMENTS, TimeInput> = true;

export const getBackupsArgs: Matches<rds.GetBackupsArgs, typeof GET_BACKUPS_ARGUMENTS, string> = true;
export const requireFreshBackupArgs: Matches<
  rds.RequireFreshBackupArgs,
  typeof REQUIRE_FRESH_BACKUP_ARGUMENTS,
  string
> = true;
export const ensureFreshBackupArgs: Matches<rds.EnsureFreshBackupArgs, typeof ENSURE_FRESH_BACKUP_ARGUMENTS, string> =
  true;

export const getBackupsOutputArgs: SameKeys<rds.GetBackupsOutputArgs, InputsOf<rds.GetBackupsArgs>> = true;
export const requireFreshBackupOutputArgs: SameKeys<
  rds.RequireFreshBackupOutputArgs,
  InputsOf<rds.RequireFreshBackupArgs>
> = true;
export const ensureFreshBackupOutputArgs: SameKeys<
  rds.EnsureFreshBackupOutputArgs,
  InputsOf<rds.EnsureFreshBackupArgs>
> = true;

// getRecoverability (its own imports here, so this section merges as an append).
import { GET_RECOVERABILITY_ARGUMENTS } from "../../provider/args";
export const getRecoverabilityArgs: Matches<rds.GetRecoverabilityArgs, typeof GET_RECOVERABILITY_ARGUMENTS, string> =
  true;
export const getRecoverabilityOutputArgs: SameKeys<
  rds.GetRecoverabilityOutputArgs,
  InputsOf<rds.GetRecoverabilityArgs>
> = true;
