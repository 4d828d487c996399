import { strict as assert } from "assert";
import { makePki } from "../talos/fakes/certs";
import { EngineStack, stepLines } from "./cli";
import { FakeApiServer, startFakeApiServer } from "./fake-apiserver";

// The API-ready and nodes-ready gates (programs/gates) under the real engine: each waits once, when it is created;
// later previews, ups and refreshes never dial the API again, and a new node count changes nothing.

const gates = /Ready$/;
const home = { "talos-cp-1": true, "talos-cp-2": true, "talos-cp-3": true, "talos-worker-1": true };

describe("Kubernetes readiness gates under the real engine", function () {
    this.timeout(600_000);
    let api: FakeApiServer;
    let engine: EngineStack | undefined;
    const pki = makePki();

    beforeEach(async () => {
        api = await startFakeApiServer(pki);
        api.nodes = [home];
        engine = await EngineStack.create("gates");
        const { caCertificate, clientCertificate, clientKey } = pki.clientConfiguration;
        await engine.setConfig({ access: { host: api.host, caCertificate, clientCertificate }, expectedNodes: "4" });
        await engine.setConfig({ clientKey }, { secret: true });
    });
    afterEach(async () => {
        await engine?.close();
        await api?.close();
        engine = undefined;
    });

    it("waits once when created, until /readyz answers 200 and every node is Ready; then dials nothing again", async () => {
        api.readyz = [503, 200];
        api.nodes = [{ ...home, "talos-worker-1": false }, home];
        const created = await engine!.up();
        assert.equal(created.code, 0, created.stdout + created.stderr);
        assert.deepEqual(stepLines(created.steps, { type: gates }), ["create api-ready", "create nodes-ready"]);
        assert.deepEqual(api.requests, ["GET /readyz", "GET /readyz", "GET /api/v1/nodes", "GET /api/v1/nodes"]);

        api.requests.length = 0;
        const preview = await engine!.preview();
        assert.deepEqual(
            [stepLines(preview.steps, { type: gates, withSame: true }), preview.changeSummary],
            [[], { same: 3 }],
            "the stack and both gates",
        );
        const again = await engine!.up();
        assert.equal(again.code, 0);
        assert.deepEqual(stepLines(again.steps, { type: gates, withSame: true }), ["same api-ready", "same nodes-ready"]);
        const refreshed = await engine!.refresh();
        assert.equal(refreshed.code, 0);
        await engine!.setConfig({ expectedNodes: "5" });
        assert.deepEqual(
            stepLines((await engine!.preview()).steps, { type: gates }),
            [],
            "a node added later is not waited for (ignoreChanges)",
        );
        assert.deepEqual(api.requests, []);
    });

    it("fails the up naming the API and its last answer when the nodes never turn Ready, and creates the gate on the next up", async () => {
        api.nodes = [{ ...home, "talos-cp-2": false }];
        await engine!.setConfig({ timeoutSeconds: "6" });
        const failed = await engine!.up();
        assert.notEqual(failed.code, 0);
        assert.deepEqual(failed.failed, ["nodes-ready"]);
        assert.match(
            failed.stdout,
            new RegExp(
                `the Kubernetes nodes at ${api.host.replace(/\./g, "\\.")}: not within 6 s \\(last answer: not Ready: talos-cp-2\\)`,
            ),
        );
        const state = await engine!.exportState();
        assert.deepEqual(
            state.resources.filter((r) => gates.test(r.type)).map((r) => r.urn.slice(r.urn.lastIndexOf("::") + 2)),
            ["api-ready"],
            "a failed create leaves nothing in the state",
        );

        api.nodes = [home];
        api.requests.length = 0;
        const resumed = await engine!.up();
        assert.equal(resumed.code, 0);
        assert.deepEqual(stepLines(resumed.steps, { type: gates }), ["create nodes-ready"]);
        assert.deepEqual(api.requests, ["GET /api/v1/nodes"], "the API gate is not asked again");
    });

    it("keeps the client key out of the state in plain text", async () => {
        assert.equal((await engine!.up()).code, 0);
        const { text } = await engine!.exportState();
        const { clientKey } = pki.clientConfiguration;
        for (const form of [clientKey, Buffer.from(clientKey, "base64").toString("utf8").split("\n")[1]])
            assert.ok(!text.includes(form), "the client key in plain text");
    });
});
