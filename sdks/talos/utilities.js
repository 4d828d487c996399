"use strict";
// Shared plumbing for the hand-written Talos SDK. Generated Pulumi SDKs inline most of this per
// property; here each class/function keeps frozen name lists and these helpers read them, so the
// names the SDK sends are the same names the conformance test compares with the provider schema.
Object.defineProperty(exports, "__esModule", { value: true });
const pulumi = require("@pulumi/pulumi");
const pkg = require("./package.json");

/** The provider plugin version this SDK binds to (package.json is the one place it is written). */
function getVersion() {
    return pkg.version.replace(/^v/, "");
}
exports.getVersion = getVersion;

/**
 * Options merged into every resource and invoke. The engine installs a missing plugin from these,
 * so a Talos resource works even when `pulumi install` was skipped.
 */
function resourceOptsDefaults() {
    return { version: getVersion(), pluginDownloadURL: pkg.pulumi.server };
}
exports.resourceOptsDefaults = resourceOptsDefaults;

/** A frozen list of property names: the single source for what a class or function declares. */
function names(...list) {
    return Object.freeze(list);
}
exports.names = names;

/**
 * The property bag a resource constructor registers, built the way generated constructors do:
 * on `get` (opts.id) every state property is read back; otherwise required inputs are enforced,
 * declared inputs are copied (schema-secret ones wrapped in pulumi.secret so they never reach
 * state in plain text) and provider-computed outputs are sent as undefined so they come back.
 */
function resourceInputs(cls, argsOrState, opts) {
    const bag = {};
    const source = argsOrState || {};
    if (opts.id) {
        for (const key of cls.__outputs) bag[key] = source[key];
        return bag;
    }
    for (const key of cls.__requiredInputs) {
        if (source[key] === undefined && !opts.urn) {
            throw new Error(`Missing required property '${key}'`);
        }
    }
    for (const key of cls.__outputs) bag[key] = undefined;
    for (const key of cls.__inputs) {
        const value = source[key];
        bag[key] = value !== undefined && cls.__secretInputs.includes(key) ? pulumi.secret(value) : value;
    }
    return bag;
}
exports.resourceInputs = resourceInputs;

/** Resource options with the package defaults and the class's secret outputs merged in. */
function resourceOptions(cls, opts) {
    opts = pulumi.mergeOptions(resourceOptsDefaults(), opts);
    if (cls.__secretOutputs.length === 0) return opts;
    return pulumi.mergeOptions(opts, { additionalSecretOutputs: [...cls.__secretOutputs] });
}
exports.resourceOptions = resourceOptions;

/** The invoke arguments: only the declared inputs, so a typo'd key is not sent to the provider. */
function invokeArgs(fn, args) {
    const bag = {};
    for (const key of fn.__inputs) bag[key] = (args || {})[key];
    return bag;
}
exports.invokeArgs = invokeArgs;

/** Invoke options with the package defaults merged in (what generated functions do). */
function invokeOptions(opts) {
    return pulumi.mergeOptions(resourceOptsDefaults(), opts || {});
}
exports.invokeOptions = invokeOptions;

/**
 * The Output form of an invoke. When the schema says a result carries secret material the whole
 * result is marked secret, as the engine does when the provider returns a sensitive value; mocks
 * and older engines would otherwise hand it back in plain text.
 */
function invokeOutput(fn, args, opts) {
    const result = pulumi.runtime.invokeOutput(fn.__token, invokeArgs(fn, args), invokeOptions(opts));
    return fn.__secretOutputs.length > 0 ? pulumi.secret(result) : result;
}
exports.invokeOutput = invokeOutput;

/** The Promise form of an invoke. */
function invoke(fn, args, opts) {
    return pulumi.runtime.invoke(fn.__token, invokeArgs(fn, args), invokeOptions(opts));
}
exports.invoke = invoke;

/**
 * Lets the runtime turn a resource reference (e.g. in a component's outputs) back into an instance
 * of its class. The runtime keys modules by the token's middle part, e.g. "machine/secrets".
 */
function registerResourceModules(classes) {
    for (const cls of classes) {
        const mod = cls.__pulumiType.split(":")[1];
        pulumi.runtime.registerResourceModule("talos", mod, {
            version: getVersion(),
            construct: (name, type, urn) => {
                if (type !== cls.__pulumiType) throw new Error(`unknown resource type ${type}`);
                return new cls(name, undefined, { urn });
            },
        });
    }
}
exports.registerResourceModules = registerResourceModules;
