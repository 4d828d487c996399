import * as pulumi from "@pulumi/pulumi";
/** An explicit instance of the talos provider, for settings other than the stack's `talos:*` config. */
export declare class Provider extends pulumi.ProviderResource {
    /** True when obj is a talos Provider, even one created by another copy of this SDK. */
    static isInstance(obj: any): obj is Provider;
    static readonly __pulumiType: "talos";
    static readonly __inputs: readonly string[];
    static readonly __outputs: readonly string[];
    /** The Image Factory URL; defaults to https://factory.talos.dev. */
    readonly imageFactoryUrl: pulumi.Output<string | undefined>;
    constructor(name: string, args?: ProviderArgs, opts?: pulumi.ResourceOptions);
}
/** The set of arguments for constructing a Provider resource. */
export interface ProviderArgs {
    /** The Image Factory URL; defaults to https://factory.talos.dev. */
    imageFactoryUrl?: pulumi.Input<string>;
}
