import { strict as assert } from "assert";
import { talosNetworkKept as policy } from "../../policy/policies/talos-network-kept";
import { clusterPlan, nodePlan } from "../../components/talos/plan/cluster";
import { machinePatches, renderPatches } from "../../components/talos/plan/patches";
import { homeSpec } from "../harness/home";
import { clusterPatch, talosApply } from "./fixtures";
import { edit, violations } from "./harness";

const label = "Talos ConfigurationApply talos-talos-cp-1";
const withPatch = (patch: string) => edit(talosApply, (p) => p.configPatches.push(patch));

describe("policy talos-network-kept", () => {
    it("passes a node's patches and a generated config that keeps the planned networks", async () => {
        assert.deepEqual(await violations(policy, talosApply), []);
    });

    it("passes every patch the program renders for a control plane", async () => {
        const spec = homeSpec();
        const patches = renderPatches(
            machinePatches(clusterPlan(spec, "factory.talos.dev/installer/abc:v1.13.9"), nodePlan(spec.nodes[0])),
        );
        assert.deepEqual(
            await violations(
                policy,
                edit(talosApply, (p) => (p.configPatches = patches)),
            ),
            [],
        );
    });

    it("refuses a patch setting another pod subnet", async () => {
        const patch = clusterPatch.replace("10.42.0.0/16", "10.244.0.0/16");
        assert.deepEqual(await violations(policy, withPatch(patch)), [
            `${label}: configPatches[1] sets cluster.network.podSubnets to 10.244.0.0/16, not the pod CIDR 10.42.0.0/16`,
        ]);
    });

    it("refuses a patch adding a second service subnet", async () => {
        const patch = clusterPatch.replace("      - 10.43.0.0/16", "      - 10.43.0.0/16\n      - 10.96.0.0/12");
        assert.deepEqual(await violations(policy, withPatch(patch)), [
            `${label}: configPatches[1] sets cluster.network.serviceSubnets to 10.43.0.0/16, 10.96.0.0/12, not the service CIDR 10.43.0.0/16`,
        ]);
    });

    it("refuses a patch choosing a CNI", async () => {
        assert.deepEqual(await violations(policy, withPatch(clusterPatch.replace("name: none", "name: flannel"))), [
            `${label}: configPatches[1] sets cluster.network.cni.name to flannel, not none (Cilium is installed by Helm after bootstrap)`,
        ]);
    });

    it("reads JSON patches (RFC 6902) too", async () => {
        const patch = JSON.stringify([{ op: "add", path: "/cluster/network/podSubnets/-", value: "10.244.0.0/16" }]);
        assert.deepEqual(await violations(policy, withPatch(patch)), [
            `${label}: configPatches[1] sets cluster.network.podSubnets to 10.244.0.0/16, not the pod CIDR 10.42.0.0/16`,
        ]);
    });

    it("checks every document of a multi-document patch", async () => {
        const patch = `apiVersion: v1alpha1\nkind: ResolverConfig\nnameservers: []\n---\n${clusterPatch.replace("name: none", "name: custom")}`;
        assert.deepEqual(await violations(policy, withPatch(patch)), [
            `${label}: configPatches[1] sets cluster.network.cni.name to custom, not none (Cilium is installed by Helm after bootstrap)`,
        ]);
    });

    it("refuses a patch that is not YAML (Talos would too), naming the parser's error code", async () => {
        assert.deepEqual(await violations(policy, withPatch("cluster:\n\tnetwork: {}")), [
            `${label}: configPatches[1] is not valid YAML (TAB_AS_INDENT)`,
        ]);
    });

    it("refuses a generated config that lost the cluster patch (Talos' defaults: flannel, 10.244.0.0/16, 10.96.0.0/12)", async () => {
        const defaults = edit(talosApply, (p) => {
            p.machineConfigurationInput =
                "version: v1alpha1\ncluster:\n  network:\n    cni:\n      name: flannel\n    podSubnets: [10.244.0.0/16]\n    serviceSubnets: [10.96.0.0/12]\n";
        });
        assert.deepEqual(await violations(policy, defaults), [
            `${label}: machineConfigurationInput sets cluster.network.podSubnets to 10.244.0.0/16, not the pod CIDR 10.42.0.0/16`,
            `${label}: machineConfigurationInput sets cluster.network.serviceSubnets to 10.96.0.0/12, not the service CIDR 10.43.0.0/16`,
            `${label}: machineConfigurationInput sets cluster.network.cni.name to flannel, not none (Cilium is installed by Helm after bootstrap)`,
        ]);
    });
});
