import { NodeSpec, PlainSpec } from "../../config";
import { kubernetesApiPort } from "../../config/facts";
import { ProxmoxAccess, proxmoxApi } from "../../proxmox/access";

// The Talos patch inputs, from the spec: plain data the patch builders (plan/patches.ts, plan/patches-network.ts) read.

/** What every node's machine config shares. Addresses are dotted IPv4, CIDRs in prefix form. */
export interface TalosClusterPlan {
    /** Kubernetes cluster name, e.g. "home". */
    clusterName: string;
    /** The API server VIP the control planes share, e.g. "172.16.1.49". */
    vip: string;
    /** The node network, e.g. "172.16.1.0/24". */
    nodeCidr: string;
    /** The node network's prefix length, e.g. 24. */
    prefixLength: number;
    /** The router on the node network, every node's default route, e.g. "172.16.1.1". */
    router: string;
    /** LAN resolvers in order of preference, e.g. ["172.16.1.11", "172.16.1.10"]. */
    nameservers: string[];
    /** Pod network, e.g. "10.42.0.0/16". */
    podCidr: string;
    /** Service network, e.g. "10.43.0.0/16". */
    serviceCidr: string;
    /** Image-factory installer with the schematic and Talos version, e.g. "factory.talos.dev/nocloud-installer/<id>:v1.13.9". */
    installImage: string;
}

/** One Talos VM. */
export interface TalosNodePlan {
    /** Hostname and Kubernetes node name, e.g. "talos-cp-1". */
    name: string;
    role: "controlplane" | "worker";
    /** The static node address, e.g. "172.16.1.50". */
    ip: string;
    /** The MAC of the VM's NIC, lower-case, e.g. "02:a1:b2:c3:d4:e5". */
    mac: string;
}

/** What the per-node documents read of the cluster plan: never the install image, so they stay plain values. */
export type NodeNetworkPlan = Pick<TalosClusterPlan, "vip" | "prefixLength" | "router">;

export function nodeNetworkPlan(spec: PlainSpec): NodeNetworkPlan {
    return { vip: spec.talos.vip, prefixLength: spec.network.prefixLength, router: spec.network.router };
}

export function clusterPlan(spec: PlainSpec): Omit<TalosClusterPlan, "installImage">;
export function clusterPlan(spec: PlainSpec, installImage: string): TalosClusterPlan;
export function clusterPlan(spec: PlainSpec, installImage?: string): Omit<TalosClusterPlan, "installImage"> {
    return {
        ...nodeNetworkPlan(spec),
        clusterName: spec.talos.clusterName,
        nodeCidr: spec.network.nodeCidr,
        nameservers: [...spec.network.nameservers],
        podCidr: spec.network.podCidr,
        serviceCidr: spec.network.serviceCidr,
        ...(installImage === undefined ? {} : { installImage }),
    };
}

export function nodePlan(node: NodeSpec): TalosNodePlan {
    return { name: node.name, role: node.role, ip: node.ip, mac: node.mac };
}

/** The Kubernetes API behind the VIP; every machine config and the kubeconfig point at it. */
export function clusterEndpoint(spec: PlainSpec): string {
    return `https://${spec.talos.vip}:${kubernetesApiPort}`;
}

/** Everything the TalosCluster component reads, computed once. */
export interface TalosPlan {
    clusterName: string;
    /** `https://<vip>:6443`. */
    endpoint: string;
    /** Every node in config order; a node's config is keyed by its name. */
    nodes: TalosNodePlan[];
    /** The control planes in config order: etcd waits for all of their configs. */
    controlPlanes: TalosNodePlan[];
    /** Control-plane addresses, in config order: talosctl's endpoints. */
    controlPlaneIps: string[];
    /** Where etcd is bootstrapped: the first control plane in config order (never the VIP). */
    bootstrapNode: TalosNodePlan;
    /** What every node's own documents read. */
    nodeNetwork: NodeNetworkPlan;
    /** The cluster plan but for the installer image, which comes from the image factory. */
    cluster: Omit<TalosClusterPlan, "installImage">;
    /** Installed Talos, Kubernetes, and the machine-config contract the configs are generated under. */
    versions: { talos: string; kubernetes: string; configContract: string };
    /** Each node's VM, for a restart through Proxmox: host and VM id, the hardware a restart applies, and its
     *  disk size (which a running VM resizes live, but not together with a hardware change: proxmox/plan/talos-vms.ts). */
    vms: Record<string, { host: string; vmId: number; hardware: string; diskGiB: number }>;
    /** The Proxmox API the restarts use (its token is a secret, passed beside the plan). */
    proxmox: Omit<ProxmoxAccess, "apiToken">;
}

export function talosPlan(spec: PlainSpec): TalosPlan {
    const nodes = spec.nodes.map(nodePlan);
    const controlPlaneNodes = nodes.filter((n) => n.role === "controlplane");
    return {
        clusterName: spec.talos.clusterName,
        endpoint: clusterEndpoint(spec),
        nodes,
        controlPlanes: controlPlaneNodes,
        controlPlaneIps: controlPlaneNodes.map((n) => n.ip),
        bootstrapNode: controlPlaneNodes[0],
        nodeNetwork: nodeNetworkPlan(spec),
        cluster: clusterPlan(spec),
        versions: { talos: spec.talos.version, kubernetes: spec.talos.kubernetesVersion, configContract: spec.talos.configContract },
        vms: Object.fromEntries(
            spec.nodes.map((n) => [
                n.name,
                { host: n.host, vmId: n.vmId, hardware: `${n.cores} cores, ${n.memoryMiB} MiB`, diskGiB: n.diskGiB },
            ]),
        ),
        proxmox: proxmoxApi(spec.proxmox),
    };
}
