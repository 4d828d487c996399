import * as pulumi from "@pulumi/pulumi";
import * as inputs from "../types/input";
import * as outputs from "../types/output";
/** Retrieves an admin kubeconfig from a control-plane node of a Talos cluster. */
export declare class Kubeconfig extends pulumi.CustomResource {
    /** Looks up an existing Kubeconfig resource's state by name and provider ID. */
    static get(name: string, id: pulumi.Input<pulumi.ID>, state?: KubeconfigState, opts?: pulumi.CustomResourceOptions): Kubeconfig;
    /** True when obj is a Kubeconfig, even one created by another copy of this SDK. */
    static isInstance(obj: any): obj is Kubeconfig;
    static readonly __pulumiType: "talos:cluster/kubeconfig:Kubeconfig";
    static readonly __inputs: readonly string[];
    static readonly __outputs: readonly string[];
    static readonly __requiredInputs: readonly string[];
    static readonly __secretInputs: readonly string[];
    static readonly __secretOutputs: readonly string[];
    /** How long before expiry the client certificate is renewed (default 720h). */
    readonly certificateRenewalDuration: pulumi.Output<string>;
    /** The talosctl client configuration (secret). */
    readonly clientConfiguration: pulumi.Output<outputs.cluster.KubeconfigClientConfiguration>;
    /** The endpoint talosctl talks to; defaults to the node. */
    readonly endpoint: pulumi.Output<string>;
    /** The kubeconfig file contents (secret). */
    readonly kubeconfigRaw: pulumi.Output<string>;
    /** The kubeconfig split into host, CA, client certificate and key (secret). */
    readonly kubernetesClientConfiguration: pulumi.Output<outputs.cluster.KubeconfigKubernetesClientConfiguration>;
    /** The control-plane node to read the kubeconfig from. */
    readonly node: pulumi.Output<string>;
    readonly timeouts: pulumi.Output<outputs.cluster.KubeconfigTimeouts | undefined>;
    constructor(name: string, args: KubeconfigArgs, opts?: pulumi.CustomResourceOptions);
}
/** Input properties used for looking up and filtering Kubeconfig resources. */
export interface KubeconfigState {
    certificateRenewalDuration?: pulumi.Input<string>;
    clientConfiguration?: pulumi.Input<inputs.cluster.KubeconfigClientConfigurationArgs>;
    endpoint?: pulumi.Input<string>;
    kubeconfigRaw?: pulumi.Input<string>;
    kubernetesClientConfiguration?: pulumi.Input<inputs.cluster.KubeconfigKubernetesClientConfigurationArgs>;
    node?: pulumi.Input<string>;
    timeouts?: pulumi.Input<inputs.cluster.KubeconfigTimeoutsArgs>;
}
/** The set of arguments for constructing a Kubeconfig resource. */
export interface KubeconfigArgs {
    /** How long before expiry the client certificate is renewed (default 720h). */
    certificateRenewalDuration?: pulumi.Input<string>;
    /** The talosctl client configuration, e.g. `Secrets.clientConfiguration`. */
    clientConfiguration: pulumi.Input<inputs.cluster.KubeconfigClientConfigurationArgs>;
    /** The endpoint talosctl talks to; defaults to the node. */
    endpoint?: pulumi.Input<string>;
    /** The control-plane node to read the kubeconfig from. */
    node: pulumi.Input<string>;
    timeouts?: pulumi.Input<inputs.cluster.KubeconfigTimeoutsArgs>;
}
