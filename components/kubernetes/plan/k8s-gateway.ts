import type * as k8s from "@pulumi/kubernetes";
import type { Input } from "@pulumi/pulumi";
import { InfrastructureHost, PlainSpec } from "../../config";
import { dnsServiceName, lbIpsAnnotation, networkNamespace, replicasFor, spreadOverNodes } from "../../config/facts";

// Pure inputs for the k8s_gateway release: Helm values for chart 3.7.2 (versions.ts). Value keys are the
// chart's (reference/k8s-gateway/chart-3.7.2/values.yaml); the chart ships no values schema.

export interface K8sGatewayPlan {
    /** The delegated domain (`ragas.cc`): the home resolvers forward it here, k8s_gateway answers for it. */
    domain: string;
    /** The pinned LoadBalancer address of the DNS service (homelab:gateways.dns). */
    address: string;
    /** Fixed hosts, published as `<name>.<domain>` A records: the spec's "External Services (manual records)". */
    infrastructure: readonly InfrastructureHost[];
    /** Nodes of every role: a second replica only when it can run on another node. */
    nodeCount: number;
}

export interface ManualRecord {
    /** Fully qualified: `router.ragas.cc`. */
    hostname: string;
    address: string;
}

export function k8sGatewayPlan(spec: PlainSpec): K8sGatewayPlan {
    return { domain: spec.domain, address: spec.gateways.dns, infrastructure: spec.infrastructure, nodeCount: spec.nodes.length };
}

/**
 * TTL of every answer under the domain, routes and manual records alike (seconds). Short, so a route that
 * is added or moves to the other gateway reaches clients within half a minute through AdGuard's and
 * Technitium's caches; long enough that those caches ride out a move of its address to another node
 * (the L2 lease fails over in 10-20 s, see plan/cilium.ts). cluster-template uses 1 s, which turns the
 * home resolvers' caches off for the domain.
 */
export const recordTtlSeconds = 30;

/** `<name>.<domain>` -> address for every infrastructure host, sorted by name so the Corefile never reorders. */
export function manualRecords(plan: K8sGatewayPlan): ManualRecord[] {
    return plan.infrastructure
        .map((host) => ({ hostname: `${host.name}.${plan.domain}`, address: host.ip }))
        .sort((a, b) => (a.hostname < b.hostname ? -1 : a.hostname > b.hostname ? 1 : 0));
}

/**
 * The CoreDNS `hosts` plugin that serves the manual records, as a chart `extraZonePlugins` entry
 * (rendered as `hosts <parameters> { <configBlock> }` inside the chart's one `.:1053` server block).
 *
 * Why `hosts` and not the chart's `zoneFiles` (the `file` plugin): CoreDNS runs a server block's plugins
 * in its compiled order (core/dnsserver/zdirectives.go), never in Corefile order. k8s_gateway's build
 * takes the slot of k8s_external/kubernetes (cmd/coredns.go), which comes after `hosts` and before
 * `file`. So a query for `<x>.<domain>` goes:
 *   hosts: answers router.ragas.cc etc.; any other name under the domain falls through (`fallthrough`) ->
 *   k8s_gateway: answers HTTPRoute and LoadBalancer Service names, the apex SOA/NS, and NXDOMAIN for the
 *   rest (no fallthrough there: it stays the one authority for the zone).
 * With `file` instead, k8s_gateway would need `fallthrough` for the whole domain and a second SOA would
 * answer the misses. A manual record therefore wins over a route of the same name.
 *
 * `/etc/hosts` is the pod's own (localhost and the pod name, nothing under the domain); the domain as the
 * plugin's only zone keeps it from answering anything else. `no_reverse`: the home resolvers forward only
 * the domain here, and PTRs for the LAN belong to them.
 */
export function manualRecordsPlugin(plan: K8sGatewayPlan): { name: "hosts"; parameters: string; configBlock: string } {
    const lines = manualRecords(plan).map((r) => `${r.address} ${r.hostname}`);
    return {
        name: "hosts",
        parameters: `/etc/hosts ${plan.domain}`,
        configBlock: [...lines, `ttl ${recordTtlSeconds}`, "no_reverse", "fallthrough"].join("\n"),
    };
}

/**
 * The chart's default zone plugins, restated because a values list replaces the default list instead of
 * merging into it, less `forward . /etc/resolv.conf` and `loop`. The chart renders one `.:1053` server block
 * (templates/configmap.yaml), so with `forward` every name outside the domain was recursed through the node's
 * resolvers: .60 was an open resolver for the LAN, and answered `*.svc.cluster.local` too. The home resolvers
 * send only the domain here, so nothing else needs an answer; without `forward` a name outside the domain
 * reaches the end of the plugin chain and gets SERVFAIL. `loop` only detects forwarding loops, and there is no
 * forwarding left. The probes and the Service depend on the rest: `health` (liveness, :8080/health), `ready`
 * (readiness, :8181/ready), `prometheus` (the Service's prometheus.io/port 9153).
 */
const chartZonePlugins = [
    { name: "log" },
    { name: "errors" },
    { name: "health", configBlock: "lameduck 5s" },
    { name: "ready" },
    { name: "prometheus", parameters: "0.0.0.0:9153" },
    // Re-reads the Corefile when the ConfigMap changes, so a new infrastructure host needs no pod restart.
    { name: "reload" },
    { name: "loadbalance" },
];

/** The chart's pod selector label (`app.kubernetes.io/name`, the chart's name: fullnameOverride does not change it). */
const podLabels = { "app.kubernetes.io/name": "k8s-gateway" };

/** Helm values for the k8s-gateway chart. */
export function k8sGatewayValues(plan: K8sGatewayPlan) {
    return {
        // Objects named k8s-gateway whatever the release is called (the chart's default is <release>-k8s-gateway).
        fullnameOverride: "k8s-gateway",
        domain: plan.domain,
        ttl: recordTtlSeconds,
        // Gateway API routes (each name answers with its Gateway's address) and LoadBalancer Services; no
        // Ingress controller runs here.
        watchedResources: ["HTTPRoute", "Service"],
        // The chart's Service, headless: it allocates no address and no port; dnsServiceManifest serves .60.
        service: { type: "ClusterIP", clusterIP: "None", port: 53, useTcp: true },
        // `<name>.<namespace>` of the Service whose address answers the zone's NS glue (k8s_gateway's SelfAddress
        // looks it up); the chart's default is its own Service, which no longer has one.
        apex: `${dnsServiceName}.${networkNamespace}`,
        extraZonePlugins: [...chartZonePlugins.map((p) => ({ ...p })), manualRecordsPlugin(plan)],
        // The only upstream for the domain at home: a second replica on another node keeps it answering while a
        // node restarts.
        replicaCount: replicasFor(plan.nodeCount),
        topologySpreadConstraints: spreadOverNodes(podLabels),
        // PodSecurity `restricted`, which Talos' kube-apiserver warns about on every apply otherwise (it enforces
        // baseline). The chart adds runAsUser 1000 itself while `secure` is on (templates/_helper.tpl), and the
        // server listens on 1053, so no capability is needed.
        podSecurityContext: { seccompProfile: { type: "RuntimeDefault" } },
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, runAsNonRoot: true },
    };
}

/**
 * The Service the home resolvers forward the domain to, on UDP and TCP 53 (they retry a truncated answer over TCP).
 * Made by the program and not by the chart: the chart has no key for `allocateLoadBalancerNodePorts`
 * (templates/service.yaml), and a LoadBalancer Service gets a NodePort per port by default, so port 53 would also
 * answer on a high port of every node address. Cilium's kube-proxy replacement serves the LB address without them.
 * The chart's own Service is headless (k8sGatewayValues).
 */
export function dnsServiceManifest(plan: K8sGatewayPlan, namespace: Input<string>) {
    return {
        metadata: {
            name: dnsServiceName,
            namespace,
            // LB-IPAM hands out exactly this address, the one the home resolvers forward the domain to.
            annotations: { [lbIpsAnnotation]: plan.address },
        },
        spec: {
            type: "LoadBalancer",
            allocateLoadBalancerNodePorts: false,
            // L2 announcements pick a node by lease, not by where the pod runs: with Local, the announcing node may
            // have no k8s_gateway pod and drop every query (https://github.com/onedr0p/cluster-template/issues/1606).
            externalTrafficPolicy: "Cluster",
            selector: { ...podLabels },
            // The container ports the chart names (templates/deployment.yaml).
            ports: [
                { name: "dns-udp", port: 53, protocol: "UDP", targetPort: "dns-udp" },
                { name: "dns-tcp", port: 53, protocol: "TCP", targetPort: "dns-tcp" },
            ],
        },
    } satisfies k8s.types.input.core.v1.Service;
}
