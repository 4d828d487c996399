import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { certManagerNamespace } from "../config/facts";
import * as versions from "../versions";
import {
    CertManagerPlan,
    certManagerValues,
    cloudflareTokenSecret,
    clusterIssuerManifest,
    wildcardCertificateManifest,
} from "./plan/cert-manager";

export interface CertManagerArgs {
    /** certManagerPlan(spec): the zone, the issuer and the node count. */
    plan: CertManagerPlan;
    /** A DNS-only Cloudflare token (Zone Read and DNS Edit on the domain's zone), for DNS-01; a secret. Never the main token. */
    dnsToken: pulumi.Input<string>;
    /** The `network` Namespace's metadata.name output: the wildcard Certificate and its Secret live there. */
    namespace: pulumi.Input<string>;
    /** What applies the Gateway API CRDs (EnvoyGateway.crds): with Gateway API support on, the controller exits at start without them. */
    gatewayApiCrds: pulumi.Resource;
}

/** cert-manager, the Let's Encrypt ClusterIssuer (DNS-01 via Cloudflare) and the spec's wildcard Certificate. */
export class CertManager extends pulumi.ComponentResource {
    public readonly chart: k8s.helm.v3.Release;
    public readonly issuer: k8s.apiextensions.CustomResource;
    public readonly certificate: k8s.apiextensions.CustomResource;

    constructor(name: string, args: CertManagerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("homelab:kubernetes:CertManager", name, {}, opts);
        const { plan } = args;

        const namespace = new k8s.core.v1.Namespace(`${name}-namespace`, { metadata: { name: certManagerNamespace } }, { parent: this });

        // A Helm release, not helm.v4.Chart: v4 never applies hook resources, and the chart's post-install
        // startupapicheck Job is what waits until the webhook's certificate is trusted. Without it the
        // ClusterIssuer can be refused by the webhook ("x509: certificate signed by unknown authority").
        this.chart = new k8s.helm.v3.Release(
            `${name}-chart`,
            {
                chart: versions.certManager.chart,
                version: versions.certManager.version,
                repositoryOpts: { repo: versions.certManager.repo },
                namespace: namespace.metadata.name,
                values: certManagerValues(plan),
                waitForJobs: true,
            },
            // No input links the chart to the Gateway API CRDs, and the controller will not start without them.
            { parent: this, dependsOn: [args.gatewayApiCrds] },
        );

        // A ClusterIssuer reads its solver Secrets from the cluster resource namespace, by default cert-manager's own.
        const token = new k8s.core.v1.Secret(
            `${name}-cloudflare-token`,
            {
                metadata: { name: cloudflareTokenSecret.name, namespace: namespace.metadata.name },
                type: "Opaque",
                stringData: { [cloudflareTokenSecret.key]: pulumi.secret(args.dnsToken) },
            },
            { parent: this },
        );

        const issuer = clusterIssuerManifest(plan);
        this.issuer = new k8s.apiextensions.CustomResource(
            `${name}-issuer`,
            issuer,
            // The chart brings the ClusterIssuer CRD and the webhook that admits it; the token Secret is referred to
            // by name only. Neither is linked by an input.
            { parent: this, dependsOn: [this.chart, token] },
        );

        this.certificate = new k8s.apiextensions.CustomResource(
            `${name}-wildcard`,
            wildcardCertificateManifest(plan, args.namespace),
            // The issuer is referred to by name only; waiting for it also waits for the chart and its CRDs.
            { parent: this, dependsOn: [this.issuer] },
        );

        this.registerOutputs({});
    }
}
