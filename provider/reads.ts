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
import { RdsValidationError, stableJson, withoutUndefined } from "../sdk/internal";

interface ReadRegistration<R> {
  /** `backups` or `fresh-backup`: the first part of the name. */
  readonly kind: string;
  readonly args: Record<string, unknown>;
  /** Throws on bad arguments (called now when they are known, else once they resolve). */
  readonly validate: (plainArgs: Record<string, unknown>) => void;
  readonly construct: (name: string, args: pulumi.Inputs, opts: pulumi.CustomResourceOptions) => R;
  readonly secretOutputs?: readonly string[];
  readonly opts?: {
    parent?: pulumi.Resource;
    dependsOn?: pulumi.Input<pulumi.Input<pulumi.Resource>[]> | pulumi.Input<pulumi.Resource>;
  };
}

const registered = new Map<string, unknown>();
let unnamedReads = 0;

export function registerRead<R>(reg: ReadRegistration<R>): R {
  const args = withoutUndefined(reg.args);
  const known = Object.values(args).every(isPlain);
  const shareable = known && reg.opts === undefined;
  const key = known ? `${reg.kind}:${stableJson(args)}` : undefined;
  if (shareable && key !== undefined && registered.has(key)) return registered.get(key) as R;

  const validate = (plain: Record<string, unknown>): void => {
    try {
      reg.validate(plain);
    } catch (err) {
      throw asRunError(err);
    }
  };
  if (known) {
    validate(args);
  } else {
    // Fails the program (and the preview) with the same message once the values are known.
    pulumi.output(args).apply((plain) => {
      validate(plain as Record<string, unknown>);
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

/**
 * Bad arguments are the user's to fix, not a crash of the program. Pulumi's program host prints
 * an unhandled error with its stack trace, coloured (escape codes even in a pipe), unless it is
 * a `pulumi.RunError`, whose message alone it prints, once. Pulumi recognises a RunError by a
 * brand (`RunError.isInstance`), not by class, so that every copy of @pulumi/pulumi agrees; the
 * brand goes on our error, which stays an RdsValidationError for code that catches it.
 */
export function asRunError(err: unknown): unknown {
  if (err instanceof RdsValidationError && !pulumi.RunError.isInstance(err)) {
    Object.defineProperty(err, "__pulumiRunError", { value: true });
  }
  return err;
}

function isPlain(value: unknown): boolean {
  return !pulumi.Output.isInstance(value) && !(value instanceof Promise);
}

/**
 * A data source's Promise form (`getX`), from its Output form (`getXOutput`): the same read,
 * resolved. A Promise cannot carry secrecy, so it refuses `includeDownloadUrls`: the Output form
 * keeps the links secret.
 */
export function promiseForm<R>(
  name: string,
  args: { readonly includeDownloadUrls?: boolean } | undefined,
  output: () => pulumi.Output<R>,
): Promise<R> {
  if (args?.includeDownloadUrls) {
    return Promise.reject(
      new RdsValidationError([
        {
          field: "includeDownloadUrls",
          value: true,
          allowed: `false with ${name}; use ${name}Output, which keeps the links secret`,
          reason:
            `includeDownloadUrls true is not allowed with ${name}: a Promise cannot keep pre-signed links secret; ` +
            `use ${name}Output, whose result is then a secret output`,
        },
      ]),
    );
  }
  try {
    const result = output();
    return new Promise((resolve) => result.apply((value) => resolve(value)));
  } catch (err) {
    return Promise.reject(err);
  }
}

/** An invoke's options as a read's resource options: only `parent` and `dependsOn` mean anything to a read. */
export function invokeOptionsToResource(opts: pulumi.InvokeOptions | pulumi.InvokeOutputOptions | undefined) {
  if (opts === undefined) return undefined;
  const dependsOn = "dependsOn" in opts ? opts.dependsOn : undefined;
  if (opts.parent === undefined && dependsOn === undefined) return undefined;
  return { parent: opts.parent, dependsOn };
}
