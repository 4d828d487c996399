"use strict";
// Type-only module: the shapes live in output.d.ts. Exists so `talos.types.output` resolves at runtime.
Object.defineProperty(exports, "__esModule", { value: true });
