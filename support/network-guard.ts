/**
 * A guard that lets this process talk to loopback only (127.0.0.0/8, ::1, localhost, Unix
 * sockets): every other TCP connection or DNS lookup fails at once, before a packet leaves, and
 * is recorded. The tests install it through their mocha setup; the demo, CI and any child
 * process get it with `NODE_OPTIONS="--require ./dist/support/network-guard.js"` (compiled by
 * `npm run build`). Nothing in the package needs the network beyond the emulator, so a refused
 * connection is always a bug: a default credential source, a mistyped endpoint.
 */
// `import =` binds the module object itself (not a copy), so that the patch is seen by every user.
import dns = require("node:dns");
import net = require("node:net");

/** Connections and lookups refused so far in this process, as "host:port" or "lookup host". */
export const refusedConnections: string[] = [];

const LOOPBACK_NAMES = new Set(["localhost", "localhost.", "ip6-localhost"]);

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (LOOPBACK_NAMES.has(h)) return true;
  if (net.isIPv4(h)) return h.startsWith("127.");
  if (net.isIPv6(h)) return h === "::1" || /^::ffff:127\./.test(h);
  return false;
}

function refusal(what: string): NodeJS.ErrnoException {
  refusedConnections.push(what);
  process.stderr.write(`network guard: refused ${what} (only loopback is allowed in tests, the demo and CI)\n`);
  return Object.assign(new Error(`network guard: refused ${what}: only 127.0.0.1, ::1 and localhost are allowed`), {
    code: "ENETUNREACH",
  });
}

/** Where net.Socket#connect was asked to go: (options), (port, host) or (path). */
function targetOf(args: unknown[]): { host: string; port: string } | undefined {
  let first = args[0];
  if (Array.isArray(first)) first = first[0]; // the normalized form http and net use internally
  if (typeof first === "object" && first !== null) {
    const o = first as { path?: unknown; host?: unknown; port?: unknown };
    if (typeof o.path === "string") return undefined; // a Unix socket or pipe: local by nature
    return { host: typeof o.host === "string" ? o.host : "localhost", port: String(o.port) };
  }
  if (typeof first === "string" && !/^\d+$/.test(first)) return undefined; // a path
  return { host: typeof args[1] === "string" ? args[1] : "localhost", port: String(first) };
}

/**
 * npm itself (npm ci, the packaging test's npm install) fetches packages from its registry by
 * design: that is the package manager's traffic, not this project's, so it runs unguarded. The
 * node processes it starts (npm run demo, npm test) are guarded again.
 */
export function isPackageManager(script: string | undefined = process.argv[1]): boolean {
  return /[\\/](npm-cli|npx-cli)\.js$|[\\/]np[mx]$/.test(script ?? "");
}

let installed = false;

function installNetworkGuard(): void {
  if (installed) return;
  installed = true;
  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
    const target = targetOf(args);
    if (target && !isLoopback(target.host)) {
      const err = refusal(`connection to ${target.host}:${target.port}`);
      process.nextTick(() => this.destroy(err));
      return this;
    }
    return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof connect;

  const lookup = dns.lookup;
  const guardedLookup = function (hostname: string, ...rest: unknown[]) {
    const callback = rest[rest.length - 1] as (err: NodeJS.ErrnoException | null) => void;
    if (typeof hostname === "string" && !isLoopback(hostname) && net.isIP(hostname) === 0) {
      const err = refusal(`lookup of ${JSON.stringify(hostname.slice(0, 100))}`);
      process.nextTick(() => callback(err));
      return {};
    }
    return (lookup as (...a: unknown[]) => unknown)(hostname, ...rest);
  };
  (dns as { lookup: unknown }).lookup = guardedLookup;
  const promiseLookup = dns.promises.lookup;
  (dns.promises as { lookup: unknown }).lookup = (hostname: string, ...rest: unknown[]) => {
    if (typeof hostname === "string" && !isLoopback(hostname) && net.isIP(hostname) === 0) {
      return Promise.reject(refusal(`lookup of ${JSON.stringify(hostname.slice(0, 100))}`));
    }
    return (promiseLookup as (...a: unknown[]) => Promise<unknown>)(hostname, ...rest);
  };
}

if (!isPackageManager()) installNetworkGuard();
