import * as pulumi from "@pulumi/pulumi";
import * as inputs from "../types/input";
import * as outputs from "../types/output";
/** Waits until the Talos cluster reports healthy (Promise form). */
export declare function getHealth(args: GetHealthArgs, opts?: pulumi.InvokeOptions): Promise<GetHealthResult>;
/** What this SDK declares for the invoke, compared with the provider schema by the tests. */
export declare namespace getHealth {
    const __token: "talos:cluster/getHealth:getHealth";
    const __inputs: readonly string[];
    const __outputs: readonly string[];
    const __requiredInputs: readonly string[];
    const __secretOutputs: readonly string[];
}
/** A collection of arguments for invoking getHealth. */
export interface GetHealthArgs {
    /** The client configuration, e.g. `Secrets.clientConfiguration`. */
    clientConfiguration: inputs.cluster.GetHealthClientConfiguration;
    controlPlaneNodes: string[];
    /** Endpoints for the health-check client; include at least one control-plane node. */
    endpoints: string[];
    /** Only check that the nodes booted and kubelet runs (default false). */
    skipKubernetesChecks?: boolean;
    timeouts?: inputs.cluster.GetHealthTimeouts;
    workerNodes?: string[];
}
/** A collection of values returned by getHealth. */
export interface GetHealthResult {
    readonly clientConfiguration: outputs.cluster.GetHealthClientConfiguration;
    readonly controlPlaneNodes: string[];
    readonly endpoints: string[];
    readonly id: string;
    readonly skipKubernetesChecks?: boolean;
    readonly timeouts?: outputs.cluster.GetHealthTimeouts;
    readonly workerNodes?: string[];
}
/** Waits until the Talos cluster reports healthy (Output form; secret because it echoes the client key). */
export declare function getHealthOutput(args: GetHealthOutputArgs, opts?: pulumi.InvokeOutputOptions): pulumi.Output<GetHealthResult>;
/** A collection of arguments for invoking getHealth. */
export interface GetHealthOutputArgs {
    /** The client configuration, e.g. `Secrets.clientConfiguration`. */
    clientConfiguration: pulumi.Input<inputs.cluster.GetHealthClientConfigurationArgs>;
    controlPlaneNodes: pulumi.Input<pulumi.Input<string>[]>;
    /** Endpoints for the health-check client; include at least one control-plane node. */
    endpoints: pulumi.Input<pulumi.Input<string>[]>;
    /** Only check that the nodes booted and kubelet runs (default false). */
    skipKubernetesChecks?: pulumi.Input<boolean>;
    timeouts?: pulumi.Input<inputs.cluster.GetHealthTimeoutsArgs>;
    workerNodes?: pulumi.Input<pulumi.Input<string>[]>;
}
