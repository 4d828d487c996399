import { strict as assert } from "assert";
import { vmAddressInNodeNetwork as policy } from "../../policy/policies/vm-address-in-node-network";
import { checkResource, edit, violations } from "./harness";
import { vm } from "./fixtures";

const withAddress = (address: string) => edit(vm, (p) => (p.initialization.ipConfigs[0].ipv4.address = address));

describe("policy vm-address-in-node-network", () => {
    it("passes a node VM at its planned address", async () => {
        assert.deepEqual(await violations(policy, vm), []);
    });

    it("refuses an address outside the node network", async () => {
        assert.deepEqual(await violations(policy, withAddress("192.168.1.10/24")), [
            "VM talos-cp-1: 192.168.1.10 is outside the node network 172.16.1.0/24",
        ]);
    });

    it("refuses the first address of the load-balancer range", async () => {
        assert.deepEqual(await violations(policy, withAddress("172.16.1.60/24")), [
            "VM talos-cp-1: 172.16.1.60 is inside the load-balancer range 172.16.1.60-172.16.1.69",
        ]);
    });

    it("refuses the last address of the load-balancer range, and takes .70 just after it", async () => {
        assert.deepEqual(await violations(policy, withAddress("172.16.1.69/24")), [
            "VM talos-cp-1: 172.16.1.69 is inside the load-balancer range 172.16.1.60-172.16.1.69",
        ]);
        assert.deepEqual(await violations(policy, withAddress("172.16.1.70/24")), []);
    });

    it("refuses the API VIP", async () => {
        assert.deepEqual(await violations(policy, withAddress("172.16.1.49/24")), ["VM talos-cp-1: 172.16.1.49 is the Kubernetes API VIP"]);
    });

    it("refuses an infrastructure host's address, naming the host", async () => {
        assert.deepEqual(await violations(policy, withAddress("172.16.1.2/24")), [
            "VM talos-cp-1: 172.16.1.2 belongs to infrastructure host pve1",
        ]);
    });

    it("refuses the network's own and broadcast addresses", async () => {
        assert.deepEqual(await violations(policy, withAddress("172.16.1.0/24")), [
            "VM talos-cp-1: 172.16.1.0 is the network address of the node network 172.16.1.0/24",
        ]);
        assert.deepEqual(await violations(policy, withAddress("172.16.1.255/24")), [
            "VM talos-cp-1: 172.16.1.255 is the broadcast address of the node network 172.16.1.0/24",
        ]);
    });

    it("refuses a prefix length other than the node network's", async () => {
        assert.deepEqual(await violations(policy, withAddress("172.16.1.50/16")), [
            "VM talos-cp-1: 172.16.1.50/16 has prefix /16, the node network 172.16.1.0/24 has /24",
        ]);
    });

    it("refuses an address it cannot read", async () => {
        assert.deepEqual(await violations(policy, withAddress("172.16.1.50")), [
            'VM talos-cp-1: initialization.ipConfigs[0].ipv4.address "172.16.1.50" is not an address of the form <ip>/<prefix>',
        ]);
    });

    it("checks every ipConfig and reports every problem", async () => {
        const twoNics = edit(vm, (p) =>
            p.initialization.ipConfigs.push({ ipv4: { address: "172.16.1.61/24" } }, { ipv4: { address: "dhcp" } }),
        );
        assert.deepEqual(await violations(policy, twoNics), [
            "VM talos-cp-1: 172.16.1.61 is inside the load-balancer range 172.16.1.60-172.16.1.69",
        ]);
    });

    it("names the VM by its resource name when it has no name", async () => {
        const unnamed = edit(vm, (p) => {
            delete p.name;
            p.initialization.ipConfigs[0].ipv4.address = "192.168.1.10/24";
        });
        assert.deepEqual(await violations(policy, unnamed), [
            "VM talos-vms-talos-cp-1: 192.168.1.10 is outside the node network 172.16.1.0/24",
        ]);
    });

    it("follows the configured plan, not the home defaults", async () => {
        assert.deepEqual(await violations(policy, vm, { nodeCidr: "10.0.0.0/24" }), [
            "VM talos-cp-1: 172.16.1.50 is outside the node network 10.0.0.0/24",
        ]);
    });

    it("declines resources of other types", async () => {
        assert.deepEqual(await checkResource(policy, { type: "kubernetes:core/v1:Service", name: "svc", props: {} }), {
            notApplicable: "Policy only applies to resources of type 'proxmoxve:index/vmLegacy:VmLegacy'",
        });
    });
});
