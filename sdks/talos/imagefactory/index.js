"use strict";
// talos:imageFactory/* — the imageFactory module of the Talos provider.
Object.defineProperty(exports, "__esModule", { value: true });
const utilities = require("../utilities");
Object.assign(exports, require("./getUrls"), require("./schematic"));
utilities.registerResourceModules([exports.Schematic]);
