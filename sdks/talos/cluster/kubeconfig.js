"use strict";
// talos:cluster/kubeconfig:Kubeconfig — retrieves an admin kubeconfig from a control-plane node.
Object.defineProperty(exports, "__esModule", { value: true });
exports.Kubeconfig = void 0;
const pulumi = require("@pulumi/pulumi");
const utilities = require("../utilities");

class Kubeconfig extends pulumi.CustomResource {
    /** Looks up an existing Kubeconfig resource's state by name and provider ID. */
    static get(name, id, state, opts) {
        return new Kubeconfig(name, state, { ...opts, id: id });
    }

    /** True when obj is a Kubeconfig, even one created by another copy of this SDK. */
    static isInstance(obj) {
        if (obj === undefined || obj === null) return false;
        return obj["__pulumiType"] === Kubeconfig.__pulumiType;
    }

    constructor(name, argsOrState, opts) {
        opts = opts || {};
        const resourceInputs = utilities.resourceInputs(Kubeconfig, argsOrState, opts);
        super(Kubeconfig.__pulumiType, name, resourceInputs, utilities.resourceOptions(Kubeconfig, opts));
    }
}
exports.Kubeconfig = Kubeconfig;
Kubeconfig.__pulumiType = "talos:cluster/kubeconfig:Kubeconfig";
Kubeconfig.__inputs = utilities.names("certificateRenewalDuration", "clientConfiguration", "endpoint", "node", "timeouts");
Kubeconfig.__outputs = utilities.names("certificateRenewalDuration", "clientConfiguration", "endpoint", "kubeconfigRaw",
    "kubernetesClientConfiguration", "node", "timeouts");
Kubeconfig.__requiredInputs = utilities.names("clientConfiguration", "node");
Kubeconfig.__secretInputs = utilities.names();
// The kubeconfig and both client configurations carry private keys; the schema marks only the
// keys inside the objects, so the objects are marked whole.
Kubeconfig.__secretOutputs = utilities.names("clientConfiguration", "kubeconfigRaw", "kubernetesClientConfiguration");
