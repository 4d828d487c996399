"use strict";
// talos:cluster/getHealth:getHealth — waits until the cluster reports healthy (use as a dependency).
Object.defineProperty(exports, "__esModule", { value: true });
exports.getHealthOutput = exports.getHealth = void 0;
const utilities = require("../utilities");

/** Promise form (plain values: secrets in the result are not marked). */
function getHealth(args, opts) {
    return utilities.invoke(getHealth, args, opts);
}
exports.getHealth = getHealth;

/** Output form: tracks dependencies and keeps secret results secret. */
function getHealthOutput(args, opts) {
    return utilities.invokeOutput(getHealth, args, opts);
}
exports.getHealthOutput = getHealthOutput;

getHealth.__token = "talos:cluster/getHealth:getHealth";
getHealth.__inputs = utilities.names("clientConfiguration", "controlPlaneNodes", "endpoints", "skipKubernetesChecks", "timeouts", "workerNodes");
getHealth.__outputs = utilities.names("clientConfiguration", "controlPlaneNodes", "endpoints", "id", "skipKubernetesChecks", "timeouts",
    "workerNodes");
getHealth.__requiredInputs = utilities.names("clientConfiguration", "controlPlaneNodes", "endpoints");
// clientConfiguration echoes the admin client key back.
getHealth.__secretOutputs = utilities.names("clientConfiguration");
