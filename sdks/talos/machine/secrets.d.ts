import * as pulumi from "@pulumi/pulumi";
import * as inputs from "../types/input";
import * as outputs from "../types/output";
/** Generates the machine secrets (certificate authorities, keys and tokens) of a Talos cluster. */
export declare class Secrets extends pulumi.CustomResource {
    /** Looks up an existing Secrets resource's state by name and provider ID. */
    static get(name: string, id: pulumi.Input<pulumi.ID>, state?: SecretsState, opts?: pulumi.CustomResourceOptions): Secrets;
    /** True when obj is a Secrets, even one created by another copy of this SDK. */
    static isInstance(obj: any): obj is Secrets;
    static readonly __pulumiType: "talos:machine/secrets:Secrets";
    static readonly __inputs: readonly string[];
    static readonly __outputs: readonly string[];
    static readonly __requiredInputs: readonly string[];
    static readonly __secretInputs: readonly string[];
    static readonly __secretOutputs: readonly string[];
    /** The generated client configuration data (secret). */
    readonly clientConfiguration: pulumi.Output<outputs.machine.ClientConfiguration>;
    /** The secrets for the talos cluster (secret). */
    readonly machineSecrets: pulumi.Output<outputs.machine.MachineSecrets>;
    /** The Talos version contract the secrets are generated for, e.g. `v1.12`. */
    readonly talosVersion: pulumi.Output<string>;
    constructor(name: string, args?: SecretsArgs, opts?: pulumi.CustomResourceOptions);
}
/** Input properties used for looking up and filtering Secrets resources. */
export interface SecretsState {
    clientConfiguration?: pulumi.Input<inputs.machine.ClientConfigurationArgs>;
    machineSecrets?: pulumi.Input<inputs.machine.MachineSecretsArgs>;
    talosVersion?: pulumi.Input<string>;
}
/** The set of arguments for constructing a Secrets resource. */
export interface SecretsArgs {
    /** The Talos version contract the secrets are generated for, e.g. `v1.12`. */
    talosVersion?: pulumi.Input<string>;
}
