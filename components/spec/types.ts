import * as pulumi from "@pulumi/pulumi";

// The validated, typed spec every component takes. Built once from config by loadSpec(); frozen.
// Addresses are dotted quads, CIDRs are network/prefix, names are RFC 1123 labels.

export type NodeRole = "controlplane" | "worker";
export type GatewayName = "internal" | "external";

export interface NetworkSpec {
    nodeCidr: string;
    /** Prefix length of nodeCidr, for static addresses (`172.16.1.50/24`). */
    prefixLength: number;
    /** The router: default route of every node. */
    gateway: string;
    podCidr: string;
    serviceCidr: string;
    nameservers: readonly string[];
    /** The addresses Cilium LB-IPAM may hand out, both ends included. */
    loadBalancerRange: { start: string; stop: string };
}

export interface InfrastructureHost {
    name: string;
    ip: string;
    description?: string;
}

export interface ProxmoxHost {
    name: string;
    /** SSH address of the host, from its homelab:infrastructure entry. */
    address: string;
}

export interface ProxmoxSpec {
    endpoint: string;
    insecure: boolean;
    hosts: readonly ProxmoxHost[];
    vmDatastore: string;
    imageDatastore: string;
    bridge: string;
    sshUsername: string;
}

export interface TalosSpec {
    clusterName: string;
    vip: string;
    extensions: readonly string[];
}

export interface NodeSpec {
    name: string;
    role: NodeRole;
    ip: string;
    host: string;
    vmId: number;
    cores: number;
    memoryMiB: number;
    diskGiB: number;
    /** Fixed MAC of the VM's NIC: configured, or derived from the name (locally administered). */
    mac: string;
}

export interface GatewaysSpec {
    /** k8s_gateway's LoadBalancer address. */
    dns: string;
    /** envoy-internal's LoadBalancer address. */
    internal: string;
    /** envoy-external's LoadBalancer address. */
    external: string;
}

export interface CloudflareSpec {
    /** Absent: taken from the zone of homelab:domain. */
    accountId?: string;
    tunnelName: string;
    scopedTokens: boolean;
}

export interface CertificatesSpec {
    issuer: string;
    acmeEmail?: string;
}

export interface DnsForwardersSpec {
    adguard?: { url: string; username: string };
    technitium?: { url: string };
}

export interface AppSpec {
    name: string;
    namespace: string;
    /** Fully qualified: `myapp.ragas.cc`. */
    hostname: string;
    gateway: GatewayName;
    /** The Service the route sends to; targetPort is what its pods listen on (the policy's port). */
    service: { name: string; port: number; targetPort: number };
    podSelector: Readonly<Record<string, string>>;
    allowFrom: readonly Readonly<Record<string, string>>[];
}

/** Everything but the secrets: plain data, deep-frozen. */
export interface PlainSpec {
    domain: string;
    network: NetworkSpec;
    infrastructure: readonly InfrastructureHost[];
    proxmox: ProxmoxSpec;
    talos: TalosSpec;
    nodes: readonly NodeSpec[];
    gateways: GatewaysSpec;
    cloudflare?: CloudflareSpec;
    certificates: CertificatesSpec;
    dnsForwarders: DnsForwardersSpec;
    apps: readonly AppSpec[];
}

/** Secret config, read with requireSecret: never plain text in the program. */
export interface SpecSecrets {
    proxmoxApiToken: pulumi.Output<string>;
    proxmoxSshPrivateKey: pulumi.Output<string>;
    /** The main token (tunnel, records, minting the DNS token); only with homelab:cloudflare. Never in the cluster. */
    cloudflareApiToken?: pulumi.Output<string>;
    /** cert-manager's DNS-only token, when the edge does not mint one (scopedTokens false, or no homelab:cloudflare). */
    cloudflareDnsToken?: pulumi.Output<string>;
    adguardPassword?: pulumi.Output<string>;
    technitiumToken?: pulumi.Output<string>;
}

export interface HomelabSpec extends PlainSpec {
    secrets: SpecSecrets;
}
