import * as pulumi from "@pulumi/pulumi";
import * as inputs from "../types/input";
import * as outputs from "../types/output";
/** Renders a talosconfig for talosctl (Promise form, plain values). */
export declare function getConfiguration(args: GetConfigurationArgs, opts?: pulumi.InvokeOptions): Promise<GetConfigurationResult>;
/** What this SDK declares for the invoke, compared with the provider schema by the tests. */
export declare namespace getConfiguration {
    const __token: "talos:client/getConfiguration:getConfiguration";
    const __inputs: readonly string[];
    const __outputs: readonly string[];
    const __requiredInputs: readonly string[];
    const __secretOutputs: readonly string[];
}
/** A collection of arguments for invoking getConfiguration. */
export interface GetConfigurationArgs {
    /** The client configuration, e.g. `Secrets.clientConfiguration`. */
    clientConfiguration: inputs.client.GetConfigurationClientConfiguration;
    clusterName: string;
    /** Endpoints written into the talosconfig. */
    endpoints?: string[];
    /** Nodes written into the talosconfig. */
    nodes?: string[];
}
/** A collection of values returned by getConfiguration. */
export interface GetConfigurationResult {
    readonly clientConfiguration: outputs.client.GetConfigurationClientConfiguration;
    readonly clusterName: string;
    readonly endpoints?: string[];
    readonly id: string;
    readonly nodes?: string[];
    /** The talosconfig file contents (secret in the Output form). */
    readonly talosConfig: string;
}
/** Renders a talosconfig for talosctl (Output form; the result is secret). */
export declare function getConfigurationOutput(args: GetConfigurationOutputArgs, opts?: pulumi.InvokeOutputOptions): pulumi.Output<GetConfigurationResult>;
/** A collection of arguments for invoking getConfiguration. */
export interface GetConfigurationOutputArgs {
    /** The client configuration, e.g. `Secrets.clientConfiguration`. */
    clientConfiguration: pulumi.Input<inputs.client.GetConfigurationClientConfigurationArgs>;
    clusterName: pulumi.Input<string>;
    /** Endpoints written into the talosconfig. */
    endpoints?: pulumi.Input<pulumi.Input<string>[]>;
    /** Nodes written into the talosconfig. */
    nodes?: pulumi.Input<pulumi.Input<string>[]>;
}
