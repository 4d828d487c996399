import { strict as assert } from "assert";
import { configuredVersions, withComponentVersion } from "../../components/talos/rollout/machine-config";
import { compareVersions, minorDistance } from "../../components/config/releases";
import {
    controlPlaneComponents,
    describeStep,
    hasLifecycleApi,
    NodeObservation,
    rolloutSteps,
    rebootsNode,
    rolloutProblems,
    RolloutNode,
    Step,
} from "../../components/talos/rollout/steps";
import { drainSkips, PodObject } from "../../components/talos/api/kubernetes";
import { FakeCluster, stackSpecs } from "./fakes/cluster";
import { installerFor } from "./fakes/stack";

const nodes = (controlPlanes: number, workers: number): RolloutNode[] =>
    stackSpecs(controlPlanes, workers, "", "", 0).map((s, i) => ({ name: s.name, role: s.role, endpoint: `172.16.1.${50 + i}:50000` }));
const observe = (list: RolloutNode[], talos: string, kubernetes: string) =>
    new Map<string, NodeObservation>(
        list.map((n) => [
            n.name,
            {
                talosVersion: talos,
                kubeletVersion: kubernetes,
                components: n.role === "controlplane" ? Object.fromEntries(controlPlaneComponents.map((c) => [c, kubernetes])) : undefined,
            },
        ]),
    );
const target = (talosVersion: string, kubernetesVersion: string) => ({
    talosVersion,
    installerImage: installerFor(talosVersion),
    kubernetesVersion,
});

/** Replays the steps over the versions and returns every skew rule broken on the way. */
function skewViolations(list: RolloutNode[], observed: Map<string, NodeObservation>, steps: Step[]): string[] {
    const state = new Map(
        [...observed].map(([name, o]) => [name, { kubelet: o.kubeletVersion, ...(o.components ?? {}) } as Record<string, string>]),
    );
    const violations: string[] = [];
    const check = (after: string) => {
        const apiservers = list.filter((n) => n.role === "controlplane").map((n) => state.get(n.name)!["kube-apiserver"]);
        const oldest = apiservers.reduce((a, b) => (compareVersions(a, b) <= 0 ? a : b));
        const newest = apiservers.reduce((a, b) => (compareVersions(a, b) >= 0 ? a : b));
        if (minorDistance(oldest, newest) > 1) violations.push(`${after}: apiservers ${oldest} and ${newest} more than one minor apart`);
        for (const [name, versions] of state) {
            for (const [component, version] of Object.entries(versions)) {
                if (component !== "kube-apiserver" && compareVersions(version, oldest) > 0)
                    violations.push(`${after}: ${name} ${component} ${version} newer than apiserver ${oldest}`);
            }
        }
    };
    check("start");
    for (const step of steps) {
        if (step.kind === "kubelet") state.get(step.node)!.kubelet = step.to;
        if (step.kind === "control-plane-component") state.get(step.node)![step.component] = step.to;
        check(`${step.node} ${step.kind === "control-plane-component" ? step.component : step.kind}`);
    }
    return violations;
}

describe("rollout planning", () => {
    it("orders Talos upgrades control planes first, then Kubernetes as upgrade-k8s does", () => {
        const list = nodes(3, 1);
        const steps = rolloutSteps(list, target("v1.14.0", "v1.37.0"), observe(list, "v1.13.9", "v1.36.4"));
        assert.deepEqual(
            steps.map((s) => `${s.kind === "control-plane-component" ? s.component : s.kind} ${s.node}`),
            [
                "talos-upgrade talos-cp-1",
                "talos-upgrade talos-cp-2",
                "talos-upgrade talos-cp-3",
                "talos-upgrade talos-worker-1",
                "kube-apiserver talos-cp-1",
                "kube-apiserver talos-cp-2",
                "kube-apiserver talos-cp-3",
                "kube-controller-manager talos-cp-1",
                "kube-controller-manager talos-cp-2",
                "kube-controller-manager talos-cp-3",
                "kube-scheduler talos-cp-1",
                "kube-scheduler talos-cp-2",
                "kube-scheduler talos-cp-3",
                "kubelet talos-cp-1",
                "kubelet talos-cp-2",
                "kubelet talos-cp-3",
                "kubelet talos-worker-1",
            ],
        );
        assert.deepEqual(steps[0], {
            kind: "talos-upgrade",
            node: "talos-cp-1",
            from: "v1.13.9",
            to: "v1.14.0",
            image: installerFor("v1.14.0"),
        });
    });

    for (const [controlPlanes, workers] of [
        [1, 0],
        [3, 1],
        [3, 6],
        [5, 2],
    ]) {
        it(`keeps the Kubernetes skew at every step (${controlPlanes} + ${workers})`, () => {
            const list = nodes(controlPlanes, workers);
            const observed = observe(list, "v1.13.9", "v1.36.4");
            const steps = rolloutSteps(list, target("v1.13.9", "v1.37.0"), observed);
            assert.equal(steps.length, controlPlanes * 3 + controlPlanes + workers);
            assert.deepEqual(skewViolations(list, observed, steps), []);
        });
    }

    it("the replay catches an order that breaks the skew (kubelets first)", () => {
        const list = nodes(3, 1);
        const observed = observe(list, "v1.13.9", "v1.36.4");
        const steps = rolloutSteps(list, target("v1.13.9", "v1.37.0"), observed);
        const kubeletsFirst = [...steps.filter((s) => s.kind === "kubelet"), ...steps.filter((s) => s.kind !== "kubelet")];
        assert.equal(
            skewViolations(list, observed, kubeletsFirst)[0],
            "talos-cp-1 kubelet: talos-cp-1 kubelet v1.37.0 newer than apiserver v1.36.4",
        );
    });

    it("takes a staged config in its node's place: live when Talos can, a restart when it needs one, nothing on a node that reboots anyway", () => {
        const list = nodes(3, 1);
        const observed = observe(list, "v1.13.9", "v1.36.4");
        observed.get("talos-cp-1")!.stagedConfig = "live";
        observed.get("talos-cp-2")!.stagedConfig = "reboot";
        observed.get("talos-cp-3")!.stagedConfig = "live";
        const steps = rolloutSteps(list, target("v1.13.9", "v1.36.4"), observed, {
            "talos-cp-3": "hardware 4 cores, 8192 MiB -> 8 cores, 8192 MiB",
        });
        assert.deepEqual(steps.map(describeStep), [
            "talos-cp-1: staged machine config, applied without a reboot",
            "talos-cp-2: restart (staged machine config that needs a reboot)",
            "talos-cp-3: restart (hardware 4 cores, 8192 MiB -> 8 cores, 8192 MiB)",
        ]);
        assert.deepEqual(
            steps.map((s) => rebootsNode(s)),
            [false, true, true],
        );
        assert.deepEqual(
            rolloutSteps(list, target("v1.14.0", "v1.36.4"), observed).map((s) => s.kind),
            ["talos-upgrade", "talos-upgrade", "talos-upgrade", "talos-upgrade"],
            "an upgrade's reboot boots the staged config",
        );
    });

    it("resumes: only what has not landed is planned; a restart takes its node's place", () => {
        const list = nodes(3, 1);
        const observed = observe(list, "v1.13.9", "v1.36.4");
        observed.get("talos-cp-1")!.talosVersion = "v1.14.0";
        const steps = rolloutSteps(list, target("v1.14.0", "v1.36.4"), observed, { "talos-cp-1": "staged config", "talos-cp-3": "resize" });
        assert.deepEqual(
            steps.map((s) => `${s.kind} ${s.node}`),
            ["restart talos-cp-1", "talos-upgrade talos-cp-2", "talos-upgrade talos-cp-3", "talos-upgrade talos-worker-1"],
        );
        assert.deepEqual(rolloutSteps(list, target("v1.13.9", "v1.36.4"), observe(list, "v1.13.9", "v1.36.4")), []);
    });

    it("refuses, naming each node: a skipped minor, a downgrade, an unreadable version, control planes after workers", () => {
        const list = nodes(3, 1);
        const observed = observe(list, "v1.13.9", "v1.36.4");
        observed.get("talos-cp-2")!.talosVersion = "v1.15.0";
        observed.get("talos-worker-1")!.kubeletVersion = "";
        assert.deepEqual(rolloutProblems(list, target("v1.14.0", "v1.36.4"), observed), [
            "talos-cp-2: Talos v1.15.0 -> v1.14.0 goes backwards; downgrades are not rolled out",
            "talos-worker-1: kubelet version (none) cannot be read",
        ]);
        assert.deepEqual(
            rolloutProblems(list, target("v1.15.0", "v1.36.4"), observe(list, "v1.13.9", "v1.36.4")).filter((p) =>
                p.startsWith("talos-cp-1"),
            ),
            ["talos-cp-1: Talos v1.13.9 -> v1.15.0 skips a minor version; upgrade one minor at a time"],
        );
        assert.deepEqual(rolloutProblems([list[3], ...list.slice(0, 3)], target("v1.14.0", "v1.36.4"), observed), [
            "talos-cp-1: control planes must come before workers in the rollout order",
        ]);
        assert.deepEqual(rolloutProblems(list, { ...target("v1.14.0", "1.37"), installerImage: installerFor("v1.13.9") }, observed), [
            "target Kubernetes version 1.37 is not a version like v1.36.4",
            `installer image ${installerFor("v1.13.9")} is not tagged v1.14.0`,
        ]);
    });

    it("holds Kubernetes to what the target Talos supports, now and after the upgrade (Talos' compatibility tables)", () => {
        const list = nodes(3, 1);
        assert.deepEqual(rolloutProblems(list, target("v1.14.0", "v1.37.0"), observe(list, "v1.13.9", "v1.36.4")), []);
        assert.deepEqual(rolloutProblems(list, target("v1.14.0", "v1.32.0"), observe(list, "v1.13.9", "v1.31.4")), [
            "Talos v1.14.0 supports Kubernetes v1.32.0 to v1.37.x, not v1.31.4",
        ]);
        assert.deepEqual(rolloutProblems(list, target("v1.15.0", "v1.36.4"), observe(list, "v1.14.0", "v1.36.4")), [
            "no known Kubernetes support range for Talos v1.15.0: add it to kubernetesSupport (components/config/releases.ts) from Talos' compatibility package",
        ]);
    });

    it("uses the lifecycle API from v1.13.0-alpha.3 on, as talosctl's range >1.13.0-alpha.2 <2.0.0", () => {
        const cases: [string, boolean][] = [
            ["v1.12.6", false],
            ["v1.13.0-alpha.2", false],
            ["v1.13.0-alpha.3", true],
            ["v1.13.0-beta.1", true],
            ["v1.13.0", true],
            ["v1.13.9", true],
            ["v1.14.0", true],
            ["v2.0.0", false],
        ];
        assert.deepEqual(
            cases.map(([v]) => [v, hasLifecycleApi(v)]),
            cases,
        );
    });
});

describe("machine config edits (upgrade-k8s' image patches)", () => {
    const config = new FakeCluster(stackSpecs(1, 0, "v1.13.9", "v1.36.4", 0)).node("talos-cp-1").config;

    it("reads each component's version from its image", () => {
        assert.deepEqual(configuredVersions(config, "controlplane"), {
            "kube-apiserver": "v1.36.4",
            "kube-controller-manager": "v1.36.4",
            "kube-scheduler": "v1.36.4",
            kubelet: "v1.36.4",
        });
        assert.deepEqual(configuredVersions(config.replace("kubelet:v1.36.4", "kubelet:v1.36.4-fat@sha256:0123"), "worker"), {
            kubelet: "v1.36.4",
        });
        assert.deepEqual(configuredVersions("version: v1alpha1\nmachine: {}\n", "worker"), { kubelet: "" });
    });

    it("sets one image, keeps the kubelet's flavour and every other document, and reports no change when already set", () => {
        const apiserver = withComponentVersion(config, "kube-apiserver", "v1.37.0");
        assert.equal(apiserver.changed, true);
        assert.equal(apiserver.yaml, config.replace("kube-apiserver:v1.36.4", "kube-apiserver:v1.37.0"));
        const fat = withComponentVersion(config.replace("kubelet:v1.36.4", "kubelet:v1.36.4-fat"), "kubelet", "v1.37.0");
        assert.equal(fat.image, "ghcr.io/siderolabs/kubelet:v1.37.0-fat");
        assert.deepEqual(withComponentVersion(config, "kube-scheduler", "v1.36.4"), {
            yaml: config,
            changed: false,
            image: "registry.k8s.io/kube-scheduler:v1.36.4",
        });
        assert.throws(
            () => withComponentVersion("apiVersion: v1alpha1\nkind: HostnameConfig\n", "kubelet", "v1.37.0"),
            /^Error: the machine configuration has no v1alpha1 document$/,
        );
    });
});

describe("drain", () => {
    const pod = (metadata: Partial<PodObject["metadata"]>): PodObject => ({ metadata: { name: "p", namespace: "default", ...metadata } });

    it("leaves mirror pods and DaemonSet pods, as talosctl's drain (kubectl's helper, IgnoreAllDaemonSets) does", () => {
        assert.equal(drainSkips(pod({ annotations: { "kubernetes.io/config.mirror": "abc" } })), "mirror");
        assert.equal(drainSkips(pod({ ownerReferences: [{ kind: "DaemonSet", controller: true }] })), "daemonset");
        assert.equal(drainSkips(pod({ ownerReferences: [{ kind: "ReplicaSet", controller: true }] })), undefined);
        assert.equal(drainSkips(pod({})), undefined, "an unmanaged pod is evicted too (talosctl drains with Force)");
    });
});
