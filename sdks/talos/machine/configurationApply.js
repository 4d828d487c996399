"use strict";
// talos:machine/configurationApply:ConfigurationApply — applies a machine configuration (plus patches) to a node.
Object.defineProperty(exports, "__esModule", { value: true });
exports.ConfigurationApply = void 0;
const pulumi = require("@pulumi/pulumi");
const utilities = require("../utilities");

class ConfigurationApply extends pulumi.CustomResource {
    /** Looks up an existing ConfigurationApply resource's state by name and provider ID. */
    static get(name, id, state, opts) {
        return new ConfigurationApply(name, state, { ...opts, id: id });
    }

    /** True when obj is a ConfigurationApply, even one created by another copy of this SDK. */
    static isInstance(obj) {
        if (obj === undefined || obj === null) return false;
        return obj["__pulumiType"] === ConfigurationApply.__pulumiType;
    }

    constructor(name, argsOrState, opts) {
        opts = opts || {};
        const resourceInputs = utilities.resourceInputs(ConfigurationApply, argsOrState, opts);
        super(ConfigurationApply.__pulumiType, name, resourceInputs, utilities.resourceOptions(ConfigurationApply, opts));
    }
}
exports.ConfigurationApply = ConfigurationApply;
ConfigurationApply.__pulumiType = "talos:machine/configurationApply:ConfigurationApply";
ConfigurationApply.__inputs = utilities.names("applyMode", "clientConfiguration", "clientConfigurationWo", "configPatches", "endpoint",
    "machineConfigurationInput", "machineConfigurationInputWo", "node", "onDestroy", "timeouts");
ConfigurationApply.__outputs = utilities.names("applyMode", "clientConfiguration", "clientConfigurationWo", "configPatches", "endpoint",
    "machineConfiguration", "machineConfigurationHash", "machineConfigurationInput",
    "machineConfigurationInputWo", "node", "onDestroy", "resolvedApplyMode", "timeouts");
ConfigurationApply.__requiredInputs = utilities.names("node");
ConfigurationApply.__secretInputs = utilities.names("clientConfigurationWo", "machineConfigurationInput", "machineConfigurationInputWo");
// Every output holding the client key or the rendered config (which embeds the cluster secrets);
// clientConfiguration is marked whole because the schema marks only its clientKey.
ConfigurationApply.__secretOutputs = utilities.names("clientConfiguration", "clientConfigurationWo", "machineConfiguration",
    "machineConfigurationInput", "machineConfigurationInputWo");
