import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { edgePlan } from "../../components/cloudflare/plan/edge";
import { splitDnsForwardingPlan } from "../../components/dns/plan/split-dns-forwarding";
import { appsPlan } from "../../components/kubernetes/plan/apps";
import { cloudflaredPlan } from "../../components/kubernetes/plan/cloudflared";
import { talosVmsPlan } from "../../components/proxmox/plan/talos-vms";
import { talosImagePlan } from "../../components/talos/plan/image";
import { computeFor } from "../../components/resource-error";
import { envoyGatewayName, envoyGateways, replicasFor, tunnelHostname, wildcardTlsSecretName } from "../../components/config/facts";
import { talosPlan } from "../../components/talos/plan/cluster";
import { homeSpec } from "../harness/home";

// The plan functions homelab.ts hands each component, on the home fixture (test/fixtures/home.yaml).

describe("component plans of the home stack", () => {
    const spec = homeSpec();

    it("talosPlan: endpoint on the VIP, control planes and workers apart, etcd bootstrapped on the first control plane", () => {
        const plan = talosPlan(spec);
        assert.equal(plan.clusterName, "home");
        assert.equal(plan.endpoint, "https://172.16.1.49:6443");
        assert.deepEqual(plan.controlPlaneIps, ["172.16.1.50", "172.16.1.51", "172.16.1.52"]);
        assert.deepEqual(
            plan.nodes.map((n) => [n.name, n.role]),
            [
                ["talos-cp-1", "controlplane"],
                ["talos-cp-2", "controlplane"],
                ["talos-cp-3", "controlplane"],
                ["talos-worker-1", "worker"],
            ],
        );
        assert.equal(plan.bootstrapNode.name, "talos-cp-1");
        assert.deepEqual(plan.nodeNetwork, { vip: "172.16.1.49", prefixLength: 24, router: "172.16.1.1" });
        assert.equal("installImage" in plan.cluster, false);
        assert.deepEqual(plan.cluster.nameservers, ["172.16.1.11", "172.16.1.10"]);
    });

    it("talosImagePlan: only hosts that run a node, with their SSH address", () => {
        const image = talosImagePlan(homeSpec((v) => v["homelab:nodes"].pop()));
        assert.deepEqual(image.hosts, [
            { name: "pve1", address: "172.16.1.2" },
            { name: "pve2", address: "172.16.1.3" },
            { name: "pve3", address: "172.16.1.4" },
        ]);
        assert.deepEqual(image.extensions, ["siderolabs/qemu-guest-agent"]);
        assert.equal(image.imageDatastore, "local");
        assert.equal(talosVmsPlan(spec).nodes.length, 4);
    });

    it("edgePlan: none without homelab:cloudflare", () => {
        assert.deepEqual(edgePlan(spec)?.cloudflare, { tunnelName: "home", mintDnsToken: false });
        const withoutEdge = homeSpec((v) => delete v["homelab:cloudflare"]);
        assert.equal(edgePlan(withoutEdge), undefined);
    });

    it("splitDnsForwardingPlan: k8s_gateway's address and both home DNS servers", () => {
        assert.deepEqual(splitDnsForwardingPlan(spec), {
            domain: "ragas.cc",
            gatewayAddress: "172.16.1.60",
            adguard: { url: "http://172.16.1.11", username: "admin" },
            technitium: { url: "http://172.16.1.10:5380" },
        });
    });

    it("cloudflaredPlan and appsPlan", () => {
        assert.deepEqual(cloudflaredPlan(spec), { nodeCount: 4 });
        assert.deepEqual(
            appsPlan(spec).apps.map((a) => a.hostname),
            ["myapp.ragas.cc"],
        );
    });
});

describe("cross-area facts", () => {
    it("one replica on one node, two from two nodes on", () => {
        assert.deepEqual([0, 1, 2, 3, 63].map(replicasFor), [1, 1, 2, 2, 2]);
    });

    it("names the gateways, the TLS Secret and the tunnel's public name", () => {
        assert.deepEqual(envoyGateways.map(envoyGatewayName), ["envoy-internal", "envoy-external"]);
        assert.equal(wildcardTlsSecretName("ragas.cc"), "wildcard-ragas-cc-tls");
        assert.equal(tunnelHostname("ragas.cc"), "external.ragas.cc");
    });
});

describe("computeFor", () => {
    it("reports a failed computation as a ResourceError of the component", () => {
        const component = { urn: "urn:pulumi:home::homelab::homelab:kubernetes:Cilium::home-cilium" } as unknown as pulumi.Resource;
        assert.throws(
            () =>
                computeFor(component, () => {
                    throw new Error("homelab:network.loadBalancerRange: bad");
                }),
            (error: unknown) => {
                assert.ok(pulumi.ResourceError.isInstance(error));
                assert.equal((error as pulumi.ResourceError).message, "homelab:network.loadBalancerRange: bad");
                assert.equal((error as pulumi.ResourceError).resource, component);
                return true;
            },
        );
        assert.equal(
            computeFor(component, () => 42),
            42,
        );
    });
});
