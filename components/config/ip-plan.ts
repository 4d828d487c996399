import { compareAddresses, parseAddress } from "./addresses";
import { PlainSpec } from "./types";

// The IP allocation table of the design page, regenerated from config: every address the program
// assigns or depends on, what it is, and which segment it sits in.

export type AllocationKind = "infrastructure" | "kubernetes";

export interface AddressAllocation {
    /** One address, or a range `172.16.1.60-172.16.1.69`. */
    address: string;
    service: string;
    description: string;
    kind: AllocationKind;
    segment: string;
}

export interface Segment {
    name: string;
    cidr: string;
    purpose: string;
}

export function planSegments(spec: PlainSpec): Segment[] {
    return [
        { name: "Node Network", cidr: spec.network.nodeCidr, purpose: "Physical/VM network" },
        { name: "Pod Network", cidr: spec.network.podCidr, purpose: "Kubernetes pods" },
        { name: "Service Network", cidr: spec.network.serviceCidr, purpose: "Kubernetes services" },
    ];
}

function infrastructureRole(spec: PlainSpec, name: string, ip: string): { service: string; description: string } {
    if (ip === spec.network.router) return { service: name, description: "Default gateway" };
    if (spec.proxmox.hosts.some((h) => h.name === name)) return { service: name, description: "Proxmox VE host" };
    const dnsRank = spec.network.nameservers.indexOf(ip);
    if (dnsRank === 0) return { service: name, description: "Primary DNS" };
    if (dnsRank > 0) return { service: name, description: "Secondary DNS" };
    return { service: name, description: "Fixed host" };
}

/** Every allocated address, numerically ordered, the load-balancer pool last. */
export function planAddresses(spec: PlainSpec): AddressAllocation[] {
    const segment = `Node Network ${spec.network.nodeCidr}`;
    const rows: AddressAllocation[] = [
        ...spec.infrastructure.map((h) => {
            const role = infrastructureRole(spec, h.name, h.ip);
            return {
                address: h.ip,
                service: role.service,
                description: h.description ?? role.description,
                kind: "infrastructure" as const,
                segment,
            };
        }),
        { address: spec.talos.vip, service: "Kubernetes VIP", description: "API server (HA)", kind: "kubernetes", segment },
        ...spec.nodes.map((n) => ({
            address: n.ip,
            service: n.name,
            description: `${n.role === "controlplane" ? "Control plane" : "Worker"} on ${n.host} (VM ${n.vmId})`,
            kind: "kubernetes" as const,
            segment,
        })),
        { address: spec.gateways.dns, service: "k8s_gateway", description: "Internal DNS resolution", kind: "kubernetes", segment },
        {
            address: spec.gateways.internal,
            service: "envoy-internal",
            description: "Internal ingress gateway",
            kind: "kubernetes",
            segment,
        },
        {
            address: spec.gateways.external,
            service: "envoy-external",
            description: "External ingress gateway",
            kind: "kubernetes",
            segment,
        },
    ];
    rows.sort((a, b) => compareAddresses(parseAddress(a.address)!, parseAddress(b.address)!));
    const { start, stop } = spec.network.loadBalancerRange;
    rows.push({
        address: `${start}-${stop}`,
        service: "Cilium LB-IPAM pool",
        description: "LoadBalancer addresses, announced over L2",
        kind: "kubernetes",
        segment,
    });
    return rows;
}
