import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { verifyAccessManifests } from "./plan/verify-access";

export interface VerifyAccessArgs {
    /** The `network` Namespace: one of the Roles lives there (the connector's Deployment). */
    network: k8s.core.v1.Namespace;
}

/**
 * Read-only access for `npm run verify`: the homelab-verify ServiceAccount in kube-system, a ClusterRole for the
 * cluster-wide reads, and a Role per namespace it reads by name or runs its lookup pod in
 * (plan/verify-access.ts). The Kubernetes provider comes through opts.providers.
 */
export class VerifyAccess extends pulumi.ComponentResource {
    public readonly serviceAccount: k8s.core.v1.ServiceAccount;

    constructor(name: string, args: VerifyAccessArgs, opts?: pulumi.ComponentResourceOptions) {
        super("homelab:kubernetes:VerifyAccess", name, {}, opts);
        const manifests = verifyAccessManifests();
        this.serviceAccount = new k8s.core.v1.ServiceAccount(`${name}-service-account`, manifests.serviceAccount, { parent: this });
        const clusterRole = new k8s.rbac.v1.ClusterRole(`${name}-cluster-role`, manifests.clusterRole, { parent: this });
        new k8s.rbac.v1.ClusterRoleBinding(`${name}-cluster-role-binding`, manifests.clusterRoleBinding, {
            parent: this,
            dependsOn: [clusterRole, this.serviceAccount],
        });
        for (const { role, binding } of manifests.namespaced) {
            const namespace = role.metadata.namespace;
            // The network namespace is the program's own; the others (kube-system, default) exist from the start.
            const inNetwork = namespace === "network" ? [args.network] : [];
            const created = new k8s.rbac.v1.Role(`${name}-role-${namespace}`, role, { parent: this, dependsOn: inNetwork });
            // Bindings name their role and subject by name only: the order is stated.
            new k8s.rbac.v1.RoleBinding(`${name}-role-binding-${namespace}`, binding, {
                parent: this,
                dependsOn: [created, this.serviceAccount],
            });
        }
        this.registerOutputs({});
    }
}
