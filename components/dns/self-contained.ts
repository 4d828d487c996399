// Pulumi stores a dynamic provider as the text its closure serializer makes of it, and the
// serializer inspects every function the provider reaches, about 12 ms each: the forwarder
// providers reach over 40, so every evaluation paid about half a second per provider. Instead the
// provider handed to Pulumi captures only the compiled text of the DNS modules and loads them in
// the provider host on first use. A `require("./x")` left inside a function would not do: the
// serializer keeps it verbatim, and the host resolves it against its own working directory and
// cannot load TypeScript. Carrying the code also keeps the stored provider working after these
// files move or change, as Pulumi intends (deletes run the provider stored with the resource).
import * as fs from "fs";
import * as path from "path";
import type * as pulumi from "@pulumi/pulumi";

/** The modules the forwarder providers run, dependencies first, by path from this folder; all import only each other. */
export const providerModules = ["../tls/server-trust", "redact", "http", "forwarder-provider", "adguard-api", "technitium-api", "providers"];

/**
 * Each module of this folder as CommonJS text, by name ("http" -> "...exports.sendRequest = ...").
 * Compiled from the .ts file (type-only imports such as @pulumi/pulumi disappear), or taken as it
 * is when the program runs from compiled .js files.
 */
export function compiledModules(names: readonly string[], dir: string = __dirname): Record<string, string> {
    return Object.fromEntries(names.map((name) => {
        const tsFile = path.join(dir, `${name}.ts`);
        if (!fs.existsSync(tsFile)) return [name, fs.readFileSync(path.join(dir, `${name}.js`), "utf8")];
        // typescript is what runs the program (ts-node), so it is already loaded; required here only.
        const ts = require("typescript") as typeof import("typescript");
        const compiled = ts.transpileModule(fs.readFileSync(tsFile, "utf8"), {
            fileName: tsFile,
            compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
        });
        return [name, compiled.outputText];
    }));
}

let compiled: Record<string, string> | undefined;

/** {@link compiledModules} of {@link providerModules}, made once per process. */
export function forwarderModules(): Record<string, string> {
    compiled ??= compiledModules(providerModules);
    return compiled;
}

/**
 * A provider that runs `modules[entry][exportName]`, loading the modules from their text at each
 * call (a few ms). Nothing is cached in what the serializer captures: a cache filled by a call
 * before serialization would be serialized with everything it holds. What the serializer sees is
 * five small methods, one loader, and strings.
 */
export function selfContainedProvider(modules: Record<string, string>, entry: string, exportName: string): pulumi.dynamic.ResourceProvider {
    const provider = (): pulumi.dynamic.ResourceProvider => {
        const cache: Record<string, { exports: Record<string, unknown> }> = {};
        const load = (request: string): unknown => {
            // A relative request names one of the modules (`./http`, `../tls/server-trust`); anything else is Node's.
            if (!request.startsWith(".")) return require(request);
            const name = request.startsWith("./") ? request.slice(2) : request;
            if (modules[name] === undefined) throw new Error(`self-contained provider: no module ${request} among ${Object.keys(modules).join(", ")}`);
            if (!cache[name]) {
                cache[name] = { exports: {} };
                new Function("require", "module", "exports", modules[name])(load, cache[name], cache[name].exports);
            }
            return cache[name].exports;
        };
        return (load(`./${entry}`) as Record<string, pulumi.dynamic.ResourceProvider>)[exportName];
    };
    return {
        create: (inputs) => provider().create(inputs),
        read: (id, props) => provider().read!(id, props),
        diff: (id, olds, news) => provider().diff!(id, olds, news),
        update: (id, olds, news) => provider().update!(id, olds, news),
        delete: (id, props) => provider().delete!(id, props),
    };
}
