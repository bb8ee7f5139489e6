/**
 * Steps of a saved `pulumi preview --json`, in the shape the engine's preview digest writes them
 * (op, urn, provider, oldState/newState as the state's resource records), for the CLI's tests.
 */
export const INSTANCE = "alicloud:rds/instance:Instance";
export const DATABASE = "alicloud:rds/database:Database";
export const ACCOUNT = "alicloud:rds/account:Account";
export const READ_ONLY = "alicloud:rds/readOnlyInstance:ReadOnlyInstance";

export function urn(type: string, name: string, parent = ""): string {
  return `urn:pulumi:dev::shop::${parent}${type}::${name}`;
}

export interface StepSpec {
  readonly op: string;
  readonly type: string;
  readonly name: string;
  readonly id?: string;
  readonly inputs?: Record<string, unknown>;
  readonly outputs?: Record<string, unknown>;
  readonly parent?: string;
}

/** A step as the engine writes it: the old state for what exists, the new state for what will. */
export function step(s: StepSpec): Record<string, unknown> {
  const u = urn(s.type, s.name, s.parent);
  const state = {
    urn: u,
    custom: true,
    id: s.id ?? "",
    type: s.type,
    inputs: s.inputs ?? {},
    outputs: s.outputs ?? s.inputs ?? {},
    provider: "urn:pulumi:dev::shop::pulumi:providers:alicloud::default_3_108_0::0a1b",
  };
  const old = s.op === "create" ? {} : { oldState: state };
  const created = s.op === "delete" ? {} : { newState: { ...state, outputs: {} } };
  return { op: s.op, urn: u, provider: state.provider, ...old, ...created, detailedDiff: null };
}

const stackStep = {
  op: "same",
  urn: "urn:pulumi:dev::shop::pulumi:pulumi:Stack::shop-dev",
  oldState: { urn: "urn:pulumi:dev::shop::pulumi:pulumi:Stack::shop-dev", custom: false, type: "pulumi:pulumi:Stack" },
  newState: { urn: "urn:pulumi:dev::shop::pulumi:pulumi:Stack::shop-dev", custom: false, type: "pulumi:pulumi:Stack" },
  detailedDiff: null,
};

export function plan(...steps: Record<string, unknown>[]): Record<string, unknown> {
  return { steps: [stackStep, ...steps], changeSummary: { same: 1 } };
}
