import { strict as assert } from "assert";
import { RecordedRun } from "../../tools/offline/record";
import { talosNodeConfigs } from "../../tools/upstream/inputs";
import { judgeTalos, TalosMode } from "../../tools/upstream/offline-judges";
import { record } from "./tally";
import { runBench, runHome, runVariant, variants } from "./stacks";

// Talos' own config code (machinery v1.13.9) builds every node's machine config as the provider does and
// validates it. A Proxmox VM booted from the image factory's nocloud image runs the nocloud platform, whose
// runtime mode is `cloud` (internal/app/machined/pkg/runtime/v1alpha1/platform/nocloud/nocloud.go: Mode()
// returns runtime.ModeCloud); `metal` is judged too, since it is stricter (it alone requires an install).

const modes: readonly TalosMode[] = ["cloud", "metal"];

function judge(stack: string, run: RecordedRun): string[] {
    const configs = talosNodeConfigs(run, stack);
    const verdicts = judgeTalos(configs, modes);
    // Every node, once per mode: a node the judge skipped would pass unseen.
    assert.equal(verdicts.length, configs.length * modes.length, `${stack}: ${configs.length} configs, ${verdicts.length} verdicts`);
    assert.deepEqual(new Set(verdicts.map((v) => v.label)), new Set(configs.map((c) => c.label)));
    return verdicts.flatMap((v) => {
        const j = record({
            judge: "talos",
            subject: `${v.label} as ${v.mode}`,
            refusal: v.errors.join("\n") || undefined,
            warnings: v.warnings,
        });
        return j.refusal ? [`${v.label} as ${v.mode}: ${j.refusal}`] : [];
    });
}

describe("Talos' validator on every node's machine config", function () {
    this.timeout(300_000);

    it("home: every node, in cloud (nocloud) and metal mode", async () => {
        const run = await runHome();
        assert.equal(talosNodeConfigs(run, "home").length, 4);
        assert.deepEqual(judge("home", run), []);
    });

    it("the 3 + 60 bench stack", async () => {
        const run = await runBench();
        assert.equal(talosNodeConfigs(run, "bench").length, 63);
        assert.deepEqual(judge("bench", run), []);
    });

    for (const variant of variants) {
        it(`day 2: ${variant.title}`, async () => {
            assert.deepEqual(judge(variant.title, await runVariant(variant)), []);
        });
    }
});
