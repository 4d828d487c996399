"use strict";
// @pulumiverse/talos: the upstream module layout (talos.machine.Secrets, talos.cluster.Kubeconfig,
// talos.imagefactory.getUrlsOutput, ...) over the talos provider plugin v0.8.1.
Object.defineProperty(exports, "__esModule", { value: true });
const pulumi = require("@pulumi/pulumi");
const utilities = require("./utilities");
const provider_1 = require("./provider");

exports.Provider = provider_1.Provider;
exports.client = require("./client");
exports.cluster = require("./cluster");
exports.imagefactory = require("./imagefactory");
exports.machine = require("./machine");
exports.types = require("./types");

// Lets the runtime turn a provider reference back into a Provider instance.
pulumi.runtime.registerResourcePackage("talos", {
    version: utilities.getVersion(),
    constructProvider: (name, type, urn) => {
        if (type !== "pulumi:providers:talos") throw new Error(`unknown provider type ${type}`);
        return new provider_1.Provider(name, undefined, { urn });
    },
});
