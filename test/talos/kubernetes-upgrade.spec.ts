import { strict as assert } from "assert";
import * as https from "https";
import { AddressInfo } from "net";
import { kubeRequest, maxAnswerBytes } from "../../components/talos/api/kubernetes";
import { KubeObject } from "../../components/talos/api/kubernetes-objects";
import { runRollout } from "../../components/talos/rollout/run";
import {
    applyStage,
    inventory,
    inventoryAnnotation,
    inventoryKey,
    parseInventoryKey,
    rolloutPending,
} from "../../components/talos/rollout/manifest-sync";
import { renderedManifests } from "./fakes/kubernetes-objects";
import { startStack, TestStack } from "./fakes/stack";

// A Kubernetes upgrade does what `talosctl upgrade-k8s` does around the component steps: the removed-API
// check before anything moves, the image pre-pull before the first component restarts, and the bootstrap
// manifest sync at the end (server-side apply as `talos`, the inventory Talos keeps, pruning).

/** The cluster as an older Talos (v1.12) bootstrapped it: its manifests created by Talos' own controller,
 *  annotated and in its inventory, plus kube-proxy, which the cluster ran once and no manifest renders now. */
function bootstrappedByOlderTalos(stack: TestStack) {
    const objects = [
        ...renderedManifests("v1.12.0").flatMap((m) => m.objects),
        { apiVersion: "apps/v1", kind: "DaemonSet", metadata: { name: "kube-proxy", namespace: "kube-system" }, spec: { template: {} } },
    ];
    const keys: Record<string, string> = {};
    for (const object of objects) {
        stack.cluster.objects.seed({
            ...object,
            metadata: { ...object.metadata, annotations: { [inventoryAnnotation]: inventory.name } },
            ...(object.kind === "Deployment"
                ? { status: { observedGeneration: 1, replicas: 2, updatedReplicas: 2, availableReplicas: 2 } }
                : {}),
        });
        const group = object.apiVersion.includes("/") ? object.apiVersion.split("/")[0] : "";
        keys[inventoryKey({ group, kind: object.kind, namespace: object.metadata.namespace ?? "", name: object.metadata.name })] = "";
    }
    stack.cluster.objects.seed({ apiVersion: "v1", kind: "ConfigMap", metadata: { ...inventory }, data: keys });
}

const coredns = (stack: TestStack) => stack.cluster.objects.get("apps/v1", "Deployment", "kube-system", "coredns")!;

describe("Kubernetes upgrade: upgrade-k8s' checks, pre-pulls and manifest sync", function () {
    this.timeout(30000);
    let stack: TestStack;
    afterEach(async () => stack && (await stack.close()));

    it("leaves CoreDNS at the target's version, pre-pulls before the first restart, and prunes what no manifest renders", async () => {
        stack = await startStack({ controlPlanes: 3, workers: 1 });
        bootstrappedByOlderTalos(stack);
        assert.equal(
            (coredns(stack).spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0].image,
            "registry.k8s.io/coredns/coredns:v1.13.2",
        );
        const lines: string[] = [];
        await runRollout(stack.request({ talosVersion: "v1.13.9", kubernetesVersion: "v1.36.5" }, { log: (l) => lines.push(l) }));

        const deployment = coredns(stack);
        assert.equal(
            (deployment.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0].image,
            "registry.k8s.io/coredns/coredns:v1.14.6",
            "Talos v1.13.9's CoreDNS",
        );
        assert.deepEqual(deployment.metadata.managers, ["talos"]);
        assert.equal(deployment.metadata.annotations[inventoryAnnotation], inventory.name);
        assert.equal(rolloutPending(deployment as KubeObject), undefined, "rolled out before the rollout returned");

        const e = stack.cluster.events;
        assert.ok(e.includes("delete DaemonSet kube-system/kube-proxy"), "pruned: in the inventory, rendered by no manifest");
        const keys = Object.keys(stack.cluster.objects.get("v1", "ConfigMap", "kube-system", inventory.name)!.data).sort();
        assert.deepEqual(keys, [
            "_serviceaccounts.talos.dev_apiextensions.k8s.io_CustomResourceDefinition",
            "_system-bootstrap-node-bootstrapper_rbac.authorization.k8s.io_ClusterRoleBinding",
            "_system__coredns_rbac.authorization.k8s.io_ClusterRole",
            "_system__coredns_rbac.authorization.k8s.io_ClusterRoleBinding",
            "kube-system_coredns__ConfigMap",
            "kube-system_coredns__ServiceAccount",
            "kube-system_coredns_apps_Deployment",
            "kube-system_kube-dns__Service",
        ]);

        // Pre-pulls: every image on every node before the first component restarts.
        const firstApply = e.findIndex((x) => x.startsWith("apply "));
        const pulls = e.filter((x) => x.startsWith("pull "));
        assert.deepEqual(pulls, [
            ...["talos-cp-1", "talos-cp-2", "talos-cp-3"].flatMap((n) => [
                `pull ${n} registry.k8s.io/kube-apiserver:v1.36.5 (cri)`,
                `pull ${n} registry.k8s.io/kube-controller-manager:v1.36.5 (cri)`,
                `pull ${n} registry.k8s.io/kube-scheduler:v1.36.5 (cri)`,
                `pull ${n} ghcr.io/siderolabs/kubelet:v1.36.5`,
            ]),
            "pull talos-worker-1 ghcr.io/siderolabs/kubelet:v1.36.5",
        ]);
        assert.ok(e.lastIndexOf(pulls[pulls.length - 1]) < firstApply, "pulled before the first apply");
        // The sync comes last, after the kubelets; definitions (ClusterRoles, the CRD) before the rest.
        const lastApply = e.map((x, i) => (x.startsWith("apply ") ? i : -1)).reduce((a, b) => Math.max(a, b));
        const ssa = e.map((x, i) => (x.startsWith("ssa ") ? i : -1)).filter((i) => i >= 0);
        assert.ok(
            ssa.every((i) => i > lastApply),
            "the manifests are synced after every component",
        );
        assert.deepEqual(
            ssa.slice(0, 2).map((i) => e[i]),
            ["ssa ClusterRole system:coredns", "ssa CustomResourceDefinition serviceaccounts.talos.dev"],
        );
        assert.ok(lines.includes("manifests: configured apps/Deployment kube-system/coredns"), lines.join("\n"));
    });

    it("refuses to take over an object another inventory owns, after every node landed", async () => {
        stack = await startStack({ controlPlanes: 1, workers: 0 });
        bootstrappedByOlderTalos(stack);
        coredns(stack).metadata.annotations[inventoryAnnotation] = "flux-system";
        await assert.rejects(
            runRollout(stack.request({ talosVersion: "v1.13.9", kubernetesVersion: "v1.36.5" })),
            (error: Error & { landed: Record<string, { kubeletVersion: string }> }) => {
                assert.equal(
                    error.message,
                    "rollout stopped at the bootstrap manifest sync (every node landed): apps/Deployment kube-system/coredns belongs to the inventory flux-system: not taken over",
                );
                assert.equal(error.landed["talos-cp-1"].kubeletVersion, "v1.36.5");
                return true;
            },
        );
    });

    it("stops before any node moves when an object is stored in an API the target removes, naming it", async () => {
        stack = await startStack({ controlPlanes: 3, workers: 1, kubernetesVersion: "v1.31.4" });
        stack.cluster.objects.seed({
            apiVersion: "resource.k8s.io/v1alpha3",
            kind: "PodSchedulingContext",
            metadata: { name: "gpu-claim", namespace: "default" },
            spec: {},
        });
        await assert.rejects(runRollout(stack.request({ talosVersion: "v1.13.9", kubernetesVersion: "v1.32.0" })), {
            message:
                "rollout not started, nothing was changed: Kubernetes v1.32 no longer serves podschedulingcontexts.v1alpha3.resource.k8s.io, which still holds default/gpu-claim: migrate or delete them, then run again",
        });
        assert.deepEqual(stack.cluster.events, [], "no pull, no apply, no cordon, no reboot");
        stack.cluster.objects.seed({
            apiVersion: "resource.k8s.io/v1alpha3",
            kind: "PodSchedulingContext",
            metadata: { name: "other", namespace: "ml" },
            spec: {},
        });
        for (let i = 0; i < 5; i++)
            stack.cluster.objects.seed({
                apiVersion: "resource.k8s.io/v1alpha3",
                kind: "PodSchedulingContext",
                metadata: { name: `ctx-${i}`, namespace: "ml" },
                spec: {},
            });
        await assert.rejects(
            runRollout(stack.request({ talosVersion: "v1.13.9", kubernetesVersion: "v1.32.0" })),
            /which still holds default\/gpu-claim, ml\/other, ml\/ctx-0, ml\/ctx-1, ml\/ctx-2 and 2 more: /,
        );
    });
});

describe("manifest sync pieces", () => {
    it("writes and reads inventory entries as fluxcd/cli-utils does, a colon in an RBAC name as __", () => {
        const ref = { group: "rbac.authorization.k8s.io", kind: "ClusterRole", namespace: "", name: "system:coredns" };
        assert.equal(inventoryKey(ref), "_system__coredns_rbac.authorization.k8s.io_ClusterRole");
        assert.deepEqual(parseInventoryKey("_system__coredns_rbac.authorization.k8s.io_ClusterRole"), ref);
        assert.deepEqual(parseInventoryKey("kube-system_coredns_apps_Deployment"), {
            group: "apps",
            kind: "Deployment",
            namespace: "kube-system",
            name: "coredns",
        });
        assert.deepEqual(parseInventoryKey("kube-system_kube-dns__Service"), {
            group: "",
            kind: "Service",
            namespace: "kube-system",
            name: "kube-dns",
        });
        assert.equal(parseInventoryKey("no-separators"), undefined);
    });

    it("applies definitions first, then classes, then the rest (fluxcd ssa's stages)", () => {
        const o = (apiVersion: string, kind: string) => ({ apiVersion, kind, metadata: { name: "x" } });
        assert.deepEqual(
            [
                o("apps/v1", "Deployment"),
                o("storage.k8s.io/v1", "StorageClass"),
                o("v1", "Namespace"),
                o("apiextensions.k8s.io/v1", "CustomResourceDefinition"),
                o("rbac.authorization.k8s.io/v1", "ClusterRole"),
            ].map(applyStage),
            [2, 1, 0, 0, 0],
        );
    });

    it("judges a rollout done as kstatus does", () => {
        const deployment = (status: object, generation = 2) => ({
            apiVersion: "apps/v1",
            kind: "Deployment",
            metadata: { name: "coredns", generation },
            spec: { replicas: 2 },
            status,
        });
        assert.equal(rolloutPending(deployment({ observedGeneration: 1, updatedReplicas: 2, availableReplicas: 2 })), "not observed yet");
        assert.equal(rolloutPending(deployment({ observedGeneration: 2, updatedReplicas: 1, availableReplicas: 2 })), "1/2 updated");
        assert.equal(rolloutPending(deployment({ observedGeneration: 2, updatedReplicas: 2, availableReplicas: 1 })), "1/2 available");
        assert.equal(rolloutPending(deployment({ observedGeneration: 2, updatedReplicas: 2, availableReplicas: 2 })), undefined);
    });
});

describe("the Kubernetes client's answers", () => {
    it("cuts an answer longer than its bound instead of buffering it", async () => {
        const stack = await startStack({ controlPlanes: 1, workers: 0 });
        const { pki } = stack;
        await stack.close();
        const huge = Buffer.alloc(maxAnswerBytes + 1024, "a");
        const server = https.createServer({ cert: pki.server.cert, key: pki.server.key }, (_req, res) => res.end(huge));
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        try {
            const api = { host: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, ...pki.clientConfiguration };
            await assert.rejects(kubeRequest(api, "GET", "/api/v1/pods", 5000), {
                message: `GET /api/v1/pods: the answer is longer than ${maxAnswerBytes} bytes`,
            });
        } finally {
            server.closeAllConnections();
            await new Promise((resolve) => server.close(resolve));
        }
    });
});
