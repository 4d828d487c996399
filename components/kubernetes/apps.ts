import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { appKey, AppsPlan, httpRouteManifest, networkPolicyManifest } from "./plan/apps";

export interface AppsArgs {
    /** appsPlan(spec): an HTTPRoute per app, and a CiliumNetworkPolicy where allowFrom is set. */
    plan: AppsPlan;
    /** What brings the HTTPRoute CRD and the parent Gateways (Envoy Gateway's chart and the Gateways). */
    routesAfter: pulumi.Resource[];
    /** What brings the CiliumNetworkPolicy CRD (the Cilium chart). */
    policiesAfter: pulumi.Resource[];
}

/**
 * Routes to the apps and their ingress policies. The workloads and their namespaces are the user's; this
 * only points the gateways at them. The Kubernetes provider comes through opts.providers.
 */
export class Apps extends pulumi.ComponentResource {
    /** HTTPRoute per app, by `<namespace>.<name>`. */
    public readonly routes: Readonly<Record<string, k8s.apiextensions.CustomResource>>;
    /** CiliumNetworkPolicy per app that has allowFrom, by `<namespace>.<name>`. */
    public readonly policies: Readonly<Record<string, k8s.apiextensions.CustomResource>>;

    constructor(name: string, args: AppsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("homelab:kubernetes:Apps", name, {}, opts);
        const routes: Record<string, k8s.apiextensions.CustomResource> = {};
        const policies: Record<string, k8s.apiextensions.CustomResource> = {};
        for (const app of args.plan.apps) {
            const key = appKey(app);
            // CRDs come from charts and the parents are Gateways: no input links a route or a policy to
            // them, so the order is stated.
            routes[key] = new k8s.apiextensions.CustomResource(`${name}-${key}-route`, httpRouteManifest(app), {
                parent: this,
                dependsOn: args.routesAfter,
            });
            const policy = networkPolicyManifest(app);
            if (policy) {
                policies[key] = new k8s.apiextensions.CustomResource(`${name}-${key}-policy`, policy, {
                    parent: this,
                    dependsOn: args.policiesAfter,
                });
            }
        }
        this.routes = routes;
        this.policies = policies;
        this.registerOutputs({});
    }
}
