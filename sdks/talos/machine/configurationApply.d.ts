import * as pulumi from "@pulumi/pulumi";
import * as inputs from "../types/input";
import * as outputs from "../types/output";
/** Applies a machine configuration (plus patches) to a Talos node. */
export declare class ConfigurationApply extends pulumi.CustomResource {
    /** Looks up an existing ConfigurationApply resource's state by name and provider ID. */
    static get(name: string, id: pulumi.Input<pulumi.ID>, state?: ConfigurationApplyState, opts?: pulumi.CustomResourceOptions): ConfigurationApply;
    /** True when obj is a ConfigurationApply, even one created by another copy of this SDK. */
    static isInstance(obj: any): obj is ConfigurationApply;
    static readonly __pulumiType: "talos:machine/configurationApply:ConfigurationApply";
    static readonly __inputs: readonly string[];
    static readonly __outputs: readonly string[];
    static readonly __requiredInputs: readonly string[];
    static readonly __secretInputs: readonly string[];
    static readonly __secretOutputs: readonly string[];
    /** The apply mode: auto, reboot, no_reboot, staged or staged_if_needing_reboot. */
    readonly applyMode: pulumi.Output<string>;
    /** The talosctl client configuration (secret). */
    readonly clientConfiguration: pulumi.Output<outputs.machine.ClientConfiguration | undefined>;
    /** Write-only client configuration; not read back into state (secret). */
    readonly clientConfigurationWo: pulumi.Output<outputs.machine.ConfigurationApplyClientConfigurationWo | undefined>;
    /** Config patches applied on top of the input configuration. */
    readonly configPatches: pulumi.Output<string[] | undefined>;
    /** The endpoint talosctl talks to; defaults to the node. */
    readonly endpoint: pulumi.Output<string>;
    /** The rendered machine configuration after patches (secret). */
    readonly machineConfiguration: pulumi.Output<string>;
    /** SHA-256 of the rendered configuration, kept so write-only changes are still detected. */
    readonly machineConfigurationHash: pulumi.Output<string>;
    /** The machine configuration to apply (secret). */
    readonly machineConfigurationInput: pulumi.Output<string | undefined>;
    /** Write-only machine configuration to apply (secret). */
    readonly machineConfigurationInputWo: pulumi.Output<string | undefined>;
    /** The node to apply the configuration to. */
    readonly node: pulumi.Output<string>;
    /** What to do to the node when this resource is destroyed. */
    readonly onDestroy: pulumi.Output<outputs.machine.ConfigurationApplyOnDestroy | undefined>;
    /** The apply mode actually used (differs from applyMode for staged_if_needing_reboot). */
    readonly resolvedApplyMode: pulumi.Output<string>;
    readonly timeouts: pulumi.Output<outputs.machine.Timeout | undefined>;
    constructor(name: string, args: ConfigurationApplyArgs, opts?: pulumi.CustomResourceOptions);
}
/** Input properties used for looking up and filtering ConfigurationApply resources. */
export interface ConfigurationApplyState {
    applyMode?: pulumi.Input<string>;
    clientConfiguration?: pulumi.Input<inputs.machine.ClientConfigurationArgs>;
    clientConfigurationWo?: pulumi.Input<inputs.machine.ConfigurationApplyClientConfigurationWoArgs>;
    configPatches?: pulumi.Input<pulumi.Input<string>[]>;
    endpoint?: pulumi.Input<string>;
    machineConfiguration?: pulumi.Input<string>;
    machineConfigurationHash?: pulumi.Input<string>;
    machineConfigurationInput?: pulumi.Input<string>;
    machineConfigurationInputWo?: pulumi.Input<string>;
    node?: pulumi.Input<string>;
    onDestroy?: pulumi.Input<inputs.machine.ConfigurationApplyOnDestroyArgs>;
    resolvedApplyMode?: pulumi.Input<string>;
    timeouts?: pulumi.Input<inputs.machine.TimeoutArgs>;
}
/** The set of arguments for constructing a ConfigurationApply resource. */
export interface ConfigurationApplyArgs {
    /** auto (default), reboot, no_reboot, staged or staged_if_needing_reboot. */
    applyMode?: pulumi.Input<string>;
    /** The talosctl client configuration, e.g. `Secrets.clientConfiguration`. */
    clientConfiguration?: pulumi.Input<inputs.machine.ClientConfigurationArgs>;
    /** Write-only alternative to clientConfiguration (wrapped in pulumi.secret). */
    clientConfigurationWo?: pulumi.Input<inputs.machine.ConfigurationApplyClientConfigurationWoArgs>;
    /** Config patches (YAML/JSON strings) applied on top of the input configuration. */
    configPatches?: pulumi.Input<pulumi.Input<string>[]>;
    /** The endpoint talosctl talks to; defaults to the node. */
    endpoint?: pulumi.Input<string>;
    /** The machine configuration to apply (wrapped in pulumi.secret). */
    machineConfigurationInput?: pulumi.Input<string>;
    /** Write-only machine configuration to apply (wrapped in pulumi.secret). */
    machineConfigurationInputWo?: pulumi.Input<string>;
    /** The node to apply the configuration to. */
    node: pulumi.Input<string>;
    /** What to do to the node on destroy; a no-op unless reset is set. */
    onDestroy?: pulumi.Input<inputs.machine.ConfigurationApplyOnDestroyArgs>;
    timeouts?: pulumi.Input<inputs.machine.TimeoutArgs>;
}
