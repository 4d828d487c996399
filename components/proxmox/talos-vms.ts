import * as pulumi from "@pulumi/pulumi";
import * as proxmox from "@muhlba91/pulumi-proxmoxve";
import { bootDisk, TalosVmsPlan, vmSettings } from "./plan/talos-vms";

export interface TalosVmsArgs {
    /** talosVmsPlan(spec): the nodes, the Proxmox settings and the node network. */
    plan: TalosVmsPlan;
    /** The Talos image's file id on each Proxmox host, by host name. */
    imageFileIds: Readonly<Record<string, pulumi.Input<string>>>;
}

/** One VmLegacy per node on its own host, keyed by node name so adding a node renames nothing. */
export class TalosVms extends pulumi.ComponentResource {
    public readonly vms: Readonly<Record<string, proxmox.VmLegacy>>;

    constructor(name: string, args: TalosVmsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("homelab:proxmox:TalosVms", name, {}, opts);
        const vms: Record<string, proxmox.VmLegacy> = {};
        const { plan } = args;
        for (const node of plan.nodes) {
            vms[node.name] = new proxmox.VmLegacy(
                `${name}-${node.name}`,
                {
                    ...vmSettings(node, plan.proxmox, plan.network, plan.clusterName),
                    disks: [bootDisk(node, plan.proxmox, args.imageFileIds[node.host])],
                },
                {
                    parent: this,
                    // A new Talos version or extension set brings a new image, and a new disk file id would
                    // replace every VM at once, etcd with them. Running nodes keep their disk and are upgraded
                    // in place (`talosctl upgrade` to the installer their machine config already names); only new
                    // VMs boot from the new image (the same fix: pascalinthecloud/terraform-proxmox-talos-cluster#42).
                    // The bridge also reports an empty disk `speed` block as a change on every preview
                    // (https://github.com/muhlba91/pulumi-proxmoxve/issues/664).
                    ignoreChanges: ["disks[0].fileId", "disks[0].speed"],
                    // The vmId, MAC and address are fixed, so a replacement cannot run beside the old VM.
                    deleteBeforeReplace: true,
                },
            );
        }
        this.vms = vms;
        this.registerOutputs({});
    }
}
