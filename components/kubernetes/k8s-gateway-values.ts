import { InfrastructureHost, PlainSpec } from "../spec";
import { lbIpsAnnotation } from "../spec/facts";

// Pure inputs for the k8s_gateway release: Helm values for chart 3.7.2 (versions.ts). Value keys are the
// chart's (reference/k8s-gateway/chart-3.7.2/values.yaml); the chart ships no values schema.

export interface K8sGatewayPlan {
    /** The delegated domain (`ragas.cc`): the home resolvers forward it here, k8s_gateway answers for it. */
    domain: string;
    /** The pinned LoadBalancer address of the DNS service (homelab:gateways.dns). */
    address: string;
    /** Fixed hosts, published as `<name>.<domain>` A records: the spec's "External Services (manual records)". */
    infrastructure: readonly InfrastructureHost[];
}

export interface ManualRecord {
    /** Fully qualified: `router.ragas.cc`. */
    hostname: string;
    address: string;
}

export function k8sGatewayPlan(spec: PlainSpec): K8sGatewayPlan {
    return { domain: spec.domain, address: spec.gateways.dns, infrastructure: spec.infrastructure };
}

/**
 * TTL of every answer under the domain, routes and manual records alike (seconds). Short, so a route that
 * is added or moves to the other gateway reaches clients within half a minute through AdGuard's and
 * Technitium's caches; long enough that those caches ride out a move of its address to another node
 * (the L2 lease fails over in 10-20 s, see cilium-values.ts). cluster-template uses 1 s, which turns the
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
 * merging into it. The chart's probes and Service depend on them: `health` (liveness, :8080/health),
 * `ready` (readiness, :8181/ready), `prometheus` (the Service's prometheus.io/port 9153). `forward` only
 * sees names outside the domain, as k8s_gateway does not fall through.
 */
const chartZonePlugins = [
    { name: "log" },
    { name: "errors" },
    { name: "health", configBlock: "lameduck 5s" },
    { name: "ready" },
    { name: "prometheus", parameters: "0.0.0.0:9153" },
    { name: "forward", parameters: ". /etc/resolv.conf" },
    { name: "loop" },
    // Re-reads the Corefile when the ConfigMap changes, so a new infrastructure host needs no pod restart.
    { name: "reload" },
    { name: "loadbalance" },
];

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
        service: {
            type: "LoadBalancer",
            port: 53,
            // LB-IPAM hands out exactly this address, the one the home resolvers forward the domain to.
            annotations: { [lbIpsAnnotation]: plan.address },
            // L2 announcements pick a node by lease, not by where the pod runs: with Local, the announcing
            // node may have no k8s_gateway pod and drop every query
            // (https://github.com/onedr0p/cluster-template/issues/1606).
            externalTrafficPolicy: "Cluster",
            // TCP too: the home resolvers retry a truncated UDP answer over TCP.
            useTcp: true,
        },
        extraZonePlugins: [...chartZonePlugins.map((p) => ({ ...p })), manualRecordsPlugin(plan)],
    };
}

export type K8sGatewayValues = ReturnType<typeof k8sGatewayValues>;
