import type { Input } from "@pulumi/pulumi";
import type { PlainSpec } from "../../config";
import { replicasFor, wildcardCertificateName, wildcardTlsSecretName } from "../../config/facts";

// Pure inputs for cert-manager v1.21.1 (versions.ts): Helm values, the ClusterIssuer and the spec's wildcard
// Certificate. Value keys are the chart's (reference/cert-manager/v1.21.1/values.schema.json, a closed schema).

export interface CertManagerPlan {
    /** The zone certificates are issued for, e.g. "ragas.cc"; DNS-01 answers only for this zone. */
    domain: string;
    /** ClusterIssuer name (homelab:certificates.issuer), e.g. "letsencrypt-production". */
    issuer: string;
    /** ACME account contact; Let's Encrypt no longer mails expiry notices, so it is optional. */
    acmeEmail?: string;
    /** Nodes of every role: a standby controller only when there is another node to run it on. */
    nodeCount: number;
}

export function certManagerPlan(spec: PlainSpec): CertManagerPlan {
    return {
        domain: spec.domain,
        issuer: spec.certificates.issuer,
        ...(spec.certificates.acmeEmail ? { acmeEmail: spec.certificates.acmeEmail } : {}),
        nodeCount: spec.nodes.length,
    };
}

/** Let's Encrypt's ACME v2 production directory. The issuer's name is only a name: this is always production. */
export const letsEncryptProductionServer = "https://acme-v02.api.letsencrypt.org/directory";

/** The Secret (in cert-manager's namespace) holding the Cloudflare API token the DNS-01 solver uses. */
export const cloudflareTokenSecret = { name: "cloudflare-api-token", key: "api-token" } as const;

export { wildcardCertificateName, wildcardTlsSecretName } from "../../config/facts";

/**
 * Helm values for the cert-manager chart.
 * Gateway API support (the gateway-shim) is on so that a Gateway a user adds later can carry
 * `cert-manager.io/cluster-issuer` and get its certificate. Our own gateways are not annotated: see
 * wildcardCertificateManifest. With it on, the controller exits at start while the Gateway API CRDs are
 * missing, so the chart must wait for the chart that installs them (Envoy Gateway's).
 */
export function certManagerValues(plan: CertManagerPlan) {
    return {
        // CRDs as chart templates, so they are created, and updated, with the release.
        crds: { enabled: true },
        // Leader-elected: the second replica is a warm standby, useful only on another node.
        replicaCount: replicasFor(plan.nodeCount),
        // The DNS-01 self-check asks public resolvers over HTTPS, never the home resolvers: AdGuard and
        // Technitium answer for the domain from split DNS (k8s_gateway), and would never show the
        // _acme-challenge TXT record Cloudflare serves, so the check would wait forever.
        dns01RecursiveNameservers: "https://1.1.1.1:443/dns-query,https://1.0.0.1:443/dns-query",
        dns01RecursiveNameserversOnly: true,
        // The controller's file configuration. v1.21 moved `enableGatewayAPI` (now deprecated) under
        // `gatewayAPI.enabled` (https://github.com/cert-manager/cert-manager/pull/8732). The version is written
        // out, not left to the chart's default, because these field names belong to v1alpha1.
        config: {
            apiVersion: "controller.config.cert-manager.io/v1alpha1",
            kind: "ControllerConfiguration",
            gatewayAPI: { enabled: true },
        },
    };
}

export type CertManagerValues = ReturnType<typeof certManagerValues>;

/** The ACME ClusterIssuer: Let's Encrypt production, DNS-01 through Cloudflare for the domain's zone only. */
export function clusterIssuerManifest(plan: CertManagerPlan) {
    return {
        apiVersion: "cert-manager.io/v1",
        kind: "ClusterIssuer",
        metadata: { name: plan.issuer },
        spec: {
            acme: {
                server: letsEncryptProductionServer,
                ...(plan.acmeEmail ? { email: plan.acmeEmail } : {}),
                // The ACME account key, created by cert-manager in its own namespace on first use.
                privateKeySecretRef: { name: plan.issuer },
                solvers: [
                    {
                        dns01: { cloudflare: { apiTokenSecretRef: { ...cloudflareTokenSecret } } },
                        selector: { dnsZones: [plan.domain] },
                    },
                ],
            },
        },
    };
}

/**
 * The spec's `Certificate wildcard-ragas-cc`, field for field. It lives in the gateways' namespace because a
 * listener's certificateRef reads a Secret of its own namespace (no ReferenceGrant needed).
 *
 * Why an explicit Certificate and un-annotated gateways: with Gateway API support on, annotating a Gateway
 * with `cert-manager.io/cluster-issuer` makes cert-manager create, for each HTTPS listener, a Certificate named
 * after the listener's secret (here `wildcard-ragas-cc-tls`) with the listener's hostname as its only name.
 * That Certificate would write the same Secret as this one. cert-manager lets only the oldest of the
 * Certificates sharing a secretName issue and skips the others, so which certificate the gateways present
 * would depend on creation order (a single-host one if the shim's came first), never on the spec.
 * Our listeners also have no hostname, which the shim requires. So the gateways stay un-annotated and
 * present this one wildcard; the shim stays on for annotated Gateways with their own hostnames and secrets.
 */
export function wildcardCertificateManifest(plan: CertManagerPlan, namespace: Input<string>) {
    return {
        apiVersion: "cert-manager.io/v1",
        kind: "Certificate",
        metadata: { name: wildcardCertificateName(plan.domain), namespace },
        spec: {
            secretName: wildcardTlsSecretName(plan.domain),
            issuerRef: { name: plan.issuer, kind: "ClusterIssuer" },
            dnsNames: [`*.${plan.domain}`, plan.domain],
        },
    };
}
