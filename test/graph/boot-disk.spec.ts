import { strict as assert } from "assert";
import { evaluate } from "../../tools/offline/engine";
import { previewSteps } from "../../tools/offline/preview-steps";

// Issue 12 item 1, as the engine sees it: a new image makes the file id unknown in a preview. Built inside
// an `apply`, the whole disk is unknown, `disks[0].fileId` cannot be ignored, and the VM is replaced;
// built as a plain object, only the ignored file id is unknown and the VM stays.

const program = require.resolve("../harness/fixtures/boot-disk.ts");
const config = (disk: string, version: string) => ({
    "fixture:disk": disk,
    "fixture:url": `https://factory.talos.dev/image/abc/${version}/nocloud-amd64.raw.gz`,
    "fixture:fileName": `talos-abc-${version}-nocloud-amd64.img`,
});

async function previewNewImage(disk: string) {
    const built = await evaluate(config(disk, "v1.13.9"), [], { program });
    assert.equal(built.error, undefined);
    const preview = await evaluate(config(disk, "v1.14.0"), [], { program, previewAgainst: built.resources });
    assert.equal(preview.error, undefined);
    return Object.fromEntries(previewSteps(built.resources, preview.resources).map((s) => [s.name, s.op]));
}

describe("a new boot image in a preview (ignoreChanges on disks[0].fileId)", () => {
    it("replaces the VM when its disk is built inside an apply", async () => {
        assert.deepEqual(await previewNewImage("apply"), { image: "replace", vm: "replace" });
    });

    it("keeps the VM when the disk is a plain object whose file id alone is unknown", async () => {
        assert.deepEqual(await previewNewImage("plain"), { image: "replace", vm: "same" });
    });
});
