import { strict as assert } from "assert";
import { RolloutError, runRollout } from "../../components/talos/rollout/run";
import { nodesLastRolled, orderLine } from "../../components/talos/rollout/inputs";
import { RolloutTarget } from "../../components/talos/rollout/steps";
import { startStack, TestStack } from "./fakes/stack";

// A rollout with no `kubernetes` access reads the admin kubeconfig through the Talos API, so it can run
// before the machine config applies (and the kubeconfig resource after them) without a cycle.
describe("rollout without Kubernetes access: the admin kubeconfig through Talos", function () {
    this.timeout(20000);
    const stacks: TestStack[] = [];
    const start = async (options: Parameters<typeof startStack>[0] = {}) => {
        const stack = await startStack(options);
        stacks.push(stack);
        return stack;
    };
    afterEach(async () => {
        for (const stack of stacks.splice(0)) await stack.close();
    });
    const kubeconfigCalls = (stack: TestStack) => stack.talos.calls.filter((c) => c.endsWith("MachineService.Kubeconfig"));

    const home = ["talos-cp-1", "talos-cp-2", "talos-cp-3", "talos-worker-1"];
    // The cordons the fake Kubernetes API records: each node around its reboot; none for a Kubernetes upgrade.
    const cases: [string, { kubernetesVersion?: string }, Partial<RolloutTarget>, string[]][] = [
        ["a Talos upgrade", {}, {}, home.flatMap((n) => [`cordon ${n}`, `uncordon ${n}`])],
        ["a Kubernetes upgrade", { kubernetesVersion: "v1.35.9" }, { talosVersion: "v1.13.9", kubernetesVersion: "v1.36.4" }, []],
    ];
    for (const [what, options, target, cordons] of cases) {
        it(`runs ${what} on the home stack exactly as with access given: same steps, same events, same cordons`, async () => {
            const given = await start(options);
            const withAccess = await runRollout(given.request(target));
            const through = await start(options);
            const lines: string[] = [];
            const without = await runRollout(through.request(target, { kubernetes: undefined, log: (line) => lines.push(line) }));
            assert.deepEqual(without.steps, withAccess.steps);
            assert.deepEqual(without.landed, withAccess.landed);
            assert.deepEqual(through.cluster.events, given.cluster.events);
            assert.deepEqual(
                through.cluster.events.filter((e) => /^(un)?cordon /.test(e)),
                cordons,
            );
            assert.ok(without.steps.length >= 4, `${without.steps.length} steps`);
            assert.deepEqual(kubeconfigCalls(through), ["talos-cp-1 MachineService.Kubeconfig"], "read once, from the first control plane");
            assert.deepEqual(kubeconfigCalls(given), [], "not read when access is given");
            assert.equal(lines[0], `talos-cp-1: admin kubeconfig read through the Talos API (Kubernetes API ${through.kube.host})`);
            // The Kubernetes calls went to the API the kubeconfig names, with its client certificate.
            assert.ok(through.kube.requests.includes("GET /api/v1/nodes/talos-worker-1"));
            const key = through.pki.clientConfiguration.clientKey;
            assert.ok(
                !JSON.stringify(without).includes(key) && !lines.join("\n").includes(key),
                "the client key stays out of results and logs",
            );
        });
    }

    it("dials no Kubernetes API and reads no kubeconfig when every node is at the target", async () => {
        const stack = await start();
        const result = await runRollout(stack.request({ talosVersion: "v1.13.9" }, { kubernetes: undefined }));
        assert.deepEqual(result.steps, []);
        assert.deepEqual(result.landed["talos-cp-1"], { talosVersion: "v1.13.9", kubeletVersion: "v1.36.4" });
        assert.deepEqual(stack.kube.requests, []);
        // Per node: its version, its active config and its persisted one (nothing staged: no dry run).
        assert.deepEqual(
            [...stack.talos.calls].sort(),
            ["talos-cp-1", "talos-cp-2", "talos-cp-3", "talos-worker-1"]
                .flatMap((n) => [`${n} MachineService.Version`, `${n} State.Get`, `${n} State.Get`])
                .sort(),
        );
        assert.deepEqual(stack.cluster.events, []);
    });

    it("asks the next control plane when one cannot serve the kubeconfig", async () => {
        const stack = await start({ faults: { kubeconfig: { "talos-cp-1": "error", "talos-cp-2": "truncated" } } });
        const lines: string[] = [];
        await runRollout(stack.request({}, { kubernetes: undefined, log: (line) => lines.push(line) }));
        assert.deepEqual(kubeconfigCalls(stack), [
            "talos-cp-1 MachineService.Kubeconfig",
            "talos-cp-2 MachineService.Kubeconfig",
            "talos-cp-3 MachineService.Kubeconfig",
        ]);
        assert.equal(lines[0], `talos-cp-3: admin kubeconfig read through the Talos API (Kubernetes API ${stack.kube.host})`);
        assert.deepEqual(stack.cluster.rebootOrder(), ["talos-cp-1", "talos-cp-2", "talos-cp-3", "talos-worker-1"]);
    });

    it("bounds each try by one call's deadline, not a stream's: a control plane that answers late is passed over", async () => {
        const stack = await start({ faults: { kubeconfig: { "talos-cp-1": "slow" } } });
        const timing = { ...stack.request({}).timing, callTimeoutMs: 300, streamTimeoutMs: 5000 };
        const lines: string[] = [];
        const started = Date.now();
        await runRollout(
            stack.request(
                { talosVersion: "v1.13.9", kubernetesVersion: "v1.36.4" },
                { kubernetes: undefined, timing, restarts: { "talos-worker-1": "staged machine config" }, log: (line) => lines.push(line) },
            ),
        );
        assert.equal(lines[0], `talos-cp-2: admin kubeconfig read through the Talos API (Kubernetes API ${stack.kube.host})`);
        assert.deepEqual(kubeconfigCalls(stack), ["talos-cp-1 MachineService.Kubeconfig", "talos-cp-2 MachineService.Kubeconfig"]);
        const elapsed = Date.now() - started;
        assert.ok(elapsed >= 300 && elapsed < 1900, `${elapsed} ms: cp-1 given up at the 300 ms call deadline, not after its 2 s`);
    });

    it("stops before touching anything when no control plane serves it, naming each and why", async () => {
        const stack = await start({ faults: { kubeconfig: { "talos-cp-1": "error", "talos-cp-2": "error", "talos-cp-3": "truncated" } } });
        await assert.rejects(runRollout(stack.request({}, { kubernetes: undefined })), (error: RolloutError) => {
            assert.equal(
                error.message,
                "rollout not started, nothing was changed: no control plane gave the admin kubeconfig through the Talos API: " +
                    "talos-cp-1: Talos API MachineService.Kubeconfig: UNKNOWN: error getting Kubernetes CA: failed to parse PEM block; " +
                    "talos-cp-2: Talos API MachineService.Kubeconfig: UNKNOWN: error getting Kubernetes CA: failed to parse PEM block; " +
                    "talos-cp-3: Talos API MachineService.Kubeconfig: the archive is not gzip: unexpected end of file",
            );
            assert.deepEqual(error.landed, {});
            return true;
        });
        assert.deepEqual(kubeconfigCalls(stack).length, 3, "workers are not asked: Talos serves the kubeconfig on control planes only");
        assert.deepEqual(stack.cluster.events, []);
        assert.deepEqual(stack.kube.requests, []);
    });

    it("leaves out a node that joined since the last run: ahead of the applies it has no config to trust our certificate", async () => {
        const stack = await start({ controlPlanes: 3, workers: 2 });
        stack.cluster.node("talos-worker-2").up = false;
        const request = stack.request({}, { kubernetes: undefined });
        const lastOrder = ["talos-cp-1", "talos-cp-2", "talos-cp-3", "talos-worker-1"].map((n) =>
            orderLine(n, { ...request.target, talosVersion: "v1.13.9" }),
        );
        assert.deepEqual(
            nodesLastRolled(request.nodes, undefined).map((n) => n.name),
            request.nodes.map((n) => n.name),
            "no state: every node",
        );
        await assert.rejects(
            runRollout(request),
            /^RolloutError: rollout not started, nothing was changed: talos-worker-2: Talos API MachineService.Version: UNAVAILABLE/,
        );
        await runRollout({ ...request, nodes: nodesLastRolled(request.nodes, lastOrder) });
        assert.deepEqual(stack.cluster.rebootOrder(), ["talos-cp-1", "talos-cp-2", "talos-cp-3", "talos-worker-1"]);
        assert.equal(stack.talos.calls.filter((c) => c.startsWith("talos-worker-2 ")).length, 1, "dialed only by the run given every node");
    });

    it("says what to give when the rollout has no control plane to ask", async () => {
        const stack = await start({ controlPlanes: 0, workers: 2 });
        await assert.rejects(runRollout(stack.request({}, { kubernetes: undefined })), {
            message:
                "rollout not started, nothing was changed: no control plane in the rollout to get the admin kubeconfig from (workers do not serve it): give the rollout `kubernetes` access",
        });
        assert.deepEqual(stack.cluster.events, []);
    });

    it("reports a node Talos cannot reach before asking for a kubeconfig", async () => {
        const stack = await start({ faults: { hang: ["talos-worker-1"] }, hangMs: 3000 });
        await assert.rejects(
            runRollout(stack.request({}, { kubernetes: undefined, timing: { ...stack.request({}).timing, callTimeoutMs: 300 } })),
            /^RolloutError: rollout not started, nothing was changed: talos-worker-1: Talos API MachineService.Version: DEADLINE_EXCEEDED/,
        );
        assert.deepEqual(kubeconfigCalls(stack), []);
        assert.deepEqual(stack.kube.requests, []);
    });
});
