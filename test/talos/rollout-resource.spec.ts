import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { rolloutPlainInputs } from "../../components/talos/rollout/inputs";
import { talosRolloutInputs, TalosRolloutInputs } from "../../components/talos/rollout/resource";
import { talosRollout } from "../../provider/talos-rollout";
import { called } from "../provider/handler-harness";
import { fastTiming, installerFor, startStack, TestStack } from "./fakes/stack";

const home = [
    { name: "talos-worker-1", role: "worker" as const, ip: "172.16.1.53" },
    { name: "talos-cp-1", role: "controlplane" as const, ip: "172.16.1.50" },
    { name: "talos-cp-2", role: "controlplane" as const, ip: "172.16.1.51" },
    { name: "talos-cp-3", role: "controlplane" as const, ip: "172.16.1.52" },
];
const target = (talosVersion: string, kubernetesVersion = "v1.36.4") => ({
    talosVersion,
    installerImage: installerFor(talosVersion),
    kubernetesVersion,
});

describe("TalosRollout resource", function () {
    this.timeout(20000);

    it("builds its inputs from plain values: control planes first, apid endpoints, one preview line per node", () => {
        const inputs = rolloutPlainInputs(home, target("v1.14.0", "v1.37.0"), { "talos-cp-2": "memoryMiB 8192 -> 12288" });
        assert.deepEqual(
            inputs.nodes.map((n) => `${n.name} ${n.role} ${n.endpoint}`),
            [
                "talos-cp-1 controlplane 172.16.1.50:50000",
                "talos-cp-2 controlplane 172.16.1.51:50000",
                "talos-cp-3 controlplane 172.16.1.52:50000",
                "talos-worker-1 worker 172.16.1.53:50000",
            ],
        );
        assert.deepEqual(inputs.order, [
            "talos-cp-1: Talos v1.14.0, Kubernetes v1.37.0",
            "talos-cp-2: Talos v1.14.0, Kubernetes v1.37.0, restart: memoryMiB 8192 -> 12288",
            "talos-cp-3: Talos v1.14.0, Kubernetes v1.37.0",
            "talos-worker-1: Talos v1.14.0, Kubernetes v1.37.0",
        ]);
    });

    it("marks the client configuration and the Kubernetes client key secret, and nothing else", async () => {
        const inputs = talosRolloutInputs({
            plan: rolloutPlainInputs(home, target("v1.13.9")),
            talos: { caCertificate: "Y2E=", clientCertificate: "Y2VydA==", clientKey: "a2V5" },
            kubernetes: { host: "https://172.16.1.49:6443", caCertificate: "Y2E=", clientCertificate: "Y2VydA==", clientKey: "a2V5" },
            timing: fastTiming,
        });
        assert.equal(await pulumi.isSecret(inputs.talos), true);
        assert.equal(await pulumi.isSecret(pulumi.output(inputs.kubernetes!.clientKey)), true);
        assert.equal(await pulumi.isSecret(pulumi.output(inputs.kubernetes!.host)), false);
        const throughTalos = talosRolloutInputs({
            plan: rolloutPlainInputs(home, target("v1.13.9")),
            talos: { caCertificate: "Y2E=", clientCertificate: "Y2VydA==", clientKey: "a2V5" },
            timing: fastTiming,
        });
        assert.ok(!("kubernetes" in throughTalos), "no access given: the rollout reads it through Talos");
    });

    describe("provider", () => {
        let stack: TestStack;
        afterEach(async () => stack && (await stack.close()));

        const talosRolloutProvider = called(talosRollout);

        const inputsFor = (s: TestStack, t: ReturnType<typeof target>): TalosRolloutInputs => {
            const request = s.request(t);
            const plain = rolloutPlainInputs(
                request.nodes.map((n) => ({ name: n.name, role: n.role, ip: "127.0.0.1" })),
                t,
            );
            return { ...plain, nodes: request.nodes, talos: request.talos, kubernetes: request.kubernetes, timing: request.timing };
        };

        it("creates without dialing a node; shows a version change as a change and never a replacement", async () => {
            stack = await startStack();
            const news = inputsFor(stack, target("v1.13.9"));
            const created = await talosRolloutProvider.create(news);
            assert.equal(created.id, "talos-rollout");
            assert.deepEqual(stack.talos.calls, []);
            assert.ok(!JSON.stringify(created.outs).includes(stack.pki.clientConfiguration.clientKey), "no secret in the outputs");
            assert.deepEqual(await talosRolloutProvider.diff("talos-rollout", created.outs, inputsFor(stack, target("v1.14.0"))), {
                changes: true,
                replaces: [],
            });
            const rotated = { ...news, talos: { ...news.talos, clientKey: "cm90YXRlZA==" } };
            assert.deepEqual(
                await talosRolloutProvider.diff("talos-rollout", created.outs, rotated),
                { changes: false, replaces: [] },
                "new credentials alone start no rollout",
            );
            const joined = { ...news, order: [...news.order, "talos-worker-2: Talos v1.13.9, Kubernetes v1.36.4"] };
            assert.deepEqual(
                await talosRolloutProvider.diff("talos-rollout", created.outs, joined),
                { changes: true, replaces: [] },
                "a node joining is recorded: a same step would keep the old order",
            );
            const restart = { ...news, restarts: { "talos-cp-2": "memoryMiB 8192 -> 12288" } };
            assert.deepEqual(await talosRolloutProvider.diff("talos-rollout", created.outs, restart), { changes: true, replaces: [] });
            const extension = {
                ...news,
                target: { ...news.target, installerImage: `factory.talos.dev/installer/${"b".repeat(64)}:v1.13.9` },
            };
            assert.deepEqual(
                await talosRolloutProvider.diff("talos-rollout", created.outs, extension),
                { changes: true, replaces: [] },
                "another installer at the same version",
            );
        });

        it("runs the rollout on update", async () => {
            stack = await startStack();
            const olds = (await talosRolloutProvider.create(inputsFor(stack, target("v1.13.9")))).outs;
            const updated = await talosRolloutProvider.update("talos-rollout", olds, inputsFor(stack, target("v1.14.0")));
            assert.deepEqual(updated.outs.landed["talos-cp-3"], { talosVersion: "v1.14.0", kubeletVersion: "v1.36.4" });
            assert.deepEqual(stack.cluster.rebootOrder(), ["talos-cp-1", "talos-cp-2", "talos-cp-3", "talos-worker-1"]);
        });

        it("updates with no Kubernetes access input, reading the kubeconfig through Talos, and keeps it out of the outputs", async () => {
            stack = await startStack();
            const withoutAccess = (t: ReturnType<typeof target>): TalosRolloutInputs => ({ ...inputsFor(stack, t), kubernetes: undefined });
            const olds = (await talosRolloutProvider.create(withoutAccess(target("v1.13.9")))).outs;
            const news = withoutAccess(target("v1.14.0"));
            const updated = await talosRolloutProvider.update("talos-rollout", olds, news);
            assert.deepEqual(stack.cluster.rebootOrder(), ["talos-cp-1", "talos-cp-2", "talos-cp-3", "talos-worker-1"]);
            assert.deepEqual(
                stack.talos.calls.filter((c) => c.endsWith("Kubeconfig")),
                ["talos-cp-1 MachineService.Kubeconfig"],
            );
            assert.ok(!("kubernetes" in updated.outs!), "no access in the outputs");
            assert.ok(!JSON.stringify(updated.outs).includes(stack.pki.clientConfiguration.clientKey));
        });

        it("says where the rollout stopped", async () => {
            stack = await startStack({ faults: { installExitCode: { "talos-cp-2": 2 } } });
            const olds = (await talosRolloutProvider.create(inputsFor(stack, target("v1.13.9")))).outs;
            await assert.rejects(
                talosRolloutProvider.update("talos-rollout", olds, inputsFor(stack, target("v1.14.0"))),
                /^Error: rollout stopped at talos-cp-2: Talos v1.13.9 -> v1.14.0: talos-cp-2: install: exit code 2/,
            );
        });

        it("records how far a failed update got, under the old order, without secrets", async () => {
            stack = await startStack({ faults: { installExitCode: { "talos-cp-3": 2 } } });
            const olds = (await talosRolloutProvider.create(inputsFor(stack, target("v1.13.9")))).outs;
            const news = inputsFor(stack, target("v1.14.0"));
            await assert.rejects(
                talosRolloutProvider.update("talos-rollout", olds, news),
                (error: Error & { id: string; properties: Record<string, unknown>; reasons: string[] }) => {
                    assert.equal(error.id, "talos-rollout");
                    assert.deepEqual(error.properties.order, olds.order);
                    assert.deepEqual(error.properties.landed, {
                        "talos-cp-1": { talosVersion: "v1.14.0", kubeletVersion: "v1.36.4" },
                        "talos-cp-2": { talosVersion: "v1.14.0", kubeletVersion: "v1.36.4" },
                        "talos-cp-3": { talosVersion: "v1.13.9", kubeletVersion: "v1.36.4" },
                        "talos-worker-1": { talosVersion: "v1.13.9", kubeletVersion: "v1.36.4" },
                    });
                    assert.match(
                        error.reasons[0],
                        /^rollout stopped at talos-cp-3: Talos v1.13.9 -> v1.14.0: talos-cp-3: install: exit code 2/,
                    );
                    assert.ok(!JSON.stringify(error.properties).includes(stack.pki.clientConfiguration.clientKey));
                    return true;
                },
            );
            // The next run sees the change again (the old order is what the state holds).
            assert.equal((await talosRolloutProvider.diff("talos-rollout", olds, news)).changes, true);
        });
    });
});
