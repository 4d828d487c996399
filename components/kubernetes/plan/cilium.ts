import { controlPlanes, PlainSpec } from "../../config";
import { rangeOf, rangeSize } from "../../config/addresses";
import { kubePrismPort, replicasFor } from "../../config/facts";

// Pure inputs for the Cilium release: Helm values for chart 1.20.1 (versions.ts), the LB-IPAM pool and the
// L2 announcement policy. Value keys are the chart's (reference/cilium/chart-1.20.0/values.yaml: the patch release keeps its schema).

/** Where the chart is installed: the agents, the operator, cilium-config and the L2 announcement leases live there. */
export const ciliumNamespace = "kube-system";
/** The LB-IPAM pool's name. */
export const lbPoolName = "lb-pool";

export interface CiliumPlan {
    /** Pod network, e.g. "10.42.0.0/16"; Talos hands each node a slice of it (cluster.network.podSubnets). */
    podCidr: string;
    /** The LoadBalancer addresses LB-IPAM may hand out, both ends included (homelab:network.loadBalancerRange). */
    loadBalancerRange: { start: string; stop: string };
    /** Control-plane nodes; decides whether the operator runs a standby replica. */
    controlPlaneCount: number;
}

/** The node count does not enter: the API rate limit below is per agent (see agentClientRateLimit). */
export function ciliumPlan(spec: PlainSpec): CiliumPlan {
    return {
        podCidr: spec.network.podCidr,
        loadBalancerRange: { ...spec.network.loadBalancerRange },
        controlPlaneCount: controlPlanes(spec).length,
    };
}

/**
 * L2 announcement lease timings (seconds): the chart's documented defaults (values.yaml lists them only as
 * comments), written out so the client rate limit below is derived from the values actually in force.
 * Failover takes between duration - renewDeadline and duration + renewDeadline, 10-20 s.
 */
const l2Lease = { durationSeconds: 15, renewDeadlineSeconds: 5, retryPeriodSeconds: 2 } as const;

/** The agent's API client budget when k8sClientRateLimit is unset (values.yaml `@default`: 10 qps, burst 20). */
const agentClientDefault = { qps: 10, burst: 20 } as const;

/**
 * Every L2-announced Service is a Lease that each agent takes part in electing (our policy selects all
 * nodes). client-go leader election makes one request per lease every retry period, whether the agent holds
 * the lease (renew) or not (try to acquire). When those requests queue behind the client-side rate limit,
 * renewals miss their deadline and the addresses stop being announced: https://github.com/cilium/cilium/issues/26586
 * (one more lease per Service: https://github.com/cilium/cilium/issues/30841).
 *
 * Cilium's sizing guide (https://docs.cilium.io/en/stable/network/l2-announcements/#sizing-client-rate-limit)
 * gives `services / leaseRenewDeadline`; we size on the retry period, the busier of the two, and add it on
 * top of the agent's default budget instead of replacing it. The number of Services is at most the number
 * of addresses in the pool. The limit is per agent, so the node count does not enter it; nodes only
 * multiply the API server's total (4 agents x 5 req/s for the home plan).
 * Worked example, home plan: 10 addresses / 2 s = 5 req/s -> qps 10 + 5 = 15, burst 2 x 15 = 30.
 */
function agentClientRateLimit(plan: CiliumPlan): { qps: number; burst: number } {
    const leaseRequestsPerSecond = Math.ceil(loadBalancerAddressCount(plan) / l2Lease.retryPeriodSeconds);
    const qps = agentClientDefault.qps + leaseRequestsPerSecond;
    // The chart's own burst-to-qps ratio (20:10), so other features' bursts still fit above the lease load.
    return { qps, burst: qps * (agentClientDefault.burst / agentClientDefault.qps) };
}

function loadBalancerAddressCount(plan: CiliumPlan): number {
    const { start, stop } = plan.loadBalancerRange;
    const range = rangeOf(start, stop);
    if (!range) {
        throw new Error(`homelab:network.loadBalancerRange: ${start}-${stop} is not an IPv4 range with start <= stop`);
    }
    return rangeSize(range);
}

/**
 * Talos forbids Kubernetes workloads from loading kernel modules, so the agent and its clean-state init
 * container get the chart's default capabilities minus SYS_MODULE.
 * https://docs.siderolabs.com/kubernetes-guides/cni/deploying-cilium
 */
const agentCapabilities = [
    "CHOWN",
    "KILL",
    "NET_ADMIN",
    "NET_RAW",
    "IPC_LOCK",
    "SYS_ADMIN",
    "SYS_RESOURCE",
    "DAC_OVERRIDE",
    "FOWNER",
    "SETGID",
    "SETUID",
    "SYSLOG",
];
const cleanStateCapabilities = ["NET_ADMIN", "SYS_ADMIN", "SYS_RESOURCE"];

/**
 * Helm values for the cilium chart. Left at the chart default on purpose:
 * - `devices`: the agent auto-detects the devices that carry a non-local route. Each node has one NIC,
 *   selected in Talos by MAC under its kernel name (no bond or VLAN to name), so detection finds it and the
 *   L2 policy's interfaces are among the devices, as L2 announcements require.
 * - `externalIPs`: nothing uses Service.spec.externalIPs; L2 announces LoadBalancer addresses only.
 * - `loadBalancer.dsrDispatch`: the default, an IPv4 option ("opt"), is the dispatch for native routing;
 *   "geneve" is for tunnel routing and "ipip" for the standalone L4 load balancer.
 */
export function ciliumValues(plan: CiliumPlan) {
    return {
        // Talos runs no kube-proxy (cluster.proxy.disabled); Cilium's eBPF service handling replaces it.
        kubeProxyReplacement: true,
        // KubePrism, Talos' API load balancer on every node. Without kube-proxy the agent cannot use the
        // kubernetes ClusterIP before it has programmed services itself, and the API VIP is held by one node.
        k8sServiceHost: "127.0.0.1",
        k8sServicePort: kubePrismPort,
        // Every node sits on the one node network, so each node's pod CIDR is routed directly to it: no tunnel, and
        // DSR requires native routing. Inside this CIDR Cilium neither masquerades nor encapsulates.
        routingMode: "native",
        autoDirectNodeRoutes: true,
        ipv4NativeRoutingCIDR: plan.podCidr,
        // Per-node pod CIDRs come from the controller-manager, carved from Talos' podSubnets.
        ipam: { mode: "kubernetes" },
        loadBalancer: {
            // The backend's node replies to the client itself, with the Service address as source, so Envoy
            // sees the real client address. Services announced over L2 must use externalTrafficPolicy Cluster:
            // with Local, an address can be announced from a node with no backend and stop answering
            // (https://github.com/cilium/cilium/issues/27800, https://github.com/onedr0p/cluster-template/issues/1606).
            mode: "dsr",
            // Consistent hashing: every node picks the same backend for a flow, so connections survive when
            // the L2 lease, and with it the load-balancing node, moves to another node.
            algorithm: "maglev",
        },
        l2announcements: {
            enabled: true,
            leaseDuration: `${l2Lease.durationSeconds}s`,
            leaseRenewDeadline: `${l2Lease.renewDeadlineSeconds}s`,
            leaseRetryPeriod: `${l2Lease.retryPeriodSeconds}s`,
        },
        k8sClientRateLimit: agentClientRateLimit(plan),
        bpf: {
            // Pod traffic leaving the native-routing CIDR (to the LAN and internet) takes the node's address,
            // in eBPF rather than iptables: the router has no route to 10.42.0.0/16.
            masquerade: true,
            // Talos' hostDNS forwards CoreDNS upstream queries to 169.254.116.108 on the host
            // (forwardKubeDNSToHost, on by default since Talos 1.8). eBPF host routing bypasses the host stack
            // those replies need, and lookups time out: https://github.com/siderolabs/talos/issues/10002
            // (Cilium docs: https://github.com/cilium/cilium/pull/36852).
            hostLegacyRouting: true,
        },
        securityContext: {
            capabilities: { ciliumAgent: [...agentCapabilities], cleanCiliumState: [...cleanStateCapabilities] },
        },
        // Talos already mounts cgroup v2 at /sys/fs/cgroup: use that mount instead of an init container's own.
        cgroup: { autoMount: { enabled: false }, hostRoot: "/sys/fs/cgroup" },
        operator: {
            // A standby operator, as the chart's default 2, where the control plane is itself redundant; with one
            // control plane the API server has no standby either.
            replicas: replicasFor(plan.controlPlaneCount),
            // The operator and agents read cilium-config only at start: without a rollout, a values change
            // made by `pulumi up` would reach the ConfigMap but not the running pods.
            rollOutPods: true,
        },
        rollOutCiliumPods: true,
        // Envoy Gateway serves Gateway API here. Without the standalone Envoy DaemonSet the agent keeps its
        // embedded proxy for any L7 or DNS policy.
        gatewayAPI: { enabled: false },
        envoy: { enabled: false },
        // Nothing consumes flow logs yet (no relay, UI or Prometheus); the chart turns Hubble on by default.
        hubble: { enabled: false },
    };
}

export type CiliumValues = ReturnType<typeof ciliumValues>;

/** The LB-IPAM pool: exactly the planned range, never the whole node /24 where nodes and the VIP live. */
export function lbPoolManifest(plan: CiliumPlan, name: string) {
    loadBalancerAddressCount(plan);
    const { start, stop } = plan.loadBalancerRange;
    return {
        apiVersion: "cilium.io/v2",
        kind: "CiliumLoadBalancerIPPool",
        metadata: { name },
        spec: {
            // LB-IPAM applies this to `cidr` blocks only, never to start/stop ranges
            // (https://docs.cilium.io/en/stable/network/lb-ipam/). "Yes", the default, says what holds anyway:
            // both ends are allocatable, and any gateway may be pinned to either end.
            allowFirstLastIPs: "Yes",
            blocks: [{ start, stop }],
        },
    };
}

/**
 * The kernel names a Talos node's NIC may have on Proxmox; Cilium matches these as Go regexps, unanchored
 * at the end, OR-ed together. Talos (since 1.5) names links like systemd: on-board index (eno1), hotplug slot
 * (ens18: a virtio NIC at PCI slot 18, where Proxmox puts net0), bus path (enp6s18: the same NIC behind q35's
 * PCI bridges when no slot is exposed), else the MAC (enxbc241100aa01). With net.ifnames=0 it is eth0.
 * Selecting the NIC by MAC in Talos does not rename it. lxc*, cilium_* and lo never match.
 * https://docs.siderolabs.com/talos/v1.13/networking/predictable-interface-names
 */
export const nodeInterfacePatterns = ["^(eth|eno|ens|enp)[0-9]+", "^enx[0-9a-f]{12}$"];

/** Announce LoadBalancer addresses over ARP from any Linux node, on the node NIC only. */
export function l2PolicyManifest(name: string) {
    return {
        apiVersion: "cilium.io/v2alpha1",
        kind: "CiliumL2AnnouncementPolicy",
        metadata: { name },
        spec: {
            loadBalancerIPs: true,
            nodeSelector: { matchLabels: { "kubernetes.io/os": "linux" } },
            interfaces: [...nodeInterfacePatterns],
        },
    };
}
