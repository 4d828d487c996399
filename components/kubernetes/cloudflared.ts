import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as versions from "../versions";
import { cloudflaredDeployment, CloudflaredSizing, metricsPolicyManifest, tokenSecretManifest } from "./plan/cloudflared";

export interface CloudflaredArgs {
    /** cloudflaredPlan(spec): 2 replicas, one per node, when more than 1 node; else 1. */
    plan: CloudflaredSizing;
    /** The namespace (network), as the Namespace resource's metadata.name so both wait for it. */
    namespace: pulumi.Input<string>;
    /** The tunnel token, CloudflareEdge.tunnelToken; kept secret here whatever is passed. */
    tunnelToken: pulumi.Input<string>;
    /**
     * The tunnel's id, CloudflareEdge.tunnelId: a new tunnel rolls the pods onto its token, and on destroy the
     * connectors go before the tunnel (Cloudflare refuses to delete a tunnel that still has connections).
     */
    tunnelId: pulumi.Input<string>;
}

/**
 * cloudflared, the connector of the Cloudflare Tunnel: a Secret with the tunnel token and a Deployment
 * that reads it from the environment. Its ingress rules live at Cloudflare (CloudflareEdge), so the
 * cluster holds no tunnel config. The Kubernetes provider comes through opts.providers.
 */
export class Cloudflared extends pulumi.ComponentResource {
    public readonly secret: k8s.core.v1.Secret;
    public readonly deployment: k8s.apps.v1.Deployment;
    public readonly metricsPolicy: k8s.apiextensions.CustomResource;

    constructor(name: string, args: CloudflaredArgs, opts?: pulumi.ComponentResourceOptions) {
        super("homelab:kubernetes:Cloudflared", name, {}, opts);
        this.secret = new k8s.core.v1.Secret(
            `${name}-token`,
            tokenSecretManifest({ namespace: pulumi.output(args.namespace), token: pulumi.secret(args.tunnelToken) }),
            { parent: this },
        );
        // The Secret's name as an input: the Deployment is created after the Secret it reads.
        this.deployment = new k8s.apps.v1.Deployment(
            `${name}-deployment`,
            cloudflaredDeployment({
                namespace: pulumi.output(args.namespace),
                tokenSecretName: this.secret.metadata.name,
                tunnelId: pulumi.output(args.tunnelId),
                nodeCount: args.plan.nodeCount,
                image: versions.cloudflared.image,
            }),
            { parent: this },
        );
        // The CiliumNetworkPolicy CRD is Cilium's, registered before any node is Ready: the cluster gate behind
        // the provider already waits for it.
        this.metricsPolicy = new k8s.apiextensions.CustomResource(
            `${name}-metrics-policy`,
            metricsPolicyManifest(pulumi.output(args.namespace)),
            { parent: this },
        );
        this.registerOutputs({});
    }
}
