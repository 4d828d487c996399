import { z } from "zod";
import { deriveMac, qualifyHostname } from "./names";
import {
    appSchema,
    certificatesSchema,
    cloudflareSchema,
    configKeys,
    dnsForwardersSchema,
    gatewaysSchema,
    infrastructureSchema,
    networkSchema,
    nodeSchema,
    proxmoxSchema,
    talosSchema,
} from "./schema";

// The spec's type is the zod schema's output: the per-key shapes of schema.ts, then one transform that
// adds the fields derived from them. Nothing restates the shape by hand.

/** The two Envoy Gateways an app can attach to (validated by identity-rules.ts). */
export type GatewayName = "internal" | "external";

type Parsed = z.output<typeof configShape>;

const configShape = z.object({
    domain: configKeys.domain.schema,
    network: networkSchema,
    infrastructure: infrastructureSchema,
    proxmox: proxmoxSchema,
    talos: talosSchema,
    nodes: z.array(nodeSchema),
    gateways: gatewaysSchema,
    cloudflare: cloudflareSchema.optional(),
    certificates: certificatesSchema,
    dnsForwarders: dnsForwardersSchema.default({}),
    apps: z.array(appSchema).default([]),
});

/** The derived fields, from keys that already passed validation. */
function derive(c: Parsed) {
    const infraAddress = new Map(c.infrastructure.map((h) => [h.name, h.ip]));
    const { gateway, ...network } = c.network;
    return {
        domain: c.domain,
        network: {
            ...network,
            /** The router: default route of every node (config key `network.gateway`). */
            router: gateway,
            /** Prefix length of nodeCidr, for static addresses (`172.16.1.50/24`). */
            prefixLength: Number(c.network.nodeCidr.split("/")[1]),
        },
        infrastructure: c.infrastructure,
        proxmox: {
            ...c.proxmox,
            /** Each host with its SSH address, from its homelab:infrastructure entry. */
            hosts: c.proxmox.hosts.map((name) => ({ name, address: infraAddress.get(name)! })),
        },
        talos: c.talos,
        /** Each node's MAC is configured or derived from its name (locally administered). */
        nodes: c.nodes.map((n) => ({ ...n, mac: n.mac ?? deriveMac(n.name) })),
        gateways: c.gateways,
        ...(c.cloudflare ? { cloudflare: c.cloudflare } : {}),
        certificates: c.certificates,
        dnsForwarders: c.dnsForwarders,
        apps: c.apps.map((a) => ({
            name: a.name,
            namespace: a.namespace,
            /** Fully qualified: `myapp.ragas.cc`. */
            hostname: qualifyHostname(a.hostname, c.domain),
            gateway: a.gateway as GatewayName,
            /** targetPort is what the pods listen on (the policy's port). */
            service: { name: a.service.name, port: a.service.port, targetPort: a.service.targetPort ?? a.service.port },
            podSelector: a.podSelector ?? { app: a.name },
            allowFrom: a.allowFrom ?? [],
        })),
    };
}

/** Config values (keys without `homelab:`) -> the spec. Parse only after validateConfig found no problem. */
export const specSchema = configShape.transform(derive);

type DeepReadonly<T> = T extends (infer E)[]
    ? readonly DeepReadonly<E>[]
    : T extends object
      ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
      : T;

/** Everything but the secrets: plain data, deep-frozen. */
export type PlainSpec = DeepReadonly<z.output<typeof specSchema>>;
export type NetworkSpec = PlainSpec["network"];
export type InfrastructureHost = PlainSpec["infrastructure"][number];
export type ProxmoxSpec = PlainSpec["proxmox"];
export type ProxmoxHost = ProxmoxSpec["hosts"][number];
export type TalosSpec = PlainSpec["talos"];
export type NodeSpec = PlainSpec["nodes"][number];
export type NodeRole = NodeSpec["role"];
export type GatewaysSpec = PlainSpec["gateways"];
export type CloudflareSpec = NonNullable<PlainSpec["cloudflare"]>;
export type CertificatesSpec = PlainSpec["certificates"];
export type DnsForwardersSpec = PlainSpec["dnsForwarders"];
export type AppSpec = PlainSpec["apps"][number];
