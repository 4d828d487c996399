"use strict";
// Type-only module: the shapes live in input.d.ts. Exists so `talos.types.input` resolves at runtime.
Object.defineProperty(exports, "__esModule", { value: true });
