import { strict as assert } from "assert";
import { resizeProblems } from "../../components/proxmox/plan/talos-vms";
import { formatProblem } from "../../components/config";
import { Graph } from "../../tools/offline/graph";
import { checkFailures, previewSteps } from "../../tools/offline/preview-steps";
import { homeValues, previewStack, runStack } from "../harness/home";

// A disk resize together with a CPU or memory change would fail the VM's update (the VMs never restart on an
// update, and bpg's provider refuses to resize the disk of a VM that waits for one). The preview refuses it,
// naming the node and the way through; each resize alone goes through.

const refusal =
    "home-talos-rollout: restartTriggers: homelab:nodes: talos-cp-2 resizes its disk (64 -> 128 GiB) together with its cores or memory (4 cores, 8192 MiB -> 8 cores, 16384 MiB); Proxmox cannot resize the disk of a VM whose CPU or memory change waits for a restart, and no VM update restarts its VM. Fix: resize the disk in its own run: keep talos-cp-2's diskGiB at 64 and run `pulumi up` (the rollout restarts it with the new cores and memory), then set diskGiB to 128 and run `pulumi up` again.";

describe("resizing a VM, previewed against the built home stack", () => {
    let built: Graph;
    before(async () => {
        built = await runStack();
        assert.equal(built.run.error, undefined);
    });

    const preview = async (edit: Record<string, number>) => {
        const values = homeValues();
        Object.assign(values["homelab:nodes"][1], edit);
        const graph = await previewStack(values, built);
        assert.equal(graph.run.error, undefined);
        const touched = previewSteps(built.resources, graph.resources)
            .filter((s) => s.op !== "same")
            .map((s) => `${s.op} ${s.name}`);
        return { failures: await checkFailures(built.resources, graph.resources), touched };
    };

    it("refuses the disk and the cores or memory in one run, naming the node and the fix", async () => {
        assert.deepEqual((await preview({ diskGiB: 128, cores: 8, memoryMiB: 16384 })).failures, [refusal]);
    });

    it("resizes the disk alone live: the VM's update, no restart", async () => {
        assert.deepEqual(await preview({ diskGiB: 128 }), { failures: [], touched: ["update home-vms-talos-cp-2"] });
    });

    it("changes cores and memory alone: the VM's update, and the rollout that restarts it", async () => {
        assert.deepEqual(await preview({ cores: 8, memoryMiB: 16384 }), {
            failures: [],
            touched: ["update home-vms-talos-cp-2", "update home-talos-rollout"],
        });
    });

    it("judges only nodes the record knows with a disk size (a state written before the rule has none)", () => {
        const before = { "talos-cp-2": { hardware: "4 cores, 8192 MiB" } };
        assert.deepEqual(resizeProblems(before, { "talos-cp-2": { hardware: "8 cores, 8192 MiB", diskGiB: 128 } }), []);
        assert.deepEqual(resizeProblems({}, { "talos-worker-2": { hardware: "8 cores, 8192 MiB", diskGiB: 128 } }), []);
        assert.deepEqual(
            resizeProblems(
                { a: { hardware: "4 cores, 8192 MiB", diskGiB: 64 } },
                { a: { hardware: "4 cores, 8192 MiB", diskGiB: 96 } },
            ).map(formatProblem),
            [],
        );
    });
});
