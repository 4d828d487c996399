import * as pulumi from "@pulumi/pulumi";
/** Registers an Image Factory schematic (extensions, kernel arguments); its ID is the schematic ID. */
export declare class Schematic extends pulumi.CustomResource {
    /** Looks up an existing Schematic resource's state by name and provider ID. */
    static get(name: string, id: pulumi.Input<pulumi.ID>, state?: SchematicState, opts?: pulumi.CustomResourceOptions): Schematic;
    /** True when obj is a Schematic, even one created by another copy of this SDK. */
    static isInstance(obj: any): obj is Schematic;
    static readonly __pulumiType: "talos:imageFactory/schematic:Schematic";
    static readonly __inputs: readonly string[];
    static readonly __outputs: readonly string[];
    static readonly __requiredInputs: readonly string[];
    static readonly __secretInputs: readonly string[];
    static readonly __secretOutputs: readonly string[];
    /** The schematic YAML the image is generated from. */
    readonly schematic: pulumi.Output<string | undefined>;
    constructor(name: string, args?: SchematicArgs, opts?: pulumi.CustomResourceOptions);
}
/** Input properties used for looking up and filtering Schematic resources. */
export interface SchematicState {
    schematic?: pulumi.Input<string>;
}
/** The set of arguments for constructing a Schematic resource. */
export interface SchematicArgs {
    /** The schematic YAML the image is generated from. */
    schematic?: pulumi.Input<string>;
}
