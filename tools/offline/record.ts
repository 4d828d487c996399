// The recorded form of a program run: what every registration and invoke carried, in plain data.

export interface Registration {
    urn: string;
    type: string;
    name: string;
    custom: boolean;
    /** A component rendered by its provider (helm.v4.Chart, yaml.v2): no children under mocks. */
    remote: boolean;
    /** Parent URN; "" at the top (mocks register no root Stack). */
    parent: string;
    /** Every URN this resource waits for: explicit dependsOn (expanded) and every property dependency. */
    dependencies: string[];
    /** Per input, the URNs whose outputs flowed into it. */
    propertyDependencies: Record<string, string[]>;
    /** Provider reference `urn::id`, or "" for the default provider. */
    provider: string;
    protect: boolean;
    retainOnDelete: boolean;
    ignoreChanges: string[];
    additionalSecretOutputs: string[];
    replaceOnChanges: string[];
    /** URNs whose replacement replaces this resource too (the `replaceWith` option). */
    replaceWith: string[];
    /** URN of the `deletedWith` target, or "". */
    deletedWith: string;
    deleteBeforeReplace: boolean;
    /** The `aliases` option as the engine gets it: each alias's old URN, or the parts of it that differ. */
    aliases: { urn?: string; type?: string; name?: string }[];
    version: string;
    pluginDownloadURL: string;
    /** Inputs as plain JSON: secrets unwrapped (see secretPaths), unknowns as "<unknown>". */
    inputs: Record<string, unknown>;
    /** JSON paths (`/spec/token`) of the inputs that were secret. */
    secretPaths: string[];
}

export interface Invocation {
    token: string;
    args: Record<string, unknown>;
    secretPaths: string[];
    version: string;
    pluginDownloadURL: string;
}

export interface StackExport {
    value: unknown;
    secret: boolean;
}

export interface RecordedRun {
    resources: Registration[];
    invokes: Invocation[];
    exports: Record<string, StackExport>;
    /** The program's failure (a config error), if it failed. */
    error?: Error;
}

const secretSig = "1b47061264138c4ac30d75fd1eb44270";
const sigKey = "4dabf18193072939515e22adb298388d";
const resourceSig = "5cf8f73096256a8f31e491e813e4eb8e";
const unknownValue = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Unwraps the wire form of a value: secrets become their value (their paths are collected), resource references their URN. */
export function decodeWire(value: unknown, path = "", secrets: string[] = []): { value: unknown; secretPaths: string[] } {
    const walk = (v: unknown, p: string): unknown => {
        if (v === unknownValue) return "<unknown>";
        if (Array.isArray(v)) return v.map((e, i) => walk(e, `${p}/${i}`));
        if (!v || typeof v !== "object") return v;
        const o = v as Record<string, unknown>;
        if (o[sigKey] === secretSig) {
            secrets.push(p || "/");
            return walk(o.value, p);
        }
        if (o[sigKey] === resourceSig) return { urn: o.urn };
        return Object.fromEntries(
            Object.keys(o)
                .sort()
                .map((k) => [k, walk(o[k], `${p}/${k}`)]),
        );
    };
    return { value: walk(value, path), secretPaths: secrets };
}

export const wire = { secretSig, sigKey };
