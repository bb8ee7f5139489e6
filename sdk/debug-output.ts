/**
 * No credential, token or signature in any debug output. Two debug switches would print them:
 * - `DEBUG=*` (the `debug` package): the SDK's HTTP layer, httpx, logs every request header
 *   (`Authorization` with the signature, `x-acs-security-token`) under `httpx:header` and bodies
 *   under `httpx:body`; @alicloud/credentials logs strings to sign under `sign`. Those namespaces
 *   are switched off when the SDK loads (every other namespace keeps working), with one warning.
 * - `NODE_DEBUG=http` (or https, net, tls, http2): Node's own logging prints each request's
 *   options, headers included. It is fixed when the process starts and cannot be filtered from
 *   inside, so a call refuses to run while it is set, saying how to fix it.
 */
import * as path from "node:path";
import { debuglog } from "node:util";
import { RdsValidationError } from "./errors";

/** Node debug sections that print a request's headers. */
const LEAKY_NODE_DEBUG_SECTIONS = ["http", "https", "http2", "net", "tls"] as const;
/** `debug` namespaces of the SDK's dependencies that print headers, bodies or strings to sign. */
const LEAKY_DEBUG_NAMESPACES = ["httpx:header", "httpx:body", "sign"] as const;
/** The packages whose copy of `debug` prints them. */
const PACKAGES_USING_DEBUG = ["httpx", "@alicloud/credentials"];

/** Throws before any request when NODE_DEBUG would print the request's credentials. */
export function refuseLeakyNodeDebug(env: NodeJS.ProcessEnv = process.env): void {
  const on = LEAKY_NODE_DEBUG_SECTIONS.filter((s) => debuglog(s).enabled);
  if (on.length === 0) return;
  const shown = (env["NODE_DEBUG"] ?? "").slice(0, 100);
  throw new RdsValidationError([
    {
      field: "NODE_DEBUG",
      value: shown,
      allowed: `a value that enables none of ${LEAKY_NODE_DEBUG_SECTIONS.join(", ")}`,
      reason:
        `NODE_DEBUG ${JSON.stringify(shown)} makes Node print every request's headers (${on.join(", ")}), which carry the ` +
        `request signature and the STS token: no request was sent. Unset NODE_DEBUG or leave ${LEAKY_NODE_DEBUG_SECTIONS.join(", ")} ` +
        `out of it (DEBUG=* is safe: the SDK's HTTP logging is filtered)`,
    },
  ]);
}

interface DebugModule {
  enabled(namespace: string): boolean;
  enable(namespaces: string): void;
  disable(): string;
}

let silenced = false;

/** Switches off the leaky namespaces in every copy of `debug` the SDK uses (after it has loaded). */
export function silenceSdkDebug(): void {
  if (silenced) return;
  silenced = true;
  const copies = new Set<string>();
  for (const pkg of PACKAGES_USING_DEBUG) {
    try {
      copies.add(require.resolve("debug", { paths: [path.dirname(require.resolve(`${pkg}/package.json`))] }));
    } catch {
      // that package (or its debug) is not installed: nothing of it to silence
    }
  }
  let wasOn: string[] = [];
  for (const file of copies) {
    const debug = require(file) as DebugModule; // eslint-disable-line @typescript-eslint/no-require-imports -- by resolved path
    wasOn = wasOn.concat(LEAKY_DEBUG_NAMESPACES.filter((ns) => debug.enabled(ns)));
    if (wasOn.length === 0) continue;
    const previous = debug.disable();
    debug.enable([previous, ...LEAKY_DEBUG_NAMESPACES.map((ns) => `-${ns}`)].filter((s) => s !== "").join(","));
  }
  if (wasOn.length > 0) {
    process.emitWarning(
      `debug output of ${[...new Set(wasOn)].join(", ")} is switched off: it prints request signatures and STS tokens`,
      {
        code: "RDS_BACKUPS_DEBUG_FILTERED",
      },
    );
  }
}
