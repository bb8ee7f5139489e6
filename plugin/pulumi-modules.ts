/**
 * The gRPC library and protocol stubs, loaded from where `@pulumi/pulumi` loads them: the
 * provider server, the engine client and our handlers must share one copy (a nested second
 * copy of grpc-js has other classes, and its credentials and services do not mix).
 */
import { createRequire } from "module";

/* eslint-disable @typescript-eslint/no-explicit-any */
const fromPulumi = createRequire(require.resolve("@pulumi/pulumi/provider"));

export const grpc = fromPulumi("@grpc/grpc-js") as typeof import("@grpc/grpc-js");
export const providerRpc: any = fromPulumi("../proto/provider_grpc_pb");
export const providerProto: any = fromPulumi("../proto/provider_pb");
export const engineRpc: any = fromPulumi("../proto/engine_grpc_pb");
export const engineProto: any = fromPulumi("../proto/engine_pb");
export const structProto: any = fromPulumi("google-protobuf/google/protobuf/struct_pb");
/** The server's own reading of its arguments (flags, then the engine's address). */
export const { parseArgs } = fromPulumi("./internals") as {
  parseArgs(args: string[]): { engineAddress: string } | undefined;
};
