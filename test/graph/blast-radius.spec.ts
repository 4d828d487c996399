import { strict as assert } from "assert";
import { Graph } from "../../tools/offline/graph";
import { previewSteps } from "../../tools/offline/preview-steps";
import { homeValues, runStack } from "../harness/home";

// A config edit must touch only the resources it has to: compare every resource by URN, and the ones in
// both runs as the engine and their providers diff them (tools/offline/preview-steps.ts).

function diff(before: Graph, after: Graph) {
    const a = new Set(before.resources.map((r) => r.urn));
    const b = new Set(after.resources.map((r) => r.urn));
    const name = (urn: string) => urn.split("::").pop();
    return {
        added: [...b].filter((urn) => !a.has(urn)).map(name),
        removed: [...a].filter((urn) => !b.has(urn)).map(name),
        changed: previewSteps(before.resources, after.resources)
            .filter((s) => s.op === "update" || s.op === "replace")
            .map((s) => s.name),
    };
}

describe("blast radius", () => {
    let home: Graph;
    before(async () => {
        home = await runStack();
        assert.equal(home.run.error, undefined);
    });

    it("evaluates the same config to byte-identical inputs", async () => {
        const again = await runStack();
        assert.deepEqual(diff(home, again), { added: [], removed: [], changed: [] });
        const byUrn = (g: Graph) => JSON.stringify([...g.resources].sort((a, b) => a.urn.localeCompare(b.urn)));
        assert.equal(byUrn(again), byUrn(home));
    });

    it("adding a worker adds its resources and changes no existing resource but the two rollouts' node lists", async () => {
        const values = homeValues();
        values["homelab:nodes"].push({ name: "talos-worker-2", role: "worker", ip: "172.16.1.54", host: "pve4", vmId: 154 });
        const grown = await runStack(values);
        assert.equal(grown.run.error, undefined);
        const d = diff(home, grown);
        // The rollouts record the new order (an update that dials no node; a same step would keep the old one).
        assert.deepEqual(d.changed, ["home-talos-upgrade", "home-talos-rollout"]);
        for (const name of d.changed) {
            const [before, after] = [home.get("homelab:talos:TalosRollout", name!), grown.get("homelab:talos:TalosRollout", name!)];
            const changedKeys = Object.keys(after.inputs)
                .filter((k) => JSON.stringify(after.inputs[k]) !== JSON.stringify(before.inputs[k]))
                .sort();
            assert.deepEqual(
                changedKeys,
                name === "home-talos-rollout" ? ["nodes", "order", "proxmox", "restartTriggers"] : ["nodes", "order"],
                name,
            );
        }
        assert.deepEqual(d.removed, []);
        assert.deepEqual(d.added.sort(), [
            "home-talos-talos-worker-2",
            "home-talos-talos-worker-2-first-apply",
            "home-talos-talos-worker-2-node",
            "home-vms-talos-worker-2",
        ]);
    });

    it("a new image (another extension) re-images no running VM", async () => {
        const values = homeValues();
        values["homelab:talos"].extensions = ["siderolabs/qemu-guest-agent", "siderolabs/iscsi-tools"];
        const reimaged = await runStack(values);
        const d = diff(home, reimaged);
        assert.deepEqual(d.changed.filter((n) => n?.startsWith("home-talos-image")).sort(), [
            "home-talos-image-pve1",
            "home-talos-image-pve2",
            "home-talos-image-pve3",
            "home-talos-image-pve4",
            "home-talos-image-schematic",
        ]);
        for (const vm of reimaged.ofType("proxmoxve:index/vmLegacy:VmLegacy"))
            assert.deepEqual(vm.ignoreChanges, ["disks[0].fileId", "disks[0].speed"], vm.name);
        assert.deepEqual(
            d.changed.filter((n) => n?.startsWith("home-vms-")),
            [],
            "their disk input follows the image, and is ignored",
        );
    });

    it("resizing one VM changes that VM, and the rollout that restarts it, alone", async () => {
        const values = homeValues();
        values["homelab:nodes"][1].memoryMiB = 16384;
        values["homelab:nodes"][1].cores = 8;
        const resized = await runStack(values);
        assert.deepEqual(diff(home, resized), { added: [], removed: [], changed: ["home-vms-talos-cp-2", "home-talos-rollout"] });
    });
});
