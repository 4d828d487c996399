import type { NodeNetworkPlan, TalosClusterPlan, TalosNodePlan } from "./cluster";

// Talos 1.13 configures the network with typed documents. The legacy `machine.network` block (interfaces,
// hostname, nameservers) is deprecated and is no longer in the v1.13 config schema at all.

/**
 * The alias Talos gives each node's NIC. Talos warns against kernel-style names (eth0, ens18): they could
 * clash with a real interface. LinkConfig and the VIP refer to the alias; the kernel name is left as it is.
 */
export const nodeLinkAlias = "net0";

interface TypedDocument<Kind extends string> {
    apiVersion: "v1alpha1";
    kind: Kind;
}

export interface HostnameConfig extends TypedDocument<"HostnameConfig"> {
    auto: "off";
    hostname: string;
}

export interface LinkAliasConfig extends TypedDocument<"LinkAliasConfig"> {
    name: string;
    /** A CEL expression over the link's status that must match exactly one physical link. */
    selector: { match: string };
}

export interface LinkConfig extends TypedDocument<"LinkConfig"> {
    name: string;
    addresses: { address: string }[];
    routes: { gateway: string }[];
}

export interface Layer2VIPConfig extends TypedDocument<"Layer2VIPConfig"> {
    /** The virtual IP itself. */
    name: string;
    link: string;
}

export interface ResolverConfig extends TypedDocument<"ResolverConfig"> {
    nameservers: { address: string }[];
}

export type NetworkDocument = HostnameConfig | LinkAliasConfig | LinkConfig | Layer2VIPConfig | ResolverConfig;

/** The LAN resolvers, in order of preference; they also become CoreDNS's upstreams through hostDNS. */
export function resolverConfig(plan: TalosClusterPlan): ResolverConfig {
    return {
        apiVersion: "v1alpha1",
        kind: "ResolverConfig",
        nameservers: plan.nameservers.map((address) => ({ address })),
    };
}

/**
 * A static hostname. The generated config carries `HostnameConfig { auto: stable }`; this patch merges
 * into it, and `auto` must become `off` because Talos 1.13 rejects `stable` next to a `hostname`.
 * `{auto: off, hostname}` is the form Talos' own static-hostname patch produces (stdpatches.WithStaticHostname).
 * The static name outranks the one nocloud reads from cloud-init, which is the same VM name anyway; in
 * 1.13.0 `auto: off` alone was rejected, see https://github.com/siderolabs/talos/issues/13249.
 */
export function hostnameConfig(node: TalosNodePlan): HostnameConfig {
    return { apiVersion: "v1alpha1", kind: "HostnameConfig", auto: "off", hostname: node.name };
}

/**
 * Names the NIC by the MAC Proxmox gives it, not by interface name: the kernel name depends on the naming
 * scheme (eth0 with net.ifnames=0, ens18 with predictable names), and a VIP bound to a name that does not
 * exist never comes up (https://github.com/siderolabs/talos/issues/10402,
 * https://github.com/onedr0p/cluster-template/pull/1310).
 * `hardware_addr` is the MAC in use; with no bond on the node it equals the permanent one.
 * Worked example: `mac(link.hardware_addr) == "02:a1:b2:c3:d4:e5"`.
 */
export function linkAliasConfig(node: TalosNodePlan): LinkAliasConfig {
    return {
        apiVersion: "v1alpha1",
        kind: "LinkAliasConfig",
        name: nodeLinkAlias,
        selector: { match: `mac(link.hardware_addr) == "${node.mac.toLowerCase()}"` },
    };
}

/**
 * The node's static address and default route (a route without a destination is the default route).
 * There is no DHCP switch to turn off: once any LinkConfig document exists, Talos stops running its
 * default DHCP on every link, and no DHCPv4Config document is written.
 */
export function linkConfig(plan: NodeNetworkPlan, node: TalosNodePlan): LinkConfig {
    return {
        apiVersion: "v1alpha1",
        kind: "LinkConfig",
        name: nodeLinkAlias,
        addresses: [{ address: `${node.ip}/${plan.prefixLength}` }],
        routes: [{ gateway: plan.router }],
    };
}

/**
 * The API server VIP, announced by gratuitous ARP from one healthy control plane at a time. Talos supports
 * it only on control planes, and it only comes up once etcd is running, so talosconfig and the bootstrap
 * must use node IPs (https://github.com/siderolabs/terraform-provider-talos/issues/267).
 */
export function layer2VipConfig(plan: NodeNetworkPlan): Layer2VIPConfig {
    return { apiVersion: "v1alpha1", kind: "Layer2VIPConfig", name: plan.vip, link: nodeLinkAlias };
}

/** The documents that differ per node: hostname, NIC alias, address and, on control planes, the VIP. */
export function nodePatches(plan: NodeNetworkPlan, node: TalosNodePlan): NetworkDocument[] {
    const docs: NetworkDocument[] = [hostnameConfig(node), linkAliasConfig(node), linkConfig(plan, node)];
    if (node.role === "controlplane") docs.push(layer2VipConfig(plan));
    return docs;
}
