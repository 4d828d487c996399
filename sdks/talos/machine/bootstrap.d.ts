import * as pulumi from "@pulumi/pulumi";
import * as inputs from "../types/input";
import * as outputs from "../types/output";
/** Bootstraps etcd on the first control-plane node of a Talos cluster. */
export declare class Bootstrap extends pulumi.CustomResource {
    /** Looks up an existing Bootstrap resource's state by name and provider ID. */
    static get(name: string, id: pulumi.Input<pulumi.ID>, state?: BootstrapState, opts?: pulumi.CustomResourceOptions): Bootstrap;
    /** True when obj is a Bootstrap, even one created by another copy of this SDK. */
    static isInstance(obj: any): obj is Bootstrap;
    static readonly __pulumiType: "talos:machine/bootstrap:Bootstrap";
    static readonly __inputs: readonly string[];
    static readonly __outputs: readonly string[];
    static readonly __requiredInputs: readonly string[];
    static readonly __secretInputs: readonly string[];
    static readonly __secretOutputs: readonly string[];
    /** The talosctl client configuration (secret). */
    readonly clientConfiguration: pulumi.Output<outputs.machine.ClientConfiguration | undefined>;
    /** Write-only client configuration; not read back into state (secret). */
    readonly clientConfigurationWo: pulumi.Output<outputs.machine.BootstrapClientConfigurationWo | undefined>;
    /** The endpoint talosctl talks to; defaults to the node. */
    readonly endpoint: pulumi.Output<string>;
    /** The control-plane node to bootstrap. */
    readonly node: pulumi.Output<string>;
    readonly timeouts: pulumi.Output<outputs.machine.BootstrapTimeouts | undefined>;
    constructor(name: string, args: BootstrapArgs, opts?: pulumi.CustomResourceOptions);
}
/** Input properties used for looking up and filtering Bootstrap resources. */
export interface BootstrapState {
    clientConfiguration?: pulumi.Input<inputs.machine.ClientConfigurationArgs>;
    clientConfigurationWo?: pulumi.Input<inputs.machine.BootstrapClientConfigurationWoArgs>;
    endpoint?: pulumi.Input<string>;
    node?: pulumi.Input<string>;
    timeouts?: pulumi.Input<inputs.machine.BootstrapTimeoutsArgs>;
}
/** The set of arguments for constructing a Bootstrap resource. */
export interface BootstrapArgs {
    /** The talosctl client configuration, e.g. `Secrets.clientConfiguration`. */
    clientConfiguration?: pulumi.Input<inputs.machine.ClientConfigurationArgs>;
    /** Write-only alternative to clientConfiguration (wrapped in pulumi.secret). */
    clientConfigurationWo?: pulumi.Input<inputs.machine.BootstrapClientConfigurationWoArgs>;
    /** The endpoint talosctl talks to; defaults to the node. */
    endpoint?: pulumi.Input<string>;
    /** The control-plane node to bootstrap. */
    node: pulumi.Input<string>;
    timeouts?: pulumi.Input<inputs.machine.BootstrapTimeoutsArgs>;
}
