"use strict";
// talos:machine/bootstrap:Bootstrap — bootstraps etcd on the first control-plane node.
Object.defineProperty(exports, "__esModule", { value: true });
exports.Bootstrap = void 0;
const pulumi = require("@pulumi/pulumi");
const utilities = require("../utilities");

class Bootstrap extends pulumi.CustomResource {
    /** Looks up an existing Bootstrap resource's state by name and provider ID. */
    static get(name, id, state, opts) {
        return new Bootstrap(name, state, { ...opts, id: id });
    }

    /** True when obj is a Bootstrap, even one created by another copy of this SDK. */
    static isInstance(obj) {
        if (obj === undefined || obj === null) return false;
        return obj["__pulumiType"] === Bootstrap.__pulumiType;
    }

    constructor(name, argsOrState, opts) {
        opts = opts || {};
        const resourceInputs = utilities.resourceInputs(Bootstrap, argsOrState, opts);
        super(Bootstrap.__pulumiType, name, resourceInputs, utilities.resourceOptions(Bootstrap, opts));
    }
}
exports.Bootstrap = Bootstrap;
Bootstrap.__pulumiType = "talos:machine/bootstrap:Bootstrap";
Bootstrap.__inputs = utilities.names("clientConfiguration", "clientConfigurationWo", "endpoint", "node", "timeouts");
Bootstrap.__outputs = utilities.names("clientConfiguration", "clientConfigurationWo", "endpoint", "node", "timeouts");
Bootstrap.__requiredInputs = utilities.names("node");
Bootstrap.__secretInputs = utilities.names("clientConfigurationWo");
// clientConfiguration is marked whole because the schema marks only its clientKey secret.
Bootstrap.__secretOutputs = utilities.names("clientConfiguration", "clientConfigurationWo");
