"use strict";
// The explicit `talos` provider (registers as pulumi:providers:talos).
Object.defineProperty(exports, "__esModule", { value: true });
exports.Provider = void 0;
const pulumi = require("@pulumi/pulumi");
const utilities = require("./utilities");

class Provider extends pulumi.ProviderResource {
    /** True when obj is a talos Provider, even one created by another copy of this SDK. */
    static isInstance(obj) {
        if (obj === undefined || obj === null) return false;
        return obj["__pulumiType"] === "pulumi:providers:" + Provider.__pulumiType;
    }

    constructor(name, args, opts) {
        const resourceInputs = {};
        // Every provider setting is a string, so nothing needs JSON-encoding (unlike e.g. proxmox `ssh`).
        for (const key of Provider.__inputs) resourceInputs[key] = (args || {})[key];
        super(Provider.__pulumiType, name, resourceInputs, pulumi.mergeOptions(utilities.resourceOptsDefaults(), opts || {}));
    }
}
exports.Provider = Provider;
Provider.__pulumiType = "talos";
Provider.__inputs = utilities.names("imageFactoryUrl");
Provider.__outputs = utilities.names("imageFactoryUrl");
