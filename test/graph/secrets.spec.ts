import { strict as assert } from "assert";
import { runStack } from "../harness/home";

describe("secrets", () => {
    it("never lets a secret value (config secret or provider-generated) appear outside a secret", async () => {
        const graph = await runStack();
        assert.equal(graph.run.error, undefined);
        assert.deepEqual(graph.leaks("CANARY"), []);
    });

    it("detects a leak when a secret is passed in plain text (the check can fail)", async () => {
        const graph = await runStack();
        const provider = graph.ofType("pulumi:providers:proxmoxve")[0];
        const tampered = { ...graph.run, resources: [{ ...provider, secretPaths: [] }] };
        const leaks = new (graph.constructor as typeof import("../../tools/offline/graph").Graph)(tampered).leaks("CANARY");
        assert.ok(leaks.some((l) => l.endsWith("/apiToken")), leaks.join("\n"));
    });
});
