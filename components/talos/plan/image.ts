import { PlainSpec, ProxmoxHost, proxmoxHostsInUse } from "../../config";

// The Talos image the VMs boot and install: one image factory schematic for the configured extensions, its
// nocloud disk image on each Proxmox host in use, and its installer for machine.install.image.

/** What the TalosImage component reads. */
export interface TalosImagePlan {
    /** The Talos release the image and installer are built for (homelab:talos.version). */
    talosVersion: string;
    /** Image factory system extensions, e.g. siderolabs/qemu-guest-agent (the VMs run the agent). */
    extensions: readonly string[];
    /** Proxmox hosts that run a node: the download is host-scoped, so each gets its own copy. */
    hosts: readonly ProxmoxHost[];
    /** Where each host keeps the image (homelab:proxmox.imageDatastore). */
    imageDatastore: string;
}

export function talosImagePlan(spec: PlainSpec): TalosImagePlan {
    return {
        talosVersion: spec.talos.version,
        extensions: spec.talos.extensions,
        hosts: proxmoxHostsInUse(spec),
        imageDatastore: spec.proxmox.imageDatastore,
    };
}

/** The image factory schematic for the configured system extensions, as YAML (sorted: its id is a hash of it). */
export function schematicYaml(extensions: readonly string[]): string {
    const lines = [...extensions].sort().map((e) => `      - ${e}`);
    return ["customization:", "  systemExtensions:", "    officialExtensions:", ...lines, ""].join("\n");
}

/**
 * The nocloud disk image of a schematic. The nocloud platform takes its static address from Proxmox's
 * cloud-init drive, so a node boots straight into maintenance mode on its own IP with no DHCP server
 * (a metal image would come up on DHCP: https://github.com/siderolabs/talos/issues/10949).
 * Gzip, because Proxmox's download can decompress gz but not the factory's default xz.
 */
export function diskImageUrl(factoryUrl: string, schematicId: string, talosVersion: string): string {
    return `${factoryUrl}/image/${schematicId}/${talosVersion}/nocloud-amd64.raw.gz`;
}

/** `.img`: Proxmox before 8.4 refuses .raw and .qcow2 names for the iso content type. */
export function diskImageFileName(schematicId: string, talosVersion: string): string {
    return `talos-${schematicId.slice(0, 12)}-${talosVersion}-nocloud-amd64.img`;
}
