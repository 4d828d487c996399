import { strict as assert } from "assert";
import { applyIgnoreChanges, parsePropertyPath } from "../../tools/offline/ignore-changes";

// The offline engine must ignore exactly what the real engine ignores, or a preview test passes on a plan
// the real `pulumi preview` would show as a replacement.

describe("ignoreChanges as the engine applies it", () => {
    it("parses the engine's property paths", () => {
        assert.deepEqual(parsePropertyPath("disks[0].fileId"), ["disks", 0, "fileId"]);
        assert.deepEqual(parsePropertyPath('metadata.labels["app.kubernetes.io/name"]'), ["metadata", "labels", "app.kubernetes.io/name"]);
        assert.deepEqual(parsePropertyPath("disks[*].speed"), ["disks", "*", "speed"]);
        assert.deepEqual(parsePropertyPath("expectedNodes"), ["expectedNodes"]);
        assert.throws(() => parsePropertyPath(".disks"), /not a property path: \.disks/);
    });

    const old = { disks: [{ interface: "scsi0", fileId: "local:iso/talos-v1.13.9.img", size: 64 }], name: "talos-cp-1" };

    it("keeps the old file id when the disk is a known object whose file id is unknown", () => {
        const next = { disks: [{ interface: "scsi0", fileId: "<unknown>", size: 64 }], name: "talos-cp-1" };
        const result = applyIgnoreChanges(next, old, ["disks[0].fileId"]);
        assert.deepEqual(result, { inputs: old, notApplied: [] });
        assert.equal(next.disks[0].fileId, "<unknown>", "the new inputs are not mutated");
    });

    it("cannot ignore the file id when the whole disk is unknown: the unknown stays (pulumi/pulumi#17281)", () => {
        const next = { disks: ["<unknown>"], name: "talos-cp-1" };
        assert.deepEqual(applyIgnoreChanges(next, old, ["disks[0].fileId"]), { inputs: next, notApplied: ["disks[0].fileId"] });
    });

    it("cannot ignore a path into an element added or removed", () => {
        const grown = { disks: [...old.disks, { interface: "scsi1", fileId: "x", size: 1 }] };
        assert.deepEqual(applyIgnoreChanges(grown, old, ["disks[*].fileId"]).notApplied, ["disks[*].fileId"]);
        assert.deepEqual(applyIgnoreChanges({ disks: [] }, old, ["disks[0].fileId"]).notApplied, ["disks[0].fileId"]);
    });

    it("resets a whole top-level input, including one the new inputs lack or the old ones lack", () => {
        assert.deepEqual(applyIgnoreChanges({ expectedNodes: 5, host: "h" }, { expectedNodes: 4, host: "h" }, ["expectedNodes"]).inputs, {
            expectedNodes: 4,
            host: "h",
        });
        assert.deepEqual(applyIgnoreChanges({ host: "h" }, { expectedNodes: 4, host: "h" }, ["expectedNodes"]).inputs, {
            expectedNodes: 4,
            host: "h",
        });
        assert.deepEqual(applyIgnoreChanges({ expectedNodes: 5, host: "h" }, { host: "h" }, ["expectedNodes"]).inputs, { host: "h" });
    });

    it("leaves a path that exists on neither side alone, and applies the others", () => {
        const next = { disks: [{ interface: "scsi0", fileId: "<unknown>", size: 64 }], name: "talos-cp-1" };
        assert.deepEqual(applyIgnoreChanges(next, old, ["disks[0].speed", "disks[0].fileId"]), { inputs: old, notApplied: [] });
    });
});
