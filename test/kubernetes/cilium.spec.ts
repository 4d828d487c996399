import { strict as assert } from "assert";
import { Graph } from "../../tools/offline/graph";
import { runStack } from "../harness/home";
import { ciliumValues } from "../../components/kubernetes/plan/cilium";
import * as versions from "../../components/versions";

describe("Cilium in the graph", () => {
    let graph: Graph;
    before(async () => {
        graph = await runStack();
        assert.equal(graph.run.error, undefined);
    });
    const chart = () => graph.get("kubernetes:helm.sh/v4:Chart", "home-cilium-chart");
    const pool = () => graph.get("kubernetes:cilium.io/v2:CiliumLoadBalancerIPPool", "home-cilium-lb-pool");
    const l2 = () => graph.get("kubernetes:cilium.io/v2alpha1:CiliumL2AnnouncementPolicy", "home-cilium-l2-policy");

    it("installs the pinned chart into kube-system with the values computed from the spec", () => {
        const c = chart();
        assert.equal(c.remote, true, "helm.v4.Chart: rendered by the provider, every object in the preview");
        assert.equal(c.inputs.chart, "cilium");
        assert.equal(c.inputs.version, versions.cilium.version);
        assert.equal(c.inputs.namespace, "kube-system");
        const expected = ciliumValues({
            podCidr: "10.42.0.0/16",
            loadBalancerRange: { start: "172.16.1.60", stop: "172.16.1.69" },
            controlPlaneCount: 3,
        });
        assert.deepEqual(c.inputs.values, JSON.parse(JSON.stringify(expected)));
        const values = c.inputs.values as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
        assert.equal(values.kubeProxyReplacement, true);
        assert.equal(values.loadBalancer.mode, "dsr");
        assert.equal(values.l2announcements.enabled, true);
        assert.equal(values.ipv4NativeRoutingCIDR, "10.42.0.0/16");
    });

    it("runs on the bootstrapped cluster through the Talos kubeconfig provider", () => {
        const provider = graph.get("pulumi:providers:kubernetes", "home-talos-kubernetes");
        assert.equal(Graph.providerUrn(chart().provider), provider.urn);
        assert.ok(graph.dependsOn(chart(), graph.get("talos:machine/bootstrap:Bootstrap", "home-talos-bootstrap")));
        assert.ok(graph.dependsOn(chart(), graph.get("talos:cluster/kubeconfig:Kubeconfig", "home-talos-kubeconfig")));
    });

    it("creates the pool and the L2 policy after Cilium, with the same provider", () => {
        for (const r of [pool(), l2()]) {
            assert.ok(r.dependencies.includes(chart().urn), r.name);
            assert.equal(r.provider, chart().provider);
        }
        assert.deepEqual((pool().inputs.spec as { blocks: unknown }).blocks, [{ start: "172.16.1.60", stop: "172.16.1.69" }]);
    });

    it("opens the full health gate only after Cilium, its pool and its policy", () => {
        const ready = graph.get("pulumi:providers:kubernetes", "home-ready-kubernetes");
        for (const r of [chart(), pool(), l2()]) assert.ok(graph.dependsOn(ready, r), r.name);
        assert.deepEqual(
            graph.run.invokes.filter((i) => i.token === "talos:cluster/getHealth:getHealth"),
            [],
            "no health invoke: the gates are resources that wait once",
        );
        assert.ok(ready.secretPaths.includes("/kubeconfig"));
    });
});
