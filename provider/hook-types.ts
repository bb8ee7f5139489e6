/**
 * The resource-hook types this package's declarations name, derived from the installed
 * `@pulumi/pulumi` instead of imported by name. The peer range starts before hooks existed
 * (3.141.0); a program on such a release must still compile, and then gets the run-time error of
 * ./hook-support.ts naming the version hooks need, not a type error inside this package.
 */
import type * as pulumi from "@pulumi/pulumi";

/** What the `hooks` resource option takes (`pulumi.ResourceHookBinding`); `never` on an SDK without hooks. */
export type HookBinding = pulumi.ResourceOptions extends { hooks?: infer B } ? NonNullable<B> : never;

/** A named hook (`pulumi.ResourceHook`), the only kind a delete hook takes; `never` on an SDK without hooks. */
export type NamedHook = HookBinding extends { beforeDelete?: (infer H)[] } ? H : never;

/** What the engine passes a hook: the fields of `pulumi.ResourceHookArgs` this package reads. */
export interface HookArgs {
  readonly urn: string;
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly newInputs?: Record<string, unknown>;
  readonly oldInputs?: Record<string, unknown>;
  readonly oldOutputs?: Record<string, unknown>;
}
