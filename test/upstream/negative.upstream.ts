import { strict as assert } from "assert";
import { helmReleases, talosNodeConfigs } from "../../tools/upstream/inputs";
import { judgeTalos, renderCharts } from "../../tools/upstream/offline-judges";
import { runHome } from "./stacks";

// The judges can say no: one deliberately wrong input each, refused with upstream's own message. (The
// kube-apiserver's refusal of an immutable field is in kube.upstream.ts, on the applied home stack.) These
// are not counted in the tally, which is the program's.

describe("the upstream judges can refuse", function () {
    this.timeout(120_000);

    it("Talos refuses a wrong patch: a static hostname next to `auto: stable`", async () => {
        const configs = talosNodeConfigs(await runHome(), "home");
        const node = structuredClone(configs.find((c) => c.label.startsWith("home 172.16.1.50 "))!);
        node.patches = node.patches.map((p) => p.replace('auto: "off"', "auto: stable"));
        assert.ok(
            node.patches.some((p) => p.includes("auto: stable\n")),
            "the patch was not changed",
        );
        const [verdict] = judgeTalos([node], ["cloud"]);
        assert.deepEqual(verdict.errors, ["'auto' and 'hostname' cannot be set at the same time"]);
    });

    it("Helm refuses a wrong chart value: cert-manager's replicaCount as a string, against its values.schema.json", async () => {
        const releases = helmReleases(await runHome(), "home");
        const certManager = releases.find((r) => r.resource.name === "home-cert-manager-chart")!;
        certManager.values = { ...certManager.values, replicaCount: "two" };
        const rendering = renderCharts([certManager]).get(certManager.resource.urn)!;
        assert.equal(
            rendering.error,
            "values don't meet the specifications of the schema(s) in the following chart(s):\ncert-manager:\n- at '/replicaCount': got string, want number\n",
        );
        assert.deepEqual(rendering.objects, []);
    });
});
