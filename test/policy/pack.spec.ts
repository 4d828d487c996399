import { strict as assert } from "assert";
import { policies } from "../../policy/policies";
import { runPolicies } from "../../policy/run";
import { envoyInternal, homeStack, k8sGatewayService, lbPool, publicRecord, route, vm } from "./fixtures";
import { edit, Fixture, homePolicyConfig, planned, urnOf } from "./harness";

const ips = "lbipam.cilium.io/ips";

// Every policy over every resource, as the analyzer would run the pack, through runPolicies.
const violators: Record<string, Fixture> = {
    serviceOutsideRange: edit({ ...k8sGatewayService, name: "web-service" }, (p) => {
        p.metadata.name = "web";
        p.metadata.namespace = "default";
        p.metadata.annotations[ips] = "172.16.1.70";
    }),
    publicPrivateRecord: edit(publicRecord, (p) => (p.content = "172.16.1.61")),
    vmOffNetwork: edit(vm, (p) => (p.initialization.ipConfigs[0].ipv4.address = "192.168.1.10/24")),
    foreignRoute: edit(route, (p) => (p.spec.hostnames = ["app.example.com"])),
    wholeNetworkPool: edit(lbPool, (p) => (p.spec.blocks = [{ cidr: "172.16.1.0/24" }])),
    // With envoy-internal (passing on its own), two claims on 172.16.1.61.
    secondGatewayOnInternal: edit({ ...envoyInternal, name: "envoy-gateway-lab" }, (p) => (p.metadata.name = "envoy-lab")),
};

describe("policy pack", () => {
    it("runs every policy in process and passes the home stack's resources", async () => {
        assert.deepEqual(await runPolicies(homeStack.map(planned), homePolicyConfig), []);
    });

    it("refuses each hand-made violation by the right rule, and by no other", async () => {
        const resources = [envoyInternal, ...Object.values(violators)].map(planned);
        const verdicts = await runPolicies(resources, homePolicyConfig, policies);
        assert.deepEqual(
            verdicts.map((v) => [v.policy, v.resource, v.message, v.enforcementLevel]),
            [
                [
                    "vm-address-in-node-network",
                    urnOf(violators.vmOffNetwork),
                    "VM talos-cp-1: 192.168.1.10 is outside the node network 172.16.1.0/24",
                    "mandatory",
                ],
                [
                    "lb-address-pinned-in-pool",
                    urnOf(violators.serviceOutsideRange),
                    "Service default/web: 172.16.1.70 is outside the load-balancer range 172.16.1.60-172.16.1.69",
                    "mandatory",
                ],
                [
                    "lb-pool-inside-node-network",
                    urnOf(violators.wholeNetworkPool),
                    "CiliumLoadBalancerIPPool home-pool: block 172.16.1.0/24 covers infrastructure host router (172.16.1.1), infrastructure host pve1 (172.16.1.2), " +
                        "infrastructure host pve2 (172.16.1.3), infrastructure host pve3 (172.16.1.4), infrastructure host pve4 (172.16.1.5), " +
                        "infrastructure host technitium (172.16.1.10), infrastructure host adguard (172.16.1.11), the Kubernetes API VIP (172.16.1.49), " +
                        "node talos-cp-1 (172.16.1.50), node talos-cp-2 (172.16.1.51), node talos-cp-3 (172.16.1.52), node talos-worker-1 (172.16.1.53)",
                    "mandatory",
                ],
                [
                    "lb-pool-inside-node-network",
                    urnOf(violators.wholeNetworkPool),
                    "CiliumLoadBalancerIPPool home-pool: block 172.16.1.0/24 reaches outside the load-balancer range 172.16.1.60-172.16.1.69",
                    "mandatory",
                ],
                [
                    "no-address-twice",
                    urnOf(violators.secondGatewayOnInternal),
                    '172.16.1.61 is claimed by Gateway network/envoy-internal (spec.infrastructure.annotations["lbipam.cilium.io/ips"]) ' +
                        'and Gateway network/envoy-lab (spec.infrastructure.annotations["lbipam.cilium.io/ips"])',
                    "mandatory",
                ],
                [
                    "no-private-public-dns",
                    urnOf(violators.publicPrivateRecord),
                    "DNS record www.ragas.cc (A): 172.16.1.61 is a private address (RFC 1918)",
                    "mandatory",
                ],
                [
                    "httproute-in-domain",
                    urnOf(violators.foreignRoute),
                    "HTTPRoute default/my-app: app.example.com is not under the domain ragas.cc",
                    "mandatory",
                ],
            ],
        );
    });

    it("turns a read of a value unknown at preview into one advisory verdict, as the analyzer does", async () => {
        // tools/offline/record.ts writes a value unknown at registration as "<unknown>".
        const unknownAddress = edit(
            { ...vm, name: "talos-vms-talos-cp-9" },
            (p) => (p.initialization.ipConfigs[0].ipv4.address = "<unknown>"),
        );
        assert.deepEqual(await runPolicies([planned(unknownAddress), planned(vm)], homePolicyConfig), [
            {
                policy: "vm-address-in-node-network",
                resource: urnOf(unknownAddress),
                message:
                    "can't run policy 'vm-address-in-node-network' during preview: string value at .initialization.ipConfigs.0.ipv4.address can't be known during preview",
                enforcementLevel: "advisory",
            },
        ]);
    });

    it("holds resources to the config it is given", async () => {
        const elsewhere = { ...homePolicyConfig, nodeCidr: "10.0.0.0/24" };
        assert.deepEqual(
            (await runPolicies([planned(vm)], elsewhere)).map((v) => v.message),
            ["VM talos-cp-1: 172.16.1.50 is outside the node network 10.0.0.0/24"],
        );
    });

    it("skips a disabled policy", async () => {
        const disabled = policies.map((p) =>
            p.name === "vm-address-in-node-network" ? { ...p, enforcementLevel: "disabled" as const } : p,
        );
        assert.deepEqual(await runPolicies([planned(violators.vmOffNetwork)], homePolicyConfig, disabled), []);
    });
});
