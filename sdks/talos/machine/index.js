"use strict";
// talos:machine/* — the machine module of the Talos provider.
Object.defineProperty(exports, "__esModule", { value: true });
const utilities = require("../utilities");
Object.assign(exports, require("./bootstrap"), require("./configurationApply"), require("./getConfiguration"), require("./secrets"));
utilities.registerResourceModules([exports.Bootstrap, exports.ConfigurationApply, exports.Secrets]);
