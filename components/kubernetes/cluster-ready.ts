import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { ApiAccess, KubernetesNodesReady } from "./readiness";

export interface ClusterReadyArgs {
    /** API address, CA and admin client certificate (from the Talos kubeconfig). */
    access: pulumi.Input<ApiAccess>;
    /** The admin kubeconfig (secret). */
    kubeconfig: pulumi.Input<string>;
    /** How many nodes must be Ready. */
    expectedNodes: number;
    /** What must be running before the nodes can be Ready: the CNI and its address pool. */
    after: readonly pulumi.Resource[];
}

/**
 * The full health gate: every node Ready, which needs the CNI. A create-only resource rather than a
 * health invoke, which would run again on every preview and, checking a node not built yet, fail it.
 * Its provider's kubeconfig is threaded through the gate, so every add-on built on this provider
 * waits for it, and for nothing else.
 */
export class ClusterReady extends pulumi.ComponentResource {
    public readonly provider: k8s.Provider;

    constructor(name: string, args: ClusterReadyArgs, opts?: pulumi.ComponentResourceOptions) {
        // Its type token still says talos, where it lived until issue 23: a new one would move the URN of every child,
        // the add-ons' Kubernetes provider included, and no engine test here can hold that (no Kubernetes plugin).
        super("homelab:talos:ClusterReady", name, {}, opts);
        // No input links the gate to Cilium: the nodes turn Ready once its agents run.
        const nodesReady = new KubernetesNodesReady(
            `${name}-nodes`,
            { access: args.access, expectedNodes: args.expectedNodes, timeoutSeconds: 1200 },
            // The count matters only while the cluster is first built; a node added later is not waited for.
            { parent: this, dependsOn: [...args.after], ignoreChanges: ["expectedNodes"] },
        );
        const kubeconfig = pulumi.secret(pulumi.all([nodesReady.id, args.kubeconfig]).apply(([, config]) => config));
        this.provider = new k8s.Provider(`${name}-kubernetes`, { kubeconfig }, { parent: this });
        this.registerOutputs({});
    }
}
