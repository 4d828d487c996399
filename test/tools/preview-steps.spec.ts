import { strict as assert } from "assert";
import { diffResource, previewSteps, PreviewRegistration, summarize } from "../../tools/offline/preview-steps";

// The preview's verdict per resource, from two recorded runs: the rules, on small hand-made registrations.

const vm = (inputs: Record<string, unknown>, extra: Partial<PreviewRegistration> = {}): PreviewRegistration => ({
    urn: "urn:pulumi:home::homelab::proxmoxve:index/vmLegacy:VmLegacy::home-vms-talos-cp-1",
    type: "proxmoxve:index/vmLegacy:VmLegacy",
    name: "home-vms-talos-cp-1",
    custom: true,
    inputs,
    ignoreChanges: ["disks[0].fileId", "disks[0].speed"],
    replaceOnChanges: [],
    ...extra,
});
const disk = (fileId: string) => ({ interface: "scsi0", fileId, size: 64 });

describe("a preview's step per resource", () => {
    it("sees no change when only an ignored nested input differs", () => {
        assert.deepEqual(
            diffResource(
                vm({ disks: [disk("local:iso/a.img")], cpu: { cores: 4 } }),
                vm({ disks: [disk("<unknown>")], cpu: { cores: 4 } }),
            ),
            { op: "same", changed: [] },
        );
    });

    it("plans a replacement when the whole disk is unknown, as the engine does (issue 12 item 1)", () => {
        assert.deepEqual(diffResource(vm({ disks: [disk("local:iso/a.img")] }), vm({ disks: ["<unknown>"] })), {
            op: "replace",
            changed: ["disks[*].fileId"],
        });
    });

    it("plans an update for a change no replacing input carries", () => {
        assert.deepEqual(diffResource(vm({ disks: [disk("a")], cpu: { cores: 4 } }), vm({ disks: [disk("a")], cpu: { cores: 8 } })), {
            op: "update",
            changed: ["cpu"],
        });
    });

    it("plans a replacement for a new vmId, and for replaceOnChanges", () => {
        assert.deepEqual(diffResource(vm({ vmId: 150 }), vm({ vmId: 160 })), { op: "replace", changed: ["vmId"] });
        const schematic = (s: string): PreviewRegistration => ({
            urn: "u",
            type: "talos:imageFactory/schematic:Schematic",
            name: "s",
            custom: true,
            inputs: { schematic: s },
            ignoreChanges: [],
            replaceOnChanges: ["schematic"],
        });
        assert.deepEqual(diffResource(schematic("a"), schematic("b")), { op: "replace", changed: ["schematic"] });
    });

    it("treats an unknown input as a change, updating or replacing by the input", () => {
        const file = (url: string): PreviewRegistration => ({
            urn: "f",
            type: "proxmoxve:download/file:File",
            name: "f",
            custom: true,
            inputs: { url, uploadTimeout: 1800 },
            ignoreChanges: [],
            replaceOnChanges: [],
        });
        assert.equal(diffResource(file("https://a"), file("<unknown>")).op, "replace");
        const apply = (config: string): PreviewRegistration => ({
            urn: "c",
            type: "talos:machine/configurationApply:ConfigurationApply",
            name: "c",
            custom: true,
            inputs: { machineConfigurationInput: config, node: "172.16.1.50" },
            ignoreChanges: [],
            replaceOnChanges: [],
        });
        assert.deepEqual(diffResource(apply("x"), apply("<unknown>")), { op: "update", changed: ["machineConfigurationInput"] });
    });

    it("follows our provider's diff: only the inputs it compares", () => {
        const rollout = (order: string[], timing: number, code: string): PreviewRegistration => ({
            urn: "r",
            type: "homelab:talos:TalosRollout",
            name: "r",
            custom: true,
            inputs: { nodes: [], restarts: {}, order, timing, credentials: code },
            ignoreChanges: [],
            replaceOnChanges: [],
        });
        assert.deepEqual(diffResource(rollout(["a: Talos v1.13.9"], 1, "x"), rollout(["a: Talos v1.13.9"], 2, "y")), {
            op: "same",
            changed: [],
        });
        assert.deepEqual(diffResource(rollout(["a: Talos v1.13.9"], 1, "x"), rollout(["a: Talos v1.14.0"], 1, "x")), {
            op: "update",
            changed: ["order"],
        });
        // A node joining is recorded (an update that dials no node): a same step would keep the old order.
        assert.deepEqual(
            diffResource(rollout(["a: Talos v1.13.9"], 1, "x"), rollout(["a: Talos v1.13.9", "b: Talos v1.13.9"], 1, "x")),
            { op: "update", changed: ["order"] },
            "a node joining is recorded",
        );
    });

    it("replaces what is replaced with a replaced resource, creates the new and deletes the gone", () => {
        const applyOf = (urn: string, name: string): PreviewRegistration => ({
            urn,
            type: "talos:machine/configurationApply:ConfigurationApply",
            name,
            custom: true,
            inputs: { node: "x" },
            ignoreChanges: [],
            replaceOnChanges: [],
            replaceWith: [vm({}).urn],
        });
        const built = [vm({ vmId: 150 }), applyOf("a1", "home-talos-talos-cp-1"), applyOf("gone", "home-talos-talos-worker-9")];
        const preview = [vm({ vmId: 151 }), applyOf("a1", "home-talos-talos-cp-1"), applyOf("new", "home-talos-talos-worker-2")];
        const steps = previewSteps(built, preview);
        assert.deepEqual(
            steps.find((s) => s.urn === "a1"),
            {
                urn: "a1",
                name: "home-talos-talos-cp-1",
                type: "talos:machine/configurationApply:ConfigurationApply",
                op: "replace",
                changed: ["replaceWith home-vms-talos-cp-1"],
            },
        );
        assert.deepEqual(summarize(steps), {
            create: ["home-talos-talos-worker-2"],
            update: [],
            replace: ["home-talos-talos-cp-1", "home-vms-talos-cp-1"],
            delete: ["home-talos-talos-worker-9"],
        });
    });
});
