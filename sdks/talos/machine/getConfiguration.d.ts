import * as pulumi from "@pulumi/pulumi";
import * as inputs from "../types/input";
import * as outputs from "../types/output";
/** Renders a node's machine configuration from the cluster secrets (Promise form, plain values). */
export declare function getConfiguration(args: GetConfigurationArgs, opts?: pulumi.InvokeOptions): Promise<GetConfigurationResult>;
/** What this SDK declares for the invoke, compared with the provider schema by the tests. */
export declare namespace getConfiguration {
    const __token: "talos:machine/getConfiguration:getConfiguration";
    const __inputs: readonly string[];
    const __outputs: readonly string[];
    const __requiredInputs: readonly string[];
    const __secretOutputs: readonly string[];
}
/** A collection of arguments for invoking getConfiguration. */
export interface GetConfigurationArgs {
    /** The Kubernetes API endpoint, e.g. `https://10.0.0.10:6443`. */
    clusterEndpoint: string;
    clusterName: string;
    /** Config patches (YAML/JSON strings) merged into the generated configuration. */
    configPatches?: string[];
    /** Include documentation comments in the output (default false). */
    docs?: boolean;
    /** Include examples in the output (default false). */
    examples?: boolean;
    kubernetesVersion?: string;
    /** The cluster secrets, e.g. `Secrets.machineSecrets`. */
    machineSecrets: inputs.machine.MachineSecrets;
    /** `controlplane` or `worker`. */
    machineType: string;
    /** The Talos version contract of the generated configuration (not the installed version). */
    talosVersion?: string;
}
/** A collection of values returned by getConfiguration. */
export interface GetConfigurationResult {
    readonly clusterEndpoint: string;
    readonly clusterName: string;
    readonly configPatches?: string[];
    readonly docs?: boolean;
    readonly examples?: boolean;
    readonly id: string;
    readonly kubernetesVersion?: string;
    /** The rendered machine configuration (secret in the Output form). */
    readonly machineConfiguration: string;
    readonly machineSecrets: outputs.machine.MachineSecrets;
    readonly machineType: string;
    readonly talosVersion?: string;
}
/** Renders a node's machine configuration from the cluster secrets (Output form; the result is secret). */
export declare function getConfigurationOutput(args: GetConfigurationOutputArgs, opts?: pulumi.InvokeOutputOptions): pulumi.Output<GetConfigurationResult>;
/** A collection of arguments for invoking getConfiguration. */
export interface GetConfigurationOutputArgs {
    /** The Kubernetes API endpoint, e.g. `https://10.0.0.10:6443`. */
    clusterEndpoint: pulumi.Input<string>;
    clusterName: pulumi.Input<string>;
    /** Config patches (YAML/JSON strings) merged into the generated configuration. */
    configPatches?: pulumi.Input<pulumi.Input<string>[]>;
    /** Include documentation comments in the output (default false). */
    docs?: pulumi.Input<boolean>;
    /** Include examples in the output (default false). */
    examples?: pulumi.Input<boolean>;
    kubernetesVersion?: pulumi.Input<string>;
    /** The cluster secrets, e.g. `Secrets.machineSecrets`. */
    machineSecrets: pulumi.Input<inputs.machine.MachineSecretsArgs>;
    /** `controlplane` or `worker`. */
    machineType: pulumi.Input<string>;
    /** The Talos version contract of the generated configuration (not the installed version). */
    talosVersion?: pulumi.Input<string>;
}
