import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";

// Every place the offline engine reaches past @pulumi/pulumi's public API, in one file. Checked against
// @pulumi/pulumi 3.248.0 (package.json pins it): after an SDK upgrade, re-read runtime/mocks.js,
// runtime/state.js, runtime/settings.js and runtime/rpc.js and adjust only here.

/* eslint-disable @typescript-eslint/no-explicit-any */
const structproto = require("google-protobuf/google/protobuf/struct_pb");
const resproto = require("@pulumi/pulumi/proto/resource_pb");
const settings = require("@pulumi/pulumi/runtime/settings");
const rpc = require("@pulumi/pulumi/runtime/rpc");
const state = require("@pulumi/pulumi/runtime/state");

/** The mock monitor `pulumi.runtime.setMocks` installs; exported by runtime/mocks, not by the runtime index. */
export { MockMonitor };

/** A RegisterResourceResponse as the engine sends it back over gRPC. */
export function registerResourceResponse(urn: string, id: string, object: Record<string, unknown>): unknown {
    const response = new resproto.RegisterResourceResponse();
    response.setUrn(urn);
    response.setId(id);
    response.setObject(structproto.Struct.fromJavaScript(object));
    return response;
}

/** Resource state in the wire form (secrets and unknowns as signature objects). */
export function serializeProperties(props: Record<string, unknown>): Promise<Record<string, any>> {
    return rpc.serializeProperties("", props);
}

/** Stores a registered resource in the mock monitor's table, as its own registerResource would, for later reads. */
export function rememberResource(monitor: MockMonitor, urn: string, id: string | null, wireState: Record<string, unknown>): void {
    (monitor as unknown as { resources: Map<string, unknown> }).resources.set(urn, { urn, id, state: wireState });
}

/**
 * The features `setMocks` switches on (it would install its own monitor), so options such as replaceWith
 * behave as under a current CLI.
 */
export function enableEngineFeatures(): void {
    Object.assign(state.getStore(), {
        supportsSecrets: true,
        supportsResourceReferences: true,
        supportsOutputValues: false,
        supportsDeletedWith: true,
        supportsReplaceWith: true,
        supportsAliasSpecs: true,
        supportsTransforms: false,
        supportsParameterization: true,
        supportsResourceHooks: true,
        supportsErrorHooks: true,
    });
}

/**
 * The runtime keeps every promise of a run as a leak candidate until the process exits; a process that
 * evaluates many times (the tests, the bench) would otherwise carry them all.
 */
export function forgetLeakCandidates(): void {
    state.getStore().leakCandidates = new Set();
}

/** Resolves when every outstanding RPC of the program (registrations, invokes) has finished. */
export function waitForRPCs(): Promise<void> {
    return settings.waitForRPCs();
}
