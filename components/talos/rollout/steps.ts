// Pure rollout planning: what to do to which node, in which order, from what each node runs now. One
// mechanism for every change that restarts something: Talos upgrades, plain restarts (a staged config or a
// resize that needs a reboot, issue 12), and Kubernetes upgrades. Nothing here talks to a node. Versions are
// read by the one parser of components/config/releases.ts, as the config's validation reads them.
import { compareVersions, kubernetesSupportProblem, minorDistance, parseRelease, parseVersionTag } from "../../config/releases";

export type Role = "controlplane" | "worker";

export interface RolloutNode {
    /** Node name, also its Kubernetes node name: `talos-cp-1`. */
    name: string;
    role: Role;
    /** apid address: `172.16.1.50:50000`. */
    endpoint: string;
}

export interface RolloutTarget {
    /** `v1.14.0` */
    talosVersion: string;
    /** The installer image for that version: `factory.talos.dev/installer/<schematic>:v1.14.0`. */
    installerImage: string;
    /** `v1.37.0` */
    kubernetesVersion: string;
}

/** What a node runs now, as read from it. */
export interface NodeObservation {
    talosVersion: string;
    kubeletVersion: string;
    /** The installer its active machine config names (`machine.install.image`), when it names one. */
    installerImage?: string;
    /** Control planes: the version of each component's image in the active machine config. */
    components?: Partial<Record<ControlPlaneComponent, string>>;
    /** A machine config the node holds staged: `live` when Talos can apply it without a reboot (staged-config.ts). */
    stagedConfig?: "live" | "reboot";
}

export const controlPlaneComponents = ["kube-apiserver", "kube-controller-manager", "kube-scheduler"] as const;
export type ControlPlaneComponent = (typeof controlPlaneComponents)[number];

export type Step =
    | { kind: "talos-upgrade"; node: string; from: string; to: string; image: string }
    | { kind: "restart"; node: string; reason: string }
    | { kind: "apply-staged"; node: string }
    | { kind: "control-plane-component"; node: string; component: ControlPlaneComponent; from: string; to: string }
    | { kind: "kubelet"; node: string; from: string; to: string };

/** talosctl 1.13.9 uses LifecycleService.Upgrade for nodes in `>1.13.0-alpha.2 <2.0.0` and falls back to the
 *  deprecated MachineService.Upgrade otherwise (cmd/talosctl/cmd/talos/upgrade.go). */
export function hasLifecycleApi(talosVersion: string): boolean {
    const v = parseVersionTag(talosVersion);
    if (!v || v.major !== 1 || v.minor < 13) return false;
    if (v.minor > 13 || v.patch > 0 || v.prerelease === undefined) return true;
    const alpha = /^alpha\.(\d+)/.exec(v.prerelease);
    return alpha ? Number(alpha[1]) > 2 : /^(beta|rc)/.test(v.prerelease);
}

/**
 * Problems with a rollout before anything is touched, each naming the node or setting. Talos and Kubernetes
 * move forward only, one minor at a time (Talos upgrades minor by minor; Kubernetes allows kube-apiservers
 * one minor apart during an upgrade, and upgrade-k8s refuses other paths), and control planes come first.
 */
export function rolloutProblems(nodes: RolloutNode[], target: RolloutTarget, observed: Map<string, NodeObservation>): string[] {
    const problems: string[] = [];
    if (!parseRelease(target.talosVersion)) problems.push(`target Talos version ${target.talosVersion} is not a version like v1.13.9`);
    if (!parseRelease(target.kubernetesVersion))
        problems.push(`target Kubernetes version ${target.kubernetesVersion} is not a version like v1.36.4`);
    if (!target.installerImage.endsWith(`:${target.talosVersion}`))
        problems.push(`installer image ${target.installerImage} is not tagged ${target.talosVersion}`);
    const firstWorker = nodes.findIndex((n) => n.role === "worker");
    const lateControlPlane = nodes.slice(firstWorker < 0 ? nodes.length : firstWorker).find((n) => n.role === "controlplane");
    if (lateControlPlane) problems.push(`${lateControlPlane.name}: control planes must come before workers in the rollout order`);
    if (problems.length) return problems;
    // Nodes run the target Talos with today's Kubernetes first, then the target Kubernetes: both must fit.
    const kubernetesNow = new Set(
        [...observed.values()]
            .flatMap((o) => [o.kubeletVersion, ...Object.values(o.components ?? {})])
            .filter((v): v is string => Boolean(v && parseVersionTag(v))),
    );
    for (const kubernetes of [...kubernetesNow, target.kubernetesVersion].filter((v, i, all) => all.indexOf(v) === i)) {
        const problem = kubernetesSupportProblem(target.talosVersion, kubernetes);
        if (problem && !problems.includes(problem)) problems.push(problem);
    }
    for (const node of nodes) {
        const seen = observed.get(node.name);
        if (!seen) {
            problems.push(`${node.name}: not observed`);
            continue;
        }
        const versions: [string, string, string][] = [
            ["Talos", seen.talosVersion, target.talosVersion],
            ["kubelet", seen.kubeletVersion, target.kubernetesVersion],
        ];
        for (const [component, version] of Object.entries(seen.components ?? {}))
            versions.push([component, version!, target.kubernetesVersion]);
        for (const [what, from, to] of versions) {
            if (!parseVersionTag(from)) problems.push(`${node.name}: ${what} version ${from || "(none)"} cannot be read`);
            else if (compareVersions(to, from) < 0)
                problems.push(`${node.name}: ${what} ${from} -> ${to} goes backwards; downgrades are not rolled out`);
            else if (minorDistance(from, to) > 1 || Number.isNaN(minorDistance(from, to)))
                problems.push(`${node.name}: ${what} ${from} -> ${to} skips a minor version; upgrade one minor at a time`);
        }
    }
    return problems;
}

/**
 * The steps, in order. Talos first, node by node in rollout order (control planes first): each step reboots
 * one node. A restart asked for a node with no upgrade pending takes that node's place in the same order, as
 * does a staged machine config (a restart when it needs one, else a live apply).
 * Then Kubernetes in `talosctl upgrade-k8s` order: kube-apiserver on each control plane in turn, then
 * kube-controller-manager, then kube-scheduler, then the kubelet node by node. That order keeps the API up
 * (one apiserver restarts at a time) and within the supported skew at every step: apiservers are at most one
 * minor apart, controller-manager and scheduler move only once every apiserver is new, and no kubelet is ever
 * newer than an apiserver.
 */
export function rolloutSteps(
    nodes: RolloutNode[],
    target: RolloutTarget,
    observed: Map<string, NodeObservation>,
    restarts: Record<string, string> = {},
): Step[] {
    const steps: Step[] = [];
    for (const node of nodes) {
        const seen = observed.get(node.name)!;
        // Another installer at the same version is another set of system extensions: an upgrade too.
        const otherInstaller = seen.installerImage !== undefined && seen.installerImage !== target.installerImage;
        // A reboot, for an upgrade or a restart, also boots the staged config: it needs no step of its own.
        if (seen.talosVersion !== target.talosVersion || otherInstaller)
            steps.push({
                kind: "talos-upgrade",
                node: node.name,
                from: seen.talosVersion,
                to: target.talosVersion,
                image: target.installerImage,
            });
        else if (restarts[node.name]) steps.push({ kind: "restart", node: node.name, reason: restarts[node.name] });
        else if (seen.stagedConfig === "reboot")
            steps.push({ kind: "restart", node: node.name, reason: "staged machine config that needs a reboot" });
        else if (seen.stagedConfig === "live") steps.push({ kind: "apply-staged", node: node.name });
    }
    const controlPlanes = nodes.filter((n) => n.role === "controlplane");
    for (const component of controlPlaneComponents) {
        for (const node of controlPlanes) {
            const from = observed.get(node.name)!.components?.[component];
            if (from !== undefined && from !== target.kubernetesVersion)
                steps.push({ kind: "control-plane-component", node: node.name, component, from, to: target.kubernetesVersion });
        }
    }
    for (const node of nodes) {
        const from = observed.get(node.name)!.kubeletVersion;
        if (from !== target.kubernetesVersion) steps.push({ kind: "kubelet", node: node.name, from, to: target.kubernetesVersion });
    }
    return steps;
}

/** One line per step, for logs and the preview: `talos-cp-1: Talos v1.13.9 -> v1.14.0`. */
export function describeStep(step: Step): string {
    switch (step.kind) {
        case "talos-upgrade":
            return step.from === step.to
                ? `${step.node}: Talos ${step.to}, installer -> ${step.image}`
                : `${step.node}: Talos ${step.from} -> ${step.to}`;
        case "restart":
            return `${step.node}: restart (${step.reason})`;
        case "apply-staged":
            return `${step.node}: staged machine config, applied without a reboot`;
        case "control-plane-component":
            return `${step.node}: ${step.component} ${step.from} -> ${step.to}`;
        case "kubelet":
            return `${step.node}: kubelet ${step.from} -> ${step.to}`;
    }
}

/** True when a step takes its node down (and so needs a drain and the reboot gates). */
export function rebootsNode(step: Step): boolean {
    return step.kind === "talos-upgrade" || step.kind === "restart";
}
