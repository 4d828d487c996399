import { NodeSpec, PlainSpec } from "../spec";
import { NodeNetworkPlan, TalosClusterPlan, TalosNodePlan } from "./patches";

// The Talos patch inputs, from the spec.

export function nodeNetworkPlan(spec: PlainSpec): NodeNetworkPlan {
    return { vip: spec.talos.vip, prefixLength: spec.network.prefixLength, gateway: spec.network.gateway };
}

export function clusterPlan(spec: PlainSpec, installImage: string): TalosClusterPlan {
    return {
        ...nodeNetworkPlan(spec),
        clusterName: spec.talos.clusterName,
        nodeCidr: spec.network.nodeCidr,
        nameservers: [...spec.network.nameservers],
        podCidr: spec.network.podCidr,
        serviceCidr: spec.network.serviceCidr,
        installImage,
    };
}

export function nodePlan(node: NodeSpec): TalosNodePlan {
    return { name: node.name, role: node.role, ip: node.ip, mac: node.mac };
}

/** The Kubernetes API behind the VIP; every machine config and the kubeconfig point at it. */
export function clusterEndpoint(spec: PlainSpec): string {
    return `https://${spec.talos.vip}:6443`;
}
