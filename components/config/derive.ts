import { NodeSpec, PlainSpec, ProxmoxHost } from "./types";

// Facts several components need, derived in one place so none of them recomputes another's.

export function controlPlanes(spec: PlainSpec): readonly NodeSpec[] {
    return spec.nodes.filter((n) => n.role === "controlplane");
}

/** Proxmox hosts that run at least one node, in config order: each needs its own copy of the image. */
export function proxmoxHostsInUse(spec: PlainSpec): readonly ProxmoxHost[] {
    const used = new Set(spec.nodes.map((n) => n.host));
    return spec.proxmox.hosts.filter((h) => used.has(h.name));
}
