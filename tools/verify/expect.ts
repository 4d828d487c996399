import { publicDnsRecords } from "../../components/cloudflare/plan/edge";
import { httpRouteManifest } from "../../components/kubernetes/plan/apps";
import { certManagerPlan, wildcardCertificateManifest } from "../../components/kubernetes/plan/cert-manager";
import { ciliumPlan, ciliumValues } from "../../components/kubernetes/plan/cilium";
import { cloudflaredName, cloudflaredReplicas } from "../../components/kubernetes/plan/cloudflared";
import { gatewayNames } from "../../components/kubernetes/plan/envoy-gateway";
import { k8sGatewayPlan, manualRecords } from "../../components/kubernetes/plan/k8s-gateway";
import { GatewayName, PlainSpec } from "../../components/config";
import { dnsServiceName, envoyGateways, networkNamespace, tunnelHostname } from "../../components/config/facts";

export { ciliumNamespace, lbPoolName } from "../../components/kubernetes/plan/cilium";
export { lbIpsAnnotation } from "../../components/config/facts";

// What the built cluster should look like, from the validated spec and the same pure functions the program
// builds its resources with. Names the program only writes inline are restated here, each saying where.

export { ciliumChartObjects } from "../../components/kubernetes/plan/verify-access";

/**
 * The Lease the Cilium agents elect an L2 announcer with: `cilium-l2announce-<service namespace>-<service name>`
 * in the agents' namespace, held by the node name (pkg/l2announcer/l2announcer.go, newLeaseLock).
 */
export function l2LeaseName(service: { namespace: string; name: string }): string {
    return `cilium-l2announce-${service.namespace}-${service.name}`;
}

/**
 * cilium-config entries the chart renders from our values (templates/cilium-configmap.yaml): the load-balancer
 * mode and algorithm, kube-proxy replacement, L2 announcements and native routing.
 */
export function expectedCiliumConfig(spec: PlainSpec): Record<string, string> {
    const values = ciliumValues(ciliumPlan(spec));
    return {
        "kube-proxy-replacement": String(values.kubeProxyReplacement),
        "bpf-lb-mode": values.loadBalancer.mode,
        "bpf-lb-algorithm": values.loadBalancer.algorithm,
        "enable-l2-announcements": String(values.l2announcements.enabled),
        "routing-mode": values.routingMode,
    };
}

export function expectedOperatorReplicas(spec: PlainSpec): number {
    return ciliumValues(ciliumPlan(spec)).operator.replicas;
}

export interface PinnedService {
    namespace: string;
    name: string;
    address: string;
    /** The config key that plans the address. */
    key: string;
}

/** The LoadBalancer Services the program pins an address on: k8s_gateway and each gateway's Envoy Service. */
export function pinnedServices(spec: PlainSpec): PinnedService[] {
    return [
        { namespace: networkNamespace, name: dnsServiceName, address: spec.gateways.dns, key: "homelab:gateways.dns" },
        ...envoyGateways.map((g) => ({
            namespace: networkNamespace,
            name: gatewayNames[g],
            address: spec.gateways[g],
            key: `homelab:gateways.${g}`,
        })),
    ];
}

export interface ExpectedGateway {
    gateway: GatewayName;
    namespace: string;
    name: string;
    address: string;
}

export function expectedGateways(spec: PlainSpec): ExpectedGateway[] {
    return envoyGateways.map((g) => ({ gateway: g, namespace: networkNamespace, name: gatewayNames[g], address: spec.gateways[g] }));
}

export interface ExpectedRoute {
    app: string;
    namespace: string;
    name: string;
    parent: { namespace: string; name: string };
    hostname: string;
    gateway: GatewayName;
}

export function expectedRoutes(spec: PlainSpec): ExpectedRoute[] {
    return spec.apps.map((app) => {
        const route = httpRouteManifest(app);
        const parent = route.spec.parentRefs[0];
        return {
            app: app.name,
            namespace: route.metadata.namespace,
            name: route.metadata.name,
            parent: { namespace: parent.namespace, name: parent.name },
            hostname: app.hostname,
            gateway: app.gateway,
        };
    });
}

export function expectedCertificate(spec: PlainSpec): { namespace: string; name: string; dnsNames: string[] } {
    const manifest = wildcardCertificateManifest(certManagerPlan(spec), networkNamespace);
    return { namespace: networkNamespace, name: manifest.metadata.name, dnsNames: manifest.spec.dnsNames };
}

/** The name to present as SNI to a gateway: its first app's hostname; for envoy-external without apps, the tunnel's own SNI. */
export function handshakeHostname(spec: PlainSpec, gateway: GatewayName): string | undefined {
    const app = spec.apps.find((a) => a.gateway === gateway);
    if (app) return app.hostname;
    return gateway === "external" && spec.cloudflare ? tunnelHostname(spec.domain) : undefined;
}

export interface ExpectedAnswer {
    hostname: string;
    address: string;
    /** What publishes it, for the hint: an app's route or an infrastructure record. */
    source: string;
}

/** Every name k8s_gateway (and through it the home resolvers) must answer, with its address. */
export function expectedAnswers(spec: PlainSpec): ExpectedAnswer[] {
    return [
        ...spec.apps.map((app) => ({
            hostname: app.hostname,
            address: spec.gateways[app.gateway],
            source: `HTTPRoute ${app.namespace}/${app.name} on ${gatewayNames[app.gateway]}`,
        })),
        ...manualRecords(k8sGatewayPlan(spec)).map((r) => ({ hostname: r.hostname, address: r.address, source: "homelab:infrastructure" })),
    ];
}

/** The home resolver's DNS address from its API URL (`http://172.16.1.11` -> 172.16.1.11:53). */
export function forwarderEndpoint(url: string): { host: string; port: number } {
    return { host: new URL(url).hostname, port: 53 };
}

/** The public records the edge creates, with the tunnel's CNAME target once its id is known. */
export function expectedPublicRecords(spec: PlainSpec, tunnelCname: string) {
    return publicDnsRecords(spec.domain, spec.apps, tunnelCname);
}

export function expectedCloudflared(spec: PlainSpec): { namespace: string; name: string; replicas: number } {
    return { namespace: networkNamespace, name: cloudflaredName, replicas: cloudflaredReplicas(spec.nodes.length) };
}
