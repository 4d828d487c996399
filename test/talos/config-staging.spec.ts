import { strict as assert } from "assert";
import { TalosClient } from "../../components/talos/api/client";
import { talosVersion } from "../../components/talos/api/machine";
import { withComponentVersion } from "../../components/talos/rollout/machine-config";
import { rolloutPlainInputs } from "../../components/talos/rollout/inputs";
import type { TalosRolloutInputs } from "../../components/talos/rollout/resource";
import { RestartTrigger } from "../../components/talos/rollout/restart-triggers";
import { applyEditKeepingStaged } from "../../components/talos/rollout/staged-config";
import { kubernetesNodeHandler } from "../../provider/kubernetes-node";
import { maintenanceApplyHandler } from "../../provider/maintenance-apply";
import { talosRollout } from "../../provider/talos-rollout";
import { ResourceModel } from "./fakes/engine-model";
import { fastTiming, installerFor, startStack, TestStack } from "./fakes/stack";

// No config change reboots a node outside the rollout: every apply stages (cluster.ts), a node in maintenance
// mode gets its first config at once (MaintenanceApply), and the rollout applies each staged config live when
// Talos' dry run says it can, else restarts the node in turn; a dry run that fails stops it before anything
// moves. Against the fake apids (maintenance API included) and the fake Kubernetes API.

const target = (talosVersion = "v1.13.9") => ({ talosVersion, installerImage: installerFor(talosVersion), kubernetesVersion: "v1.36.4" });
/** A config change Talos applies live (kubelet arguments) and one it needs a reboot for (an environment variable). */
const live = (yaml: string) => yaml.replace("kubelet:\n", 'kubelet:\n    extraArgs:\n      max-pods: "150"\n');
const needsReboot = (yaml: string) => yaml.replace("machine:\n", "machine:\n  env:\n    HTTP_PROXY: http://proxy:3128\n");

describe("config changes: staged, then applied live or by a rolling restart", function () {
    this.timeout(30000);
    let stack: TestStack;
    afterEach(async () => stack && (await stack.close()));

    const all = () => [...stack.cluster.nodes.keys()];
    /** The restart rollout's inputs with each node's staged-config digest. */
    function inputs(digests: Record<string, string>): TalosRolloutInputs {
        const request = stack.request(target());
        const plain = rolloutPlainInputs(
            request.nodes.map((n) => ({ name: n.name, role: n.role, ip: "127.0.0.1" })),
            target(),
        );
        const restartTriggers: Record<string, RestartTrigger> = Object.fromEntries(
            all().map((n) => [n, { hardware: "4 cores, 8192 MiB", stagedConfig: digests[n] ?? "aaaa" }]),
        );
        return {
            ...plain,
            nodes: request.nodes,
            talos: request.talos,
            kubernetes: request.kubernetes,
            timing: request.timing,
            restartTriggers,
        };
    }

    it("applies a node's first config at once in maintenance mode, and leaves a configured node alone", async () => {
        stack = await startStack({ controlPlanes: 1, workers: 1 });
        const joining = stack.cluster.addNode({
            name: "talos-worker-2",
            role: "worker",
            talosVersion: "v1.13.9",
            kubernetesVersion: "v1.36.4",
            rebootMs: 20,
        });
        joining.maintenance = true;
        const endpoint = await stack.talos.addNode("talos-worker-2");
        const config = stack.cluster
            .node("talos-worker-1")
            .config.replace("HostnameConfig\nhostname: talos-worker-1", "HostnameConfig\nhostname: talos-worker-2");
        // The config apply's STAGED create, in maintenance mode, persists it and nothing more.
        joining.persistent = config;
        const mtls = new TalosClient({ name: "talos-worker-2", address: endpoint }, stack.pki.clientConfiguration, {
            callTimeoutMs: 2000,
            streamTimeoutMs: 2000,
        });
        await assert.rejects(
            talosVersion(mtls),
            /talos-worker-2: Talos API MachineService.Version: UNAVAILABLE/,
            "in maintenance mode the node cannot prove it is ours",
        );
        mtls.close();

        const timing = { callTimeoutMs: 2000, rebootTimeoutMs: 5000, pollIntervalMs: 10 };
        const first = new ResourceModel(maintenanceApplyHandler);
        assert.equal(
            await first.up({
                node: "talos-worker-2",
                endpoint,
                talos: stack.pki.clientConfiguration,
                machineConfiguration: config,
                timing,
            }),
            "create",
        );
        assert.deepEqual(first.outputs, { node: "talos-worker-2", outcome: "applied" });
        assert.equal(joining.maintenance, false);
        assert.equal(joining.config, config);
        assert.ok(stack.cluster.events.includes("maintenance-apply talos-worker-2"));
        assert.equal(
            await first.up({
                node: "talos-worker-2",
                endpoint,
                talos: stack.pki.clientConfiguration,
                machineConfiguration: live(config),
                timing,
            }),
            "same",
            "a later config is the apply's and the rollout's",
        );

        const configured = new ResourceModel(maintenanceApplyHandler);
        const calls = stack.talos.calls.length;
        await configured.up({
            node: "talos-worker-1",
            endpoint: stack.talos.endpoints["talos-worker-1"],
            talos: stack.pki.clientConfiguration,
            machineConfiguration: "not sent",
            timing,
        });
        assert.deepEqual(configured.outputs, { node: "talos-worker-1", outcome: "configured" });
        assert.deepEqual(
            stack.talos.calls.slice(calls),
            ["talos-worker-1 MachineService.Version"],
            "nothing is applied to a configured node",
        );
    });

    it("applies a staged config live when Talos can, restarts the nodes that need it one at a time", async () => {
        stack = await startStack({ controlPlanes: 3, workers: 1 });
        const rollout = new ResourceModel(talosRollout);
        await rollout.up(inputs({}));
        for (const name of ["talos-cp-1", "talos-cp-2"]) stack.cluster.stage(name, live(stack.cluster.node(name).config));
        for (const name of ["talos-cp-3", "talos-worker-1"]) stack.cluster.stage(name, needsReboot(stack.cluster.node(name).config));
        assert.equal(
            await rollout.up(inputs({ "talos-cp-1": "b1", "talos-cp-2": "b2", "talos-cp-3": "b3", "talos-worker-1": "b4" })),
            "update",
        );
        assert.deepEqual(stack.cluster.rebootOrder(), ["talos-cp-3", "talos-worker-1"]);
        assert.equal(stack.cluster.maxDown, 1);
        const e = stack.cluster.events;
        assert.ok(e.includes("apply talos-cp-1") && e.includes("apply talos-cp-2"), "applied live");
        assert.ok(!e.includes("cordon talos-cp-1") && !e.includes("cordon talos-cp-2"), "a live apply drains nothing");
        assert.ok(e.indexOf("apply talos-cp-2") < e.indexOf("cordon talos-cp-3"), "in rollout order");
        for (const node of stack.cluster.nodes.values()) {
            assert.equal(node.persistent === undefined || node.persistent === node.config, true, `${node.name} holds nothing staged`);
            assert.match(
                node.config,
                node.name.startsWith("talos-cp-3") || node.name === "talos-worker-1" ? /HTTP_PROXY/ : /max-pods/,
                node.name,
            );
        }
    });

    it("stops before anything moves when a dry run fails, naming the node, and tries again on the next run", async () => {
        stack = await startStack({ controlPlanes: 3, workers: 1, faults: { dryRunFails: ["talos-cp-2"] } });
        const rollout = new ResourceModel(talosRollout);
        await rollout.up(inputs({}));
        for (const name of all()) stack.cluster.stage(name, needsReboot(stack.cluster.node(name).config));
        const staged = inputs(Object.fromEntries(all().map((n) => [n, "bbbb"])));
        await assert.rejects(
            rollout.up(staged),
            /^Error: rollout not started, nothing was changed: talos-cp-2: Talos API MachineService.ApplyConfiguration: UNAVAILABLE: read: connection reset by peer$/,
        );
        assert.deepEqual(stack.cluster.rebootOrder(), [], "no node rebooted");
        assert.ok(!stack.cluster.events.some((e) => /^(apply|apply-reboot|cordon) /.test(e)), "nothing applied, nothing cordoned");
        assert.equal(rollout.outputs!.restartTriggers["talos-cp-2"].stagedConfig, "aaaa", "the record keeps the old digests");
        stack.cluster.faults.dryRunFails = [];
        assert.equal(await rollout.up(staged), "update", "the next run sees the change again");
        assert.deepEqual(stack.cluster.rebootOrder(), all());
        assert.equal(stack.cluster.maxDown, 1);
    });

    it("keeps a staged config staged, with the same edit, when it applies an edit live", async () => {
        stack = await startStack({ controlPlanes: 1, workers: 0 });
        const node = stack.cluster.node("talos-cp-1");
        stack.cluster.stage("talos-cp-1", needsReboot(node.config));
        const client = new TalosClient(
            { name: "talos-cp-1", address: stack.talos.endpoints["talos-cp-1"] },
            stack.pki.clientConfiguration,
            fastTiming,
        );
        try {
            const result = await applyEditKeepingStaged(client, (yaml) => withComponentVersion(yaml, "kube-apiserver", "v1.36.5"));
            assert.equal(result.restaged, true);
        } finally {
            client.close();
        }
        assert.match(node.config, /kube-apiserver:v1\.36\.5/);
        assert.doesNotMatch(node.config, /HTTP_PROXY/, "the staged change is not applied live");
        assert.match(node.persistent!, /kube-apiserver:v1\.36\.5/);
        assert.match(node.persistent!, /HTTP_PROXY/, "and stays staged for the next boot");
    });

    it("deletes a removed node's Node object after its reset, reading the kubeconfig from another control plane", async () => {
        stack = await startStack({ controlPlanes: 3, workers: 1 });
        const controlPlanes = stack.request(target()).nodes.filter((n) => n.role === "controlplane");
        const record = new ResourceModel(kubernetesNodeHandler);
        const callTimeoutMs = 2000;
        await record.up({ node: "talos-cp-3", talos: stack.pki.clientConfiguration, controlPlanes, callTimeoutMs });
        assert.deepEqual([...stack.talos.calls], [], "creating dials nothing");
        assert.equal(
            await record.up({
                node: "talos-cp-3",
                talos: stack.pki.clientConfiguration,
                controlPlanes: controlPlanes.slice().reverse(),
                callTimeoutMs,
            }),
            "update",
            "the control planes are recorded",
        );
        assert.deepEqual([...stack.talos.calls], []);
        // The apply's delete resets the node (it depends on this record, so it goes first); then this one.
        stack.cluster.reset("talos-cp-3");
        await record.destroy();
        assert.deepEqual(stack.cluster.events, ["reset talos-cp-3", "delete node talos-cp-3"]);
        assert.deepEqual(
            stack.talos.calls.filter((c) => c.endsWith("Kubeconfig")),
            ["talos-cp-2 MachineService.Kubeconfig"],
            "from a control plane that stays",
        );
        assert.equal(stack.cluster.node("talos-cp-3").registered, false);
    });
});
