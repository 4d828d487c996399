import type { PolicyConfigSchema } from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import type { PlainSpec } from "../components/config/shape";
import type { AddressRange, IPv4 } from "../components/config/addresses";
import { envoyGatewayName, networkNamespace } from "../components/config/facts";

// The policy pack's configuration: the parts of the IP plan the rules hold resources to. There are no defaults: a
// pack that assumed one network would refuse every plan of another, so without a config the CLI stops and names
// each missing key. `npm run plan` writes the stack's config (policyConfigFile, policies.ts) to
// out/<stack>/policy-config.json, for `pulumi preview --policy-pack policy --policy-pack-config <that file>`.

export interface HostAddress {
    name: string;
    ip: string;
}

export interface NetworkPolicyConfig {
    /** Every route hostname sits under it (`ragas.cc`). */
    domain: string;
    /** The node network (`172.16.1.0/24`). */
    nodeCidr: string;
    podCidr: string;
    serviceCidr: string;
    /** What Cilium LB-IPAM may hand out, both ends included. */
    loadBalancerRange: { start: string; stop: string };
    /** The Kubernetes API VIP. */
    vip: string;
    /** The pinned LoadBalancer addresses of k8s_gateway and the two Envoy Gateways. */
    gateways: { dns: string; internal: string; external: string };
    /** The Talos nodes: a pool must not cover them. */
    nodes: HostAddress[];
    /** Fixed hosts (router, Proxmox, DNS servers): nothing in the cluster may take their addresses. */
    infrastructure: HostAddress[];
    /** The two Gateways every HTTPRoute must attach to, and their namespace. */
    gatewayNames: { namespace: string; internal: string; external: string };
}

export type ConfigKey = keyof NetworkPolicyConfig;

/** Builds the policy config of a validated spec: the same values the program itself uses. */
export function policyConfigFromSpec(spec: PlainSpec): NetworkPolicyConfig {
    const host = (h: { name: string; ip: string }): HostAddress => ({ name: h.name, ip: h.ip });
    return {
        domain: spec.domain,
        nodeCidr: spec.network.nodeCidr,
        podCidr: spec.network.podCidr,
        serviceCidr: spec.network.serviceCidr,
        loadBalancerRange: { start: spec.network.loadBalancerRange.start, stop: spec.network.loadBalancerRange.stop },
        vip: spec.talos.vip,
        gateways: { dns: spec.gateways.dns, internal: spec.gateways.internal, external: spec.gateways.external },
        nodes: spec.nodes.map(host),
        infrastructure: spec.infrastructure.map(host),
        gatewayNames: { namespace: networkNamespace, internal: envoyGatewayName("internal"), external: envoyGatewayName("external") },
    };
}

// Formats gojsonschema (the engine's validator) understands: `ipv4` is built in; a CIDR is a pattern.
const ipv4: PolicyConfigJSONSchema = { type: "string", format: "ipv4" };
const cidr: PolicyConfigJSONSchema = { type: "string", pattern: "^([0-9]{1,3}\\.){3}[0-9]{1,3}/([0-9]|[12][0-9]|3[0-2])$" };
const object = (properties: Record<string, PolicyConfigJSONSchema>): PolicyConfigJSONSchema => ({
    type: "object",
    properties,
    required: Object.keys(properties),
    additionalProperties: false,
});
const hosts: PolicyConfigJSONSchema = { type: "array", items: object({ name: { type: "string", minLength: 1 }, ip: ipv4 }) };

const propertySchemas: Record<ConfigKey, PolicyConfigJSONSchema> = {
    domain: { type: "string", minLength: 1, description: "Domain every HTTPRoute hostname must sit under." },
    nodeCidr: { ...cidr, description: "The node network." },
    podCidr: { ...cidr, description: "Talos cluster.network.podSubnets must be exactly this." },
    serviceCidr: { ...cidr, description: "Talos cluster.network.serviceSubnets must be exactly this." },
    loadBalancerRange: { ...object({ start: ipv4, stop: ipv4 }), description: "Cilium LB-IPAM range, both ends included." },
    vip: { ...ipv4, description: "Kubernetes API VIP." },
    gateways: {
        ...object({ dns: ipv4, internal: ipv4, external: ipv4 }),
        description: "Pinned addresses of k8s_gateway and the Envoy Gateways.",
    },
    nodes: { ...hosts, description: "Talos nodes by name and address." },
    infrastructure: { ...hosts, description: "Fixed hosts by name and address." },
    gatewayNames: {
        ...object({ namespace: { type: "string" }, internal: { type: "string" }, external: { type: "string" } }),
        description: "The Gateways HTTPRoutes may attach to.",
    },
};

/** The schema of the config keys one policy reads, each required and without a default. */
export function configSchema(keys: readonly ConfigKey[]): PolicyConfigSchema {
    return {
        properties: Object.fromEntries(keys.map((key) => [key, structuredClone(propertySchemas[key])])),
        required: [...keys],
    };
}

/** The keys a policy's schema declares, in declaration order. */
export function configKeysOf(schema: PolicyConfigSchema | undefined): ConfigKey[] {
    return Object.keys(schema?.properties ?? {}) as ConfigKey[];
}

/** The config one policy sees: the schema's keys of the whole config, as the engine hands them over. */
export function pickConfig<K extends ConfigKey>(config: NetworkPolicyConfig, keys: readonly K[]): Pick<NetworkPolicyConfig, K> {
    return Object.fromEntries(keys.map((key) => [key, structuredClone(config[key])])) as Pick<NetworkPolicyConfig, K>;
}

/** A network or range of the pack's own config; one the schema let through but that makes no sense is an error, not a verdict. */
export function requireRange(range: AddressRange | undefined, key: ConfigKey, value: unknown): AddressRange {
    if (!range) throw new Error(`policy config ${key}: ${JSON.stringify(value)} is not a valid network or range`);
    return range;
}

/** An address of the pack's own config, as {@link requireRange}. */
export function requireAddress(address: IPv4 | undefined, key: ConfigKey, value: unknown): IPv4 {
    if (!address) throw new Error(`policy config ${key}: ${JSON.stringify(value)} is not an IPv4 address`);
    return address;
}
