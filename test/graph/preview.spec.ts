import { strict as assert } from "assert";
import { Graph } from "../../tools/offline/graph";
import { previewSteps } from "../../tools/offline/preview-steps";
import { homeValues, previewStack, runStack } from "../harness/home";

// `pulumi preview --diff` must show what a change touches and nothing else. In a preview, what is being
// created has unknown outputs; anything downstream of them that is not ignored would show as changed too.

/** Existing resources the preview updates or replaces, as the engine and the providers decide. */
function touched(built: Graph, preview: Graph): string[] {
    return previewSteps(built.resources, preview.resources)
        .filter((s) => s.op === "update" || s.op === "replace")
        .map((s) => s.name);
}

describe("preview against the built stack", () => {
    let built: Graph;
    before(async () => {
        built = await runStack();
        assert.equal(built.run.error, undefined);
    });

    it("shows no change for an unchanged config", async () => {
        const preview = await previewStack(homeValues(), built);
        assert.equal(preview.run.error, undefined);
        assert.deepEqual(touched(built, preview), []);
        assert.equal(preview.resources.length, built.resources.length);
    });

    it("shows only the new worker's resources, and the rollouts' records, when a worker is added", async () => {
        const values = homeValues();
        values["homelab:nodes"].push({ name: "talos-worker-2", role: "worker", ip: "172.16.1.54", host: "pve4", vmId: 154 });
        const preview = await previewStack(values, built);
        assert.equal(preview.run.error, undefined);
        const created = preview.resources
            .filter((r) => !built.byUrn.has(r.urn))
            .map((r) => r.name)
            .sort();
        assert.deepEqual(created, [
            "home-talos-talos-worker-2",
            "home-talos-talos-worker-2-first-apply",
            "home-talos-talos-worker-2-node",
            "home-vms-talos-worker-2",
        ]);
        // The new node's unknowns must not ripple into the kubeconfig and every add-on; the rollouts record it.
        assert.deepEqual(touched(built, preview), ["home-talos-upgrade", "home-talos-rollout"]);
    });

    it("shows only the resized VM, and the rollout that restarts it, when one VM is resized", async () => {
        const values = homeValues();
        values["homelab:nodes"][1].memoryMiB = 16384;
        const preview = await previewStack(values, built);
        assert.deepEqual(touched(built, preview), ["home-vms-talos-cp-2", "home-talos-rollout"]);
    });

    it("shows only the new route when an app is added", async () => {
        const values = homeValues();
        values["homelab:apps"].push({
            name: "grafana",
            namespace: "monitoring",
            hostname: "grafana",
            gateway: "internal",
            service: { name: "grafana", port: 3000 },
        });
        const preview = await previewStack(values, built);
        assert.deepEqual(
            preview.resources.filter((r) => !built.byUrn.has(r.urn)).map((r) => r.name),
            ["home-apps-monitoring.grafana-route"],
        );
        assert.deepEqual(touched(built, preview), []);
    });
});
