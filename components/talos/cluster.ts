import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import * as talos from "@pulumiverse/talos";
import { nodePatches, renderPatches, rolePatches } from "./plan/patches";
import type { ApiAccess } from "../kubernetes/api-access";
import { KubernetesApiReady } from "../kubernetes/readiness";
import { TalosNodePlan, TalosPlan } from "./plan/cluster";
import { defaultTiming } from "./rollout/timing";
import { apidPort, rolloutPlainInputs } from "./rollout/inputs";
import { KubernetesNode } from "./kubernetes-node";
import { MaintenanceApply } from "./maintenance-apply";
import { TalosRollout } from "./rollout/resource";
import { stagedConfigDigest } from "./rollout/restart-triggers";

export interface TalosClusterArgs {
    /** talosPlan(spec): the cluster, its nodes and their network. */
    plan: TalosPlan;
    /** Each node's VM, by node name: a node's config is applied once its VM runs. */
    vms: Readonly<Record<string, pulumi.Resource>>;
    /** The installer image of the schematic the VMs boot, for machine.install.image. */
    installerImage: pulumi.Input<string>;
    /** The Proxmox API token (secret): a resized node is restarted through Proxmox. */
    proxmoxApiToken: pulumi.Input<string>;
}

/**
 * Talos from maintenance mode to a running control plane: secrets, a config per node, bootstrap on the
 * first control plane, kubeconfig, the API gate, talosconfig and the Kubernetes provider; then the rollout
 * that upgrades and restarts nodes one at a time on later runs. No check here runs on every preview: the
 * gates wait when they are created. There is no CNI yet, so nothing here checks the nodes' Kubernetes side.
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
    /** Talos and Kubernetes upgrades, one node at a time, control planes first, before the configs (rollout/). */
    public readonly upgrade: TalosRollout;
    /** Restarts for a resize or a staged config, one node at a time, after the configs (rollout/). */
    public readonly rollout: TalosRollout;

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
                    // The config contract, not the installed version: a Talos bump must not re-render every
                    // node's config under the new minor while the nodes still run the old one. It moves on its own.
                    talosVersion: plan.versions.configContract,
                    kubernetesVersion: plan.versions.kubernetes,
                    docs: false,
                    examples: false,
                    configPatches: pulumi
                        .output(args.installerImage)
                        .apply((image) => renderPatches(rolePatches({ ...plan.cluster, installImage: image }, role))),
                },
                { parent: this },
            ).machineConfiguration;
        const configs = { controlplane: roleConfig("controlplane"), worker: roleConfig("worker") };

        // Talos and Kubernetes versions move node by node before any config is pushed: a config carrying a new
        // Kubernetes version, applied to every node at once, would restart every API server together. This
        // rollout reaches Kubernetes through the Talos API, so it needs nothing the applies make; it creates
        // nothing on a first build and leaves alone a node that joins in the same run.
        const { versions } = plan;
        const rolloutPlan = rolloutPlainInputs(plan.nodes, {
            talosVersion: versions.talos,
            installerImage: "",
            kubernetesVersion: versions.kubernetes,
        });
        this.upgrade = new TalosRollout(
            `${name}-upgrade`,
            { plan: rolloutPlan, installerImage: args.installerImage, talos: secrets.clientConfiguration, timing: defaultTiming },
            { parent: this },
        );

        // Each node's Kubernetes Node object, deleted after its apply's reset when the node is removed
        // (kubernetes-node.ts): the apply depends on it, so Pulumi deletes it second.
        const controlPlaneEndpoints = rolloutPlan.nodes.filter((n) => n.role === "controlplane");
        const nodeObjects = new Map(
            plan.nodes.map((node) => [
                node.name,
                new KubernetesNode(
                    `${name}-${node.name}-node`,
                    {
                        node: node.name,
                        talos: secrets.clientConfiguration,
                        controlPlanes: controlPlaneEndpoints,
                        callTimeoutMs: defaultTiming.callTimeoutMs,
                    },
                    // The whole cluster going: its Node objects go with it, and its control planes may be gone already.
                    { parent: this, deletedWith: secrets },
                ),
            ]),
        );

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
                        // Staged, always: no config apply reboots a node, and none reboots several at once. The
                        // provider's "staged_if_needing_reboot" falls back to AUTO, which reboots, when its dry run
                        // fails (terraform-provider-talos v0.11.0 talos_machine_configuration_apply_resource.go
                        // 985-995: "Cannot check reboot requirement ... Using 'auto' mode (may reboot)"; Talos v1.13.9
                        // v1alpha1_server.go: AUTO becomes REBOOT when CanApplyImmediate fails), and the applies run
                        // in parallel. The rollout below applies each staged config live when Talos says it can (its
                        // own dry run; a failed one stops the rollout), else restarts the node, one at a time. A node
                        // in maintenance mode only persists a staged config: its MaintenanceApply applies it at once.
                        applyMode: "staged",
                    },
                    // No input links a node's config to its VM. replaceWith states both edges: the config is
                    // applied once the VM runs (replaceWith targets are waited for, as dependsOn would be), and a
                    // replaced VM, booting into maintenance mode again, gets the config anew. Deleting first
                    // resets the old node while it still answers on the address, never the new one.
                    // deletedWith: when the whole cluster goes (its secrets with it), the resets are skipped: the
                    // VMs go anyway, and the last etcd member could not leave gracefully. One node removed is reset.
                    // The upgrade has no input of the apply's: its versions must land on the nodes first. The Node
                    // object's record goes after the reset (see above).
                    {
                        parent: this,
                        replaceWith: [vm],
                        deleteBeforeReplace: true,
                        deletedWith: secrets,
                        dependsOn: [this.upgrade, nodeObjects.get(node.name)!],
                    },
                ),
            );
        }

        // A node's first config, applied at once while it is in maintenance mode (maintenance-apply.ts); a node
        // that runs a config already is left alone. Replaced with its apply (a new VM boots into maintenance).
        const firstApplies = new Map<string, MaintenanceApply>();
        const firstApplyTiming = {
            callTimeoutMs: defaultTiming.callTimeoutMs,
            rebootTimeoutMs: defaultTiming.rebootTimeoutMs,
            pollIntervalMs: defaultTiming.pollIntervalMs,
        };
        for (const node of plan.nodes) {
            const apply = applies.get(node.name)!;
            firstApplies.set(
                node.name,
                new MaintenanceApply(
                    `${name}-${node.name}-first-apply`,
                    {
                        node: node.name,
                        endpoint: `${node.ip}:${apidPort}`,
                        talos: secrets.clientConfiguration,
                        machineConfiguration: apply.machineConfiguration,
                        timing: firstApplyTiming,
                    },
                    { parent: this, replaceWith: [apply] },
                ),
            );
        }

        // etcd is bootstrapped once, on the first control plane's own address: the VIP only exists once
        // etcd does (https://github.com/siderolabs/terraform-provider-talos/issues/267).
        const first = plan.bootstrapNode;
        this.bootstrap = new talos.machine.Bootstrap(
            `${name}-bootstrap`,
            { node: first.ip, endpoint: first.ip, clientConfiguration: secrets.clientConfiguration },
            // Every control plane must run its config first, or the others would not join etcd.
            { parent: this, dependsOn: plan.controlPlanes.map((n) => firstApplies.get(n.name)!) },
        );

        // No Talos health check here: a health invoke would dial every node on every preview and up. The
        // kubeconfig's create retries until the node serves it (10 minutes, terraform-provider-talos v0.11.0
        // talos_cluster_kubeconfig_resource.go Create), and the gates below wait, once, for /readyz (which
        // needs etcd) and later for every node Ready.
        const kubeconfig = new talos.cluster.Kubeconfig(
            `${name}-kubeconfig`,
            { clientConfiguration: secrets.clientConfiguration, node: first.ip, endpoint: first.ip },
            { parent: this, dependsOn: [this.bootstrap] },
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
                {
                    clusterName: plan.clusterName,
                    clientConfiguration: secrets.clientConfiguration,
                    endpoints: controlPlaneIps,
                    nodes: plan.nodes.map((n) => n.ip),
                },
                { parent: this },
            ).talosConfig,
        );

        this.provider = new k8s.Provider(`${name}-kubernetes`, { kubeconfig: this.kubeconfig }, { parent: this });

        // Resizes and staged configs land one node at a time, after the configs are applied (the same engine;
        // its versions have landed already, through the upgrade above).
        this.rollout = new TalosRollout(
            `${name}-rollout`,
            {
                plan: rolloutPlan,
                installerImage: args.installerImage,
                talos: secrets.clientConfiguration,
                kubernetes: this.apiAccess,
                timing: defaultTiming,
                restartTriggers: Object.fromEntries(
                    plan.nodes.map((n) => {
                        const apply = applies.get(n.name)!;
                        return [
                            n.name,
                            {
                                hardware: plan.vms[n.name].hardware,
                                diskGiB: plan.vms[n.name].diskGiB,
                                stagedConfig: stagedConfigDigest(apply.resolvedApplyMode, apply.machineConfiguration),
                            },
                        ];
                    }),
                ),
                proxmox: {
                    ...plan.proxmox,
                    apiToken: args.proxmoxApiToken,
                    vms: Object.fromEntries(plan.nodes.map((n) => [n.name, { host: plan.vms[n.name].host, vmId: plan.vms[n.name].vmId }])),
                },
            },
            // Each node's restart trigger carries its apply's outputs, so the rollout runs after every apply.
            { parent: this },
        );
        this.registerOutputs({ kubeconfig: this.kubeconfig, talosconfig: this.talosconfig });
    }
}
