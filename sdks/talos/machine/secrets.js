"use strict";
// talos:machine/secrets:Secrets — generates the machine secrets (CAs, keys, tokens) of a cluster.
Object.defineProperty(exports, "__esModule", { value: true });
exports.Secrets = void 0;
const pulumi = require("@pulumi/pulumi");
const utilities = require("../utilities");

class Secrets extends pulumi.CustomResource {
    /** Looks up an existing Secrets resource's state by name and provider ID. */
    static get(name, id, state, opts) {
        return new Secrets(name, state, { ...opts, id: id });
    }

    /** True when obj is a Secrets, even one created by another copy of this SDK. */
    static isInstance(obj) {
        if (obj === undefined || obj === null) return false;
        return obj["__pulumiType"] === Secrets.__pulumiType;
    }

    constructor(name, argsOrState, opts) {
        opts = opts || {};
        const resourceInputs = utilities.resourceInputs(Secrets, argsOrState, opts);
        super(Secrets.__pulumiType, name, resourceInputs, utilities.resourceOptions(Secrets, opts));
    }
}
exports.Secrets = Secrets;
Secrets.__pulumiType = "talos:machine/secrets:Secrets";
Secrets.__inputs = utilities.names("talosVersion");
Secrets.__outputs = utilities.names("clientConfiguration", "machineSecrets", "talosVersion");
Secrets.__requiredInputs = utilities.names();
Secrets.__secretInputs = utilities.names();
// The schema marks only the keys inside these objects secret; the objects are marked whole so the
// generated CA keys and tokens are encrypted in state and never printed.
Secrets.__secretOutputs = utilities.names("clientConfiguration", "machineSecrets");
