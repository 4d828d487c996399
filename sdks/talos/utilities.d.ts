import * as pulumi from "@pulumi/pulumi";
/** The provider plugin version this SDK binds to. */
export declare function getVersion(): string;
/** `{version, pluginDownloadURL}` merged into every resource and invoke of this package. */
export declare function resourceOptsDefaults(): {
    version: string;
    pluginDownloadURL: string;
};
/** Internal helpers shared by the classes and functions of this package. */
export declare function names<T extends string>(...list: T[]): readonly T[];
export declare function resourceInputs(cls: unknown, argsOrState: unknown, opts: pulumi.CustomResourceOptions): Record<string, unknown>;
export declare function resourceOptions(cls: unknown, opts: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions;
export declare function invokeArgs(fn: unknown, args: unknown): Record<string, unknown>;
export declare function invokeOptions<T extends pulumi.InvokeOptions>(opts?: T): T;
export declare function invokeOutput(fn: unknown, args: unknown, opts?: pulumi.InvokeOutputOptions): pulumi.Output<any>;
export declare function invoke(fn: unknown, args: unknown, opts?: pulumi.InvokeOptions): Promise<any>;
export declare function registerResourceModules(classes: unknown[]): void;
