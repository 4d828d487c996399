import type { Input } from "@pulumi/pulumi";
import type { GatewayName, GatewaysSpec, PlainSpec } from "../../config";
import {
    envoyGatewayName,
    envoyGateways,
    httpsRedirectRouteName,
    lbIpsAnnotation,
    replicasFor,
    wildcardTlsSecretName,
} from "../../config/facts";

// Pure inputs for Envoy Gateway v1.9.0 (versions.ts): Helm values (keys from
// reference/envoy-gateway/v1.9.0/values.tmpl.yaml) and the objects in the gateways' namespace: EnvoyProxy and
// ClientTrafficPolicy (gateway.envoyproxy.io/v1alpha1), GatewayClass, Gateways and HTTPRoute
// (gateway.networking.k8s.io/v1, Gateway API v1.6.1).

/** The Gateways apps and the tunnel attach to, by the spec's gateway name; both live in the `network` namespace. */
export const gatewayNames: Readonly<Record<GatewayName, string>> = {
    internal: envoyGatewayName("internal"),
    external: envoyGatewayName("external"),
};
/** The GatewayClass and the EnvoyProxy it points at. */
export const gatewayClassName = "envoy";
export const envoyProxyName = "envoy";
/** Listener names: an HTTPRoute's parentRefs[].sectionName. */
export const listenerNames = { http: "http", https: "https" } as const;

/**
 * `envoy-external.network.svc`: the in-cluster name of a gateway's Envoy Service, the tunnel's origin. In
 * GatewayNamespace mode (envoyGatewayValues) the Service is named after its Gateway, in the Gateway's
 * namespace. A plain string, so the Cloudflare side need not wait for the cluster.
 */
export function gatewayServiceHost(gateway: GatewayName, namespace: string): string {
    return `${gatewayNames[gateway]}.${namespace}.svc`;
}

export interface EnvoyGatewayPlan {
    /** LoadBalancer addresses of envoy-internal and envoy-external (homelab:gateways; k8s_gateway's is not used here). */
    gateways: Pick<GatewaysSpec, GatewayName>;
    /** Pod network: X-Forwarded-For is trusted only from here (cloudflared), e.g. "10.42.0.0/16". */
    podCidr: string;
    /** Nodes of every role: a second proxy replica only when it can run on another node. */
    nodeCount: number;
    /** The Secret with the wildcard certificate, in the gateways' namespace: `wildcard-ragas-cc-tls`. */
    tlsSecretName: string;
}

/** The Secret name is the one cert-manager's wildcard Certificate writes, derived from the domain by the same function. */
export function envoyGatewayPlan(spec: PlainSpec): EnvoyGatewayPlan {
    return {
        gateways: { internal: spec.gateways.internal, external: spec.gateways.external },
        podCidr: spec.network.podCidr,
        nodeCount: spec.nodes.length,
        tlsSecretName: wildcardTlsSecretName(spec.domain),
    };
}

/**
 * Helm values for gateway-helm. GatewayNamespace mode puts each Gateway's Envoy Deployment and Service in
 * the Gateway's own namespace, named after the Gateway (v1.9.0 internal/infrastructure/kubernetes/proxy,
 * `ResourceRender.Name`): the external gateway's Service is `envoy-external.network.svc`, the tunnel's origin.
 * The default mode names them `envoy-<namespace>-<gateway>-<hash>` in envoy-gateway-system.
 * `config.envoyGateway` is the EnvoyGateway configuration, which the chart merges over its own defaults; the
 * chart's RBAC templates read this same `provider.kubernetes.deploy.type` key.
 */
export function envoyGatewayValues() {
    return {
        config: {
            envoyGateway: {
                provider: { kubernetes: { deploy: { type: "GatewayNamespace" } } },
            },
        },
    };
}

export type EnvoyGatewayValues = ReturnType<typeof envoyGatewayValues>;

/**
 * Values for gateway-crds-helm (reference/envoy-gateway/v1.9.0/gateway-crds-helm/values.yaml; every part is off by
 * default). That chart keeps the CRDs in templates/, so a helm.v4.Chart of it applies them on every change and a
 * version bump upgrades them; gateway-helm keeps them in its crds/ folder, which Helm installs once and never
 * upgrades (https://helm.sh/docs/chart_best_practices/custom_resource_definitions/). Envoy Gateway's install guide
 * asks for the CRDs to be upgraded before the controller (site/content/en/latest/install/install-helm.md).
 * The experimental channel is the one gateway-helm installs, so a cluster built before keeps every CRD it has
 * (the standard channel lacks TCPRoute, UDPRoute, TLSRoute and BackendTLSPolicy, and would drop them).
 */
export function gatewayCrdsValues() {
    return { crds: { gatewayAPI: { enabled: true, channel: "experimental" }, envoyGateway: { enabled: true } } };
}

/** The proxy settings every Gateway of the class shares. */
export function envoyProxyManifest(plan: EnvoyGatewayPlan, namespace: Input<string>) {
    return {
        apiVersion: "gateway.envoyproxy.io/v1alpha1",
        kind: "EnvoyProxy",
        metadata: { name: envoyProxyName, namespace },
        spec: {
            provider: {
                type: "Kubernetes",
                kubernetes: {
                    envoyDeployment: { replicas: replicasFor(plan.nodeCount) },
                    // No envoyService.name: one EnvoyProxy serves both Gateways, and a fixed name would give both
                    // Services the same one. GatewayNamespace mode already names each after its Gateway.
                    envoyService: {
                        type: "LoadBalancer",
                        // The CRD defaults to Local. An L2-announced address is answered by whichever node holds its
                        // lease, which may run no proxy; with Local that node drops the traffic
                        // (https://github.com/onedr0p/cluster-template/issues/1606). DSR keeps the client address anyway.
                        externalTrafficPolicy: "Cluster",
                        // Cilium's kube-proxy replacement serves the LB address itself; NodePorts would only open
                        // 80 and 443 again on a high port of every node address.
                        allocateLoadBalancerNodePorts: false,
                    },
                },
            },
            // Let open connections finish on a rollout; Envoy Gateway sets the pods' grace period to this + 300 s.
            shutdown: { drainTimeout: "180s" },
        },
    };
}

export function gatewayClassManifest(namespace: Input<string>) {
    return {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "GatewayClass",
        metadata: { name: gatewayClassName },
        spec: {
            controllerName: "gateway.envoyproxy.io/gatewayclass-controller",
            parametersRef: { group: "gateway.envoyproxy.io", kind: "EnvoyProxy", name: envoyProxyName, namespace },
        },
    };
}

/**
 * One Gateway at its planned address. The address is pinned only through Cilium LB-IPAM's annotation, which
 * Envoy Gateway copies from spec.infrastructure onto the generated Service. Not through spec.addresses,
 * although the CRD accepts IPAddress entries: for a LoadBalancer Service, Envoy Gateway v1.9 writes them into
 * Service.spec.externalIPs, not the load-balancer address (`ResourceRender.Service`). LB-IPAM does not
 * allocate externalIPs and our L2 policy announces only LoadBalancer addresses, so it would only add a second
 * claim on the address (and externalIPs are what CVE-2020-8554 admission policies forbid). The Gateway's
 * status reports the Service's address once LB-IPAM assigns it.
 * The listeners have no hostname: the wildcard certificate covers every name of the domain, and a route's
 * own hostnames decide what it serves.
 */
export function gatewayManifest(plan: EnvoyGatewayPlan, gateway: GatewayName, namespace: Input<string>) {
    return {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "Gateway",
        metadata: { name: gatewayNames[gateway], namespace },
        spec: {
            gatewayClassName,
            infrastructure: { annotations: { [lbIpsAnnotation]: plan.gateways[gateway] } },
            listeners: [
                // Plain HTTP only carries the redirect below, which lives in this namespace.
                { name: listenerNames.http, protocol: "HTTP", port: 80, allowedRoutes: { namespaces: { from: "Same" } } },
                {
                    name: listenerNames.https,
                    protocol: "HTTPS",
                    port: 443,
                    tls: { mode: "Terminate", certificateRefs: [{ kind: "Secret", name: plan.tlsSecretName }] },
                    allowedRoutes: { namespaces: { from: "All" } },
                },
            ],
        },
    };
}

/** Every plain-HTTP request on either gateway answers 301 to the same URL over HTTPS. */
export function httpsRedirectManifest(namespace: Input<string>) {
    return {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "HTTPRoute",
        metadata: { name: httpsRedirectRouteName, namespace },
        spec: {
            parentRefs: envoyGateways.map((g) => ({ name: gatewayNames[g], namespace, sectionName: listenerNames.http })),
            rules: [{ filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }] }],
        },
    };
}

/**
 * Client-side settings of one gateway, in a policy named after it (two policies on one Gateway conflict, and
 * Envoy Gateway then applies only the older). Both require TLS 1.2.
 * X-Forwarded-For is believed on envoy-external only, and only from pod addresses: its one client is cloudflared,
 * which sets the header to the visitor's address. Nothing proxies in front of envoy-internal: LAN clients and pods
 * reach it with their own source address (Cilium DSR keeps it), so there a header any pod or laptop sends would
 * let it pose as another client; without clientIPDetection Envoy uses the connection's address.
 */
export function clientTrafficPolicyManifest(plan: EnvoyGatewayPlan, gateway: GatewayName, namespace: Input<string>) {
    return {
        apiVersion: "gateway.envoyproxy.io/v1alpha1",
        kind: "ClientTrafficPolicy",
        metadata: { name: gatewayNames[gateway], namespace },
        spec: {
            targetRefs: [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: gatewayNames[gateway] }],
            ...(gateway === "external" ? { clientIPDetection: { xForwardedFor: { trustedCIDRs: [plan.podCidr] } } } : {}),
            tls: { minVersion: "1.2" },
        },
    };
}
