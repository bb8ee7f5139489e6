/**
 * Resource hooks need `@pulumi/pulumi` and the Pulumi CLI at 3.182.0 or later, and hooks set by a
 * stack transform need 3.183.0 (before that a transform's hooks are dropped), while this package
 * works with `@pulumi/pulumi` from 3.141. An older SDK or CLI must get an error naming the
 * version it needs, never a hook that silently does nothing.
 *
 * The SDK is judged here, in the program, before any hook is made: its version (the copy the
 * program loads, this package's peer) and whether it has `ResourceHook` at all. The CLI is asked
 * through the engine (`requirePulumiVersion`, an RPC of the CLI); a CLI too old to answer that
 * RPC is older than hooks anyway.
 */
import * as pulumi from "@pulumi/pulumi";

/** Resource hooks (`hooks` option, `ResourceHook`), in the SDK and the CLI. */
export const HOOKS_MIN_VERSION = "3.182.0";
/** Hooks set by a stack transform (`registerResourceTransform`). */
export const TRANSFORM_HOOKS_MIN_VERSION = "3.183.0";

/** What to tell the user when the SDK cannot make the hooks; undefined when it can. */
export function sdkSupportProblem(
  sdkVersion: string | undefined,
  hasResourceHook: boolean,
  minimum: string,
): string | undefined {
  const have = sdkVersion ?? "an unknown version";
  if (!hasResourceHook || sdkVersion === undefined || compareVersions(sdkVersion, minimum) < 0) {
    return (
      `backups before changes need @pulumi/pulumi ${minimum} or later (resource hooks), and this program loads ${have}: ` +
      `npm install @pulumi/pulumi@^${minimum}, and use the Pulumi CLI ${minimum} or later`
    );
  }
  return undefined;
}

/** Throws a Pulumi RunError (no stack trace) when the program's SDK is too old. */
export function requireHookSdk(minimum: string): void {
  const problem = sdkSupportProblem(loadedSdkVersion(), typeof pulumi.ResourceHook === "function", minimum);
  if (problem !== undefined) throw new pulumi.RunError(problem);
}

/**
 * Rejects with an error naming the version when the CLI running the program is older than
 * `minimum`. `requireVersion` is the engine's check (a range such as `>=3.182.0`), given only by tests.
 */
export async function requireHookCli(
  minimum: string,
  requireVersion: (range: string) => Promise<void> = (range) => pulumi.runtime.requirePulumiVersion(range),
): Promise<void> {
  try {
    await requireVersion(`>=${minimum}`);
  } catch (err) {
    throw new pulumi.RunError(
      `backups before changes need the Pulumi CLI ${minimum} or later (resource hooks; an older CLI would never run them): ` +
        `${(err as Error).message}. Upgrade the CLI`,
    );
  }
}

/** The version of the `@pulumi/pulumi` this module was loaded with (the program's copy). */
function loadedSdkVersion(): string | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- read at run time: the program's copy, not ours
    const version: unknown = require("@pulumi/pulumi/package.json").version;
    return typeof version === "string" ? version : undefined;
  } catch {
    return undefined;
  }
}

/** Numeric comparison of `major.minor.patch` (a pre-release suffix counts as its release). */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string) =>
    v
      .replace(/^v/, "")
      .split(/[-+]/)[0]!
      .split(".")
      .map((n) => Number(n) || 0);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
