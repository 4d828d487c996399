// What one custom resource type does, as the provider (provider.ts) hands it each operation: plain values (secrets
// unwrapped; in a preview an unknown value is Pulumi's sentinel string), the state's outputs as `olds` of diff and
// update and as `props` of read and delete (what the engine sends: pulumi v3.248.0
// sdk/go/common/resource/plugin/provider_plugin.go, Diff `Olds: mOldOutputs`), and the operation's resource.
import type * as provider from "@pulumi/pulumi/provider";

/** The resource an operation is for. */
export interface Operation {
    urn: string;
    /** A warning the engine shows on this resource (never a secret: callers redact). */
    warn(message: string): Promise<void>;
}

/* eslint-disable @typescript-eslint/no-explicit-any */
export interface ResourceHandler<Inputs = any, Outputs = any> {
    /** Problems with the new inputs, given the old ones (none on a create); each fails the preview. */
    check?(olds: Partial<Inputs>, news: Inputs): Promise<provider.CheckFailure[]>;
    diff(id: string, olds: Outputs, news: Inputs, operation: Operation): Promise<provider.DiffResult>;
    create(inputs: Inputs, operation: Operation): Promise<{ id: string; outs: Outputs }>;
    /** None: a refresh keeps the state as it is. */
    read?(id: string, props: Outputs, operation: Operation): Promise<{ id: string; props: Outputs; inputs?: Inputs }>;
    /** None: the resource is replaced on any change its diff reports. */
    update?(id: string, olds: Outputs, news: Inputs, operation: Operation): Promise<{ outs: Outputs }>;
    delete?(id: string, props: Outputs, operation: Operation): Promise<void>;
}

/** A failed update that got part of the way: the engine keeps `properties` as the outputs, with the old inputs
 *  (ErrorResourceInitFailed: @pulumi/pulumi provider/server.js grpcResponseFromError; pkg/engine/update.go). */
export class PartialUpdateError extends Error {
    constructor(
        message: string,
        public readonly id: string,
        public readonly properties: Record<string, unknown>,
    ) {
        super(message);
    }

    /** What the provider server reads to report the partial state. */
    get reasons(): string[] {
        return [this.message];
    }
}
