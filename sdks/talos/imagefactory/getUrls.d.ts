import * as pulumi from "@pulumi/pulumi";
import * as outputs from "../types/output";
/** The Image Factory download URLs for a schematic and Talos version (Promise form). */
export declare function getUrls(args: GetUrlsArgs, opts?: pulumi.InvokeOptions): Promise<GetUrlsResult>;
/** What this SDK declares for the invoke, compared with the provider schema by the tests. */
export declare namespace getUrls {
    const __token: "talos:imageFactory/getUrls:getUrls";
    const __inputs: readonly string[];
    const __outputs: readonly string[];
    const __requiredInputs: readonly string[];
    const __secretOutputs: readonly string[];
}
/** A collection of arguments for invoking getUrls. */
export interface GetUrlsArgs {
    /** The CPU architecture, e.g. `amd64` or `arm64`. */
    architecture?: string;
    /** The platform, e.g. `metal` or `nocloud`. */
    platform?: string;
    /** The single-board computer, instead of platform. */
    sbc?: string;
    /** The schematic ID, e.g. `Schematic.id`. */
    schematicId: string;
    /** The Talos version, e.g. `v1.13.9`. */
    talosVersion: string;
}
/** A collection of values returned by getUrls. */
export interface GetUrlsResult {
    readonly architecture: string;
    readonly id: string;
    readonly platform?: string;
    readonly sbc?: string;
    readonly schematicId: string;
    readonly talosVersion: string;
    readonly urls: outputs.imagefactory.GetUrlsUrls;
}
/** The Image Factory download URLs for a schematic and Talos version (Output form). */
export declare function getUrlsOutput(args: GetUrlsOutputArgs, opts?: pulumi.InvokeOutputOptions): pulumi.Output<GetUrlsResult>;
/** A collection of arguments for invoking getUrls. */
export interface GetUrlsOutputArgs {
    /** The CPU architecture, e.g. `amd64` or `arm64`. */
    architecture?: pulumi.Input<string>;
    /** The platform, e.g. `metal` or `nocloud`. */
    platform?: pulumi.Input<string>;
    /** The single-board computer, instead of platform. */
    sbc?: pulumi.Input<string>;
    /** The schematic ID, e.g. `Schematic.id`. */
    schematicId: pulumi.Input<string>;
    /** The Talos version, e.g. `v1.13.9`. */
    talosVersion: pulumi.Input<string>;
}
