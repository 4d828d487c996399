import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import * as versions from "../versions";
import { dnsServiceManifest, K8sGatewayPlan, k8sGatewayValues } from "./plan/k8s-gateway";

export interface K8sGatewayArgs {
    /** k8sGatewayPlan(spec): domain, DNS address and infrastructure hosts the values are computed from. */
    plan: K8sGatewayPlan;
    /** Namespace to install into (`network`): pass the Namespace's metadata.name, which links the two. */
    namespace: pulumi.Input<string>;
    /** What applies the Gateway API CRDs (EnvoyGateway.crds): k8s_gateway must start after them. */
    gatewayApiCrds: pulumi.Resource;
}

/**
 * Split DNS for the domain: k8s_gateway on its pinned LoadBalancer address answers HTTPRoute hostnames
 * with their Gateway's address, and the infrastructure hosts from fixed records. The Kubernetes provider
 * comes through opts.providers.
 */
export class K8sGateway extends pulumi.ComponentResource {
    public readonly chart: k8s.helm.v4.Chart;
    /** The LoadBalancer Service at the DNS address, without NodePorts; answers once the pods run. */
    public readonly service: k8s.core.v1.Service;

    constructor(name: string, args: K8sGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
        super("homelab:kubernetes:K8sGateway", name, {}, opts);
        // k8s_gateway looks for the Gateway API CRDs once, when it starts, and never watches HTTPRoutes if
        // they were missing then (crdExists in k8s_gateway's kubernetes.go): started first, it would answer
        // NXDOMAIN for every app until its pod restarted. No input links the two, so the order is stated.
        this.chart = new k8s.helm.v4.Chart(
            `${name}-chart`,
            {
                chart: versions.k8sGateway.chart,
                version: versions.k8sGateway.version,
                namespace: args.namespace,
                values: k8sGatewayValues(args.plan),
            },
            { parent: this, dependsOn: [args.gatewayApiCrds] },
        );
        // Selects the chart's pods by label only, so the order is stated: the address answers once they run.
        this.service = new k8s.core.v1.Service(`${name}-dns-service`, dnsServiceManifest(args.plan, args.namespace), {
            parent: this,
            dependsOn: [this.chart],
        });
        this.registerOutputs({});
    }
}
