import { z } from "zod";
import * as versions from "../versions";

// The shape of every `homelab:*` config key (DESIGN.md §3). Shapes and types only: rules that relate
// one value to another (CIDR membership, uniqueness, counts) live in validate.ts so that every problem
// is reported at once with its fix.

const text = z.string().min(1);
const port = z.number().int().min(1).max(65535);
const labels = z.record(z.string().min(1), z.string());

export const networkSchema = z.strictObject({
    nodeCidr: text,
    gateway: text,
    podCidr: text,
    serviceCidr: text,
    nameservers: z.array(text).min(1),
    loadBalancerRange: z.strictObject({ start: text, stop: text }),
});

export const infrastructureSchema = z.array(
    z.strictObject({
        name: text,
        ip: text,
        /** What the host is, for the IP table and docs ("Router"); derived from its use when absent. */
        description: text.optional(),
    }),
);

export const proxmoxSchema = z.strictObject({
    endpoint: z.url({ protocol: /^https$/ }),
    /** Accept the self-signed certificate every fresh Proxmox host ships with. */
    insecure: z.boolean().default(true),
    hosts: z.array(text).min(1),
    vmDatastore: text.default("local-lvm"),
    imageDatastore: text.default("local"),
    bridge: text.default("vmbr0"),
    /** The SSH user the provider uses to import disk images on each host. */
    sshUsername: text.default("root"),
});

export const talosSchema = z.strictObject({
    clusterName: text,
    vip: text,
    extensions: z.array(text).default(["siderolabs/qemu-guest-agent"]),
    /** Installed Talos; a bump is a rolling upgrade (version-rules.ts: one minor at a time, never back). */
    version: text.default(versions.talos.version),
    /** Kubernetes; a bump rolls through the nodes the same way. */
    kubernetesVersion: text.default(versions.kubernetes.version),
    /** The machine-config contract (a Talos minor, e.g. v1.13): bumped on purpose, after the nodes run it. */
    configContract: text.default(versions.talos.configContract),
});

export const nodeSchema = z.strictObject({
    name: text,
    role: z.enum(["controlplane", "worker"]),
    ip: text,
    host: text,
    vmId: z.number().int(),
    // Upper bounds: what the Proxmox provider accepts (bpg terraform-provider-proxmox, proxmoxtf/resource/vm:
    // cpu.cores 1-2304, memory.dedicated 64-268435456 MiB). A disk has no upper bound there: it is the datastore's.
    cores: z.number().int().min(1).max(2304, "is more than the 2304 cores the Proxmox provider accepts").default(4),
    memoryMiB: z.number().int().min(2048).max(268435456, "is more than the 268435456 MiB (256 TiB) the Proxmox provider accepts").default(8192),
    diskGiB: z.number().int().min(10).default(64),
    /** Optional fixed MAC; derived from the node name when absent. */
    mac: text.optional(),
});

export const gatewaysSchema = z.strictObject({ dns: text, internal: text, external: text });

export const cloudflareSchema = z.strictObject({
    /** Account that owns the tunnel; looked up from the domain's zone when absent. */
    accountId: z.string().regex(/^[0-9a-f]{32}$/, "must be 32 lower-case hex digits").optional(),
    tunnelName: text,
    /**
     * Mint cert-manager a token that can edit only this zone's DNS (the default). false: the user gives one in
     * homelab:cloudflareDnsToken. cert-manager never gets the main token, which can repoint the tunnel.
     */
    scopedTokens: z.boolean().default(true),
});

export const certificatesSchema = z.strictObject({
    issuer: text.default("letsencrypt-production"),
    /** Let's Encrypt account contact (expiry mail); optional for ACME. */
    acmeEmail: z.email().optional(),
});

export const dnsForwardersSchema = z.strictObject({
    adguard: z.strictObject({ url: z.url({ protocol: /^https?$/ }), username: text }).optional(),
    technitium: z.strictObject({ url: z.url({ protocol: /^https?$/ }) }).optional(),
});

export const appSchema = z.strictObject({
    name: text,
    namespace: text.default("default"),
    /** A single label (`myapp`, served as `myapp.<domain>`) or a full name under the domain. */
    hostname: text,
    gateway: text,
    service: z.strictObject({
        name: text,
        port,
        /** The port the pods listen on, for the network policy; the Service's port when absent. */
        targetPort: port.optional(),
    }),
    /** Labels of the pods behind the service; `app: <name>` when absent. */
    podSelector: labels.optional(),
    /** Label sets allowed to reach the app's pods; a CiliumNetworkPolicy is made when set. */
    allowFrom: z.array(labels).optional(),
    /** Opt-in for an app in a namespace Kubernetes or the program runs (app-rules.ts systemNamespaces). */
    allowSystemNamespace: z.boolean().optional(),
});

/** Every plain config key, with whether the stack must set it. */
export const configKeys = {
    domain: { schema: text, required: true },
    network: { schema: networkSchema, required: true },
    infrastructure: { schema: infrastructureSchema, required: true },
    proxmox: { schema: proxmoxSchema, required: true },
    talos: { schema: talosSchema, required: true },
    nodes: { schema: z.array(nodeSchema).min(1), required: true },
    gateways: { schema: gatewaysSchema, required: true },
    cloudflare: { schema: cloudflareSchema, required: false },
    certificates: { schema: certificatesSchema, required: true },
    dnsForwarders: { schema: dnsForwardersSchema, required: false },
    apps: { schema: z.array(appSchema), required: false },
} as const;

export type ConfigKey = keyof typeof configKeys;

/** The secret config keys, set with `pulumi config set --secret`. */
export const secretKeys = [
    "proxmoxApiToken",
    "proxmoxSshPrivateKey",
    "cloudflareApiToken",
    "cloudflareDnsToken",
    "adguardPassword",
    "technitiumToken",
] as const;
export type SecretKey = (typeof secretKeys)[number];
