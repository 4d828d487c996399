// Running a rollout: reads what every node runs, refuses to start on a cluster that is not healthy, then
// runs the planned steps one at a time, each gated on the node (and etcd) being healthy again before the
// next. A failure stops the rollout there: later nodes are untouched and the error names the node and the
// check. Steps come from what the nodes run now, so a rollout run again after a failure skips what landed.
// A Kubernetes upgrade does what `talosctl upgrade-k8s` does around its component steps: the removed-API check
// before any node moves, the image pre-pull before the first component restarts (kubernetes-upgrade.ts), and
// after the last step the bootstrap manifest sync (manifest-sync.ts), which a Talos upgrade needs too.
import type { ApiAccess } from "../../kubernetes/api-access";
import { TalosClientConfiguration } from "../api/client";
import { controlPlanePods, nodeState, podReady, setUnschedulable } from "../api/kubernetes";
import { activeMachineConfig, bootId, install, legacyUpgrade, pullImage, reboot, talosVersion } from "../api/machine";
import type { RolloutTiming } from "./timing";
import {
    Connections,
    drain,
    etcdProblem,
    GateError,
    TalosConnections,
    waitBack,
    waitEtcdHealthy,
    waitFor,
    WaitStats,
    waitNodeReady,
    withNode,
} from "./gates";
import { kubernetesThroughTalos } from "./kubernetes-access";
import { configuredInstaller, configuredVersions, kubeletSuffix, withComponentVersion, withInstaller } from "./machine-config";
import { prePullImages, removedApiProblems } from "./kubernetes-upgrade";
import { syncBootstrapManifests } from "./manifest-sync";
import { compareVersions } from "../../config/releases";
import { describeStep, hasLifecycleApi, NodeObservation, rolloutSteps, rolloutProblems, RolloutNode, RolloutTarget, Step } from "./steps";
import { applyEditKeepingStaged, applyStagedLive, stagedConfig } from "./staged-config";

export interface RolloutRequest {
    /** In rollout order: control planes first (in config order), then workers. */
    nodes: RolloutNode[];
    target: RolloutTarget;
    /** Nodes to reboot although no upgrade is pending, with the reason (a staged config, a resize). */
    restarts?: Record<string, string>;
    talos: TalosClientConfiguration;
    /** Kubernetes API access. Unset: the admin kubeconfig is read through the Talos API from the first control
     *  plane that serves it, and only when the rollout has a step to run, so a rollout can run before the
     *  kubeconfig resource exists. */
    kubernetes?: ApiAccess;
    timing: RolloutTiming;
    /** How a restart step takes its node down; default: Talos' MachineService.Reboot. A resize needs the
     *  hypervisor instead: Proxmox applies pending CPU or memory changes only when it restarts the VM, which
     *  a reboot inside the guest does not do. Upgrades always reboot through Talos. */
    restartVia?: RestartCapability;
    /** Progress lines; never given a secret. */
    log?: (line: string) => void;
}

/** A way to restart a node other than Talos' reboot: the hypervisor's, which the rollout is handed, not bound to. */
export interface RestartCapability {
    restart(node: RolloutNode, reason: string): Promise<void>;
}

/** What a node runs once the rollout has left it. */
export interface Landed {
    talosVersion: string;
    kubeletVersion: string;
}

export interface RolloutResult {
    steps: Step[];
    landed: Record<string, Landed>;
    /** Idle time between polls, in all. */
    waits: WaitStats;
}

export class RolloutError extends Error {
    constructor(
        message: string,
        public readonly landed: Record<string, Landed>,
        public readonly failedStep?: Step,
    ) {
        super(message);
        this.name = "RolloutError";
    }
}

/** Reads every node (in parallel) before anything moves: through Talos its version, the Kubernetes versions
 *  its config names (the kubelet's too, until the Node object says what runs) and what it holds staged (a dry
 *  run: one that fails stops the rollout before it starts, and nothing reboots). Problems per node. */
async function observeTalos(
    connections: TalosConnections,
    nodes: RolloutNode[],
): Promise<{ observed: Map<string, NodeObservation>; problems: string[][]; suffixes: Record<string, string> }> {
    const observed = new Map<string, NodeObservation>();
    const suffixes: Record<string, string> = {};
    const problems = await Promise.all(
        nodes.map(async (node): Promise<string[]> => {
            try {
                const [version, config, staged] = await withNode(connections, node, async (client) => {
                    const [running, active] = [await talosVersion(client), await activeMachineConfig(client)];
                    return [running, active, await stagedConfig(client, active)] as const;
                });
                // Control-plane components are read from the config, as upgrade-k8s compares them.
                const { kubelet, ...components } = configuredVersions(config, node.role);
                suffixes[node.name] = kubeletSuffix(config);
                observed.set(node.name, {
                    talosVersion: version,
                    kubeletVersion: kubelet ?? "",
                    installerImage: configuredInstaller(config),
                    components: node.role === "controlplane" ? components : undefined,
                    ...(staged ? { stagedConfig: staged } : {}),
                });
                return [];
            } catch (error) {
                return [(error as Error).message];
            }
        }),
    );
    return { observed, problems, suffixes };
}

/** The kubelet from the Node object, which says what actually runs, and whether it is Ready. */
async function observeKubernetes(
    api: ApiAccess,
    timeoutMs: number,
    nodes: RolloutNode[],
    observed: Map<string, NodeObservation>,
    problems: string[][],
): Promise<void> {
    await Promise.all(
        nodes.map(async (node, index) => {
            const seen = observed.get(node.name);
            if (!seen) return;
            try {
                const state = await nodeState(api, node.name, timeoutMs);
                seen.kubeletVersion = state.kubeletVersion;
                if (!state.ready) problems[index].push(`${node.name}: kubelet is not Ready`);
            } catch (error) {
                problems[index].push((error as Error).message);
            }
        }),
    );
}

export async function runRollout(request: RolloutRequest): Promise<RolloutResult> {
    const stats: WaitStats = { polls: 0, sleptMs: 0 };
    const log = request.log ?? (() => undefined);
    const controlPlanes = request.nodes.filter((n) => n.role === "controlplane");
    const notStarted = (problems: string[], landed: Record<string, Landed> = {}) =>
        new RolloutError(`rollout not started, nothing was changed: ${problems.join("; ")}`, landed);

    const { observed, problems, suffixes } = await observeTalos({ talos: request.talos, timing: request.timing }, request.nodes);
    let kubernetes = request.kubernetes;
    // Without access given, Kubernetes is reached only when the Talos view shows work: an up with nothing to
    // move reads no kubeconfig and makes no Kubernetes call.
    if (!kubernetes && !problems.flat().length && rolloutSteps(request.nodes, request.target, observed, request.restarts).length) {
        kubernetes = await kubernetesThroughTalos({ talos: request.talos, timing: request.timing }, request.nodes, log).catch(
            (error: Error) => {
                throw notStarted([error.message]);
            },
        );
    }
    if (kubernetes) await observeKubernetes(kubernetes, request.timing.callTimeoutMs, request.nodes, observed, problems);
    const all = problems.flat();
    if (!all.length) all.push(...rolloutProblems(request.nodes, request.target, observed));
    if (all.length) throw notStarted(all);
    const landed: Record<string, Landed> = Object.fromEntries(
        request.nodes.map((n) => [
            n.name,
            { talosVersion: observed.get(n.name)!.talosVersion, kubeletVersion: observed.get(n.name)!.kubeletVersion },
        ]),
    );

    const steps = rolloutSteps(request.nodes, request.target, observed, request.restarts);
    if (!steps.length) return { steps, landed, waits: stats };
    // Steps come from the same view that asked for access: there is access whenever there are steps.
    if (!kubernetes) throw notStarted(["no Kubernetes access"], landed);
    const connections: Connections = { talos: request.talos, kubernetes, timing: request.timing, stats };
    // Never take a node down while etcd is already short of a member.
    if (controlPlanes.length) {
        const etcd = await etcdProblem(connections, controlPlanes);
        if (etcd) throw notStarted([`etcd is not healthy: ${etcd}`], landed);
    }

    // upgrade-k8s' pre-checks, before any node moves: no object may be left behind in an API the target drops.
    const upgradesKubernetes = steps.some((s) => s.kind === "control-plane-component" || s.kind === "kubelet");
    if (upgradesKubernetes) {
        const running = [...observed.values()]
            .flatMap((o) => [o.kubeletVersion, ...Object.values(o.components ?? {})])
            .filter((v): v is string => Boolean(v));
        const oldest = running.reduce((a, b) => (compareVersions(a, b) <= 0 ? a : b));
        const removed = await removedApiProblems(kubernetes, oldest, request.target.kubernetesVersion, request.timing.callTimeoutMs).catch(
            (error: Error) => [`the removed-API check failed: ${error.message}`],
        );
        if (removed.length) throw notStarted(removed, landed);
    }

    let pulled = false;
    for (const [index, step] of steps.entries()) {
        const node = request.nodes.find((n) => n.name === step.node)!;
        log(`step ${index + 1}/${steps.length}: ${describeStep(step)}`);
        try {
            if (step.kind === "talos-upgrade" || step.kind === "restart")
                await rebootStep(connections, node, step, controlPlanes, log, request.restartVia);
            else if (step.kind === "apply-staged") await applyStagedStep(connections, node, controlPlanes);
            else {
                // The target's images, on every node, before the first component restarts (upgrade-k8s' pre-pull).
                if (!pulled) await prePullImages(connections, request.nodes, request.target.kubernetesVersion, suffixes, log);
                pulled = true;
                await kubernetesStep(connections, node, step);
            }
        } catch (error) {
            const untouched = [...new Set(steps.slice(index + 1).map((s) => s.node))].filter((n) => n !== step.node);
            const rest = untouched.length ? `; not started: ${untouched.join(", ")}` : "";
            throw new RolloutError(`rollout stopped at ${describeStep(step)}: ${(error as Error).message}${rest}`, landed, step);
        }
        if (step.kind === "talos-upgrade") landed[step.node].talosVersion = step.to;
        if (step.kind === "kubelet") landed[step.node].kubeletVersion = step.to;
    }
    // A new Talos or Kubernetes renders new bootstrap manifests (CoreDNS's version is Talos'): upgrade-k8s' sync.
    if (upgradesKubernetes || steps.some((s) => s.kind === "talos-upgrade")) {
        try {
            const synced = await syncBootstrapManifests(connections, controlPlanes, log);
            log(
                `manifests: ${synced.created.length} created, ${synced.configured.length} configured, ${synced.unchanged.length} unchanged, ${synced.pruned.length} pruned`,
            );
        } catch (error) {
            throw new RolloutError(
                `rollout stopped at the bootstrap manifest sync (every node landed): ${(error as Error).message}`,
                landed,
            );
        }
    }
    return { steps, landed, waits: stats };
}

/** Install (for an upgrade), cordon, drain, reboot, wait back and Ready, uncordon, etcd: one node down at a time. */
async function rebootStep(
    connections: Connections,
    node: RolloutNode,
    step: Extract<Step, { kind: "talos-upgrade" | "restart" }>,
    controlPlanes: RolloutNode[],
    log: (line: string) => void,
    restartVia?: RolloutRequest["restartVia"],
): Promise<void> {
    const { kubernetes: api, timing } = connections;
    const legacy = step.kind === "talos-upgrade" && !hasLifecycleApi(step.from);
    const { before, running } = await withNode(connections, node, async (client) => {
        const ids = { before: await bootId(client), running: await talosVersion(client) };
        if (step.kind === "talos-upgrade" && !legacy) {
            const pulled = await pullImage(client, step.image);
            log(`${node.name}: pulled ${pulled}`);
            const result = await install(client, step.image);
            if (result.exitCode !== 0)
                throw new GateError(
                    node.name,
                    "install",
                    `exit code ${result.exitCode} (last message: ${result.messages[result.messages.length - 1] ?? "none"}); the node was not rebooted`,
                );
        }
        return ids;
    });
    await setUnschedulable(api, node.name, true, timing.callTimeoutMs);
    log(`${node.name}: cordoned`);
    const uncordon = async () => {
        await setUnschedulable(api, node.name, false, timing.callTimeoutMs);
        log(`${node.name}: uncordoned`);
    };
    let down = false;
    try {
        await drain(connections, node, (pod) => log(`${node.name}: evicted ${pod.metadata.namespace}/${pod.metadata.name}`));
        if (step.kind === "restart" && restartVia) await restartVia.restart(node, step.reason);
        else
            await withNode(connections, node, (client) =>
                legacy ? legacyUpgrade(client, (step as { image: string }).image) : reboot(client),
            );
        down = true;
        log(`${node.name}: ${legacy ? "upgrading through the deprecated MachineService.Upgrade (node older than v1.13)" : "rebooting"}`);
        await waitBack(connections, node, before, step.kind === "talos-upgrade" ? step.to : running);
        // The node's config names the installer it now runs, as the config apply after the rollout will: a
        // rollout run again after a failure sees this node done, even at an unchanged version.
        if (step.kind === "talos-upgrade") {
            await withNode(connections, node, (client) => applyEditKeepingStaged(client, (yaml) => withInstaller(yaml, step.image)));
        }
        await waitNodeReady(connections, node);
    } catch (error) {
        // A node that never went down (its drain or its restart request failed) is healthy: it is uncordoned. One
        // that went down and is not back Ready stays cordoned, so nothing is scheduled onto it, and the error says so.
        if (!down) {
            await uncordon().catch(() => log(`${node.name}: uncordon failed`));
            throw error;
        }
        throw new Error(
            `${(error as Error).message}; ${node.name} is left cordoned: once it is back and Ready, run \`kubectl uncordon ${node.name}\``,
        );
    }
    // As talosctl does (v1.13.9 cmd/talosctl/cmd/talos/drain.go uncordonNodes: WaitForNodeReady, then Uncordon):
    // uncordoned once Ready. etcd health then gates the next node, not this one's pods.
    await uncordon();
    if (node.role === "controlplane") await waitEtcdHealthy(connections, node, controlPlanes);
}

/** A staged config Talos can apply live: applied without a reboot (no drain: nothing goes down), then the
 *  node's kubelet Ready and, on a control plane, etcd healthy (a live change may restart it), as after any step. */
async function applyStagedStep(connections: Connections, node: RolloutNode, controlPlanes: RolloutNode[]): Promise<void> {
    await withNode(connections, node, applyStagedLive);
    await waitNodeReady(connections, node);
    if (node.role === "controlplane") await waitEtcdHealthy(connections, node, controlPlanes);
}

/** One Kubernetes component on one node: patch its image in the machine config, apply without a reboot (a
 *  staged config stays staged, with the same patch), wait until it runs the new version and is Ready. */
async function kubernetesStep(
    connections: Connections,
    node: RolloutNode,
    step: Extract<Step, { kind: "control-plane-component" | "kubelet" }>,
): Promise<void> {
    const component = step.kind === "kubelet" ? "kubelet" : step.component;
    const { image } = await withNode(connections, node, (client) =>
        applyEditKeepingStaged(client, (yaml) => withComponentVersion(yaml, component, step.to)),
    );
    if (step.kind === "kubelet") return waitNodeReady(connections, node, step.to);
    const { healthTimeoutMs, pollIntervalMs, callTimeoutMs } = connections.timing;
    await waitFor(
        node.name,
        `${component} ${step.to} Ready`,
        healthTimeoutMs,
        pollIntervalMs,
        async () => {
            const pod = (await controlPlanePods(connections.kubernetes, component, callTimeoutMs)).find(
                (p) => p.spec?.nodeName === node.name,
            );
            if (!pod) return `no ${component} pod`;
            const running = pod.spec?.containers?.[0]?.image;
            if (running !== image) return `running ${running}`;
            return podReady(pod) ? undefined : "not Ready";
        },
        connections.stats,
    );
}
