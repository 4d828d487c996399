import { strict as assert } from "assert";
import { noAddressTwice as policy } from "../../policy/policies/no-address-twice";
import { envoyExternal, envoyInternal, homeStack, k8sGatewayService, vm } from "./fixtures";
import { edit, Fixture, stackViolations, urnOf } from "./harness";

const ips = "lbipam.cilium.io/ips";
const renamed = (fixture: Fixture, name: string, metadataName: string) =>
    edit({ ...fixture, name }, (p) => (p.metadata ? (p.metadata.name = metadataName) : (p.name = metadataName)));

describe("policy no-address-twice", () => {
    it("passes the home stack, where every address has one holder", async () => {
        assert.deepEqual(await stackViolations(policy, homeStack), []);
    });

    it("refuses a second VM at a node's address, naming both and reporting on the later one", async () => {
        const second = renamed(vm, "talos-vms-talos-cp-2", "talos-cp-2");
        assert.deepEqual(await stackViolations(policy, [vm, second]), [
            {
                message:
                    "172.16.1.50 is claimed by VM talos-cp-1 (initialization.ipConfigs[0].ipv4.address) and VM talos-cp-2 (initialization.ipConfigs[0].ipv4.address)",
                urn: urnOf(second),
            },
        ]);
    });

    it("refuses a Service pinned to a Gateway's address", async () => {
        const web = edit(renamed(k8sGatewayService, "web-service", "web"), (p) => (p.metadata.annotations[ips] = "172.16.1.62"));
        assert.deepEqual(await stackViolations(policy, [envoyExternal, web]), [
            {
                message:
                    '172.16.1.62 is claimed by Gateway network/envoy-external (spec.addresses[0].value) and Service network/web (metadata.annotations["lbipam.cilium.io/ips"])',
                urn: urnOf(web),
            },
        ]);
    });

    it("names every holder of an address claimed three times", async () => {
        const web = edit(renamed(k8sGatewayService, "web-service", "web"), (p) => (p.metadata.annotations[ips] = "172.16.1.61"));
        const vmOnGateway = edit(vm, (p) => (p.initialization.ipConfigs[0].ipv4.address = "172.16.1.61/24"));
        assert.deepEqual(
            (await stackViolations(policy, [envoyInternal, web, vmOnGateway])).map((v) => v.message),
            [
                '172.16.1.61 is claimed by Gateway network/envoy-internal (spec.infrastructure.annotations["lbipam.cilium.io/ips"]), ' +
                    'Service network/web (metadata.annotations["lbipam.cilium.io/ips"]) and VM talos-cp-1 (initialization.ipConfigs[0].ipv4.address)',
            ],
        );
    });

    it("counts one resource naming an address in two fields once", async () => {
        const both = edit(envoyInternal, (p) => (p.spec.addresses = [{ value: "172.16.1.61" }]));
        assert.deepEqual(await stackViolations(policy, [both]), []);
    });

    it("allows Services that share an address through one sharing key, and refuses it when the keys differ", async () => {
        const dnsTcp = edit(
            renamed(k8sGatewayService, "k8s-gateway-tcp", "k8s-gateway-tcp"),
            (p) => (p.metadata.annotations["lbipam.cilium.io/sharing-key"] = "dns"),
        );
        const dnsUdp = edit(k8sGatewayService, (p) => (p.metadata.annotations["lbipam.cilium.io/sharing-key"] = "dns"));
        assert.deepEqual(await stackViolations(policy, [dnsUdp, dnsTcp]), []);
        const otherKey = edit(dnsTcp, (p) => (p.metadata.annotations["lbipam.cilium.io/sharing-key"] = "web"));
        assert.deepEqual(
            (await stackViolations(policy, [dnsUdp, otherKey])).map((v) => v.message),
            [
                '172.16.1.60 is claimed by Service network/k8s-gateway (metadata.annotations["lbipam.cilium.io/ips"]) and Service network/k8s-gateway-tcp (metadata.annotations["lbipam.cilium.io/ips"])',
            ],
        );
    });

    it("does not count a ClusterIP Service's stale annotation", async () => {
        const clusterIp = edit(renamed(k8sGatewayService, "old-service", "old"), (p) => (p.spec.type = "ClusterIP"));
        assert.deepEqual(await stackViolations(policy, [k8sGatewayService, clusterIp]), []);
    });
});
