// The slice of the Talos API (v1.13.9) that rollouts need, written from Talos' API reference: only the
// services, methods, messages and fields we call, with upstream's package names and field numbers so the
// bytes on the wire are what apid expects. Sources of the facts: api/common/common.proto,
// api/machine/machine.proto, api/machine/image.proto, api/machine/lifecycle.proto,
// api/resource/config/config.proto, api/resource/definitions/k8s/k8s.proto (Talos v1.13.9), google/protobuf/
// struct.proto and the COSI State API (cosi-project/runtime v1.14.1,
// api/v1alpha1, which Talos 1.13.9 serves on apid).
//
// Loaded with protobufjs from this text at run time, inside a function, so a serialized Pulumi dynamic
// provider needs no .proto file on disk and nothing from the caller's working directory.
import type * as protobuf from "protobufjs";

const wellKnown = `
syntax = "proto3";
package google.protobuf;
message Empty {}
message Timestamp { int64 seconds = 1; int32 nanos = 2; }
message Duration { int64 seconds = 1; int32 nanos = 2; }
message Struct { map<string, Value> fields = 1; }
message Value {
  oneof kind { NullValue null_value = 1; double number_value = 2; string string_value = 3; bool bool_value = 4; Struct struct_value = 5; ListValue list_value = 6; }
}
enum NullValue { NULL_VALUE = 0; }
message ListValue { repeated Value values = 1; }
`;

const common = `
syntax = "proto3";
package common;
message Metadata { string hostname = 1; string error = 2; }
message Data { Metadata metadata = 1; bytes bytes = 2; }
enum ContainerDriver { CONTAINERD = 0; CRI = 1; }
enum ContainerdNamespace { NS_UNKNOWN = 0; NS_SYSTEM = 1; NS_CRI = 2; }
message ContainerdInstance { ContainerDriver driver = 1; ContainerdNamespace namespace = 2; }
`;

const machine = `
syntax = "proto3";
package machine;

service MachineService {
  rpc ApplyConfiguration(ApplyConfigurationRequest) returns (ApplyConfigurationResponse);
  rpc EtcdMemberList(EtcdMemberListRequest) returns (EtcdMemberListResponse);
  rpc Kubeconfig(google.protobuf.Empty) returns (stream common.Data);
  rpc Read(ReadRequest) returns (stream common.Data);
  rpc Reboot(RebootRequest) returns (RebootResponse);
  rpc ServiceList(google.protobuf.Empty) returns (ServiceListResponse);
  rpc Upgrade(UpgradeRequest) returns (UpgradeResponse);
  rpc Version(google.protobuf.Empty) returns (VersionResponse);
}
service ImageService {
  rpc Pull(ImageServicePullRequest) returns (stream ImageServicePullResponse);
}
service LifecycleService {
  rpc Upgrade(LifecycleServiceUpgradeRequest) returns (stream LifecycleServiceUpgradeResponse);
}

message ApplyConfigurationRequest {
  enum Mode { REBOOT = 0; AUTO = 1; NO_REBOOT = 2; STAGED = 3; TRY = 4; }
  bytes data = 1;
  Mode mode = 4;
  bool dry_run = 5;
}
message ApplyConfiguration {
  common.Metadata metadata = 1;
  repeated string warnings = 2;
  ApplyConfigurationRequest.Mode mode = 3;
  string mode_details = 4;
}
message ApplyConfigurationResponse { repeated ApplyConfiguration messages = 1; }

message RebootRequest {
  enum Mode { DEFAULT = 0; POWERCYCLE = 1; FORCE = 2; }
  Mode mode = 1;
}
message Reboot { common.Metadata metadata = 1; string actor_id = 2; }
message RebootResponse { repeated Reboot messages = 1; }

message ReadRequest { string path = 1; }

message UpgradeRequest {
  enum RebootMode { DEFAULT = 0; POWERCYCLE = 1; }
  string image = 1;
  bool preserve = 2;
  bool stage = 3;
  bool force = 4;
  RebootMode reboot_mode = 5;
}
message Upgrade { common.Metadata metadata = 1; string ack = 2; string actor_id = 3; }
message UpgradeResponse { repeated Upgrade messages = 1; }

message ServiceEvent { string msg = 1; string state = 2; google.protobuf.Timestamp ts = 3; }
message ServiceEvents { repeated ServiceEvent events = 1; }
message ServiceHealth { bool unknown = 1; bool healthy = 2; string last_message = 3; google.protobuf.Timestamp last_change = 4; }
message ServiceInfo { string id = 1; string state = 2; ServiceEvents events = 3; ServiceHealth health = 4; }
message ServiceList { common.Metadata metadata = 1; repeated ServiceInfo services = 2; }
message ServiceListResponse { repeated ServiceList messages = 1; }

message VersionInfo { string tag = 1; string sha = 2; string built = 3; string go_version = 4; string os = 5; string arch = 6; }
message PlatformInfo { string name = 1; string mode = 2; }
message Version { common.Metadata metadata = 1; VersionInfo version = 2; PlatformInfo platform = 3; }
message VersionResponse { repeated Version messages = 1; }

message EtcdMemberListRequest { bool query_local = 1; }
message EtcdMember { uint64 id = 2; string hostname = 3; repeated string peer_urls = 4; repeated string client_urls = 5; bool is_learner = 6; }
message EtcdMembers { common.Metadata metadata = 1; repeated string legacy_members = 2; repeated EtcdMember members = 3; }
message EtcdMemberListResponse { repeated EtcdMembers messages = 1; }

message ImageServicePullRequest { common.ContainerdInstance containerd = 1; string image_ref = 3; }
message ImageServicePullLayerProgress {
  enum Status { DOWNLOADING = 0; DOWNLOAD_COMPLETE = 1; EXTRACTING = 2; EXTRACT_COMPLETE = 3; ALREADY_EXISTS = 4; }
  Status status = 1;
  google.protobuf.Duration elapsed = 2;
  int64 offset = 3;
  int64 total = 4;
}
message ImageServicePullProgress { string layer_id = 1; ImageServicePullLayerProgress progress = 2; }
message ImageServicePullResponse {
  oneof response { string name = 1; ImageServicePullProgress pull_progress = 2; }
}

message InstallArtifactsSource { string image_name = 1; }
message LifecycleServiceUpgradeRequest { common.ContainerdInstance containerd = 1; InstallArtifactsSource source = 2; }
message LifecycleServiceInstallProgress {
  oneof response { string message = 1; int32 exit_code = 2; }
}
message LifecycleServiceUpgradeResponse { LifecycleServiceInstallProgress progress = 1; }
`;

const cosi = `
syntax = "proto3";
package cosi.resource;
service State {
  rpc Get(GetRequest) returns (GetResponse);
  rpc List(ListRequest) returns (stream ListResponse);
}
message Metadata { string namespace = 1; string type = 2; string id = 3; string version = 4; string owner = 5; string phase = 6; }
message Spec { bytes proto_spec = 1; string yaml_spec = 2; }
message Resource { Metadata metadata = 1; Spec spec = 2; }
message GetOptions { string resource_version = 1; }
message GetRequest { string namespace = 1; string type = 2; string id = 3; GetOptions options = 4; }
message GetResponse { Resource resource = 1; }
message ListRequest { string namespace = 1; string type = 2; }
message ListResponse { Resource resource = 1; }
`;

const resourceConfig = `
syntax = "proto3";
package resource.config;
message MachineConfigSpec { bytes yaml_marshalled = 1; }
`;

// api/resource/definitions/k8s/k8s.proto: the bootstrap manifests Talos renders on a control plane.
const resourceKubernetes = `
syntax = "proto3";
package talos.resource.definitions.k8s;
message SingleManifest { google.protobuf.Struct object = 1; }
message ManifestSpec { repeated SingleManifest items = 1; }
`;

// Cached on globalThis, not in a module variable: Pulumi's function serializer would try to serialize a
// parsed root captured by the dynamic provider's code (and cannot: protobufjs holds native functions).
const cacheKey = "__homelabTalosProtos";

/** The parsed definitions, built once per process. */
export function talosProtos(): protobuf.Root {
    const cache = globalThis as unknown as Record<string, protobuf.Root | undefined>;
    if (cache[cacheKey]) return cache[cacheKey]!;
    const pb = require("protobufjs") as typeof protobuf;
    const root = new pb.Root();
    for (const source of [wellKnown, common, machine, cosi, resourceConfig, resourceKubernetes]) pb.parse(source, root, { keepCase: true });
    root.resolveAll();
    cache[cacheKey] = root;
    return root;
}

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
    const root = talosProtos();
    const definition: Record<string, MethodDefinition> = {};
    for (const method of root.lookupService(service).methodsArray) {
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
    const type = talosProtos().lookupType("resource.config.MachineConfigSpec");
    const spec = type.toObject(type.decode(protoSpec), toObjectOptions) as { yaml_marshalled: Buffer };
    return spec.yaml_marshalled.toString("utf8");
}

/** The reverse, for fakes and tests. */
export function encodeMachineConfigSpec(yaml: string): Buffer {
    const type = talosProtos().lookupType("resource.config.MachineConfigSpec");
    return Buffer.from(type.encode(type.fromObject({ yaml_marshalled: Buffer.from(yaml, "utf8") })).finish());
}

type StructValue = { kind?: string; null_value?: unknown; number_value?: number; string_value?: string; bool_value?: boolean; struct_value?: { fields?: Record<string, StructValue> }; list_value?: { values?: StructValue[] } };

/** google.protobuf.Value as plain JSON. */
function plainValue(value: StructValue): unknown {
    switch (value.kind) {
        case "number_value": return value.number_value;
        case "string_value": return value.string_value;
        case "bool_value": return value.bool_value;
        case "struct_value": return plainStruct(value.struct_value ?? {});
        case "list_value": return (value.list_value?.values ?? []).map(plainValue);
        default: return null;
    }
}

function plainStruct(struct: { fields?: Record<string, StructValue> }): Record<string, unknown> {
    return Object.fromEntries(Object.entries(struct.fields ?? {}).map(([key, value]) => [key, plainValue(value)]));
}

/** Decodes a Manifest resource's proto spec to its Kubernetes objects, as plain JSON. */
export function manifestObjects(protoSpec: Buffer): Record<string, unknown>[] {
    const type = talosProtos().lookupType("talos.resource.definitions.k8s.ManifestSpec");
    const spec = type.toObject(type.decode(protoSpec), toObjectOptions) as { items?: { object?: { fields?: Record<string, StructValue> } }[] };
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
    const type = talosProtos().lookupType("talos.resource.definitions.k8s.ManifestSpec");
    const items = objects.map((object) => ({ object: { fields: Object.fromEntries(Object.entries(object).map(([k, v]) => [k, toValue(v)])) } }));
    return Buffer.from(type.encode(type.fromObject({ items })).finish());
}
