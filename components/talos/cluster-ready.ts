import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import * as talos from "@pulumiverse/talos";

export interface ClusterReadyArgs {
    clientConfiguration: talos.machine.Secrets["clientConfiguration"];
    controlPlaneIps: readonly string[];
    workerIps: readonly string[];
    /** The admin kubeconfig (secret). */
    kubeconfig: pulumi.Input<string>;
    /** What must be running before Kubernetes can be healthy: the CNI and its address pool. */
    after: readonly pulumi.Resource[];
}

/**
 * The full health gate, with Kubernetes checks: it can pass only once the CNI runs. Its provider's
 * kubeconfig is threaded through the health result, so every add-on built on this provider waits for
 * the gate, and for nothing else.
 */
export class ClusterReady extends pulumi.ComponentResource {
    public readonly provider: k8s.Provider;

    constructor(name: string, args: ClusterReadyArgs, opts?: pulumi.ComponentResourceOptions) {
        super("homelab:talos:ClusterReady", name, {}, opts);
        const healthy = talos.cluster.getHealthOutput(
            {
                clientConfiguration: args.clientConfiguration,
                controlPlaneNodes: [...args.controlPlaneIps],
                workerNodes: [...args.workerIps],
                endpoints: [...args.controlPlaneIps],
                skipKubernetesChecks: false,
                timeouts: { read: "20m" },
            },
            { parent: this, dependsOn: [...args.after] },
        );
        const kubeconfig = pulumi.secret(pulumi.all([healthy, args.kubeconfig]).apply(([, config]) => config));
        this.provider = new k8s.Provider(`${name}-kubernetes`, { kubeconfig }, { parent: this });
        this.registerOutputs({});
    }
}
