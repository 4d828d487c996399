"use strict";
// talos:client/getConfiguration:getConfiguration — renders a talosconfig for talosctl.
Object.defineProperty(exports, "__esModule", { value: true });
exports.getConfigurationOutput = exports.getConfiguration = void 0;
const utilities = require("../utilities");

/** Promise form (plain values: secrets in the result are not marked). */
function getConfiguration(args, opts) {
    return utilities.invoke(getConfiguration, args, opts);
}
exports.getConfiguration = getConfiguration;

/** Output form: tracks dependencies and keeps secret results secret. */
function getConfigurationOutput(args, opts) {
    return utilities.invokeOutput(getConfiguration, args, opts);
}
exports.getConfigurationOutput = getConfigurationOutput;

getConfiguration.__token = "talos:client/getConfiguration:getConfiguration";
getConfiguration.__inputs = utilities.names("clientConfiguration", "clusterName", "endpoints", "nodes");
getConfiguration.__outputs = utilities.names("clientConfiguration", "clusterName", "endpoints", "id", "nodes", "talosConfig");
getConfiguration.__requiredInputs = utilities.names("clientConfiguration", "clusterName");
// talosConfig and clientConfiguration both hold the admin client key.
getConfiguration.__secretOutputs = utilities.names("clientConfiguration", "talosConfig");
