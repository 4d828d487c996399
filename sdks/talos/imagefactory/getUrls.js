"use strict";
// talos:imageFactory/getUrls:getUrls — the Image Factory download URLs (ISO, disk image, installer...) for a schematic.
Object.defineProperty(exports, "__esModule", { value: true });
exports.getUrlsOutput = exports.getUrls = void 0;
const utilities = require("../utilities");

/** Promise form (plain values: secrets in the result are not marked). */
function getUrls(args, opts) {
    return utilities.invoke(getUrls, args, opts);
}
exports.getUrls = getUrls;

/** Output form: tracks dependencies and keeps secret results secret. */
function getUrlsOutput(args, opts) {
    return utilities.invokeOutput(getUrls, args, opts);
}
exports.getUrlsOutput = getUrlsOutput;

getUrls.__token = "talos:imageFactory/getUrls:getUrls";
getUrls.__inputs = utilities.names("architecture", "platform", "sbc", "schematicId", "talosVersion");
getUrls.__outputs = utilities.names("architecture", "id", "platform", "sbc", "schematicId", "talosVersion", "urls");
getUrls.__requiredInputs = utilities.names("schematicId", "talosVersion");
// Image URLs are public.
getUrls.__secretOutputs = utilities.names();
