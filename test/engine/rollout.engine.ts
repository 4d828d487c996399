import { strict as assert } from "assert";
import { startStack, TestStack } from "../talos/fakes/stack";
import { EngineStack, StateResource, stepLines } from "./cli";
import { configureRollout, engineTiming, powerOn, proxmoxApiToken, runningVersions } from "./talos-fakes";

// The two TalosRollouts (programs/rollout) under the real engine, against the fake apids and Kubernetes API.
// Each test is a sequence of real CLI commands; it asserts on the steps the engine reports, the state it
// exports and what the fake nodes went through.

const home = ["talos-cp-1", "talos-cp-2", "talos-cp-3", "talos-worker-1"];
const rollouts = /TalosRollout$/;
const orderOf = (state: StateResource) => state.outputs?.order as string[];

describe("TalosRollout under the real engine", function () {
    this.timeout(600_000);
    let fakes: TestStack | undefined;
    let engine: EngineStack | undefined;

    afterEach(async () => {
        await engine?.close();
        await fakes?.close();
        fakes?.cluster.stop();
        [engine, fakes] = [undefined, undefined];
    });

    it("creates both rollouts without dialing a node, and an unchanged preview plans nothing", async () => {
        fakes = await startStack({ controlPlanes: 3, workers: 1 });
        engine = await EngineStack.create("rollout");
        await configureRollout(engine, fakes, { nodes: home, talosVersion: "v1.13.9" });
        const up = await engine.up();
        assert.equal(up.code, 0, up.stdout + up.stderr);
        assert.deepEqual(stepLines(up.steps, { type: rollouts }), ["create rollout", "create upgrade"]);
        assert.deepEqual(fakes.talos.calls, []);
        assert.deepEqual(fakes.kube.requests, []);
        const preview = await engine.preview();
        assert.deepEqual(
            [stepLines(preview.steps, { type: rollouts }), preview.changeSummary],
            [[], { same: 3 }],
            "the stack and both rollouts: same",
        );
        assert.deepEqual(
            orderOf(await engine.resource("upgrade")),
            home.map((n) => `${n}: Talos v1.13.9, Kubernetes v1.36.4`),
        );
    });

    // The day-2 issue's sequences (issue 18): a node added in one `up` must be rolled by the next bump. Every
    // fact of the sequence is gathered first and compared at once, so a failure shows all that differs.
    const joins = [
        { node: "talos-worker-2", controlPlanes: 3, workers: 2, rolloutOrder: [...home, "talos-worker-2"] },
        {
            node: "talos-cp-4",
            controlPlanes: 4,
            workers: 1,
            rolloutOrder: ["talos-cp-1", "talos-cp-2", "talos-cp-3", "talos-cp-4", "talos-worker-1"],
        },
    ];
    for (const joining of joins) {
        it(`${joining.node} joins, then a Talos bump upgrades it too`, async () => {
            fakes = await startStack({ controlPlanes: joining.controlPlanes, workers: joining.workers });
            engine = await EngineStack.create("rollout");
            const all = [...home, joining.node];
            await configureRollout(engine, fakes, { nodes: home, talosVersion: "v1.13.9" });
            assert.equal((await engine.up()).code, 0);

            await configureRollout(engine, fakes, { nodes: all, talosVersion: "v1.13.9" });
            const joinPreview = await engine.preview();
            const join = await engine.up();
            const afterJoin = await engine.exportState();
            const callsOnJoin = [...fakes.talos.calls];

            await configureRollout(engine, fakes, { nodes: all, talosVersion: "v1.14.0" });
            const bumpPreview = await engine.preview();
            const bump = await engine.up();
            const outcome = {
                joinPreview: { steps: stepLines(joinPreview.steps, { type: rollouts }), summary: joinPreview.changeSummary },
                joinUp: { code: join.code, steps: stepLines(join.steps, { type: rollouts, withSame: true }) },
                nodesDialedOnJoin: callsOnJoin,
                upgradeOrderAfterJoin: orderOf(afterJoin.resources.find((r) => r.urn.endsWith("::upgrade"))!),
                bumpPreview: stepLines(bumpPreview.steps, { type: rollouts }),
                bumpUp: { code: bump.code, failed: bump.failed },
                running: runningVersions(fakes),
            };
            assert.deepEqual(
                outcome,
                {
                    joinPreview: { steps: ["update rollout", "update upgrade"], summary: { same: 1, update: 2 } },
                    joinUp: { code: 0, steps: ["update rollout", "update upgrade"] },
                    nodesDialedOnJoin: [],
                    upgradeOrderAfterJoin: joining.rolloutOrder.map((n) => `${n}: Talos v1.13.9, Kubernetes v1.36.4`),
                    bumpPreview: ["update rollout", "update upgrade"],
                    bumpUp: { code: 0, failed: [] },
                    running: Object.fromEntries(all.map((n) => [n, "v1.14.0"])),
                },
                bump.stdout + bump.stderr,
            );
        });
    }

    it("stops half way on a node that never comes back, records what landed, and the next up resumes", async () => {
        fakes = await startStack({ controlPlanes: 3, workers: 1, faults: { neverBack: ["talos-cp-2"] } });
        engine = await EngineStack.create("rollout");
        await configureRollout(engine, fakes, { nodes: home, talosVersion: "v1.13.9" });
        assert.equal((await engine.up()).code, 0);

        await configureRollout(engine, fakes, { nodes: home, talosVersion: "v1.14.0", timing: { ...engineTiming, rebootTimeoutMs: 6000 } });
        const failed = await engine.up();
        assert.notEqual(failed.code, 0);
        assert.deepEqual(failed.failed, ["upgrade"]);
        const error = failed.diagnostics.find((d) => d.name === "upgrade" && d.severity === "error");
        assert.match(
            error?.message ?? "",
            /rollout stopped at talos-cp-2: Talos v1.13\.9 -> v1\.14\.0: talos-cp-2: /,
            JSON.stringify(failed.diagnostics),
        );
        assert.deepEqual(fakes.cluster.rebootOrder(), ["talos-cp-1", "talos-cp-2"]);

        // ErrorResourceInitFailed: the engine keeps the properties the provider sent with the error.
        const partial = await engine.resource("upgrade");
        assert.deepEqual(
            orderOf(partial),
            home.map((n) => `${n}: Talos v1.13.9, Kubernetes v1.36.4`),
            "the old order, so the next run sees the change",
        );
        assert.deepEqual(partial.outputs?.landed, {
            "talos-cp-1": { talosVersion: "v1.14.0", kubeletVersion: "v1.36.4" },
            "talos-cp-2": { talosVersion: "v1.13.9", kubeletVersion: "v1.36.4" },
            "talos-cp-3": { talosVersion: "v1.13.9", kubeletVersion: "v1.36.4" },
            "talos-worker-1": { talosVersion: "v1.13.9", kubeletVersion: "v1.36.4" },
        });
        assert.match((partial.initErrors ?? []).join("\n"), /rollout stopped at talos-cp-2/);
        assert.deepEqual(stepLines((await engine.preview()).steps, { type: rollouts }), ["update rollout", "update upgrade"]);

        powerOn(fakes, "talos-cp-2");
        const resumed = await engine.up();
        assert.equal(resumed.code, 0, resumed.stdout + resumed.stderr);
        assert.deepEqual(
            fakes.cluster.rebootOrder(),
            ["talos-cp-1", "talos-cp-2", "talos-cp-3", "talos-worker-1"],
            "cp-1 and cp-2 are not rolled again",
        );
        assert.deepEqual(runningVersions(fakes), Object.fromEntries(home.map((n) => [n, "v1.14.0"])));
        const done = await engine.resource("upgrade");
        assert.deepEqual(
            orderOf(done),
            home.map((n) => `${n}: Talos v1.14.0, Kubernetes v1.36.4`),
        );
        assert.equal(done.initErrors, undefined);
        assert.deepEqual((await engine.preview()).changeSummary, { same: 3 });
    });

    it("keeps the Talos client key, the Kubernetes client key and the Proxmox token out of the state in plain text", async () => {
        fakes = await startStack({ controlPlanes: 3, workers: 1 });
        engine = await EngineStack.create("rollout");
        await configureRollout(engine, fakes, { nodes: home, talosVersion: "v1.13.9" });
        const up = await engine.up();
        assert.equal(up.code, 0);
        const { text } = await engine.exportState();
        const keyPem = Buffer.from(fakes.pki.clientConfiguration.clientKey, "base64").toString("utf8");
        for (const secret of [fakes.pki.clientConfiguration.clientKey, keyPem.split("\n")[1], proxmoxApiToken]) {
            assert.ok(!text.includes(secret), `stack export holds ${secret.slice(0, 12)}... in plain text`);
            assert.ok(!(up.stdout + up.stderr).includes(secret));
        }
        // The state's secret envelope (sdk/go/common/resource/sig/sig.go: Key, Secret): the value is only in its ciphertext.
        const secret = (value: unknown) =>
            (value as Record<string, unknown>)["4dabf18193072939515e22adb298388d"] === "1b47061264138c4ac30d75fd1eb44270";
        const inputs = (await engine.resource("rollout")).inputs as {
            talos: unknown;
            kubernetes: { clientKey: unknown };
            proxmox: { access: { apiToken: unknown; endpoint: unknown } };
        };
        assert.deepEqual(
            [inputs.talos, inputs.kubernetes.clientKey, inputs.proxmox.access.apiToken, inputs.proxmox.access.endpoint].map(secret),
            [true, true, true, false],
        );
    });
});
