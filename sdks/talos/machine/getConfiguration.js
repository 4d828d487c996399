"use strict";
// talos:machine/getConfiguration:getConfiguration — renders a node's machine configuration from the cluster secrets.
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

getConfiguration.__token = "talos:machine/getConfiguration:getConfiguration";
getConfiguration.__inputs = utilities.names("clusterEndpoint", "clusterName", "configPatches", "docs", "examples", "kubernetesVersion",
    "machineSecrets", "machineType", "talosVersion");
getConfiguration.__outputs = utilities.names("clusterEndpoint", "clusterName", "configPatches", "docs", "examples", "id", "kubernetesVersion",
    "machineConfiguration", "machineSecrets", "machineType", "talosVersion");
getConfiguration.__requiredInputs = utilities.names("clusterEndpoint", "clusterName", "machineSecrets", "machineType");
// The rendered configuration embeds the cluster CAs and tokens, and machineSecrets echoes them.
getConfiguration.__secretOutputs = utilities.names("machineConfiguration", "machineSecrets");
