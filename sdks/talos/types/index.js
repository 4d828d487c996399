"use strict";
// The input and output shapes of the schema's object types, as `talos.types.input/output`.
Object.defineProperty(exports, "__esModule", { value: true });
exports.output = exports.input = void 0;
exports.input = require("./input");
exports.output = require("./output");
