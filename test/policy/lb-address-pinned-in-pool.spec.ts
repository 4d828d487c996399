import { strict as assert } from "assert";
import { lbAddressPinnedInPool as policy } from "../../policy/policies/lb-address-pinned-in-pool";
import { envoyExternal, envoyInternal, k8sGatewayService, vm } from "./fixtures";
import { checkResource, edit, violations } from "./harness";

const ips = "lbipam.cilium.io/ips";

describe("policy lb-address-pinned-in-pool", () => {
    it("passes k8s_gateway's Service and both Gateways (annotation and spec.addresses)", async () => {
        assert.deepEqual(await violations(policy, k8sGatewayService), []);
        assert.deepEqual(await violations(policy, envoyInternal), []);
        assert.deepEqual(await violations(policy, envoyExternal), []);
    });

    it("refuses a LoadBalancer Service outside the range", async () => {
        const service = edit(k8sGatewayService, (p) => (p.metadata.annotations[ips] = "172.16.1.70"));
        assert.deepEqual(await violations(policy, service), [
            "Service network/k8s-gateway: 172.16.1.70 is outside the load-balancer range 172.16.1.60-172.16.1.69",
        ]);
    });

    it("checks every address of a comma-separated annotation", async () => {
        const service = edit(k8sGatewayService, (p) => (p.metadata.annotations[ips] = "172.16.1.60, 172.16.1.59"));
        assert.deepEqual(await violations(policy, service), [
            "Service network/k8s-gateway: 172.16.1.59 is outside the load-balancer range 172.16.1.60-172.16.1.69",
        ]);
    });

    it("refuses a LoadBalancer Service with no pinned address", async () => {
        const service = edit(k8sGatewayService, (p) => delete p.metadata.annotations[ips]);
        assert.deepEqual(await violations(policy, service), [
            "Service network/k8s-gateway: type LoadBalancer without a lbipam.cilium.io/ips annotation; pin an address in 172.16.1.60-172.16.1.69",
        ]);
    });

    it("refuses an annotation that is not an address", async () => {
        const service = edit(k8sGatewayService, (p) => (p.metadata.annotations[ips] = "k8s-gateway"));
        assert.deepEqual(await violations(policy, service), [
            'Service network/k8s-gateway: "k8s-gateway" in metadata.annotations["lbipam.cilium.io/ips"] is not an IPv4 address',
        ]);
    });

    it("leaves other Service types alone", async () => {
        assert.deepEqual(
            await violations(
                policy,
                edit(k8sGatewayService, (p) => (p.spec.type = "ClusterIP")),
            ),
            [],
        );
    });

    it("refuses a Gateway with no pinned address", async () => {
        const gateway = edit(envoyInternal, (p) => delete p.spec.infrastructure);
        assert.deepEqual(await violations(policy, gateway), [
            'Gateway network/envoy-internal: no pinned address; set spec.addresses or spec.infrastructure.annotations["lbipam.cilium.io/ips"] to an address in 172.16.1.60-172.16.1.69',
        ]);
    });

    it("refuses a Gateway pinned outside the range (and so off its planned address)", async () => {
        const gateway = edit(envoyExternal, (p) => (p.spec.addresses[0].value = "172.16.1.80"));
        assert.deepEqual(await violations(policy, gateway), [
            "Gateway network/envoy-external: 172.16.1.80 is outside the load-balancer range 172.16.1.60-172.16.1.69",
            "Gateway network/envoy-external: pinned to 172.16.1.80, the plan gives it 172.16.1.62",
        ]);
    });

    it("refuses a planned Gateway pinned to another gateway's address", async () => {
        const gateway = edit(envoyInternal, (p) => (p.spec.infrastructure.annotations[ips] = "172.16.1.62"));
        assert.deepEqual(await violations(policy, gateway), [
            "Gateway network/envoy-internal: pinned to 172.16.1.62, the plan gives it 172.16.1.61",
        ]);
    });

    it("ignores spec.addresses that are not IP addresses", async () => {
        const gateway = edit(envoyExternal, (p) => (p.spec.addresses[0] = { type: "Hostname", value: "lb.ragas.cc" }));
        assert.deepEqual(await violations(policy, gateway), [
            'Gateway network/envoy-external: no pinned address; set spec.addresses or spec.infrastructure.annotations["lbipam.cilium.io/ips"] to an address in 172.16.1.60-172.16.1.69',
        ]);
    });

    it("holds an unplanned Gateway to the range only", async () => {
        const other = edit(envoyInternal, (p) => {
            p.metadata.name = "envoy-lab";
            p.spec.infrastructure.annotations[ips] = "172.16.1.65";
        });
        assert.deepEqual(await violations(policy, other), []);
    });

    it("declines resources that are neither Services nor Gateways", async () => {
        assert.deepEqual(await checkResource(policy, vm), {
            notApplicable:
                "Policy only applies to resources of type 'kubernetes:core/v1:Service' or 'kubernetes:gateway.networking.k8s.io/v1:Gateway'",
        });
    });
});
