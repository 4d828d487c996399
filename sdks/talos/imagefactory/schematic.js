"use strict";
// talos:imageFactory/schematic:Schematic — registers an Image Factory schematic (extensions, kernel args) and returns its ID.
Object.defineProperty(exports, "__esModule", { value: true });
exports.Schematic = void 0;
const pulumi = require("@pulumi/pulumi");
const utilities = require("../utilities");

class Schematic extends pulumi.CustomResource {
    /** Looks up an existing Schematic resource's state by name and provider ID. */
    static get(name, id, state, opts) {
        return new Schematic(name, state, { ...opts, id: id });
    }

    /** True when obj is a Schematic, even one created by another copy of this SDK. */
    static isInstance(obj) {
        if (obj === undefined || obj === null) return false;
        return obj["__pulumiType"] === Schematic.__pulumiType;
    }

    constructor(name, argsOrState, opts) {
        opts = opts || {};
        const resourceInputs = utilities.resourceInputs(Schematic, argsOrState, opts);
        super(Schematic.__pulumiType, name, resourceInputs, utilities.resourceOptions(Schematic, opts));
    }
}
exports.Schematic = Schematic;
Schematic.__pulumiType = "talos:imageFactory/schematic:Schematic";
Schematic.__inputs = utilities.names("schematic");
Schematic.__outputs = utilities.names("schematic");
Schematic.__requiredInputs = utilities.names();
Schematic.__secretInputs = utilities.names();
// A schematic is public configuration: nothing to hide.
Schematic.__secretOutputs = utilities.names();
