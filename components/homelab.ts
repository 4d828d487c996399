import * as pulumi from "@pulumi/pulumi";
import { TalosImage } from "./proxmox/talos-image";
import { TalosVms } from "./proxmox/talos-vms";
import { proxmoxProvider } from "./proxmox/provider";
import { controlPlanes, HomelabSpec, proxmoxHostsInUse } from "./spec";
import { TalosCluster } from "./talos/cluster";
import { ClusterReady } from "./talos/cluster-ready";
import { Cilium } from "./kubernetes/cilium";

export interface HomelabArgs {
    /** The validated spec; the only input. */
    spec: HomelabSpec;
}

/** The one graph: wires the components in the order the real system needs; no logic of its own. */
export class Homelab extends pulumi.ComponentResource {
    public readonly kubeconfig: pulumi.Output<string>;
    public readonly talosconfig: pulumi.Output<string>;

    constructor(name: string, args: HomelabArgs, opts?: pulumi.ComponentResourceOptions) {
        super("homelab:index:Homelab", name, {}, opts);
        const { spec } = args;

        const proxmox = proxmoxProvider(`${name}-proxmox`, spec.proxmox, spec.secrets.proxmoxApiToken, spec.secrets.proxmoxSshPrivateKey, { parent: this });
        const image = new TalosImage(`${name}-talos-image`, { extensions: spec.talos.extensions, hosts: proxmoxHostsInUse(spec), proxmox: spec.proxmox }, { parent: this, providers: [proxmox] });
        const vms = new TalosVms(
            `${name}-vms`,
            { nodes: spec.nodes, proxmox: spec.proxmox, network: spec.network, clusterName: spec.talos.clusterName, imageFileIds: image.fileIds },
            { parent: this, providers: [proxmox] },
        );
        const talos = new TalosCluster(`${name}-talos`, { spec, vms: vms.vms, installerImage: image.installerImage }, { parent: this });

        const cilium = new Cilium(
            `${name}-cilium`,
            { plan: { podCidr: spec.network.podCidr, loadBalancerRange: spec.network.loadBalancerRange, controlPlaneCount: controlPlanes(spec).length, nodeCount: spec.nodes.length } },
            { parent: this, providers: [talos.provider] },
        );
        // Every add-on below uses this provider: it answers once Kubernetes (with its CNI) is healthy.
        const ready = new ClusterReady(
            `${name}-ready`,
            {
                clientConfiguration: talos.clientConfiguration,
                controlPlaneIps: controlPlanes(spec).map((n) => n.ip),
                workerIps: spec.nodes.filter((n) => n.role === "worker").map((n) => n.ip),
                kubeconfig: talos.kubeconfig,
                after: [cilium],
            },
            { parent: this },
        );
        void ready;

        this.kubeconfig = talos.kubeconfig;
        this.talosconfig = talos.talosconfig;
        this.registerOutputs({ kubeconfig: this.kubeconfig, talosconfig: this.talosconfig });
    }
}
