import type { GatewayName } from "./shape";

// Facts more than one area relies on, written once. No runtime imports: the policy pack reads this too.

/** The namespace of both Envoy Gateways, their proxies and Services, the wildcard Secret, k8s_gateway and cloudflared. */
export const networkNamespace = "network";

/** The namespaces of cert-manager's and Envoy Gateway's controllers. */
export const certManagerNamespace = "cert-manager";
export const envoyGatewayNamespace = "envoy-gateway-system";

/** The HTTPRoute in the network namespace that answers plain HTTP on both gateways with a redirect to HTTPS. */
export const httpsRedirectRouteName = "https-redirect";

/** k8s_gateway's LoadBalancer Service at homelab:gateways.dns, in the network namespace. */
export const dnsServiceName = "k8s-gateway-dns";

/** The two Envoy Gateways of the spec (not k8s_gateway, the DNS server; not the router). */
export const envoyGateways: readonly GatewayName[] = ["internal", "external"];

/** internal -> `envoy-internal`, external -> `envoy-external`: the Gateway's name and its Envoy Service's. */
export function envoyGatewayName(gateway: GatewayName): `envoy-${GatewayName}` {
    return `envoy-${gateway}`;
}

/** `ragas.cc` -> `wildcard-ragas-cc`: the spec's name for the wildcard Certificate. */
export function wildcardCertificateName(domain: string): string {
    return `wildcard-${domain.replace(/\./g, "-")}`;
}

/** `ragas.cc` -> `wildcard-ragas-cc-tls`: the Secret cert-manager writes and the gateways' HTTPS listeners present. */
export function wildcardTlsSecretName(domain: string): string {
    return `${wildcardCertificateName(domain)}-tls`;
}

/** `ragas.cc` -> `external.ragas.cc`: the one name the tunnel is published under, and the SNI cloudflared sends. */
export function tunnelHostname(domain: string): string {
    return `external.${domain}`;
}

/** Cilium LB-IPAM's annotation that pins a LoadBalancer Service's address. */
export const lbIpsAnnotation = "lbipam.cilium.io/ips";

/** KubePrism's port: Talos serves the API there on every node; Cilium's k8sServiceHost/Port point at it. */
export const kubePrismPort = 7445;

/** The Kubernetes API server's port, behind the VIP. */
export const kubernetesApiPort = 6443;

/**
 * The replica rule of every add-on that can run twice: a second replica only when there is another node
 * (of the kind the add-on runs on) to put it on.
 */
export function replicasFor(nodes: number): 1 | 2 {
    return nodes > 1 ? 2 : 1;
}

/**
 * Where the replicas of `replicasFor` go: one per node. Tainted nodes (control planes, by Talos' default)
 * are left out of the skew, so both replicas still run when one node takes workloads; pod-template-hash
 * keeps a rollout's new pods from being counted against the old ones.
 */
export function spreadOverNodes(podLabels: Readonly<Record<string, string>>) {
    return [
        {
            maxSkew: 1,
            topologyKey: "kubernetes.io/hostname",
            whenUnsatisfiable: "DoNotSchedule",
            nodeTaintsPolicy: "Honor",
            labelSelector: { matchLabels: { ...podLabels } },
            matchLabelKeys: ["pod-template-hash"],
        },
    ];
}
