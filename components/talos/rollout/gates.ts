// The checks a rollout waits on between two nodes, each bounded: the node back on a new boot with the
// expected version, its kubelet Ready, and (control planes) etcd healthy on every member, as talosctl's
// health checks define it (pkg/cluster/check: etcd service Running and healthy on every control plane,
// and the same member list, of the expected size, on each).
import type { ApiAccess } from "../../kubernetes/api-access";
import { TalosClient, TalosClientConfiguration, TalosClientOptions } from "../api/client";
import { drainSkips, evict, nodeState, podsOnNode, PodObject } from "../api/kubernetes";
import { bootId, etcdMembers, services, talosVersion } from "../api/machine";
import { RolloutNode } from "./steps";
import type { RolloutTiming } from "./timing";

/** A failed check: the node and the check are in the message, the rest of the rollout is untouched. */
export class GateError extends Error {
    constructor(
        public readonly node: string,
        public readonly check: string,
        detail: string,
    ) {
        super(`${node}: ${check}: ${detail}`);
    }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Time spent idle between polls: what the rollout adds beyond the calls themselves. */
export interface WaitStats {
    polls: number;
    sleptMs: number;
}

/** Polls `check` (undefined = satisfied, else why not) until it is satisfied or `timeoutMs` is up. */
export async function waitFor(
    node: string,
    check: string,
    timeoutMs: number,
    pollIntervalMs: number,
    probe: () => Promise<string | undefined>,
    stats?: WaitStats,
): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        let problem: string | undefined;
        try {
            problem = await probe();
        } catch (error) {
            problem = (error as Error).message;
        }
        if (problem === undefined) return;
        if (Date.now() + pollIntervalMs > deadline) throw new GateError(node, check, `not within ${timeoutMs / 1000} s (last: ${problem})`);
        const started = Date.now();
        await sleep(pollIntervalMs);
        if (stats) {
            stats.polls++;
            stats.sleptMs += Date.now() - started;
        }
    }
}

export interface Connections {
    talos: TalosClientConfiguration;
    kubernetes: ApiAccess;
    timing: RolloutTiming;
    stats?: WaitStats;
}

/** What dialing a node needs: the Talos half of Connections (the Kubernetes half may not be known yet). */
export type TalosConnections = Pick<Connections, "talos" | "timing"> & { kubernetes?: ApiAccess };

/** Runs `use` with a fresh client to the node and closes it: a rebooted node is dialed anew, not through a
 *  channel that is still backing off from the last failure. */
export async function withNode<T>(connections: TalosConnections, node: RolloutNode, use: (client: TalosClient) => Promise<T>): Promise<T> {
    const options: TalosClientOptions = {
        callTimeoutMs: connections.timing.callTimeoutMs,
        streamTimeoutMs: connections.timing.streamTimeoutMs,
    };
    const client = new TalosClient({ name: node.name, address: node.endpoint }, connections.talos, options);
    try {
        return await use(client);
    } finally {
        client.close();
    }
}

/** Back after a reboot: a boot id other than `before`, running `version`. */
export function waitBack(connections: Connections, node: RolloutNode, before: string, version: string): Promise<void> {
    const { rebootTimeoutMs, pollIntervalMs } = connections.timing;
    return waitFor(
        node.name,
        `back from the reboot on ${version}`,
        rebootTimeoutMs,
        pollIntervalMs,
        () =>
            withNode(connections, node, async (client) => {
                if ((await bootId(client)) === before) return "not rebooted yet (same boot id)";
                const running = await talosVersion(client);
                return running === version ? undefined : `running ${running}`;
            }),
        connections.stats,
    );
}

/** The node's kubelet reports Ready (and, when given, this kubelet version). */
export function waitNodeReady(connections: Connections, node: RolloutNode, kubeletVersion?: string): Promise<void> {
    const { healthTimeoutMs, pollIntervalMs, callTimeoutMs } = connections.timing;
    return waitFor(
        node.name,
        kubeletVersion ? `kubelet ${kubeletVersion} Ready` : "kubelet Ready",
        healthTimeoutMs,
        pollIntervalMs,
        async () => {
            const state = await nodeState(connections.kubernetes, node.name, callTimeoutMs);
            if (kubeletVersion && state.kubeletVersion !== kubeletVersion) return `kubelet ${state.kubeletVersion}`;
            return state.ready ? undefined : "NotReady";
        },
        connections.stats,
    );
}

/** Why etcd is not healthy across the control planes, or undefined when it is. */
export async function etcdProblem(connections: Connections, controlPlanes: RolloutNode[]): Promise<string | undefined> {
    const problems: string[] = [];
    let reference: string | undefined;
    for (const node of controlPlanes) {
        await withNode(connections, node, async (client): Promise<void> => {
            const etcd = (await services(client)).find((s) => s.id === "etcd");
            if (!etcd) return void problems.push(`${node.name}: no etcd service`);
            if (etcd.lastState !== "Running") return void problems.push(`${node.name}: etcd ${etcd.lastState}: ${etcd.lastMessage}`);
            if (!etcd.healthy) return void problems.push(`${node.name}: etcd is not healthy`);
            const members = await etcdMembers(client);
            const names = members
                .map((m) => `${m.hostname}${m.isLearner ? " (learner)" : ""}`)
                .sort()
                .join(", ");
            if (members.length !== controlPlanes.length)
                return void problems.push(`${node.name}: ${members.length} etcd members (${names}), expected ${controlPlanes.length}`);
            if (members.some((m) => m.isLearner)) return void problems.push(`${node.name}: a member is still a learner (${names})`);
            if (reference !== undefined && names !== reference)
                return void problems.push(`${node.name}: members ${names} differ from ${reference}`);
            reference = names;
        }).catch((error: Error) => problems.push(error.message));
    }
    return problems.length ? problems.join("; ") : undefined;
}

export function waitEtcdHealthy(connections: Connections, node: RolloutNode, controlPlanes: RolloutNode[]): Promise<void> {
    const { healthTimeoutMs, pollIntervalMs } = connections.timing;
    return waitFor(
        node.name,
        "etcd healthy on every member",
        healthTimeoutMs,
        pollIntervalMs,
        () => etcdProblem(connections, controlPlanes),
        connections.stats,
    );
}

/** Evicts every pod a drain must move (skipping mirror and DaemonSet pods) until none is left, bounded. */
export async function drain(connections: Connections, node: RolloutNode, onEvict: (pod: PodObject) => void): Promise<void> {
    const { drainTimeoutMs, pollIntervalMs, callTimeoutMs } = connections.timing;
    const api = connections.kubernetes;
    const movable = async () =>
        (await podsOnNode(api, node.name, callTimeoutMs)).filter(
            (p) => !drainSkips(p) && p.status?.phase !== "Succeeded" && p.status?.phase !== "Failed",
        );
    await waitFor(
        node.name,
        "drain",
        drainTimeoutMs,
        pollIntervalMs,
        async () => {
            const pods = await movable();
            if (!pods.length) return undefined;
            const refused: string[] = [];
            for (const pod of pods) {
                if (await evict(api, pod, callTimeoutMs)) onEvict(pod);
                else refused.push(`${pod.metadata.namespace}/${pod.metadata.name}`);
            }
            if (refused.length) return `a disruption budget keeps ${refused.join(", ")}`;
            // Look again at once: pods that are gone already cost no poll interval.
            const left = await movable();
            return left.length ? `${left.length} pods terminating` : undefined;
        },
        connections.stats,
    );
}
