import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import * as talos from "@pulumiverse/talos";
import * as versions from "../versions";
import { nodePatches, renderPatches, rolePatches } from "./patches";
import { ApiAccess, KubernetesApiReady } from "./api-ready";
import { TalosNodePlan, TalosPlan } from "./plan";

export interface TalosClusterArgs {
    /** talosPlan(spec): the cluster, its nodes and their network. */
    plan: TalosPlan;
    /** Each node's VM, by node name: a node's config is applied once its VM runs. */
    vms: Readonly<Record<string, pulumi.Resource>>;
    /** The installer image of the schematic the VMs boot, for machine.install.image. */
    installerImage: pulumi.Input<string>;
}

/**
 * Talos from maintenance mode to a running control plane: secrets, a config per node, bootstrap on the
 * first control plane, the Talos-level health gate, then kubeconfig, talosconfig and the Kubernetes
 * provider. There is no CNI yet, so nothing here checks Kubernetes itself.
 */
export class TalosCluster extends pulumi.ComponentResource {
    public readonly bootstrap: talos.machine.Bootstrap;
    public readonly kubeconfig: pulumi.Output<string>;
    public readonly talosconfig: pulumi.Output<string>;
    /** Kubernetes provider for the first add-on (the CNI); it reaches the API once Talos is healthy. */
    public readonly provider: k8s.Provider;
    public readonly clientConfiguration: talos.machine.Secrets["clientConfiguration"];
    /** The Kubernetes API's address, CA and admin client certificate (the key is secret), for the gates. */
    public readonly apiAccess: pulumi.Output<ApiAccess>;

    constructor(name: string, args: TalosClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("homelab:talos:TalosCluster", name, {}, opts);
        const { plan } = args;
        const { controlPlaneIps } = plan;

        // The cluster's CA and tokens: replacing them orphans every node, so Pulumi refuses to. No
        // talosVersion: it fixes the secrets' contract, and a later bump would regenerate them
        // (https://github.com/siderolabs/terraform-provider-talos/issues/399).
        const secrets = new talos.machine.Secrets(`${name}-secrets`, {}, { parent: this, protect: true });
        this.clientConfiguration = secrets.clientConfiguration;

        // One generated config per role; what differs per node goes into each apply's own patches,
        // so adding a node changes no existing node's inputs.
        const roleConfig = (role: TalosNodePlan["role"]) =>
            talos.machine.getConfigurationOutput(
                {
                    clusterName: plan.clusterName,
                    clusterEndpoint: plan.endpoint,
                    machineType: role,
                    machineSecrets: secrets.machineSecrets,
                    talosVersion: versions.talos.version,
                    kubernetesVersion: versions.kubernetes.version,
                    docs: false,
                    examples: false,
                    configPatches: pulumi.output(args.installerImage).apply((image) => renderPatches(rolePatches({ ...plan.cluster, installImage: image }, role))),
                },
                { parent: this },
            ).machineConfiguration;
        const configs = { controlplane: roleConfig("controlplane"), worker: roleConfig("worker") };

        const applies = new Map<string, talos.machine.ConfigurationApply>();
        for (const node of plan.nodes) {
            const vm = args.vms[node.name];
            applies.set(
                node.name,
                new talos.machine.ConfigurationApply(
                    `${name}-${node.name}`,
                    {
                        clientConfiguration: secrets.clientConfiguration,
                        machineConfigurationInput: configs[node.role],
                        // The node's own address: in maintenance mode it answers only there (cloud-init gave it).
                        node: node.ip,
                        endpoint: node.ip,
                        configPatches: renderPatches(nodePatches(plan.nodeNetwork, node)),
                        // Leave etcd and wipe the disk when a node is removed, so the cluster forgets it cleanly.
                        onDestroy: { graceful: true, reboot: false, reset: true },
                    },
                    // No input links a node's config to its VM. replaceWith states both edges: the config is
                    // applied once the VM runs (replaceWith targets are waited for, as dependsOn would be), and a
                    // replaced VM, booting into maintenance mode again, gets the config anew. Deleting first
                    // resets the old node while it still answers on the address, never the new one.
                    { parent: this, replaceWith: [vm], deleteBeforeReplace: true },
                ),
            );
        }

        // etcd is bootstrapped once, on the first control plane's own address: the VIP only exists once
        // etcd does (https://github.com/siderolabs/terraform-provider-talos/issues/267).
        const first = plan.bootstrapNode;
        this.bootstrap = new talos.machine.Bootstrap(
            `${name}-bootstrap`,
            { node: first.ip, endpoint: first.ip, clientConfiguration: secrets.clientConfiguration },
            // Every control plane must hold its config first, or the others would not join etcd.
            { parent: this, dependsOn: plan.controlPlanes.map((n) => applies.get(n.name)!) },
        );

        // Talos-level health only: with `cni: none` the Kubernetes checks cannot pass before Cilium
        // (https://github.com/siderolabs/terraform-provider-talos/issues/183).
        const talosHealthy = talos.cluster.getHealthOutput(
            {
                clientConfiguration: secrets.clientConfiguration,
                controlPlaneNodes: controlPlaneIps,
                workerNodes: plan.workerIps,
                endpoints: controlPlaneIps,
                skipKubernetesChecks: true,
                timeouts: { read: "15m" },
            },
            { parent: this, dependsOn: [this.bootstrap, ...applies.values()] },
        );

        const kubeconfig = new talos.cluster.Kubeconfig(
            `${name}-kubeconfig`,
            {
                clientConfiguration: secrets.clientConfiguration,
                // Threaded through the health result, so the kubeconfig is fetched after the gate.
                node: pulumi.unsecret(talosHealthy.apply(() => first.ip)),
                endpoint: first.ip,
            },
            // Once built, a new node makes the health result unknown in a preview; the node is always the
            // first control plane, so that must not show as a kubeconfig change (and through the providers,
            // as a change of every add-on); test/graph/preview.spec.ts holds it.
            { parent: this, ignoreChanges: ["node"] },
        );
        this.apiAccess = kubeconfig.kubernetesClientConfiguration.apply((c) => ({
            host: c.host ?? "",
            caCertificate: c.caCertificate ?? "",
            clientCertificate: c.clientCertificate ?? "",
            clientKey: c.clientKey ?? "",
        }));
        // Talos being healthy does not mean kube-apiserver answers yet: wait for /readyz behind the VIP.
        const apiReady = new KubernetesApiReady(`${name}-api-ready`, { access: this.apiAccess, timeoutSeconds: 600 }, { parent: this });
        this.kubeconfig = pulumi.secret(pulumi.all([apiReady.id, kubeconfig.kubeconfigRaw]).apply(([, raw]) => raw));

        // talosctl reaches the nodes directly, never through the VIP (which needs a healthy etcd).
        this.talosconfig = pulumi.secret(
            talos.client.getConfigurationOutput(
                { clusterName: plan.clusterName, clientConfiguration: secrets.clientConfiguration, endpoints: controlPlaneIps, nodes: plan.nodes.map((n) => n.ip) },
                { parent: this },
            ).talosConfig,
        );

        this.provider = new k8s.Provider(`${name}-kubernetes`, { kubeconfig: this.kubeconfig }, { parent: this });
        this.registerOutputs({ kubeconfig: this.kubeconfig, talosconfig: this.talosconfig });
    }
}
