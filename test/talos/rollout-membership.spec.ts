import { strict as assert } from "assert";
import { rolloutPlainInputs } from "../../components/talos/rollout/inputs";
import type { TalosRolloutInputs } from "../../components/talos/rollout/resource";
import { talosRollout } from "../../provider/talos-rollout";

import { RestartTrigger } from "../../components/talos/rollout/restart-triggers";
import { FakeNodeSpec } from "./fakes/cluster";
import { ResourceModel } from "./fakes/engine-model";
import { fakeVms, FakeProxmox, startFakeProxmox } from "./fakes/proxmox";
import { installerFor, startStack, TestStack } from "./fakes/stack";

// Nodes joining and leaving, through the rollout's provider as the engine drives it (fakes/engine-model.ts:
// check, diff against the OLD outputs, then update or a same step that keeps the old outputs), against the
// fake apids and Kubernetes API. Each sequence is a series of `pulumi up` runs of one TalosRollout.

const target = (talosVersion: string, kubernetesVersion = "v1.36.4") => ({
    talosVersion,
    installerImage: installerFor(talosVersion),
    kubernetesVersion,
});
const spec = (name: string, role: FakeNodeSpec["role"], talosVersion = "v1.13.9"): FakeNodeSpec => ({
    name,
    role,
    talosVersion,
    kubernetesVersion: "v1.36.4",
    rebootMs: 20,
});

describe("nodes that join and leave, through the rollout provider as the engine drives it", function () {
    this.timeout(30000);
    let stack: TestStack;
    let proxmox: FakeProxmox | undefined;
    afterEach(async () => {
        await stack?.close();
        await proxmox?.close();
        proxmox = undefined;
    });

    /** The rollout's inputs for these nodes of the fake cluster, as the program would give them. */
    function inputs(names: string[], t: ReturnType<typeof target>, triggers?: Record<string, RestartTrigger>): TalosRolloutInputs {
        const request = stack.request(t);
        const specs = names.map((n) => stack.cluster.node(n));
        const plain = rolloutPlainInputs(
            specs.map((n) => ({ name: n.name, role: n.role, ip: "127.0.0.1" })),
            t,
        );
        const nodes = plain.nodes.map((n) => ({ ...n, endpoint: stack.talos.endpoints[n.name] }));
        const restarts =
            triggers && proxmox
                ? {
                      restartTriggers: triggers,
                      proxmox: { access: { endpoint: proxmox.endpoint(), apiToken: "pulumi@pve!homelab=x" }, vms: fakeVms(stack.cluster) },
                  }
                : {};
        return { ...plain, nodes, talos: request.talos, kubernetes: request.kubernetes, timing: request.timing, ...restarts };
    }

    /** A node boots into the cluster: its VM and config are made by the same `pulumi up`. */
    async function join(node: FakeNodeSpec) {
        stack.cluster.addNode(node);
        await stack.talos.addNode(node.name);
    }

    const dialed = (from: number) => stack.talos.calls.slice(from);

    it("a worker that joins is recorded without dialing any node, and the next Talos bump upgrades it", async () => {
        stack = await startStack({ controlPlanes: 3, workers: 1 });
        const rollout = new ResourceModel(talosRollout);
        const before = ["talos-cp-1", "talos-cp-2", "talos-cp-3", "talos-worker-1"];
        assert.equal(await rollout.up(inputs(before, target("v1.13.9"))), "create");
        await join(spec("talos-worker-2", "worker"));
        const calls = stack.talos.calls.length;
        assert.equal(await rollout.up(inputs([...before, "talos-worker-2"], target("v1.13.9"))), "update");
        assert.deepEqual(dialed(calls), [], "recording a join dials no node");
        assert.deepEqual(stack.kube.requests, [], "and no Kubernetes API");
        assert.deepEqual(
            rollout.outputs!.order.map((l: string) => l.split(":")[0]),
            [...before, "talos-worker-2"],
        );
        assert.equal(await rollout.up(inputs([...before, "talos-worker-2"], target("v1.13.9"))), "same", "nothing left to record");
        assert.equal(await rollout.up(inputs([...before, "talos-worker-2"], target("v1.14.0"))), "update");
        assert.deepEqual(stack.cluster.rebootOrder(), [...before, "talos-worker-2"]);
        assert.equal(stack.cluster.node("talos-worker-2").talosVersion, "v1.14.0");
        assert.equal(stack.cluster.maxDown, 1);
        assert.deepEqual(rollout.steps, ["create", "update", "same", "update"]);
    });

    it("control planes that join are recorded, and the next Talos bump's etcd gate expects all three", async () => {
        stack = await startStack({ controlPlanes: 1, workers: 1 });
        const rollout = new ResourceModel(talosRollout);
        await rollout.up(inputs(["talos-cp-1", "talos-worker-1"], target("v1.13.9")));
        await join(spec("talos-cp-2", "controlplane"));
        await join(spec("talos-cp-3", "controlplane"));
        const all = ["talos-cp-1", "talos-cp-2", "talos-cp-3", "talos-worker-1"];
        const calls = stack.talos.calls.length;
        assert.equal(await rollout.up(inputs(all, target("v1.13.9"))), "update");
        assert.deepEqual(dialed(calls), []);
        assert.equal(await rollout.up(inputs(all, target("v1.14.0"))), "update");
        assert.deepEqual(stack.cluster.rebootOrder(), all);
        assert.ok(
            stack.talos.calls.filter((c) => c.endsWith("EtcdMemberList")).length >= 3 * 3,
            "every control plane answers the etcd gate before each move",
        );
        for (const name of all) assert.equal(stack.cluster.node(name).talosVersion, "v1.14.0", name);
    });

    it("a node that joins and is then resized is restarted through Proxmox", async () => {
        stack = await startStack({ controlPlanes: 3, workers: 1 });
        proxmox = await startFakeProxmox(stack.cluster);
        const sized = (names: string[], cores: Record<string, number> = {}) =>
            Object.fromEntries(names.map((n) => [n, { hardware: `${cores[n] ?? 4} cores, 8192 MiB`, stagedConfig: "" }]));
        const before = ["talos-cp-1", "talos-cp-2", "talos-cp-3", "talos-worker-1"];
        const rollout = new ResourceModel(talosRollout);
        await rollout.up(inputs(before, target("v1.13.9"), sized(before)));
        await join(spec("talos-worker-2", "worker"));
        const all = [...before, "talos-worker-2"];
        assert.equal(await rollout.up(inputs(all, target("v1.13.9"), sized(all))), "update");
        assert.deepEqual(proxmox.reboots, []);
        assert.equal(await rollout.up(inputs(all, target("v1.13.9"), sized(all, { "talos-worker-2": 8 }))), "update");
        assert.deepEqual(proxmox.reboots, ["talos-worker-2"], "its pending cores are applied by Proxmox' reboot");
        assert.deepEqual(stack.cluster.rebootOrder(), ["talos-worker-2"]);
    });

    it("a node that leaves is recorded without dialing it, and the next bump rolls the rest", async () => {
        stack = await startStack({ controlPlanes: 3, workers: 2 });
        const rollout = new ResourceModel(talosRollout);
        const all = ["talos-cp-1", "talos-cp-2", "talos-cp-3", "talos-worker-1", "talos-worker-2"];
        await rollout.up(inputs(all, target("v1.13.9")));
        const rest = all.filter((n) => n !== "talos-worker-2");
        const calls = stack.talos.calls.length;
        assert.equal(await rollout.up(inputs(rest, target("v1.13.9"))), "update");
        assert.deepEqual(dialed(calls), []);
        // The config apply's delete resets the node after the program ran (deletes come last).
        stack.cluster.reset("talos-worker-2");
        assert.deepEqual(Object.keys(rollout.outputs!.landed).sort(), rest.sort());
        assert.equal(await rollout.up(inputs(rest, target("v1.14.0"))), "update");
        assert.deepEqual(stack.cluster.rebootOrder(), ["talos-cp-1", "talos-cp-2", "talos-cp-3", "talos-worker-1"]);
        assert.deepEqual(
            stack.talos.calls.filter((c) => c.startsWith("talos-worker-2 ")),
            [],
            "the node that left is never dialed",
        );
    });

    it("a join while another node is unreachable succeeds and dials nothing", async () => {
        stack = await startStack({ controlPlanes: 3, workers: 1 });
        const rollout = new ResourceModel(talosRollout);
        const before = ["talos-cp-1", "talos-cp-2", "talos-cp-3", "talos-worker-1"];
        await rollout.up(inputs(before, target("v1.13.9")));
        stack.cluster.node("talos-cp-2").up = false;
        await join(spec("talos-worker-2", "worker"));
        const calls = stack.talos.calls.length;
        assert.equal(await rollout.up(inputs([...before, "talos-worker-2"], target("v1.13.9"))), "update");
        assert.deepEqual(dialed(calls), []);
        // With cp-2 still down, a bump is refused before anything moves, naming it.
        await assert.rejects(
            rollout.up(inputs([...before, "talos-worker-2"], target("v1.14.0"))),
            /^Error: rollout not started, nothing was changed: talos-cp-2: Talos API/,
        );
        assert.deepEqual(stack.cluster.rebootOrder(), []);
        assert.deepEqual(
            rollout.outputs!.order.map((l: string) => l.split(":")[0]),
            [...before, "talos-worker-2"],
            "the failed run keeps the recorded order",
        );
    });
});
