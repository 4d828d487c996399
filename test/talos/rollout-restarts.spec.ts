import { strict as assert } from "assert";
import { rolloutPlainInputs } from "../../components/talos/rollout/inputs";
import type { TalosRolloutInputs } from "../../components/talos/rollout/resource";
import { talosRollout } from "../../provider/talos-rollout";
import { called } from "../provider/handler-harness";

const talosRolloutProvider = called(talosRollout);
import { plannedRestarts, RestartTrigger } from "../../components/talos/rollout/restart-triggers";
import { fakeVms, FakeProxmox, startFakeProxmox } from "./fakes/proxmox";
import { installerFor, startStack, TestStack } from "./fakes/stack";

// Restarts that apply a resize or a staged config go through the rollout (rollout/run.ts): one node down at a time,
// control planes first, each drained and gated; a resize through Proxmox (which alone applies pending
// hardware), a staged config through Talos. A fake Proxmox API on 127.0.0.1 (fakes/proxmox.ts) restarts the
// fake nodes.

const nodes = [
    { name: "talos-cp-1", role: "controlplane" as const, endpoint: "a" },
    { name: "talos-cp-2", role: "controlplane" as const, endpoint: "b" },
    { name: "talos-worker-1", role: "worker" as const, endpoint: "c" },
];
const trigger = (hardware: string, stagedConfig = ""): RestartTrigger => ({ hardware, stagedConfig });

describe("which nodes a rollout restarts", () => {
    it("restarts a resized node through the hypervisor, and hands a node with a newly staged config to the engine", () => {
        const olds = {
            "talos-cp-1": trigger("4 cores, 8192 MiB"),
            "talos-cp-2": trigger("4 cores, 8192 MiB"),
            "talos-worker-1": trigger("4 cores, 8192 MiB", "aaaa"),
        };
        const news = {
            "talos-cp-1": trigger("4 cores, 8192 MiB"),
            "talos-cp-2": trigger("8 cores, 16384 MiB", "bbbb"),
            "talos-worker-1": trigger("4 cores, 8192 MiB", "cccc"),
        };
        assert.deepEqual(plannedRestarts(nodes, olds, news), {
            restarts: { "talos-cp-2": "hardware 4 cores, 8192 MiB -> 8 cores, 16384 MiB" },
            viaHypervisor: ["talos-cp-2"],
            stagedConfigs: ["talos-cp-2", "talos-worker-1"],
        });
    });

    it("restarts nothing for an unchanged record, a config applied at once, or a node new to the record", () => {
        const olds = { "talos-cp-1": trigger("4 cores, 8192 MiB", "aaaa") };
        const none = { restarts: {}, viaHypervisor: [], stagedConfigs: [] };
        assert.deepEqual(plannedRestarts(nodes, olds, { "talos-cp-1": trigger("4 cores, 8192 MiB", "aaaa") }), none);
        assert.deepEqual(plannedRestarts(nodes, olds, { "talos-cp-1": trigger("4 cores, 8192 MiB", "") }), none);
        assert.deepEqual(
            plannedRestarts(nodes, olds, {
                "talos-cp-1": trigger("4 cores, 8192 MiB", "aaaa"),
                "talos-cp-2": trigger("8 cores, 16384 MiB"),
            }),
            none,
        );
    });
});

describe("restarts through the rollout", function () {
    this.timeout(20000);
    let stack: TestStack;
    let proxmox: FakeProxmox;
    afterEach(async () => {
        await stack?.close();
        if (proxmox?.server.listening) await proxmox.close();
    });

    async function start(failFor: string[] = []) {
        stack = await startStack({ controlPlanes: 3, workers: 2 });
        proxmox = await startFakeProxmox(stack.cluster, failFor);
    }

    /** The provider's inputs for the fake stack at Talos v1.13.9, with these restart triggers. */
    function inputs(triggers: Record<string, RestartTrigger>): TalosRolloutInputs {
        const request = stack.request({ talosVersion: "v1.13.9", installerImage: installerFor("v1.13.9") });
        const target = request.target;
        const plain = rolloutPlainInputs(
            request.nodes.map((n) => ({ name: n.name, role: n.role, ip: "127.0.0.1" })),
            target,
        );
        return {
            ...plain,
            nodes: request.nodes,
            talos: request.talos,
            kubernetes: request.kubernetes,
            timing: request.timing,
            restartTriggers: triggers,
            proxmox: { access: { endpoint: proxmox.endpoint(), apiToken: "pulumi@pve!homelab=x" }, vms: fakeVms(stack.cluster) },
        };
    }

    const sized = (cores: Record<string, number>, staged: Record<string, string> = {}) =>
        Object.fromEntries([...stack.cluster.nodes.keys()].map((n) => [n, trigger(`${cores[n] ?? 4} cores, 8192 MiB`, staged[n] ?? "")]));

    it("restarts only what changed, one node at a time, control planes first, each drained and back before the next", async () => {
        await start();
        const olds = (await talosRolloutProvider.create(inputs(sized({})))).outs;
        assert.deepEqual(stack.talos.calls, [], "creating dials no node");
        // cp-1's apply staged a config that needs a reboot (another environment variable: not live, as Talos judges).
        const cp1 = stack.cluster.node("talos-cp-1");
        stack.cluster.stage("talos-cp-1", cp1.config.replace("machine:\n", "machine:\n  env:\n    HTTP_PROXY: http://proxy:3128\n"));
        const news = inputs(sized({ "talos-worker-2": 8, "talos-cp-3": 8 }, { "talos-cp-1": "d1f0c2" }));
        assert.deepEqual(await talosRolloutProvider.diff("talos-rollout", olds, news), { changes: true, replaces: [] });
        const updated = await talosRolloutProvider.update("talos-rollout", olds, news);
        assert.deepEqual(stack.cluster.rebootOrder(), ["talos-cp-1", "talos-cp-3", "talos-worker-2"]);
        assert.equal(stack.cluster.maxDown, 1);
        assert.deepEqual(
            proxmox.reboots,
            ["talos-cp-3", "talos-worker-2"],
            "the resized VMs restart through Proxmox; the staged config through Talos",
        );
        assert.match(stack.cluster.node("talos-cp-1").config, /HTTP_PROXY/, "cp-1 booted its staged config");
        const e = stack.cluster.events;
        assert.ok(
            e.indexOf("cordon talos-cp-3") < e.indexOf("reboot talos-cp-3") &&
                e.indexOf("reboot talos-cp-3") < e.indexOf("uncordon talos-cp-3"),
        );
        assert.ok(
            e.indexOf("uncordon talos-cp-1") < e.indexOf("cordon talos-cp-3") &&
                e.indexOf("uncordon talos-cp-3") < e.indexOf("cordon talos-worker-2"),
        );
        assert.deepEqual(updated.outs.restartTriggers, news.restartTriggers);
        // Run again with the same record: nothing restarts.
        assert.deepEqual(await talosRolloutProvider.diff("talos-rollout", updated.outs, news), { changes: false, replaces: [] });
    });

    it("dials no node that joined since the last run, and records it for the next", async () => {
        await start();
        const all = inputs(sized({}));
        const withoutNew = {
            ...all,
            nodes: all.nodes.filter((n) => n.name !== "talos-worker-2"),
            order: all.order.filter((l) => !l.startsWith("talos-worker-2:")),
        };
        const olds = (await talosRolloutProvider.create(withoutNew)).outs;
        const news = inputs(sized({ "talos-cp-3": 8 }));
        const updated = await talosRolloutProvider.update("talos-rollout", olds, news);
        assert.deepEqual(stack.cluster.rebootOrder(), ["talos-cp-3"]);
        assert.deepEqual(
            stack.talos.calls.filter((c) => c.startsWith("talos-worker-2 ")),
            [],
            "the new node is not dialed",
        );
        assert.deepEqual(updated.outs.order, news.order, "and is rolled from the next run on");
    });

    it("stops at a failed restart, naming the node and the check, and leaves the rest untouched", async () => {
        await start(["talos-cp-2"]);
        const olds = (await talosRolloutProvider.create(inputs(sized({})))).outs;
        const news = inputs(sized({ "talos-cp-2": 8, "talos-cp-3": 8, "talos-worker-1": 8 }));
        await assert.rejects(
            talosRolloutProvider.update("talos-rollout", olds, news),
            (error: Error & { properties: { restartTriggers: unknown } }) => {
                assert.equal(
                    error.message,
                    'rollout stopped at talos-cp-2: restart (hardware 4 cores, 8192 MiB -> 8 cores, 8192 MiB): talos-cp-2 (pve2/151): reboot task: ended with "VM quit/powerdown failed - got timeout"; not started: talos-cp-3, talos-worker-1',
                );
                assert.deepEqual(
                    error.properties.restartTriggers,
                    olds.restartTriggers,
                    "the record keeps the old triggers, so the next run restarts again",
                );
                return true;
            },
        );
        assert.deepEqual(proxmox.reboots, ["talos-cp-2"]);
        assert.deepEqual(stack.cluster.rebootOrder(), []);
        assert.ok(stack.cluster.events.includes("uncordon talos-cp-2"), "the failed node is uncordoned");
    });
});

describe("the rollout's check against what the stack last rolled out", () => {
    const at = (talosVersion: string, kubernetesVersion: string) =>
        ({ target: { talosVersion, kubernetesVersion, installerImage: installerFor(talosVersion) } }) as unknown as TalosRolloutInputs;

    it("accepts the first rollout, the same versions and the next minor", async () => {
        assert.deepEqual(await talosRolloutProvider.check({}, at("v1.13.9", "v1.36.4")), []);
        assert.deepEqual(await talosRolloutProvider.check(at("v1.14.2", "v1.37.1"), at("v1.14.2", "v1.37.1")), []);
        assert.deepEqual(await talosRolloutProvider.check(at("v1.13.9", "v1.36.4"), at("v1.14.0", "v1.37.0")), []);
    });

    it("refuses a skipped minor or a step back from what runs, naming the key, even past the pins", async () => {
        assert.deepEqual(await talosRolloutProvider.check(at("v1.14.2", "v1.37.1"), at("v1.16.0", "v1.37.0")), [
            {
                property: "target",
                reason: "homelab:talos.version: v1.16.0 skips a minor version past the running v1.14.2; Talos moves one minor at a time. Fix: set a v1.15.x release (or a v1.14.x patch) first and run `pulumi up`, then the next minor.",
            },
            {
                property: "target",
                reason: "homelab:talos.kubernetesVersion: v1.37.0 is older than the running v1.37.1, and Kubernetes never moves backwards. Fix: set v1.37.1 or a newer patch or minor release: the cluster already runs v1.37.1.",
            },
        ]);
    });

    it("refuses a Kubernetes version the target Talos does not run, from the table validation uses", async () => {
        assert.deepEqual(await talosRolloutProvider.check(at("v1.13.9", "v1.36.4"), at("v1.13.9", "v1.37.0")), [
            {
                property: "target",
                reason: "homelab:talos.kubernetesVersion: v1.37.0 does not run on Talos v1.13.9 (homelab:talos.version), which runs Kubernetes v1.31.0 to v1.36.x. Fix: set a Kubernetes release in v1.31.0 to v1.36.x, or first move homelab:talos.version to a Talos that runs it (v1.14.x) and run `pulumi up`.",
            },
        ]);
    });
});
