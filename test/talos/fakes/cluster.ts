// The simulated cluster both fakes serve: each node's Talos version, boot, machine config and Kubernetes
// state, with simulated reboot time. It records what happened, in order, and how many nodes were down at once.
import * as YAML from "yaml";
import { parseVersionTag } from "../../../components/config/releases";
import { ObjectStore } from "./kubernetes-objects";

export type Role = "controlplane" | "worker";

export interface FakeNodeSpec {
    name: string;
    role: Role;
    talosVersion: string;
    kubernetesVersion: string;
    /** How long a reboot keeps the node down, in ms. */
    rebootMs: number;
}

export interface Faults {
    /** Nodes that go down on reboot and never come back. */
    neverBack?: string[];
    /** Install exit code per node (non-zero: the install failed; the RPC still succeeds). */
    installExitCode?: Record<string, number>;
    /** Nodes whose etcd is unhealthy once they have rebooted. */
    etcdUnhealthyAfterReboot?: string[];
    /** Nodes whose apid answers every call after this many ms only (to test deadlines). */
    hang?: string[];
    /** Control planes that fail MachineService.Kubeconfig: with an error, an archive cut short, or 2 s late. */
    kubeconfig?: Record<string, "error" | "truncated" | "slow">;
    /** Nodes whose ApplyConfiguration dry run fails (a network blip at that moment). */
    dryRunFails?: string[];
}

export interface FakeNode extends FakeNodeSpec {
    up: boolean;
    /** Version on disk: what the next boot runs. */
    installed: string;
    bootId: string;
    boots: number;
    pulled: string[];
    config: string;
    unschedulable: boolean;
    /** Kubernetes object state, derived from the config when the kubelet/static pods restart. */
    kubeletVersion: string;
    staticPods: Record<string, { image: string; ready: boolean }>;
    pods: { namespace: string; name: string; owner?: string; mirror?: boolean }[];
    portTalos?: number;
    /** The config persisted since boot, when an apply wrote one (ahead of `config` when staged). */
    persistent?: string;
    /** Booted with no config: apid is not up, the maintenance API answers (insecure TLS, no client certificate). */
    maintenance?: boolean;
    /** Reset and gone (a removed node's config apply was deleted): out of etcd, down for good. */
    left?: boolean;
    /** Its Kubernetes Node object exists (a reset never deletes it; a DELETE does). */
    registered: boolean;
}

export const controlPlaneComponents = ["kube-apiserver", "kube-controller-manager", "kube-scheduler"] as const;
const componentKeys: Record<string, string> = {
    "kube-apiserver": "apiServer",
    "kube-controller-manager": "controllerManager",
    "kube-scheduler": "scheduler",
};
const componentImages: Record<string, string> = {
    "kube-apiserver": "registry.k8s.io/kube-apiserver",
    "kube-controller-manager": "registry.k8s.io/kube-controller-manager",
    "kube-scheduler": "registry.k8s.io/kube-scheduler",
};

function initialConfig(spec: FakeNodeSpec): string {
    const v1alpha1: Record<string, unknown> = {
        version: "v1alpha1",
        machine: {
            type: spec.role,
            kubelet: { image: `ghcr.io/siderolabs/kubelet:${spec.kubernetesVersion}` },
            install: { disk: "/dev/sda" },
        },
        cluster: { clusterName: "home", proxy: { disabled: true } },
    };
    if (spec.role === "controlplane") {
        const cluster = v1alpha1.cluster as Record<string, unknown>;
        for (const c of controlPlaneComponents) cluster[componentKeys[c]] = { image: `${componentImages[c]}:${spec.kubernetesVersion}` };
    }
    // A second document, as Talos 1.13 configs carry, to prove a patch leaves the others alone.
    return `${YAML.stringify(v1alpha1)}---\napiVersion: v1alpha1\nkind: HostnameConfig\nhostname: ${spec.name}\nauto: off\n`;
}

export class FakeCluster {
    readonly nodes = new Map<string, FakeNode>();
    /** `cordon talos-cp-1`, `reboot talos-cp-1`, `down talos-cp-1`, `up talos-cp-1`, `evict default/web-1`, ... */
    readonly events: string[] = [];
    /** Date.now() of each event, same index. */
    readonly eventTimes: number[] = [];
    /** The fake kube-apiserver's URL: the server the admin kubeconfig names. */
    apiServer?: string;
    downNow = 0;
    maxDown = 0;
    /** Sum of the simulated down time of every reboot that happened, in ms. */
    rebootTimeTotal = 0;
    private timers = new Set<NodeJS.Timeout>();
    /** The Kubernetes objects other than nodes and pods (fakes/kubernetes-objects.ts). */
    readonly objects: ObjectStore;

    constructor(
        specs: FakeNodeSpec[],
        public faults: Faults = {},
        private readonly restartMs = 5,
    ) {
        for (const spec of specs) this.addNode(spec);
        this.objects = new ObjectStore({
            record: (event) => this.record(event),
            later: (ms, action) => this.later(ms, action),
            apiserverMinor: () =>
                Math.min(
                    ...[...this.nodes.values()].flatMap((n) =>
                        n.staticPods["kube-apiserver"]
                            ? [parseVersionTag(n.staticPods["kube-apiserver"].image.split(":").pop()!)!.minor]
                            : [],
                    ),
                ),
            nodeCount: () => this.nodes.size,
        });
    }

    /** A node that boots into the cluster (a VM created and configured by a later `pulumi up`). */
    addNode(spec: FakeNodeSpec): FakeNode {
        const node: FakeNode = {
            ...spec,
            up: true,
            installed: spec.talosVersion,
            bootId: `${spec.name}-boot-0`,
            boots: 0,
            pulled: [],
            config: initialConfig(spec),
            unschedulable: false,
            kubeletVersion: spec.kubernetesVersion,
            staticPods: {},
            registered: true,
            pods: [
                { namespace: "kube-system", name: `cilium-${spec.name}`, owner: "DaemonSet" },
                { namespace: "default", name: `web-${spec.name}`, owner: "ReplicaSet" },
            ],
        };
        if (spec.role === "controlplane") {
            for (const c of controlPlaneComponents) {
                node.staticPods[c] = { image: `${componentImages[c]}:${spec.kubernetesVersion}`, ready: true };
                node.pods.push({ namespace: "kube-system", name: `${c}-${spec.name}`, mirror: true });
            }
        }
        this.nodes.set(spec.name, node);
        return node;
    }

    /** A graceful Talos reset, as deleting a node's config apply does (onDestroy reset): the node leaves etcd and
     *  shuts down; its Node object stays, NotReady (Talos' reset sequence deletes none: v1alpha1_sequencer.go Reset). */
    reset(name: string): void {
        const node = this.node(name);
        node.left = true;
        node.up = false;
        this.record(`reset ${name}`);
    }

    /** The etcd members: every control plane that has not left. */
    etcdMembers(): FakeNode[] {
        return [...this.nodes.values()].filter((n) => n.role === "controlplane" && !n.left);
    }

    node(name: string): FakeNode {
        const node = this.nodes.get(name);
        if (!node) throw new Error(`no fake node ${name}`);
        return node;
    }

    record(event: string): void {
        this.events.push(event);
        this.eventTimes.push(Date.now());
    }

    later(ms: number, action: () => void): void {
        const timer = setTimeout(() => {
            this.timers.delete(timer);
            action();
        }, ms);
        this.timers.add(timer);
    }

    /** The node goes down at once and comes back after its reboot time running what is installed. */
    reboot(name: string): void {
        const node = this.node(name);
        this.record(`reboot ${name}`);
        node.up = false;
        this.downNow++;
        this.maxDown = Math.max(this.maxDown, this.downNow);
        this.record(`down ${name}`);
        if (this.faults.neverBack?.includes(name)) return;
        this.later(node.rebootMs, () => {
            node.up = true;
            node.boots++;
            node.bootId = `${name}-boot-${node.boots}`;
            node.talosVersion = node.installed;
            // A boot loads the persisted config (a staged one included) and holds no separate persisted copy.
            if (node.persistent !== undefined) node.config = node.persistent;
            node.persistent = undefined;
            this.rebootTimeTotal += node.rebootMs;
            this.downNow--;
            this.applyConfig(node);
            this.record(`up ${name} ${node.talosVersion}`);
        });
    }

    /** Static pods and kubelet follow the config: at boot, or a moment after a no-reboot apply. */
    applyConfig(node: FakeNode): void {
        const doc = YAML.parseAllDocuments(node.config)[0].toJS() as {
            machine: { kubelet: { image: string } };
            cluster: Record<string, { image?: string }>;
        };
        node.kubeletVersion = doc.machine.kubelet.image
            .split(":")
            .pop()!
            .replace(/-(fat|slim)$/, "");
        for (const c of Object.keys(node.staticPods)) node.staticPods[c] = { image: doc.cluster[componentKeys[c]].image!, ready: true };
    }

    /** ApplyConfiguration NO_REBOOT (it persists the config too): changed components restart and are Ready
     *  again after `restartMs`. */
    applyNoReboot(name: string, yaml: string): void {
        const node = this.node(name);
        node.config = yaml;
        node.persistent = yaml;
        this.record(`apply ${name}`);
        for (const c of Object.keys(node.staticPods)) node.staticPods[c].ready = false;
        this.later(this.restartMs, () => this.applyConfig(node));
    }

    /** ApplyConfiguration STAGED: persisted only, for the next boot. */
    stage(name: string, yaml: string): void {
        this.node(name).persistent = yaml;
        this.record(`stage ${name}`);
    }

    etcdHealthy(name: string): boolean {
        const node = this.node(name);
        return !(this.faults.etcdUnhealthyAfterReboot?.includes(name) && node.boots > 0);
    }

    /** Nodes in the order they were rebooted. */
    rebootOrder(): string[] {
        return this.events.filter((e) => e.startsWith("reboot ")).map((e) => e.slice("reboot ".length));
    }

    stop(): void {
        for (const timer of this.timers) clearTimeout(timer);
        this.timers.clear();
    }
}

/** The home stack (3 control planes + 1 worker) or any m + n stack, in rollout order. */
export function stackSpecs(
    controlPlanes: number,
    workers: number,
    talosVersion: string,
    kubernetesVersion: string,
    rebootMs: number,
): FakeNodeSpec[] {
    const specs: FakeNodeSpec[] = [];
    for (let i = 1; i <= controlPlanes; i++)
        specs.push({ name: `talos-cp-${i}`, role: "controlplane", talosVersion, kubernetesVersion, rebootMs });
    for (let i = 1; i <= workers; i++) specs.push({ name: `talos-worker-${i}`, role: "worker", talosVersion, kubernetesVersion, rebootMs });
    return specs;
}

// The v1alpha1 fields Talos v1.13.9 applies without a reboot (v1alpha1_runtime.go CanApplyImmediate); any other
// change of the v1alpha1 document needs one. Other documents always apply live.
const liveMachineKeys = [
    "ca",
    "acceptedCAs",
    "time",
    "certSANs",
    "install",
    "network",
    "sysfs",
    "sysctls",
    "logging",
    "controlPlane",
    "kubelet",
    "kernel",
    "registries",
    "pods",
    "seccompProfiles",
    "nodeAnnotations",
    "nodeLabels",
    "nodeTaints",
];
const liveFeatureKeys = ["kubernetesTalosAPIAccess", "kubePrism", "hostDNS", "imageCache", "nodeAddressSortAlgorithm"];

/** Whether Talos would need a reboot to go from `current` to `next`, as the fake judges it. */
export function needsReboot(current: string, next: string): boolean {
    const rest = (yaml: string) => {
        const doc = (YAML.parseAllDocuments(yaml)
            .map((d) => d.toJS())
            .find((d) => d?.version === "v1alpha1" && d.kind === undefined) ?? {}) as Record<string, Record<string, unknown>>;
        const machine = { ...(doc.machine ?? {}) } as Record<string, unknown>;
        for (const key of liveMachineKeys) delete machine[key];
        const features = { ...((machine.features as Record<string, unknown>) ?? {}) };
        for (const key of liveFeatureKeys) delete features[key];
        return JSON.stringify({ ...doc, debug: undefined, cluster: undefined, machine: { ...machine, features } });
    };
    return rest(current) !== rest(next);
}
