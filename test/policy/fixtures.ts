import { resourceTypes } from "../../policy/policies/resource-types";
import { Fixture } from "./harness";

// Passing fixtures: each resource as the home stack registers it (props keyed as the SDKs name them).
// A failing test copies one with `edit` and changes a single field.

export const vm: Fixture = {
    type: resourceTypes.vm,
    name: "talos-vms-talos-cp-1",
    props: {
        name: "talos-cp-1",
        nodeName: "pve1",
        vmId: 150,
        initialization: { ipConfigs: [{ ipv4: { address: "172.16.1.50/24", gateway: "172.16.1.1" } }] },
    },
};

export const k8sGatewayService: Fixture = {
    type: resourceTypes.service,
    name: "k8s-gateway-service",
    props: {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: "k8s-gateway", namespace: "network", annotations: { "lbipam.cilium.io/ips": "172.16.1.60" } },
        spec: { type: "LoadBalancer", ports: [{ name: "dns", port: 53, protocol: "UDP" }] },
    },
};

const httpsListener = {
    name: "https",
    protocol: "HTTPS",
    port: 443,
    hostname: "*.ragas.cc",
    tls: { mode: "Terminate", certificateRefs: [{ kind: "Secret", name: "ragas-cc-tls" }] },
};

export const envoyInternal: Fixture = {
    type: resourceTypes.gateway,
    name: "envoy-gateway-internal",
    props: {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "Gateway",
        metadata: { name: "envoy-internal", namespace: "network" },
        spec: {
            gatewayClassName: "envoy",
            infrastructure: { annotations: { "lbipam.cilium.io/ips": "172.16.1.61" } },
            listeners: [{ name: "http", protocol: "HTTP", port: 80 }, httpsListener],
        },
    },
};

/** Pinned the other way: spec.addresses. */
export const envoyExternal: Fixture = {
    type: resourceTypes.gateway,
    name: "envoy-gateway-external",
    props: {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "Gateway",
        metadata: { name: "envoy-external", namespace: "network" },
        spec: { gatewayClassName: "envoy", addresses: [{ type: "IPAddress", value: "172.16.1.62" }], listeners: [httpsListener] },
    },
};

export const lbPool: Fixture = {
    type: resourceTypes.loadBalancerPool,
    name: "cilium-lb-pool",
    props: {
        apiVersion: "cilium.io/v2",
        kind: "CiliumLoadBalancerIPPool",
        metadata: { name: "home-pool" },
        spec: { allowFirstLastIPs: "Yes", blocks: [{ start: "172.16.1.60", stop: "172.16.1.69" }] },
    },
};

/** A documentation address (RFC 5737) stands in for a public one. */
export const publicRecord: Fixture = {
    type: resourceTypes.dnsRecord,
    name: "dns-www",
    props: { zoneId: "zone", name: "www.ragas.cc", type: "A", content: "203.0.113.10", ttl: 1, proxied: true },
};

export const tunnelRecord: Fixture = {
    type: resourceTypes.dnsRecord,
    name: "dns-myapp",
    props: { zoneId: "zone", name: "myapp.ragas.cc", type: "CNAME", content: "0d4c1a1e.cfargotunnel.com", ttl: 1, proxied: true },
};

export const route: Fixture = {
    type: resourceTypes.httpRoute,
    name: "apps-my-app-route",
    props: {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "HTTPRoute",
        metadata: { name: "my-app", namespace: "default" },
        spec: {
            hostnames: ["myapp.ragas.cc"],
            parentRefs: [{ name: "envoy-internal", namespace: "network", sectionName: "https" }],
            rules: [{ backendRefs: [{ name: "my-app", port: 80 }] }],
        },
    },
};

export const clusterPatch = [
    "cluster:",
    "  network:",
    "    cni:",
    "      name: none",
    "    podSubnets:",
    "      - 10.42.0.0/16",
    "    serviceSubnets:",
    "      - 10.43.0.0/16",
    "",
].join("\n");

export const talosApply: Fixture = {
    type: resourceTypes.talosConfigurationApply,
    name: "talos-talos-cp-1",
    props: {
        node: "172.16.1.50",
        endpoint: "172.16.1.50",
        configPatches: ['apiVersion: v1alpha1\nkind: HostnameConfig\nauto: "off"\nhostname: talos-cp-1\n'],
        machineConfigurationInput: `version: v1alpha1\nmachine:\n  type: controlplane\n${clusterPatch}`,
    },
};

/** Every passing fixture: together they are a stack no policy refuses. */
export const homeStack: Fixture[] = [
    vm,
    k8sGatewayService,
    envoyInternal,
    envoyExternal,
    lbPool,
    publicRecord,
    tunnelRecord,
    route,
    talosApply,
];
