#!/usr/bin/env node
// @ts-check
/*
 * A stand-in for the `alicloud` resource plugin, for tests and the demo only.
 *
 * Why: a program written with the real `@pulumi/alicloud` SDK makes the engine ask for the
 * resource plugin `pulumi-resource-alicloud` at the SDK's version, a download that cannot happen
 * here. This plugin answers for the RDS types whose change can lose data, with no cloud behind
 * it: it keeps its own state (a JSON file) and gives instances the ids of emulator instances, so
 * the backups of a resource's instance are real (the emulator's) while the resource itself is
 * not. Any other type is refused by name.
 *
 * Served with `@pulumi/pulumi/provider` (Check, Diff, Create, Read, Update, Delete). Settings,
 * from the environment (the CLI passes its own to plugins):
 *   ALICLOUD_STANDIN_STATE         the JSON file of its state and its operation log (required);
 *   ALICLOUD_STANDIN_INSTANCE_IDS  JSON {"<instanceName>": "<DBInstanceId>"}: the id an
 *                                  Instance or ReadOnlyInstance of that name gets when created.
 *                                  Without an entry (or when that id is taken) an id is derived
 *                                  from the resource's URN.
 * The state file's `operations` list what the engine asked, in order, with the time (ISO, ms),
 * so a test can check what ran before what. Secret values are never written to it.
 */
"use strict";

const { createHash } = require("crypto");
const fs = require("fs");
const path = require("path");

const pulumiProvider = require("@pulumi/pulumi/provider");
const { specialSigKey, specialSecretSig } = require("@pulumi/pulumi/runtime/rpc");

/** The version of the SDK this stands in for: what the engine asks for. */
const VERSION = "3.108.0";

/**
 * Per type: the inputs whose change replaces the resource (as the real provider's ForceNew
 * fields), the id it gets, and the input naming the instance it lives in.
 */
const TYPES = {
  "alicloud:rds/instance:Instance": {
    replaces: ["engine", "zoneId", "vswitchId"],
    id: (/** @type {Props} */ inputs, /** @type {string} */ urn) => instanceId(inputs, urn, "rm-"),
  },
  "alicloud:rds/readOnlyInstance:ReadOnlyInstance": {
    replaces: ["masterDbInstanceId", "zoneId", "engineVersion"],
    id: (/** @type {Props} */ inputs, /** @type {string} */ urn) => instanceId(inputs, urn, "rr-"),
  },
  "alicloud:rds/database:Database": {
    replaces: ["instanceId", "name", "dataBaseName", "characterSet"],
    id: (/** @type {Props} */ inputs) => `${inputs.instanceId}:${inputs.dataBaseName ?? inputs.name}`,
  },
  "alicloud:rds/account:Account": {
    replaces: ["dbInstanceId", "instanceId", "accountName", "name", "accountType", "type"],
    id: (/** @type {Props} */ inputs) =>
      `${inputs.dbInstanceId ?? inputs.instanceId}:${inputs.accountName ?? inputs.name}`,
  },
};

/** @typedef {Record<string, unknown>} Props */
/** @typedef {{ type: string, urn: string, props: Props }} Stored */
/** @typedef {{ op: string, type: string, urn: string, id?: string, at: string }} Operation */
/** @typedef {{ resources: Record<string, Stored>, operations: Operation[] }} State */

const STATE_FILE = process.env.ALICLOUD_STANDIN_STATE || "";
/** Resources kept in memory with their secrets; the file gets them redacted. @type {State} */
const state = load();

/** @returns {State} */
function load() {
  if (!STATE_FILE) return { resources: {}, operations: [] };
  try {
    return JSON.parse(fs.readFileSync(STATE_FILE, "utf8"));
  } catch {
    return { resources: {}, operations: [] };
  }
}

function save() {
  if (!STATE_FILE) return;
  const text = JSON.stringify(state, (_key, value) => (isSecret(value) ? "[secret]" : value), 2);
  fs.mkdirSync(path.dirname(STATE_FILE), { recursive: true });
  fs.writeFileSync(`${STATE_FILE}.tmp`, text);
  fs.renameSync(`${STATE_FILE}.tmp`, STATE_FILE);
}

/** @param {unknown} value */
function isSecret(value) {
  return (
    value !== null && typeof value === "object" && /** @type {Props} */ (value)[specialSigKey] === specialSecretSig
  );
}

/** @param {string} name @returns {Record<string, string>} */
function jsonEnv(name) {
  const text = process.env[name];
  if (!text) return {};
  const parsed = JSON.parse(text);
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
    throw new Error(`${name} must be a JSON object`);
  return parsed;
}

/** @param {Props} inputs @param {string} urn @param {string} prefix */
function instanceId(inputs, urn, prefix) {
  const wanted =
    typeof inputs.instanceName === "string" ? jsonEnv("ALICLOUD_STANDIN_INSTANCE_IDS")[inputs.instanceName] : undefined;
  if (wanted && !state.resources[wanted]) return wanted;
  const digest = createHash("sha256")
    .update(`${urn}#${Object.keys(state.resources).length}`)
    .digest("hex");
  return `${prefix}standin${digest.slice(0, 10)}`;
}

/** @param {string} type */
function typeOf(type) {
  const known = /** @type {Record<string, typeof TYPES[keyof typeof TYPES]>} */ (TYPES)[type];
  if (!known) throw new Error(`the alicloud stand-in plugin serves ${Object.keys(TYPES).join(", ")}, not ${type}`);
  return known;
}

/** @param {string} urn */
function typeOfUrn(urn) {
  // urn:pulumi:<stack>::<project>::<type>::<name>; the type may have a parent chain ($).
  const qualified = urn.split("::")[2] ?? "";
  return qualified.split("$").pop() ?? "";
}

/** @param {string} op @param {string} urn @param {string} [id] */
function record(op, urn, id) {
  state.operations.push({
    op,
    type: typeOfUrn(urn),
    urn,
    ...(id !== undefined ? { id } : {}),
    at: new Date().toISOString(),
  });
}

/** @type {import("@pulumi/pulumi/provider").Provider} */
const standIn = {
  version: VERSION,

  async check(urn, _olds, news) {
    const type = typeOfUrn(urn);
    typeOf(type);
    return { inputs: news };
  },

  async diff(_id, urn, olds, news) {
    const { replaces } = typeOf(typeOfUrn(urn));
    const keys = new Set([...Object.keys(olds ?? {}), ...Object.keys(news ?? {})]);
    const changed = [...keys].filter((k) => JSON.stringify(olds?.[k]) !== JSON.stringify(news?.[k]));
    // Outputs the stand-in adds are not inputs: only keys the program sets can differ.
    const inputChanges = changed.filter((k) => k in (news ?? {}));
    return {
      changes: inputChanges.length > 0,
      replaces: inputChanges.filter((k) => replaces.includes(k)),
    };
  },

  async create(urn, inputs) {
    const type = typeOfUrn(urn);
    const id = typeOf(type).id(inputs, urn);
    record("create", urn, id);
    const outs = { ...inputs, ...(type.endsWith("Instance") ? { status: "Running" } : {}) };
    state.resources[id] = { type, urn, props: outs };
    save();
    return { id, outs };
  },

  async read(id, urn, props) {
    record("read", urn, id);
    save();
    const known = state.resources[id];
    return known ? { id, props: known.props } : { id, props: props ?? {} };
  },

  async update(id, urn, olds, news) {
    record("update", urn, id);
    const outs = { ...olds, ...news };
    state.resources[id] = { type: typeOfUrn(urn), urn, props: outs };
    save();
    return { outs };
  },

  async delete(id, urn) {
    record("delete", urn, id);
    delete state.resources[id];
    save();
  },
};

void pulumiProvider.main(standIn, process.argv.slice(2));
