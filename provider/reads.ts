/**
 * Registers a read (a dynamic resource constructed with `opts.id`), which the engine runs during
 * `pulumi preview` as well as `pulumi up`, so real values show in preview.
 *
 * Names: two resources of one type and name are a duplicate-URN error, so a read's name is
 * derived from its arguments. Calls with equal, known arguments in one program share one read
 * (one API call); arguments that are still outputs get a name of their own.
 */
import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";

export interface ReadRegistration<R> {
  /** `backups` or `fresh-backup`: the first part of the name. */
  readonly kind: string;
  readonly args: Record<string, unknown>;
  /** Throws on bad arguments (called now when they are known, else once they resolve). */
  readonly validate: (plainArgs: Record<string, unknown>) => void;
  readonly construct: (name: string, args: pulumi.Inputs, opts: pulumi.CustomResourceOptions) => R;
  readonly secretOutputs?: readonly string[];
  readonly opts?: { parent?: pulumi.Resource; dependsOn?: pulumi.Input<pulumi.Input<pulumi.Resource>[]> | pulumi.Input<pulumi.Resource> };
}

const registered = new Map<string, unknown>();
let unnamedReads = 0;

export function registerRead<R>(reg: ReadRegistration<R>): R {
  const args = Object.fromEntries(Object.entries(reg.args).filter(([, v]) => v !== undefined));
  const known = Object.values(args).every(isPlain);
  const shareable = known && reg.opts === undefined;
  const key = known ? `${reg.kind}:${stableJson(args)}` : undefined;
  if (shareable && key !== undefined && registered.has(key)) return registered.get(key) as R;

  if (known) {
    reg.validate(args);
  } else {
    // Fails the program (and the preview) with the same message once the values are known.
    pulumi.output(args).apply((plain) => {
      reg.validate(plain as Record<string, unknown>);
      return undefined;
    });
  }
  const instance = typeof args.dbInstanceId === "string" ? args.dbInstanceId : "instance";
  const suffix = key !== undefined ? createHash("sha256").update(key).digest("hex").slice(0, 8) : `${++unnamedReads}`;
  const resource = reg.construct(`${reg.kind}-${instance}-${suffix}`, args as pulumi.Inputs, {
    id: args.dbInstanceId as pulumi.Input<string>,
    parent: reg.opts?.parent,
    dependsOn: reg.opts?.dependsOn,
    additionalSecretOutputs: reg.secretOutputs ? [...reg.secretOutputs] : undefined,
  });
  if (shareable && key !== undefined) registered.set(key, resource);
  return resource;
}

function isPlain(value: unknown): boolean {
  return !pulumi.Output.isInstance(value) && !(value instanceof Promise);
}

/** JSON with sorted keys: equal arguments give equal text whatever their order. */
function stableJson(value: Record<string, unknown>): string {
  return JSON.stringify(Object.keys(value).sort().map((k) => [k, value[k]]));
}
