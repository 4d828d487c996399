"use strict";
// talos:cluster/* — the cluster module of the Talos provider.
Object.defineProperty(exports, "__esModule", { value: true });
const utilities = require("../utilities");
Object.assign(exports, require("./getHealth"), require("./kubeconfig"));
utilities.registerResourceModules([exports.Kubeconfig]);
