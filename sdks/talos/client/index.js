"use strict";
// talos:client/* — the client module of the Talos provider (functions only).
Object.defineProperty(exports, "__esModule", { value: true });
Object.assign(exports, require("./getConfiguration"));
