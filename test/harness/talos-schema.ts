import * as fs from "fs";
import Ajv2020, { ErrorObject, ValidateFunction } from "ajv/dist/2020";
import { referenceFile } from "./reference";

// A validator for Talos machine-config documents, built from the release's own JSON schema (draft 2020-12).
// The schema's root is a `oneOf` over 44 document kinds. Validating against the root would report every
// kind's errors at once, so each document is checked against the one kind Talos itself would decode it
// as: typed documents by `apiVersion` + `kind`, and kind-less documents as the v1alpha1 `Config`
// (Talos' decoder treats `version: v1alpha1`, `machine`, `cluster` or `debug` without a kind that way).

/** The schema of the Talos release in components/versions.ts. */
export const talosSchemaFile = "talos/v1.13.9/config.schema.json";

export type ValidateTalosDocument = (doc: unknown) => string[];

type Schema = Record<string, unknown>;

interface DocumentKind {
    /** `$defs` entry, e.g. "network.LinkConfigV1Alpha1". */
    definition: string;
    validate: ValidateFunction;
}

/** The key a document kind is looked up by: "v1alpha1/LinkConfig", or "v1alpha1" for the machine config. */
function kindKey(apiVersion: unknown, kind?: unknown): string {
    return kind === undefined ? String(apiVersion) : `${String(apiVersion)}/${String(kind)}`;
}

/**
 * Talos rejects unknown fields (`CheckUnknownKeys` in its decoder). The v1.13 schema already closes every
 * object that lists properties; this keeps that true if a later schema leaves one open.
 */
function closeObjects(node: unknown): void {
    if (Array.isArray(node)) return node.forEach(closeObjects);
    if (!node || typeof node !== "object") return;
    const schema = node as Schema;
    if (schema.properties && !("additionalProperties" in schema)) schema.additionalProperties = false;
    Object.values(schema).forEach(closeObjects);
}

function describe(definition: string, errors: ErrorObject[] | null | undefined): string[] {
    return (errors ?? []).map((e) => {
        const params = e.params as { additionalProperty?: string; allowedValues?: unknown[] };
        const detail =
            e.keyword === "additionalProperties"
                ? ` '${params.additionalProperty}'`
                : e.keyword === "enum"
                  ? ` ${JSON.stringify(params.allowedValues)}`
                  : "";
        return `${definition} ${e.instancePath || "/"} ${e.message}${detail}`;
    });
}

/** Indexes the root `oneOf` by the `apiVersion`/`kind` (or `version`) each document kind accepts. */
function indexKinds(ajv: Ajv2020, schema: Schema): Map<string, DocumentKind> {
    const id = schema.$id as string;
    const defs = schema.$defs as Record<string, Schema>;
    const kinds = new Map<string, DocumentKind>();
    for (const { $ref } of schema.oneOf as { $ref: string }[]) {
        const definition = $ref.replace("#/$defs/", "");
        const props = defs[definition].properties as Record<string, { enum?: string[] }>;
        const validate = ajv.getSchema(`${id}${$ref}`);
        if (!validate) throw new Error(`${talosSchemaFile}: cannot compile ${$ref}`);
        const keys = props.kind
            ? props.apiVersion.enum!.flatMap((v) => props.kind.enum!.map((k) => kindKey(v, k)))
            : props.version.enum!.map((v) => kindKey(v));
        for (const key of keys) {
            if (kinds.has(key)) throw new Error(`${talosSchemaFile}: ${key} is defined twice`);
            kinds.set(key, { definition, validate });
        }
    }
    return kinds;
}

/** Which kind Talos would decode a document as, or why it could not. */
function selectKind(kinds: Map<string, DocumentKind>, doc: unknown): DocumentKind | string {
    if (!doc || typeof doc !== "object" || Array.isArray(doc)) return "/ must be an object (one YAML document)";
    const fields = doc as Record<string, unknown>;
    if (fields.kind === undefined) {
        const machineConfig = ["version", "machine", "cluster", "debug"].some((key) => key in fields);
        if (!machineConfig) return "/ has no kind and is not a v1alpha1 machine config (no version, machine or cluster)";
        return kinds.get(kindKey(fields.version ?? "v1alpha1")) ?? `/ version ${String(fields.version)} is not a v1alpha1 machine config`;
    }
    const key = kindKey(fields.apiVersion, fields.kind);
    return kinds.get(key) ?? `/ ${key} is not a document kind in ${talosSchemaFile}`;
}

/**
 * Returns `(doc) => errors` for one machine-config document (a parsed YAML document or a patch object);
 * an empty list means Talos v1.13 accepts its shape. Skips the suite locally when the schema is missing.
 */
export function talosDocumentValidator(ctx?: Mocha.Context): ValidateTalosDocument {
    const schema = JSON.parse(fs.readFileSync(referenceFile(talosSchemaFile, ctx), "utf8")) as Schema;
    closeObjects(schema);
    // `format: uri` appears once (an image-cache URL) and has no built-in checker without ajv-formats.
    const ajv = new Ajv2020({ allErrors: true, strictTypes: false, validateFormats: false });
    ajv.addVocabulary(["markdownDescription", "x-intellij-html-description"]);
    ajv.addSchema(schema);
    const kinds = indexKinds(ajv, schema);
    return (doc) => {
        const kind = selectKind(kinds, doc);
        if (typeof kind === "string") return [kind];
        return kind.validate(doc) ? [] : describe(kind.definition, kind.validate.errors);
    };
}
