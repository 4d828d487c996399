import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { computeFor } from "../resource-error";
import * as versions from "../versions";
import { ciliumNamespace, CiliumPlan, ciliumValues, l2PolicyManifest, lbPoolManifest, lbPoolName } from "./plan/cilium";

export interface CiliumArgs {
    /** ciliumPlan(spec): pod CIDR, LB range and control-plane count; everything the values and manifests are computed from. */
    plan: CiliumPlan;
}

/**
 * The CNI: Cilium from Helm onto the freshly bootstrapped cluster (Talos runs with `cni: none`), then the
 * LoadBalancer address pool and the L2 announcement policy that give k8s_gateway and the gateways their
 * addresses. The Kubernetes provider comes through opts.providers.
 */
export class Cilium extends pulumi.ComponentResource {
    public readonly chart: k8s.helm.v4.Chart;
    public readonly pool: k8s.apiextensions.CustomResource;
    public readonly l2Policy: k8s.apiextensions.CustomResource;

    constructor(name: string, args: CiliumArgs, opts?: pulumi.ComponentResourceOptions) {
        super("homelab:kubernetes:Cilium", name, {}, opts);
        const values = computeFor(this, () => ciliumValues(args.plan));
        const pool = computeFor(this, () => lbPoolManifest(args.plan, lbPoolName));
        // helm.v4.Chart renders in the provider, so every Cilium object shows in `pulumi preview --diff`.
        this.chart = new k8s.helm.v4.Chart(
            `${name}-chart`,
            {
                chart: versions.cilium.chart,
                version: versions.cilium.version,
                repositoryOpts: { repo: versions.cilium.repo },
                namespace: ciliumNamespace,
                values,
            },
            { parent: this },
        );
        // The pool's and the policy's CRDs are registered by the Cilium operator once it runs: no input
        // links them to the chart, so the order is stated.
        this.pool = new k8s.apiextensions.CustomResource(`${name}-lb-pool`, pool, { parent: this, dependsOn: [this.chart] });
        this.l2Policy = new k8s.apiextensions.CustomResource(`${name}-l2-policy`, l2PolicyManifest("l2-policy"), {
            parent: this,
            dependsOn: [this.chart],
        });
        this.registerOutputs({});
    }
}
