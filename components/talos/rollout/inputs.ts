// Pure: the rollout resource's plain inputs from the stack's nodes and versions, so wiring it into the graph
// is a few lines. The `order` lines are what `pulumi preview --diff` shows: one per node, in rollout order,
// each moving from its old versions to its new ones.
import { RolloutNode, RolloutTarget, Role } from "./steps";

/** apid's port on every node. */
export const apidPort = 50000;

export interface RolloutNodeSpec {
    name: string;
    role: Role;
    /** The node's LAN address: `172.16.1.50`. */
    ip: string;
}

export interface RolloutPlainInputs {
    /** Control planes first, in config order, then workers. */
    nodes: RolloutNode[];
    target: RolloutTarget;
    /** `talos-cp-1: Talos v1.14.0, Kubernetes v1.37.0`, in rollout order. */
    order: string[];
    /** Nodes to reboot once although no version moves, with why (a staged config, a resize). */
    restarts: Record<string, string>;
}

/** Control planes first, each group in the order the config lists it. */
export function rolloutOrder<T extends { role: Role }>(nodes: T[]): T[] {
    return [...nodes.filter((n) => n.role === "controlplane"), ...nodes.filter((n) => n.role === "worker")];
}

export function orderLine(node: string, target: RolloutTarget, restart?: string): string {
    return `${node}: Talos ${target.talosVersion}, Kubernetes ${target.kubernetesVersion}${restart ? `, restart: ${restart}` : ""}`;
}

export function rolloutPlainInputs(
    nodes: RolloutNodeSpec[],
    target: RolloutTarget,
    restarts: Record<string, string> = {},
): RolloutPlainInputs {
    const ordered = rolloutOrder(nodes);
    return {
        nodes: ordered.map((n) => ({ name: n.name, role: n.role, endpoint: `${n.ip}:${apidPort}` })),
        target: { ...target },
        order: ordered.map((n) => orderLine(n.name, target, restarts[n.name])),
        restarts: { ...restarts },
    };
}

/**
 * The nodes an update rolls: those the last run's `order` lists (all of them when there is none). A node
 * that joined since boots the current image, and a rollout that runs ahead of the machine config applies
 * cannot reach it yet (no config, so no client certificate it trusts): left out, it is not dialed, and the
 * applies that wait on the rollout can configure it.
 */
export function nodesLastRolled(nodes: readonly RolloutNode[], lastOrder: readonly string[] | undefined): RolloutNode[] {
    if (!lastOrder) return [...nodes];
    const known = new Set(lastOrder.map((line) => line.slice(0, line.indexOf(":"))));
    return nodes.filter((n) => known.has(n.name));
}
