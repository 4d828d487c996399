// The slice of the Talos API (v1.13.9) that rollouts need, written from Talos' API reference in proto/*.proto: only
// the services, methods, messages and fields we call, with upstream's package names and field numbers so the bytes
// on the wire are what apid expects (each file names its upstream source). Parsed with protobufjs once, when this
// module loads; field names as written (snake_case).
import * as path from "path";
import * as protobuf from "protobufjs";

const protoFiles = ["machine.proto", "cosi.proto", "resource-config.proto", "k8s.proto"].map((file) => path.join(__dirname, "proto", file));

/** The parsed definitions. */
export const talosProtos: protobuf.Root = new protobuf.Root().loadSync(protoFiles, { keepCase: true });
talosProtos.resolveAll();

/** A method as grpc-js wants it: path, stream flags and (de)serializers from the parsed types. */
export interface MethodDefinition {
    path: string;
    requestStream: false;
    responseStream: boolean;
    requestSerialize(value: object): Buffer;
    requestDeserialize(bytes: Buffer): Record<string, unknown>;
    responseSerialize(value: object): Buffer;
    responseDeserialize(bytes: Buffer): Record<string, unknown>;
}

// Decoded messages are plain objects: 64-bit integers as strings (etcd member ids are uint64), enums by
// name, bytes as Buffers, unset fields at their proto3 defaults, and the name of the oneof member that is set.
const toObjectOptions = { longs: String, enums: String, bytes: Buffer, defaults: true, oneofs: true } as const;

function codec(type: protobuf.Type) {
    return {
        serialize: (value: object) => Buffer.from(type.encode(type.fromObject(value)).finish()),
        deserialize: (bytes: Buffer) => type.toObject(type.decode(bytes), toObjectOptions) as Record<string, unknown>,
    };
}

/** `service` as `package.Service`, e.g. `machine.MachineService`; every method of our definition. */
export function serviceDefinition(service: string): Record<string, MethodDefinition> {
    const definition: Record<string, MethodDefinition> = {};
    for (const method of talosProtos.lookupService(service).methodsArray) {
        method.resolve();
        const request = codec(method.resolvedRequestType!);
        const response = codec(method.resolvedResponseType!);
        definition[method.name] = {
            path: `/${service}/${method.name}`,
            requestStream: false,
            responseStream: Boolean(method.responseStream),
            requestSerialize: request.serialize,
            requestDeserialize: request.deserialize,
            responseSerialize: response.serialize,
            responseDeserialize: response.deserialize,
        };
    }
    return definition;
}

/** Decodes the MachineConfig resource's proto spec to the machine configuration's YAML text. */
export function machineConfigYaml(protoSpec: Buffer): string {
    const type = talosProtos.lookupType("resource.config.MachineConfigSpec");
    const spec = type.toObject(type.decode(protoSpec), toObjectOptions) as { yaml_marshalled: Buffer };
    return spec.yaml_marshalled.toString("utf8");
}

/** The reverse, for fakes and tests. */
export function encodeMachineConfigSpec(yaml: string): Buffer {
    const type = talosProtos.lookupType("resource.config.MachineConfigSpec");
    return Buffer.from(type.encode(type.fromObject({ yaml_marshalled: Buffer.from(yaml, "utf8") })).finish());
}

type StructValue = {
    kind?: string;
    null_value?: unknown;
    number_value?: number;
    string_value?: string;
    bool_value?: boolean;
    struct_value?: { fields?: Record<string, StructValue> };
    list_value?: { values?: StructValue[] };
};

/** google.protobuf.Value as plain JSON. */
function plainValue(value: StructValue): unknown {
    switch (value.kind) {
        case "number_value":
            return value.number_value;
        case "string_value":
            return value.string_value;
        case "bool_value":
            return value.bool_value;
        case "struct_value":
            return plainStruct(value.struct_value ?? {});
        case "list_value":
            return (value.list_value?.values ?? []).map(plainValue);
        default:
            return null;
    }
}

function plainStruct(struct: { fields?: Record<string, StructValue> }): Record<string, unknown> {
    return Object.fromEntries(Object.entries(struct.fields ?? {}).map(([key, value]) => [key, plainValue(value)]));
}

/** Decodes a Manifest resource's proto spec to its Kubernetes objects, as plain JSON. */
export function manifestObjects(protoSpec: Buffer): Record<string, unknown>[] {
    const type = talosProtos.lookupType("talos.resource.definitions.k8s.ManifestSpec");
    const spec = type.toObject(type.decode(protoSpec), toObjectOptions) as {
        items?: { object?: { fields?: Record<string, StructValue> } }[];
    };
    return (spec.items ?? []).map((item) => plainStruct(item.object ?? {}));
}

/** The reverse, for fakes and tests. */
export function encodeManifestSpec(objects: readonly Record<string, unknown>[]): Buffer {
    const toValue = (value: unknown): StructValue => {
        if (value === null || value === undefined) return { null_value: "NULL_VALUE" };
        if (typeof value === "number") return { number_value: value };
        if (typeof value === "string") return { string_value: value };
        if (typeof value === "boolean") return { bool_value: value };
        if (Array.isArray(value)) return { list_value: { values: value.map(toValue) } };
        return { struct_value: { fields: Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, toValue(v)])) } };
    };
    const type = talosProtos.lookupType("talos.resource.definitions.k8s.ManifestSpec");
    const items = objects.map((object) => ({
        object: { fields: Object.fromEntries(Object.entries(object).map(([k, v]) => [k, toValue(v)])) },
    }));
    return Buffer.from(type.encode(type.fromObject({ items })).finish());
}
