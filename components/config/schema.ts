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

/** `AB:CD:...`: 32 bytes, as `pvenode cert info` and the Proxmox UI print a certificate's SHA-256 fingerprint. */
const sha256Fingerprint = z
    .string()
    .regex(
        /^([0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2}$/,
        "is not a SHA-256 fingerprint (32 hex bytes separated by colons, as `pvenode cert info` prints it)",
    );
/** One or more PEM certificates; parsed and checked to be CAs in trust-rules.ts. */
const pemCertificates = z
    .string()
    .max(64 * 1024, "is longer than 64 KiB, far more than a CA bundle needs")
    .regex(/-----BEGIN CERTIFICATE-----/, "holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
/** How an https server proves it is the one configured; neither: a public CA and the host's name. */
const serverTrust = { caCertificate: pemCertificates.optional(), fingerprint: sha256Fingerprint.optional() };

// A Proxmox storage ID (PVE::JSONSchema parse_storage_id: a letter, then letters, digits, `-`, `_`, `.`, ending in a
// letter or digit). Storage IDs land inside `local-lvm:vm-150-disk-0` volume names; `../..` is none.
const storageId = z
    .string()
    .max(64, "is longer than 64 characters")
    .regex(/^[a-z][a-z0-9_.-]*[a-z0-9]$/i, "is not a Proxmox storage ID (a letter, then letters, digits, -, _ or ., e.g. local-lvm)");
// A Linux bridge: an interface name of at most 15 characters (IFNAMSIZ). The provider writes `bridge=<value>` into the
// comma-separated net0 property unescaped (bpg terraform-provider-proxmox v0.111.1, proxmox/nodes/vms/
// custom_network_device.go EncodeValues), so `vmbr0,tag=5` would add a VLAN tag: no comma or `=` gets through.
const bridgeName = z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$/, "is not a Linux bridge name (up to 15 letters, digits, -, _ or ., e.g. vmbr0)");

export const proxmoxSchema = z.strictObject({
    endpoint: z.url({ protocol: /^https$/ }),
    /**
     * Let the Proxmox provider skip certificate verification: the bpg provider takes no CA or pin (only this and
     * minTls), so a self-signed host it cannot verify needs it. Only with a fingerprint or CA, which the program's own
     * client still checks (trust-rules.ts).
     */
    insecure: z.boolean().default(false),
    ...serverTrust,
    hosts: z.array(text).min(1),
    vmDatastore: storageId.default("local-lvm"),
    imageDatastore: storageId.default("local"),
    bridge: bridgeName.default("vmbr0"),
    /** The SSH user the provider uses to import disk images on each host. */
    sshUsername: text.default("root"),
});

export const talosSchema = z.strictObject({
    clusterName: text,
    vip: text,
    /** Image factory names (`siderolabs/qemu-guest-agent`); a schematic holds a handful, the factory lists about a hundred. */
    extensions: z.array(text.max(128)).max(64).default(["siderolabs/qemu-guest-agent"]),
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
    memoryMiB: z
        .number()
        .int()
        .min(2048)
        .max(268435456, "is more than the 268435456 MiB (256 TiB) the Proxmox provider accepts")
        .default(8192),
    diskGiB: z.number().int().min(10).default(64),
    /** Optional fixed MAC; derived from the node name when absent. */
    mac: text.optional(),
});

export const gatewaysSchema = z.strictObject({ dns: text, internal: text, external: text });

export const cloudflareSchema = z.strictObject({
    /** Account that owns the tunnel; looked up from the domain's zone when absent. */
    accountId: z
        .string()
        .regex(/^[0-9a-f]{32}$/, "must be 32 lower-case hex digits")
        .optional(),
    tunnelName: text,
    /**
     * Opt-in: mint cert-manager's DNS-only token, with an expiry, from a token that can create tokens, read from
     * CLOUDFLARE_API_TOKEN at run time and never stored. Off (the default): the user gives that token once, in
     * homelab:cloudflareDnsToken, and no stored token can create tokens.
     */
    mintDnsToken: z.boolean().default(false),
});

// A cert-manager ClusterIssuer name: a Kubernetes object name (RFC 1123 subdomain, at most 253 characters).
const issuerName = z
    .string()
    .max(253)
    .regex(
        /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
        "is not a Kubernetes object name (lower-case letters, digits, - and ., e.g. letsencrypt-production)",
    );

export const certificatesSchema = z.strictObject({
    issuer: issuerName.default("letsencrypt-production"),
    /** Let's Encrypt account contact (expiry mail); optional for ACME. */
    acmeEmail: z.email().optional(),
});

// HTTP basic auth sends `user:password`: a user name with a colon would split at the wrong place (RFC 7617 section 2).
const basicAuthUser = z
    .string()
    .min(1)
    .max(255)
    .regex(/^[^:\s]+$/, "must not hold a colon or white space (HTTP basic auth splits user:password at the first colon)");

export const dnsForwardersSchema = z.strictObject({
    adguard: z.strictObject({ url: z.url({ protocol: /^https?$/ }), username: basicAuthUser, ...serverTrust }).optional(),
    technitium: z.strictObject({ url: z.url({ protocol: /^https?$/ }), ...serverTrust }).optional(),
});

export const appSchema = z.strictObject({
    name: text,
    namespace: text.default("default"),
    /** A single label (`myapp`, served as `myapp.<domain>`) or a full name under the domain. */
    hostname: text,
    /** internal (envoy-internal, the home network) or external (envoy-external, behind the Cloudflare tunnel). */
    gateway: z.enum(["internal", "external"]),
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
    // A home cluster's apps: each is a route, a policy and public records; a generated list of thousands is a mistake.
    apps: { schema: z.array(appSchema).max(500), required: false },
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
