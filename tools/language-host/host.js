#!/usr/bin/env node
// @ts-check
/*
 * pulumi-language-nodejs: this project's own Node.js language host for the Pulumi CLI.
 *
 * Why it exists: Pulumi's language host is a Go program (module
 * github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3) and the Go module proxy
 * reachable from our machines answers 403 for every version of it, so it cannot be built
 * offline. The host's job is small, and the part that matters (running the program) is done
 * by @pulumi/pulumi itself: `node @pulumi/pulumi/cmd/run <flags> <program>`. This file only
 * speaks the LanguageRuntime gRPC protocol (protos from @pulumi/pulumi/proto) and starts that
 * process with the flags and environment Pulumi's own host gives it.
 *
 * Protocol (what the CLI does with a language plugin):
 *   1. starts `pulumi-language-nodejs [flags] <engine address>` in the project directory;
 *   2. reads the gRPC port from the first line of our stdout;
 *   3. calls Handshake, GetPluginInfo, GetRequiredPackages (or GetRequiredPlugins), Run, and for
 *      some commands About; everything else answers UNIMPLEMENTED (grpc-js does that for methods
 *      we do not define), which the CLI treats as "not supported".
 *   4. kills us when done. If it dies without doing so, we notice (parent pid changes) and exit.
 *
 * Plain CommonJS with JSDoc types (`npx tsc -p tools/language-host` type-checks it) so it runs
 * straight from the checkout, with no build step to forget.
 */
"use strict";

const { spawn } = require("child_process");
const fs = require("fs");
const path = require("path");

// The gRPC runtime and generated protos come from the installed @pulumi/pulumi, the same copies
// the SDK in the program uses, so both sides agree on the protocol version.
const pulumiPkgDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
/** @type {typeof import("@grpc/grpc-js")} */
const grpc = require(require.resolve("@grpc/grpc-js", { paths: [pulumiPkgDir] }));
const langrpc = require("@pulumi/pulumi/proto/language_grpc_pb");
const langproto = require("@pulumi/pulumi/proto/language_pb");
const plugproto = require("@pulumi/pulumi/proto/plugin_pb");
/** @type {typeof import("google-protobuf/google/protobuf/empty_pb")} */
const emptyproto = require(require.resolve("google-protobuf/google/protobuf/empty_pb", { paths: [pulumiPkgDir] }));

/** The SDK's "I already printed an actionable error" exit code (cmd/run): the CLI must just bail. */
const EXIT_BAIL = 32;

/** We report the version of the SDK we were set up with (the CLI only logs it). */
const VERSION = JSON.parse(fs.readFileSync(path.join(pulumiPkgDir, "package.json"), "utf8")).version;

// Flags the CLI may pass before the engine address (`-tracing`, `-runtime`, `-version`, also in
// `--x=y` forms). We accept and mostly ignore them; the first positional argument is the engine.
let engineAddress = "";
let tracing = "";
{
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const m = /^--?([a-z-]+)(?:=(.*))?$/.exec(a);
    if (!m) {
      if (!engineAddress) engineAddress = a;
      continue;
    }
    const [, name, inline] = m;
    if (name === "version") {
      process.stdout.write(`v${VERSION}\n`);
      process.exit(0);
    }
    const value = inline !== undefined ? inline : argv[++i];
    if (name === "tracing") tracing = value || "";
    else if (name === "runtime" && value !== "nodejs") {
      process.stderr.write(`pulumi-language-nodejs: unsupported runtime '${value}' (this host runs nodejs only)\n`);
      process.exit(1);
    }
  }
}

/** Child processes of running programs, so Cancel and our own exit can stop them. */
const children = new Set();

/**
 * Runs `node <@pulumi/pulumi/cmd/run> ...` the way Pulumi's Go host does and resolves with the
 * RunResponse to send back. Program stdout/stderr go straight to ours: the CLI relays a plugin's
 * output into its own display.
 *
 * @param {import("@pulumi/pulumi/proto/language_pb").RunRequest} req
 * @param {import("@grpc/grpc-js").ServerUnaryCall<any, any>} call
 * @returns {Promise<import("@pulumi/pulumi/proto/language_pb").RunResponse>}
 */
function runProgram(req, call) {
  const resp = new langproto.RunResponse();
  const info = req.getInfo();
  const programDir = info?.getProgramDirectory() || req.getPwd();
  const entryPoint = info?.getEntryPoint() || req.getProgram() || ".";
  /** @type {Record<string, unknown>} */
  const options = info?.getOptions()?.toJavaScript() ?? {};

  // Pulumi resolves cmd/run from the program's own node_modules first, so the program runs with
  // the SDK it depends on. PULUMI_LANGUAGE_NODEJS_RUN_PATH overrides it, as in Pulumi's host.
  let runPath;
  try {
    runPath = require.resolve(process.env.PULUMI_LANGUAGE_NODEJS_RUN_PATH || "@pulumi/pulumi/cmd/run", {
      paths: [programDir, pulumiPkgDir],
    });
  } catch (err) {
    resp.setError(`could not find @pulumi/pulumi/cmd/run from ${programDir}: is @pulumi/pulumi installed? (${err})`);
    return Promise.resolve(resp);
  }

  /** @type {string[]} */
  const args = [];
  /** @param {string} name @param {string | number | undefined} value */
  const flag = (name, value) => {
    if (value !== undefined && value !== "") args.push(`--${name}`, String(value));
  };
  // We hand the engine's monitor address straight to the program (Pulumi's host interposes a
  // forwarding proxy and "sync invoke" pipes; the SDK works without both: invokes go over gRPC).
  flag("monitor", req.getMonitorAddress());
  flag("engine", engineAddress);
  flag("organization", req.getOrganization());
  flag("project", req.getProject());
  flag("root-directory", info?.getRootDirectory());
  flag("stack", req.getStack());
  flag("pwd", programDir);
  if (req.getDryrun()) args.push("--dry-run");
  flag("parallel", req.getParallel());
  flag("tracing", tracing);
  args.push(entryPoint, ...req.getArgsList());

  // Config travels in the environment. Keys are rewritten from "ns:key" to the older
  // "ns:config:key" form, as Pulumi's host does (the SDK reads both); secret keys stay as given.
  /** @type {Record<string, string>} */
  const config = {};
  for (const [key, value] of req.getConfigMap().entries()) {
    const i = key.indexOf(":");
    config[i < 0 ? key : `${key.slice(0, i)}:config:${key.slice(i + 1)}`] = value;
  }
  /** @type {NodeJS.ProcessEnv} */
  const env = {
    ...process.env,
    PULUMI_CONFIG: JSON.stringify(config),
    PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(req.getConfigsecretkeysList()),
  };
  // Runtime options from Pulumi.yaml (`runtime.options`). TypeScript is on unless turned off:
  // cmd/run then registers ts-node itself (the program's, else the one @pulumi/pulumi finds).
  if (options.typescript !== false) env.PULUMI_NODEJS_TYPESCRIPT = "true";
  if (typeof options.tsconfig === "string" && options.tsconfig) env.PULUMI_NODEJS_TSCONFIG_PATH = options.tsconfig;
  const nodeArgs = typeof options.nodeargs === "string" ? options.nodeargs.split(/\s+/).filter(Boolean) : [];

  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...nodeArgs, runPath, ...args], {
      cwd: programDir,
      env,
      stdio: ["ignore", "inherit", "inherit"],
    });
    children.add(child);
    // The CLI cancelled the call (Ctrl-C, or it is going away): interrupt the program.
    const onCancel = () => stop(child);
    call.on("cancelled", onCancel);

    let settled = false;
    /** @param {string} [error] @param {boolean} [bail] */
    const finish = (error, bail) => {
      if (settled) return;
      settled = true;
      children.delete(child);
      call.removeListener("cancelled", onCancel);
      if (error) resp.setError(error);
      if (bail) resp.setBail(true);
      resolve(resp);
    };
    child.on("error", (err) => finish(`Problem executing program (could not run language executor): ${err.message}`));
    child.on("exit", (code, signal) => {
      if (code === 0) finish();
      else if (code === EXIT_BAIL) finish(undefined, true);
      else if (code !== null) finish(`Program exited with non-zero exit code: ${code}`);
      else finish(`Program exited on signal ${signal}`);
    });
  });
}

/** Interrupts a program, and kills it if it is still there 5 s later. */
function stop(/** @type {import("child_process").ChildProcess} */ child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGINT");
  setTimeout(() => child.exitCode === null && child.signalCode === null && child.kill("SIGKILL"), 5000).unref();
}

/** @type {Partial<import("@pulumi/pulumi/proto/language_grpc_pb").ILanguageRuntimeServer>} */
const service = {
  handshake(call, callback) {
    // Newer CLIs send the engine address here (and may start us without one on the command line).
    engineAddress = call.request.getEngineAddress() || engineAddress;
    callback(null, new langproto.LanguageHandshakeResponse());
  },

  getPluginInfo(_call, callback) {
    const pinfo = new plugproto.PluginInfo();
    pinfo.setVersion(VERSION);
    callback(null, pinfo);
  },

  // Which resource plugins the program needs. Pulumi's host scans node_modules for packages
  // marked `"pulumi": {"resource": true}` so the CLI can install their plugins. This project
  // uses dynamic providers only: their plugin (pulumi-nodejs) is loaded on demand and never
  // listed, and nothing may be downloaded here anyway. So: none.
  getRequiredPackages(_call, callback) {
    callback(null, new langproto.GetRequiredPackagesResponse());
  },
  getRequiredPlugins(_call, callback) {
    callback(null, new langproto.GetRequiredPluginsResponse());
  },

  run(call, callback) {
    runProgram(call.request, call).then(
      (resp) => callback(null, resp),
      (err) => callback({ code: grpc.status.INTERNAL, details: String(err?.stack || err) }),
    );
  },

  // `pulumi about` and update metadata: what runs the program.
  about(_call, callback) {
    const resp = new langproto.AboutResponse();
    resp.setExecutable(process.execPath);
    resp.setVersion(process.version);
    resp.getMetadataMap().set("languageHost", "rds-backups tools/language-host (not Pulumi's Go host)");
    callback(null, resp);
  },

  // `pulumi about` lists the program's dependencies: the direct ones from its package.json,
  // with the installed versions where they resolve. Best effort; none if there is no package.json.
  getProgramDependencies(call, callback) {
    const resp = new langproto.GetProgramDependenciesResponse();
    const dir = call.request.getInfo()?.getProgramDirectory() || call.request.getPwd();
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
      for (const name of Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })) {
        const dep = new langproto.DependencyInfo();
        dep.setName(name);
        try {
          const file = require.resolve(`${name}/package.json`, { paths: [dir] });
          dep.setVersion(JSON.parse(fs.readFileSync(file, "utf8")).version);
        } catch {
          dep.setVersion("(not installed)");
        }
        resp.addDependencies(dep);
      }
    } catch {
      // no package.json: no dependencies to report
    }
    callback(null, resp);
  },

  cancel(_call, callback) {
    for (const child of children) stop(child);
    callback(null, new emptyproto.Empty());
  },
};

function main() {
  const server = new grpc.Server({
    // Large configs/stack outputs: allow big messages, like Pulumi's own plugins do.
    "grpc.max_receive_message_length": 400 * 1024 * 1024,
    "grpc.max_send_message_length": 400 * 1024 * 1024,
  });
  server.addService(langrpc.LanguageRuntimeService, /** @type {any} */ (service));
  server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) => {
    if (err) {
      process.stderr.write(`pulumi-language-nodejs: could not start the gRPC server: ${err.message}\n`);
      process.exit(1);
    }
    // The CLI reads exactly this line to find us.
    process.stdout.write(`${port}\n`);
  });

  const shutdown = () => {
    for (const child of children) stop(child);
    server.forceShutdown();
    // Give an interrupted program a moment to exit, then go.
    setTimeout(() => process.exit(0), children.size ? 1000 : 0).unref();
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);

  // If the CLI dies without stopping us, our parent changes: do not linger as an orphan.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) shutdown();
  }, 2000).unref();
}

main();
