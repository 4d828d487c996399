import { strict as assert } from "assert";
import { deleteCalls, DeletableRegistration } from "../../tools/offline/destroy-plan";

const secrets: DeletableRegistration = {
    urn: "urn:secrets",
    name: "home-talos-secrets",
    type: "talos:machine/secrets:Secrets",
    custom: true,
};
const apply = (name: string): DeletableRegistration => ({
    urn: `urn:${name}`,
    name,
    type: "talos:machine/configurationApply:ConfigurationApply",
    custom: true,
    deletedWith: "urn:secrets",
});
const vm: DeletableRegistration = {
    urn: "urn:vm",
    name: "home-vms-talos-worker-1",
    type: "proxmoxve:index/vmLegacy:VmLegacy",
    custom: true,
};

describe("which deletes reach a provider (deletedWith)", () => {
    const all = [secrets, apply("home-talos-talos-cp-1"), apply("home-talos-talos-worker-1"), vm];

    it("skips the resets when the secrets go too, and still deletes the rest", () => {
        assert.deepEqual(deleteCalls(all, new Set(all.map((r) => r.urn))), [
            { name: "home-talos-secrets", type: "talos:machine/secrets:Secrets", providerDelete: true },
            { name: "home-talos-talos-cp-1", type: "talos:machine/configurationApply:ConfigurationApply", providerDelete: false },
            { name: "home-talos-talos-worker-1", type: "talos:machine/configurationApply:ConfigurationApply", providerDelete: false },
            { name: "home-vms-talos-worker-1", type: "proxmoxve:index/vmLegacy:VmLegacy", providerDelete: true },
        ]);
    });

    it("resets a node removed alone", () => {
        assert.deepEqual(deleteCalls(all, new Set(["urn:home-talos-talos-worker-1", "urn:vm"])), [
            { name: "home-talos-talos-worker-1", type: "talos:machine/configurationApply:ConfigurationApply", providerDelete: true },
            { name: "home-vms-talos-worker-1", type: "proxmoxve:index/vmLegacy:VmLegacy", providerDelete: true },
        ]);
    });
});
