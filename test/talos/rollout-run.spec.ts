import { strict as assert } from "assert";
import { RolloutError, runRollout } from "../../components/talos/rollout/run";
import { configuredInstaller, withInstaller } from "../../components/talos/rollout/machine-config";
import { describeStep } from "../../components/talos/rollout/steps";
import { stackSpecs } from "./fakes/cluster";
import { fastTiming, installerFor, startStack, TestStack } from "./fakes/stack";

/** The events of one node, in order. */
const eventsOf = (stack: TestStack, node: string) =>
    stack.cluster.events.filter((e) => e.split(" ")[1] === node || e.endsWith(`/web-${node}`) || e.endsWith(`-${node}`));

describe("rolling Talos upgrade against fake apids and a fake Kubernetes API", function () {
    this.timeout(15000);
    let stack: TestStack;
    afterEach(async () => stack && (await stack.close()));

    it("upgrades the home stack one node at a time, control planes first, each drained and gated", async () => {
        stack = await startStack();
        const result = await runRollout(stack.request({}));
        assert.deepEqual(
            result.steps.map((s) => `${s.kind} ${s.node}`),
            ["talos-upgrade talos-cp-1", "talos-upgrade talos-cp-2", "talos-upgrade talos-cp-3", "talos-upgrade talos-worker-1"],
        );
        assert.deepEqual(stack.cluster.rebootOrder(), ["talos-cp-1", "talos-cp-2", "talos-cp-3", "talos-worker-1"]);
        assert.equal(stack.cluster.maxDown, 1);
        for (const node of stack.cluster.nodes.values()) assert.equal(node.talosVersion, "v1.14.0");
        assert.deepEqual(eventsOf(stack, "talos-cp-1"), [
            `pull talos-cp-1 ${installerFor("v1.14.0")}`,
            `install talos-cp-1 ${installerFor("v1.14.0")} exit 0`,
            "cordon talos-cp-1",
            "evict default/web-talos-cp-1",
            "reboot talos-cp-1",
            "down talos-cp-1",
            "up talos-cp-1 v1.14.0",
            "apply talos-cp-1",
            "uncordon talos-cp-1",
        ]);
        // Each node is cordoned before its reboot, uncordoned once back, and only then is the next touched.
        const e = stack.cluster.events;
        const at = (event: string) => e.indexOf(event);
        const order = ["talos-cp-1", "talos-cp-2", "talos-cp-3", "talos-worker-1"];
        for (const [i, node] of order.entries()) {
            assert.ok(
                at(`cordon ${node}`) < at(`reboot ${node}`) &&
                    at(`reboot ${node}`) < at(`up ${node} v1.14.0`) &&
                    at(`up ${node} v1.14.0`) < at(`uncordon ${node}`),
                node,
            );
            if (i + 1 < order.length)
                assert.ok(
                    at(`uncordon ${node}`) < at(`pull ${order[i + 1]} ${installerFor("v1.14.0")}`),
                    `${order[i + 1]} waits for ${node}`,
                );
        }
        assert.ok(!e.some((x) => x.startsWith("evict kube-system/")), "DaemonSet and mirror pods stay");
        assert.deepEqual(result.landed["talos-worker-1"], { talosVersion: "v1.14.0", kubeletVersion: "v1.36.4" });
    });

    for (const [controlPlanes, workers] of [
        [3, 1],
        [3, 6],
    ]) {
        it(`adds no idle waits beyond the poll interval: ${controlPlanes} + ${workers} stack, rollout time against the sum of reboot times`, async () => {
            stack = await startStack({ controlPlanes, workers, rebootMs: 40 });
            const started = process.hrtime.bigint();
            const result = await runRollout(stack.request({}));
            const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
            const nodes = controlPlanes + workers;
            const rebootTotal = stack.cluster.rebootTimeTotal;
            assert.equal(rebootTotal, 40 * nodes);
            assert.equal(stack.cluster.maxDown, 1);
            console.log(
                `      figure: ${controlPlanes}+${workers} nodes: reboots ${rebootTotal} ms in all; rollout ${elapsed.toFixed(0)} ms, of which idle between polls ${result.waits.sleptMs} ms (${result.waits.polls} polls of ${fastTiming.pollIntervalMs} ms), the rest calls and TLS handshakes`,
            );
            assert.ok(elapsed >= rebootTotal, `${elapsed} ms`);
            // Idle time is the reboots plus at most one poll interval per gate a node passes (drain, back,
            // Ready, etcd), plus timer slack: nothing waits for a fixed time.
            const gatesPerNode = 4;
            const timerSlackMs = 2 * result.waits.polls;
            assert.ok(
                result.waits.sleptMs <= rebootTotal + nodes * gatesPerNode * fastTiming.pollIntervalMs + timerSlackMs,
                `idle ${result.waits.sleptMs} ms`,
            );
        });
    }

    it("stops at a node that does not come back, naming it and the check; later nodes untouched", async () => {
        stack = await startStack({ faults: { neverBack: ["talos-cp-2"] } });
        let failedAt = 0;
        await assert.rejects(
            runRollout(stack.request({}, { timing: { ...fastTiming, rebootTimeoutMs: 150 } })).finally(() => (failedAt = Date.now())),
            (error: RolloutError) => {
                assert.match(
                    error.message,
                    /^rollout stopped at talos-cp-2: Talos v1.13.9 -> v1.14.0: talos-cp-2: back from the reboot on v1.14.0: not within 0.15 s \(last: talos-cp-2: Talos API MachineService.Read: UNAVAILABLE: talos-cp-2 is rebooting\); talos-cp-2 is left cordoned: once it is back and Ready, run `kubectl uncordon talos-cp-2`; not started: talos-cp-3, talos-worker-1$/,
                );
                assert.deepEqual(error.landed["talos-cp-1"].talosVersion, "v1.14.0");
                assert.deepEqual(error.landed["talos-cp-2"].talosVersion, "v1.13.9");
                return true;
            },
        );
        const wentDown = stack.cluster.eventTimes[stack.cluster.events.indexOf("down talos-cp-2")];
        // The gate gives up once its next poll would land past the deadline (gates.ts waitFor), so up to one poll
        // interval early, plus a millisecond of Date.now() rounding on each side: 148 ms was seen, and is right.
        const earliest = 150 - fastTiming.pollIntervalMs - 2;
        assert.ok(
            failedAt - wentDown >= earliest && failedAt - wentDown < 1150,
            `gave up ${failedAt - wentDown} ms after the node went down: bounded by the reboot timeout`,
        );
        assert.deepEqual(eventsOf(stack, "talos-cp-3"), []);
        assert.deepEqual(eventsOf(stack, "talos-worker-1"), []);
        // talosctl uncordons a node once it is Ready (drain.go uncordonNodes); one that is not back stays cordoned.
        assert.equal(stack.cluster.events[stack.cluster.events.length - 1], "down talos-cp-2");
        assert.equal(stack.cluster.node("talos-cp-2").unschedulable, true);
    });

    it("stops before the next control plane when etcd does not become healthy", async () => {
        stack = await startStack({ faults: { etcdUnhealthyAfterReboot: ["talos-cp-1"] } });
        await assert.rejects(runRollout(stack.request({}, { timing: { ...fastTiming, healthTimeoutMs: 100 } })), {
            message:
                "rollout stopped at talos-cp-1: Talos v1.13.9 -> v1.14.0: talos-cp-1: etcd healthy on every member: not within 0.1 s (last: talos-cp-1: etcd is not healthy); not started: talos-cp-2, talos-cp-3, talos-worker-1",
        });
        assert.deepEqual(stack.cluster.rebootOrder(), ["talos-cp-1"]);
        assert.deepEqual(eventsOf(stack, "talos-cp-2"), []);
        assert.equal(
            stack.cluster.node("talos-cp-1").unschedulable,
            false,
            "Ready, so uncordoned before the etcd gate (as talosctl: Ready, then uncordon)",
        );
    });

    it("stops on an install that exits non-zero: that node is neither drained nor rebooted; a second run resumes there", async () => {
        stack = await startStack({ faults: { installExitCode: { "talos-cp-2": 1 } } });
        await assert.rejects(runRollout(stack.request({})), {
            message: `rollout stopped at talos-cp-2: Talos v1.13.9 -> v1.14.0: talos-cp-2: install: exit code 1 (last message: image ${installerFor("v1.14.0")}: install failed); the node was not rebooted; not started: talos-cp-3, talos-worker-1`,
        });
        assert.deepEqual(eventsOf(stack, "talos-cp-2"), [
            `pull talos-cp-2 ${installerFor("v1.14.0")}`,
            `install talos-cp-2 ${installerFor("v1.14.0")} exit 1`,
        ]);
        assert.equal(stack.cluster.node("talos-cp-2").unschedulable, false);

        stack.cluster.faults.installExitCode = {};
        stack.cluster.events.length = 0;
        const result = await runRollout(stack.request({}));
        assert.deepEqual(
            result.steps.map((s) => s.node),
            ["talos-cp-2", "talos-cp-3", "talos-worker-1"],
            "talos-cp-1 is already done",
        );
        assert.deepEqual(stack.cluster.rebootOrder(), ["talos-cp-2", "talos-cp-3", "talos-worker-1"]);
    });

    it("skips a node already at the target", async () => {
        const specs = stackSpecs(3, 1, "v1.13.9", "v1.36.4", 20);
        specs[2].talosVersion = "v1.14.0";
        stack = await startStack({ specs });
        await runRollout(stack.request({}));
        assert.deepEqual(stack.cluster.rebootOrder(), ["talos-cp-1", "talos-cp-2", "talos-worker-1"]);
        assert.deepEqual(eventsOf(stack, "talos-cp-3"), []);
    });

    it("touches nothing with a client certificate the cluster's CA did not sign, and says why", async () => {
        stack = await startStack();
        const stranger = {
            ...stack.pki.clientConfiguration,
            clientCertificate: Buffer.from(stack.pki.stranger.cert).toString("base64"),
            clientKey: Buffer.from(stack.pki.stranger.key).toString("base64"),
        };
        await assert.rejects(runRollout(stack.request({}, { talos: stranger })), (error: RolloutError) => {
            assert.match(
                error.message,
                /^rollout not started, nothing was changed: talos-cp-1: Talos API MachineService.Version: UNAVAILABLE: the node is down or unreachable, or refused the TLS handshake \(is the client configuration this cluster's\?\)/,
            );
            for (const node of ["talos-cp-2", "talos-cp-3", "talos-worker-1"])
                assert.match(error.message, new RegExp(`; ${node}: Talos API MachineService.Version: UNAVAILABLE`));
            return true;
        });
        assert.deepEqual(stack.cluster.events, []);
        assert.deepEqual(stack.talos.calls, []);
    });

    it("bounds every call: a node that hangs fails the preflight at the call deadline", async () => {
        stack = await startStack({ faults: { hang: ["talos-cp-3"] }, hangMs: 3000 });
        const started = Date.now();
        await assert.rejects(runRollout(stack.request({}, { timing: { ...fastTiming, callTimeoutMs: 500 } })), (error: RolloutError) => {
            assert.match(
                error.message,
                /^rollout not started, nothing was changed: talos-cp-3: Talos API MachineService.Version: DEADLINE_EXCEEDED: Deadline exceeded after 0\.(49|5)/,
            );
            assert.doesNotMatch(error.message, /talos-cp-1|talos-cp-2|talos-worker-1/);
            return true;
        });
        const elapsed = Date.now() - started;
        assert.ok(elapsed >= 500 && elapsed < 2000, `${elapsed} ms: the deadline, not the 3 s the node hangs`);
        assert.deepEqual(stack.cluster.events, []);
    });

    it("rolls out another installer at the same Talos version (a system extension change) one node at a time, then has nothing left to do", async () => {
        stack = await startStack();
        const previous = `factory.talos.dev/installer/${"a".repeat(64)}:v1.13.9`;
        for (const node of stack.cluster.nodes.values()) node.config = withInstaller(node.config, previous).yaml;
        const first = await runRollout(stack.request({ talosVersion: "v1.13.9" }));
        assert.deepEqual(
            first.steps.map(describeStep),
            ["talos-cp-1", "talos-cp-2", "talos-cp-3", "talos-worker-1"].map(
                (n) => `${n}: Talos v1.13.9, installer -> ${installerFor("v1.13.9")}`,
            ),
        );
        assert.deepEqual(stack.cluster.rebootOrder(), ["talos-cp-1", "talos-cp-2", "talos-cp-3", "talos-worker-1"]);
        assert.equal(stack.cluster.maxDown, 1);
        // Each node's config now names what it runs, so a second run (or a resume) skips it.
        for (const node of stack.cluster.nodes.values()) assert.equal(configuredInstaller(node.config), installerFor("v1.13.9"));
        const again = await runRollout(stack.request({ talosVersion: "v1.13.9" }));
        assert.deepEqual(again.steps, []);
    });

    it("upgrades a node older than the lifecycle API through the deprecated MachineService.Upgrade, as talosctl falls back", async () => {
        const specs = stackSpecs(3, 1, "v1.13.9", "v1.36.4", 20);
        specs[3].talosVersion = "v1.12.6";
        stack = await startStack({ specs });
        // v1.12.6 -> v1.13.9 is one minor: the worker is the only node to move.
        await runRollout(stack.request({ talosVersion: "v1.13.9" }));
        assert.deepEqual(eventsOf(stack, "talos-worker-1"), [
            "cordon talos-worker-1",
            "evict default/web-talos-worker-1",
            `legacy-upgrade talos-worker-1 ${installerFor("v1.13.9")} preserve`,
            "reboot talos-worker-1",
            "down talos-worker-1",
            "up talos-worker-1 v1.13.9",
            "apply talos-worker-1",
            "uncordon talos-worker-1",
        ]);
    });

    it("restarts a node on request (a staged config), gated the same way, without an upgrade", async () => {
        stack = await startStack();
        const result = await runRollout(
            stack.request({ talosVersion: "v1.13.9" }, { restarts: { "talos-cp-2": "staged machine config" } }),
        );
        assert.deepEqual(result.steps, [{ kind: "restart", node: "talos-cp-2", reason: "staged machine config" }]);
        assert.deepEqual(eventsOf(stack, "talos-cp-2"), [
            "cordon talos-cp-2",
            "evict default/web-talos-cp-2",
            "reboot talos-cp-2",
            "down talos-cp-2",
            "up talos-cp-2 v1.13.9",
            "uncordon talos-cp-2",
        ]);
        assert.equal(stack.cluster.node("talos-cp-2").boots, 1);
    });

    it("restarts through the restart capability it is handed (a resize: the hypervisor), gated the same way", async () => {
        stack = await startStack();
        const asked: string[] = [];
        await runRollout(
            stack.request(
                { talosVersion: "v1.13.9" },
                {
                    restarts: { "talos-worker-1": "memoryMiB 8192 -> 12288" },
                    restartVia: {
                        async restart(node, reason) {
                            asked.push(`${node.name}: ${reason}`);
                            stack.cluster.reboot(node.name);
                        },
                    },
                },
            ),
        );
        assert.deepEqual(asked, ["talos-worker-1: memoryMiB 8192 -> 12288"]);
        assert.deepEqual(eventsOf(stack, "talos-worker-1"), [
            "cordon talos-worker-1",
            "evict default/web-talos-worker-1",
            "reboot talos-worker-1",
            "down talos-worker-1",
            "up talos-worker-1 v1.13.9",
            "uncordon talos-worker-1",
        ]);
        assert.ok(!stack.talos.calls.includes("talos-worker-1 MachineService.Reboot"), "no Talos reboot");
    });

    it("upgrades Kubernetes in upgrade-k8s order without a reboot: each apiserver, then controller-managers, schedulers, kubelets", async () => {
        stack = await startStack({ kubernetesVersion: "v1.35.9" });
        const result = await runRollout(stack.request({ talosVersion: "v1.13.9", kubernetesVersion: "v1.36.4" }));
        const cps = ["talos-cp-1", "talos-cp-2", "talos-cp-3"];
        assert.deepEqual(
            result.steps.map((s) => `${s.kind === "kubelet" ? "kubelet" : (s as { component: string }).component} ${s.node}`),
            [
                ...cps.map((n) => `kube-apiserver ${n}`),
                ...cps.map((n) => `kube-controller-manager ${n}`),
                ...cps.map((n) => `kube-scheduler ${n}`),
                ...[...cps, "talos-worker-1"].map((n) => `kubelet ${n}`),
            ],
        );
        assert.deepEqual(stack.cluster.rebootOrder(), []);
        for (const node of stack.cluster.nodes.values()) {
            assert.equal(node.kubeletVersion, "v1.36.4");
            for (const pod of Object.values(node.staticPods)) assert.match(pod.image, /:v1.36.4$/);
            assert.match(node.config, /kind: HostnameConfig\nhostname: talos-/, "the other documents are kept");
        }
        // A second run finds nothing to do.
        assert.deepEqual((await runRollout(stack.request({ talosVersion: "v1.13.9", kubernetesVersion: "v1.36.4" }))).steps, []);
    });

    it("refuses a Kubernetes version the target Talos does not support or that skips a minor, before touching anything", async () => {
        stack = await startStack({ kubernetesVersion: "v1.35.9" });
        await assert.rejects(
            runRollout(stack.request({ talosVersion: "v1.13.9", kubernetesVersion: "v1.37.0" })),
            (error: RolloutError) => {
                assert.match(
                    error.message,
                    /^rollout not started, nothing was changed: Talos v1.13.9 supports Kubernetes v1.31.0 to v1.36.x, not v1.37.0; talos-cp-1: kubelet v1.35.9 -> v1.37.0 skips a minor version; upgrade one minor at a time; /,
                );
                return true;
            },
        );
        assert.deepEqual(stack.cluster.events, []);
    });
});
