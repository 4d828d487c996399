import * as fs from "fs";
import Ajv, { ErrorObject, ValidateFunction } from "ajv";
import * as YAML from "yaml";
import { referenceFile } from "./reference";

// Validators built from the upstream schemas in ../shared/reference. Kubernetes prunes unknown fields
// instead of rejecting them, which would hide a misspelt key; so every object schema that lists its
// properties is closed here (no additionalProperties) unless upstream marks it as open.

type Schema = Record<string, unknown>;
export type Validate = (value: unknown) => string[];

// A branch of oneOf/anyOf/allOf/not is a constraint, not structure: Kubernetes lets it name properties
// only to require them (a CiliumNetworkPolicy's spec is oneOf {required endpointSelector} |
// {required nodeSelector}), so branches stay open while the structural schema around them is closed.
const branchKeywords = new Set(["oneOf", "anyOf", "allOf", "not"]);

function closeObjects(node: unknown, inBranch = false): void {
    if (Array.isArray(node)) return node.forEach((child) => closeObjects(child, inBranch));
    if (!node || typeof node !== "object") return;
    const schema = node as Schema;
    const open = schema["x-kubernetes-preserve-unknown-fields"] === true || "additionalProperties" in schema;
    if (schema.properties && !open && !inBranch) schema.additionalProperties = false;
    for (const [key, child] of Object.entries(schema)) closeObjects(child, branchKeywords.has(key));
}

// Go's regexp class `\PC` ("not in Unicode category C", used by Cilium's CRDs) is `\P{C}` in a
// JavaScript Unicode regexp; as written, Ajv cannot compile it.
function translateGoPatterns(node: unknown): void {
    if (Array.isArray(node)) return node.forEach(translateGoPatterns);
    if (!node || typeof node !== "object") return;
    const schema = node as Schema;
    if (typeof schema.pattern === "string") schema.pattern = schema.pattern.replace(/\\PC/g, "\\P{C}");
    Object.values(schema).forEach(translateGoPatterns);
}

function describe(errors: ErrorObject[] | null | undefined): string[] {
    return (errors ?? []).map((e) => {
        const extra = e.keyword === "additionalProperties" ? ` '${(e.params as { additionalProperty: string }).additionalProperty}'` : "";
        return `${e.instancePath || "/"} ${e.message}${extra}`;
    });
}

function compile(schema: Schema): Validate {
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    const validate: ValidateFunction = ajv.compile(schema);
    return (value) => (validate(value) ? [] : describe(validate.errors));
}

/**
 * A validator for one served version of a CustomResourceDefinition file, e.g.
 * `crdValidator("cert-manager/v1.21.1/crds/cert-manager.io_certificates.yaml", "v1")`.
 */
export function crdValidator(relative: string, version: string, ctx?: Mocha.Context): Validate {
    const crd = YAML.parse(fs.readFileSync(referenceFile(relative, ctx), "utf8"));
    const served = crd.spec.versions.find((v: { name: string }) => v.name === version);
    if (!served) throw new Error(`${relative} does not serve ${version}`);
    const schema = structuredClone(served.schema.openAPIV3Schema) as Schema;
    closeObjects(schema);
    translateGoPatterns(schema);
    const validate = compile(schema);
    const kind = `${crd.spec.group}/${version}`;
    return (value) => {
        const obj = value as { apiVersion?: string; kind?: string };
        const head =
            obj.apiVersion === kind && obj.kind === crd.spec.names.kind
                ? []
                : [`/ is ${obj.apiVersion} ${obj.kind}, the CRD serves ${kind} ${crd.spec.names.kind}`];
        return [...head, ...validate(value)];
    };
}

/**
 * A validator for a chart's values.schema.json. `closed` also rejects keys the schema does not list
 * (charts such as Cilium's generate their schema from values.yaml and leave objects open).
 */
export function valuesValidator(relative: string, ctx?: Mocha.Context, opts: { closed?: boolean } = {}): Validate {
    const schema = JSON.parse(fs.readFileSync(referenceFile(relative, ctx), "utf8")) as Schema;
    delete schema.$schema;
    if (opts.closed) closeObjects(schema);
    return compile(schema);
}

/** The parsed defaults of a chart (values.yaml), to check that a key we set exists upstream. */
export function chartDefaults(relative: string, ctx?: Mocha.Context): Record<string, unknown> {
    return YAML.parse(fs.readFileSync(referenceFile(relative, ctx), "utf8"));
}

/**
 * Every path of `values` that a chart's defaults do not have, for charts with no values schema. A path
 * stops where the default is not an object with keys: an empty map (`annotations: {}`), a list or a
 * scalar takes whatever is put there.
 */
export function unknownValueKeys(values: unknown, defaults: unknown, prefix = ""): string[] {
    if (!values || typeof values !== "object" || Array.isArray(values)) return [];
    const known = defaults && typeof defaults === "object" && !Array.isArray(defaults) ? (defaults as Record<string, unknown>) : undefined;
    if (known && Object.keys(known).length === 0) return [];
    return Object.entries(values as Record<string, unknown>).flatMap(([key, value]) => {
        const path = prefix ? `${prefix}.${key}` : key;
        if (!known || !(key in known)) return [path];
        return unknownValueKeys(value, known[key], path);
    });
}
