import { NetworkSpec, NodeSpec, PlainSpec, ProxmoxSpec } from "../../config";
import type { Problem } from "../../config/problems";

// Pure inputs of the Talos VMs, so the choices below are tested without Pulumi. Their image is the Talos
// area's (talos/plan/image.ts).

/** What the TalosVms component reads: one VM per node, on its own host. */
export interface TalosVmsPlan {
    clusterName: string;
    nodes: readonly NodeSpec[];
    proxmox: ProxmoxSpec;
    network: NetworkSpec;
}

export function talosVmsPlan(spec: PlainSpec): TalosVmsPlan {
    return { clusterName: spec.talos.clusterName, nodes: spec.nodes, proxmox: spec.proxmox, network: spec.network };
}

/** Proxmox shows MACs upper case; giving it the same form avoids a diff on every refresh. */
export function proxmoxMac(mac: string): string {
    return mac.toUpperCase();
}

/** Proxmox sorts tags on its side; unsorted tags would show a diff on every preview. */
export function vmTags(node: NodeSpec, clusterName: string): string[] {
    return [clusterName, "talos", node.role].sort();
}

/** Cloud-init network of a node: its static address and the router, no DHCP. */
export function cloudInitNetwork(node: NodeSpec, network: NetworkSpec) {
    return {
        ipConfigs: [{ ipv4: { address: `${node.ip}/${network.prefixLength}`, gateway: network.router } }],
        dns: { servers: [...network.nameservers] },
    };
}

/** Everything of a VM that does not come from another resource (the disk image's file id is added by the component). */
export function vmSettings(node: NodeSpec, proxmox: ProxmoxSpec, network: NetworkSpec, clusterName: string) {
    return {
        nodeName: node.host,
        vmId: node.vmId,
        name: node.name,
        description: `Talos ${node.role} of cluster ${clusterName}; managed by Pulumi (homelab).`,
        tags: vmTags(node, clusterName),
        machine: "q35",
        bios: "seabios",
        // Plain VirtIO SCSI, not "VirtIO SCSI single": Sidero's Proxmox guide warns that the single
        // controller can hang Talos installs and bootstraps (https://github.com/siderolabs/talos/issues/11173).
        // Without it iothread has no effect, so it is not set.
        scsiHardware: "virtio-scsi-pci",
        // `host` exposes the CPU's real features (x86-64-v2 is required by Talos); it rules out live
        // migration between different CPUs, which a homelab with local disks cannot do anyway.
        cpu: { cores: node.cores, sockets: 1, type: "host" },
        // Talos wants no balloon device: `floating: 0` removes it (a value equal to dedicated turns it on).
        memory: { dedicated: node.memoryMiB, floating: 0 },
        agent: { enabled: true, trim: true },
        operatingSystem: { type: "l26" },
        networkDevices: [{ bridge: proxmox.bridge, model: "virtio", macAddress: proxmoxMac(node.mac), firewall: false }],
        initialization: { datastoreId: proxmox.vmDatastore, ...cloudInitNetwork(node, network) },
        bootOrders: ["scsi0"],
        onBoot: true,
        started: true,
        // Destroying a VM should not wait on an ACPI shutdown the guest may never finish.
        stopOnDestroy: true,
        // The provider's default (true) restarts a resized VM right after its update, every resized VM at
        // once. Proxmox keeps new cores or memory pending instead, and the rolling restart restarts the
        // nodes one at a time through Proxmox, which applies them (components/talos/rollout).
        rebootAfterUpdate: false,
    };
}

/**
 * The boot disk, imported from the host's copy of the image (raw, so Proxmox never converts it). A plain
 * object even when the file id is not known yet: the VM ignores `disks[0].fileId`, and the engine can
 * apply that nested path only under a known object (an unknown disk would plan a replacement of every VM).
 */
export function bootDisk<FileId>(node: NodeSpec, proxmox: ProxmoxSpec, imageFileId: FileId) {
    return {
        interface: "scsi0",
        datastoreId: proxmox.vmDatastore,
        fileId: imageFileId,
        fileFormat: "raw",
        size: node.diskGiB,
        discard: "on",
        ssd: true,
    };
}

/** What the resize rule compares of a node's VM between two runs. */
export interface VmSize {
    /** `4 cores, 8192 MiB`. */
    hardware: string;
    diskGiB?: number;
}

/**
 * A disk resize in the same run as a CPU or memory change fails the VM's update: the VMs run with
 * `rebootAfterUpdate: false`, so the CPU or memory change waits for a restart, and bpg's provider then refuses
 * the resize ("cannot resize disks while the VM is running ... automatic power-offs/reboots are disabled",
 * terraform-provider-proxmox v0.111.1 proxmoxtf/resource/vm/vm.go 7044-7095, vmPowerOffForPendingChanges'
 * blockedByPolicy). A resize alone is done live. Compared with what the stack last recorded, so it is judged where
 * that record is (the restart rollout's check), before any change.
 */
export function resizeProblems(before: Readonly<Record<string, VmSize>>, after: Readonly<Record<string, VmSize>>): Problem[] {
    const problems: Problem[] = [];
    for (const [name, next] of Object.entries(after)) {
        const last = before[name];
        if (
            !last ||
            last.diskGiB === undefined ||
            next.diskGiB === undefined ||
            last.diskGiB === next.diskGiB ||
            last.hardware === next.hardware
        )
            continue;
        problems.push({
            key: "homelab:nodes",
            message: `${name} resizes its disk (${last.diskGiB} -> ${next.diskGiB} GiB) together with its cores or memory (${last.hardware} -> ${next.hardware}); Proxmox cannot resize the disk of a VM whose CPU or memory change waits for a restart, and no VM update restarts its VM`,
            fix: `resize the disk in its own run: keep ${name}'s diskGiB at ${last.diskGiB} and run \`pulumi up\` (the rollout restarts it with the new cores and memory), then set diskGiB to ${next.diskGiB} and run \`pulumi up\` again`,
        });
    }
    return problems;
}
