import * as YAML from "yaml";
import { NetworkDocument, nodePatches, resolverConfig } from "./patches-network";
import type { TalosClusterPlan, TalosNodePlan } from "./cluster";
import { kubePrismPort } from "../../config/facts";

// Talos machine-config patches as plain data: one object per YAML document, in the forms Talos v1.13
// accepts (checked against its config schema in test/talos/patches.spec.ts). The provider merges them,
// in order, into the config it generates: clusterPatches, then controlPlanePatches on control planes,
// then nodePatches.

export * from "./patches-network";
export type { NodeNetworkPlan, TalosClusterPlan, TalosNodePlan } from "./cluster";

export { kubePrismPort } from "../../config/facts";

/** The VM boots from one SCSI disk (Proxmox scsi0), which Linux names sda. */
export const installDisk = "/dev/sda";

/** The part of the v1alpha1 machine config these patches set (field names as in the Talos v1.13 schema). */
export interface MachineConfigPatch {
    machine?: {
        install?: { disk: string; image: string };
        certSANs?: string[];
        kubelet?: { nodeIP: { validSubnets: string[] } };
        features?: {
            kubePrism: { enabled: boolean; port: number };
            hostDNS: { enabled: boolean; forwardKubeDNSToHost: boolean };
        };
        sysctls?: Record<string, string>;
    };
    cluster?: {
        network?: { cni: { name: "none" }; podSubnets: string[]; serviceSubnets: string[] };
        apiServer?: { certSANs: string[] };
        etcd?: { advertisedSubnets: string[] };
        proxy?: { disabled: boolean };
        allowSchedulingOnControlPlanes?: boolean;
    };
}

/** One YAML document of a patch. */
export type TalosDocument = MachineConfigPatch | NetworkDocument;

/**
 * Names the certificates must carry besides the node's own addresses. Talos adds 127.0.0.1 itself; it is
 * listed so the KubePrism dependency is visible. The VIP lets talosctl and kubectl use the shared address.
 */
function certSANs(plan: TalosClusterPlan): string[] {
    return ["127.0.0.1", plan.vip];
}

/**
 * Sysctls, as strings (the schema types every value as a string).
 * - rmem/wmem_max: cloudflared's QUIC transport wants 7.5 MB UDP buffers and warns without them
 *   (https://github.com/cloudflare/cloudflared/issues/522).
 * - inotify: the limits onedr0p/cluster-template sets; the defaults run out with many pods watching files.
 */
const sysctls: Record<string, string> = {
    "fs.inotify.max_user_instances": "8192",
    "fs.inotify.max_user_watches": "1048576",
    "net.core.rmem_max": "7500000",
    "net.core.wmem_max": "7500000",
};

/** The patches every node gets, control plane or worker. */
export function clusterPatches(plan: TalosClusterPlan): TalosDocument[] {
    const machineConfig: MachineConfigPatch = {
        machine: {
            install: { disk: installDisk, image: plan.installImage },
            certSANs: certSANs(plan),
            // Otherwise the kubelet takes any IPv4 address the node has; the LAN one is what the others reach.
            kubelet: { nodeIP: { validSubnets: [plan.nodeCidr] } },
            features: {
                // On by default in Talos; pinned because Cilium's Helm values depend on this exact port.
                kubePrism: { enabled: true, port: kubePrismPort },
                // CoreDNS forwards to the node's caching resolver. With Cilium's BPF host routing the
                // forwarded queries time out, so Cilium runs bpf.hostLegacyRouting: true
                // (https://github.com/siderolabs/talos/issues/10002).
                hostDNS: { enabled: true, forwardKubeDNSToHost: true },
            },
            sysctls: { ...sysctls },
        },
        cluster: {
            network: {
                // Cilium is installed by Helm after bootstrap; until then nodes stay NotReady.
                cni: { name: "none" },
                podSubnets: [plan.podCidr],
                serviceSubnets: [plan.serviceCidr],
            },
        },
    };
    return [machineConfig, resolverConfig(plan)];
}

/** The patches only control planes get. */
export function controlPlanePatches(plan: TalosClusterPlan): TalosDocument[] {
    return [
        {
            cluster: {
                apiServer: { certSANs: certSANs(plan) },
                // Otherwise etcd advertises the node's first routable address; peers must meet on the LAN.
                etcd: { advertisedSubnets: [plan.nodeCidr] },
                // Cilium replaces kube-proxy (kubeProxyReplacement), so Talos must not deploy it.
                proxy: { disabled: true },
                // Three control planes and one worker: without this every workload (two Envoy proxies, two
                // cloudflared connectors, k8s_gateway) would share the single worker and its spread rules
                // could not spread. cluster-template does the same.
                allowSchedulingOnControlPlanes: true,
            },
        },
    ];
}

/**
 * The patches one role shares: they go into the role's generated config, so adding a node changes no
 * existing node's inputs.
 */
export function rolePatches(plan: TalosClusterPlan, role: TalosNodePlan["role"]): TalosDocument[] {
    return role === "controlplane" ? [...clusterPatches(plan), ...controlPlanePatches(plan)] : clusterPatches(plan);
}

/** Every patch one node needs, in the order the provider applies them: its role's, then its own. */
export function machinePatches(plan: TalosClusterPlan, node: TalosNodePlan): TalosDocument[] {
    return [...rolePatches(plan, node.role), ...nodePatches(plan, node)];
}

/**
 * One YAML string per document, ready for the provider's `configPatches`. Map keys are sorted (their order
 * means nothing to Talos), so equal documents always render identically; list order is kept.
 * YAML 1.1 quoting, as Go's YAML encoder does: `auto: "off"` stays a string for every reader.
 * No line folding, so long image references stay on one line.
 */
export function renderPatches(docs: readonly TalosDocument[]): string[] {
    return docs.map((doc) => YAML.stringify(doc, { sortMapEntries: true, version: "1.1", lineWidth: 0 }));
}
