import { strict as assert } from "assert";
import * as YAML from "yaml";
import { Graph } from "../../tools/offline/graph";
import { runStack } from "../harness/home";
import { talosDocumentValidator } from "../harness/talos-schema";
import * as versions from "../../components/versions";

const APPLY = "talos:machine/configurationApply:ConfigurationApply";
const VM = "proxmoxve:index/vmLegacy:VmLegacy";
const nodes = ["talos-cp-1", "talos-cp-2", "talos-cp-3", "talos-worker-1"];


describe("Talos cluster", () => {
    let graph: Graph;
    before(async () => {
        graph = await runStack();
        assert.equal(graph.run.error, undefined);
    });
    const apply = (node: string) => graph.get(APPLY, `home-talos-${node}`);
    const vm = (node: string) => graph.get(VM, `home-vms-${node}`);

    it("applies each node's config after its own VM and no other, to its own address", () => {
        nodes.forEach((node, i) => {
            const a = apply(node);
            assert.equal(a.inputs.node, `172.16.1.${50 + i}`);
            assert.equal(a.inputs.endpoint, `172.16.1.${50 + i}`);
            for (const other of nodes) assert.equal(graph.dependsOn(a, vm(other)), other === node, `${node} -> VM ${other}`);
        });
    });

    it("bootstraps on the first control plane's address, after all three control-plane applies", () => {
        const bootstrap = graph.get("talos:machine/bootstrap:Bootstrap", "home-talos-bootstrap");
        assert.equal(bootstrap.inputs.node, "172.16.1.50");
        assert.equal(bootstrap.inputs.endpoint, "172.16.1.50");
        for (const node of nodes.slice(0, 3)) assert.ok(graph.dependsOn(bootstrap, apply(node)), node);
        assert.equal(graph.dependsOn(bootstrap, apply("talos-worker-1")), false, "a worker's apply never holds up the bootstrap");
    });

    it("gates the kubeconfig on a Talos-level health check with no Kubernetes checks", () => {
        const health = graph.run.invokes.filter((i) => i.token === "talos:cluster/getHealth:getHealth" && i.args.skipKubernetesChecks);
        assert.equal(health.length, 1);
        assert.equal(health[0].args.skipKubernetesChecks, true);
        assert.deepEqual(health[0].args.controlPlaneNodes, ["172.16.1.50", "172.16.1.51", "172.16.1.52"]);
        assert.deepEqual(health[0].args.workerNodes, ["172.16.1.53"]);
        const kubeconfig = graph.get("talos:cluster/kubeconfig:Kubeconfig", "home-talos-kubeconfig");
        assert.equal(kubeconfig.inputs.node, "172.16.1.50");
        assert.ok(graph.dependsOn(kubeconfig, graph.get("talos:machine/bootstrap:Bootstrap", "home-talos-bootstrap")));
        assert.ok(graph.dependsOn(kubeconfig, apply("talos-worker-1")), "health covers the worker too");
    });

    it("builds the Kubernetes provider from the kubeconfig, as a secret, once the API answers", () => {
        const provider = graph.get("pulumi:providers:kubernetes", "home-talos-kubernetes");
        const kubeconfig = graph.get("talos:cluster/kubeconfig:Kubeconfig", "home-talos-kubeconfig");
        const apiReady = graph.get("pulumi-nodejs:dynamic/talos:KubernetesApiReady", "home-talos-api-ready");
        assert.deepEqual(provider.propertyDependencies.kubeconfig, [kubeconfig.urn, apiReady.urn].sort());
        assert.ok(provider.secretPaths.includes("/kubeconfig"));
        assert.match(provider.inputs.kubeconfig as string, /client-key-data: CANARY-kube-client-key/);
    });

    it("generates configs for the VIP endpoint and pinned versions, one invoke per role", () => {
        const configs = graph.run.invokes.filter((i) => i.token === "talos:machine/getConfiguration:getConfiguration");
        assert.deepEqual(configs.map((c) => c.args.machineType).sort(), ["controlplane", "worker"]);
        for (const c of configs) {
            assert.equal(c.args.clusterEndpoint, "https://172.16.1.49:6443");
            assert.equal(c.args.talosVersion, versions.talos.version);
            assert.equal(c.args.kubernetesVersion, versions.kubernetes.version);
            assert.equal(c.args.clusterName, "home");
        }
    });

    it("keeps the machine secrets protected", () => {
        const secrets = graph.get("talos:machine/secrets:Secrets", "home-talos-secrets");
        assert.equal(secrets.protect, true);
        assert.deepEqual(secrets.additionalSecretOutputs.sort(), ["clientConfiguration", "machineSecrets"]);
    });

    it("sends patches that are valid Talos v1.13 documents, the VIP only to control planes", function () {
        const validate = talosDocumentValidator(this);
        const roleConfigs = graph.run.invokes.filter((i) => i.token === "talos:machine/getConfiguration:getConfiguration");
        const patchSets = [...nodes.map((n) => apply(n).inputs.configPatches as string[]), ...roleConfigs.map((c) => c.args.configPatches as string[])];
        for (const patches of patchSets) for (const text of patches) assert.deepEqual(validate(YAML.parse(text)), [], text);
        for (const node of nodes) {
            const kinds = (apply(node).inputs.configPatches as string[]).map((t) => YAML.parse(t).kind);
            assert.equal(kinds.includes("Layer2VIPConfig"), node !== "talos-worker-1", node);
        }
        const cp = roleConfigs.find((c) => c.args.machineType === "controlplane")!;
        const install = (cp.args.configPatches as string[]).map((t) => YAML.parse(t)).find((d) => d.machine?.install)!;
        assert.match(install.machine.install.image, new RegExp(`^factory\\.talos\\.dev/nocloud-installer/[0-9a-f]{64}:${versions.talos.version}$`));
    });

    it("puts the Talos provider's version and download server on every Talos resource and invoke", () => {
        const talos = [...graph.resources.filter((r) => r.type.startsWith("talos:")), ...graph.run.invokes.filter((i) => i.token.startsWith("talos:"))];
        assert.equal(talos.length, 13, "8 resources (secrets, schematic, 4 applies, bootstrap, kubeconfig) and 5 invokes (2 configs, urls, health, talosconfig)");
        for (const r of talos) {
            assert.equal(r.version, "0.8.1");
            assert.equal(r.pluginDownloadURL, "github://api.github.com/pulumiverse");
        }
    });

    it("exports kubeconfig and talosconfig as secrets, with the control planes as talosconfig endpoints", () => {
        assert.equal(graph.run.exports.kubeconfig.secret, true);
        assert.equal(graph.run.exports.talosconfig.secret, true);
        assert.match(graph.run.exports.talosconfig.value as string, /endpoints: \["172\.16\.1\.50","172\.16\.1\.51","172\.16\.1\.52"\]/);
    });
});
