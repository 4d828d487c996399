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
    const firstApply = (node: string) => graph.get("homelab:talos:MaintenanceApply", `home-talos-${node}-first-apply`);

    it("applies each node's config after its own VM and no other, to its own address", () => {
        nodes.forEach((node, i) => {
            const a = apply(node);
            assert.equal(a.inputs.node, `172.16.1.${50 + i}`);
            assert.equal(a.inputs.endpoint, `172.16.1.${50 + i}`);
            for (const other of nodes) assert.equal(graph.dependsOn(a, vm(other)), other === node, `${node} -> VM ${other}`);
        });
    });

    it("bootstraps on the first control plane's address, once all three control planes run their config", () => {
        const bootstrap = graph.get("talos:machine/bootstrap:Bootstrap", "home-talos-bootstrap");
        assert.equal(bootstrap.inputs.node, "172.16.1.50");
        assert.equal(bootstrap.inputs.endpoint, "172.16.1.50");
        for (const node of nodes.slice(0, 3)) assert.ok(bootstrap.dependencies.includes(firstApply(node).urn), node);
        for (const node of nodes.slice(0, 3)) assert.ok(graph.dependsOn(bootstrap, apply(node)), node);
        assert.equal(graph.dependsOn(bootstrap, apply("talos-worker-1")), false, "a worker's apply never holds up the bootstrap");
    });

    it("fetches the kubeconfig from the first control plane after bootstrap, with no health invoke", () => {
        assert.deepEqual(
            graph.run.invokes.filter((i) => i.token === "talos:cluster/getHealth:getHealth"),
            [],
            "a health invoke would dial every node on every preview",
        );
        const kubeconfig = graph.get("talos:cluster/kubeconfig:Kubeconfig", "home-talos-kubeconfig");
        assert.deepEqual(kubeconfig.inputs, {
            clientConfiguration: kubeconfig.inputs.clientConfiguration,
            endpoint: "172.16.1.50",
            node: "172.16.1.50",
        });
        assert.deepEqual(kubeconfig.ignoreChanges, []);
        assert.ok(kubeconfig.dependencies.includes(graph.get("talos:machine/bootstrap:Bootstrap", "home-talos-bootstrap").urn));
        assert.ok(graph.dependsOn(kubeconfig, apply("talos-cp-3")), "through bootstrap, every control plane's config");
        assert.ok(!graph.dependsOn(kubeconfig, apply("talos-worker-1")), "no worker holds up the API");
    });

    it("builds the Kubernetes provider from the kubeconfig, as a secret, once the API answers", () => {
        const provider = graph.get("pulumi:providers:kubernetes", "home-talos-kubernetes");
        const kubeconfig = graph.get("talos:cluster/kubeconfig:Kubeconfig", "home-talos-kubeconfig");
        const apiReady = graph.get("homelab:kubernetes:ApiReady", "home-talos-api-ready");
        assert.deepEqual(provider.propertyDependencies.kubeconfig, [kubeconfig.urn, apiReady.urn].sort());
        assert.ok(provider.secretPaths.includes("/kubeconfig"));
        assert.match(provider.inputs.kubeconfig as string, /client-key-data: CANARY-kube-client-key/);
    });

    it("generates configs for the VIP endpoint, the contract and the Kubernetes version, one invoke per role", () => {
        const configs = graph.run.invokes.filter((i) => i.token === "talos:machine/getConfiguration:getConfiguration");
        assert.deepEqual(configs.map((c) => c.args.machineType).sort(), ["controlplane", "worker"]);
        for (const c of configs) {
            assert.equal(c.args.clusterEndpoint, "https://172.16.1.49:6443");
            assert.equal(c.args.talosVersion, versions.talos.configContract, "the config contract, not the installed version");
            assert.equal(c.args.kubernetesVersion, versions.kubernetes.version);
            assert.equal(c.args.clusterName, "home");
        }
    });

    it("stages every config change (no apply reboots a node), and skips each node's reset when the secrets go too", () => {
        const secrets = graph.get("talos:machine/secrets:Secrets", "home-talos-secrets");
        for (const node of nodes) {
            assert.equal(apply(node).inputs.applyMode, "staged", node);
            assert.equal(apply(node).deletedWith, secrets.urn, node);
            assert.deepEqual(apply(node).inputs.onDestroy, { graceful: true, reboot: false, reset: true });
        }
        for (const node of nodes)
            assert.equal(vm(node).inputs.rebootAfterUpdate, false, `${node}: a resize must not restart the VM at once`);
    });

    it("applies each node's first config at once in maintenance mode, after its staged apply, replaced with it", () => {
        for (const [index, node] of nodes.entries()) {
            const first = firstApply(node);
            assert.equal(first.inputs.endpoint, `172.16.1.${50 + index}:50000`, node);
            assert.ok(first.dependencies.includes(apply(node).urn), `${node}: after its apply (its machineConfiguration)`);
            assert.deepEqual(first.replaceWith, [apply(node).urn], node);
            for (const path of ["/talos", "/machineConfiguration"]) assert.ok(first.secretPaths.includes(path), `${node} ${path}`);
        }
    });

    it("records each node's Node object before its apply, so a removed node's object is deleted after its reset", () => {
        const secrets = graph.get("talos:machine/secrets:Secrets", "home-talos-secrets");
        for (const node of nodes) {
            const record = graph.get("homelab:talos:KubernetesNode", `home-talos-${node}-node`);
            assert.ok(apply(node).dependencies.includes(record.urn), node);
            assert.equal(record.inputs.node, node);
            assert.deepEqual(
                (record.inputs.controlPlanes as { name: string; endpoint: string }[]).map((n) => `${n.name} ${n.endpoint}`),
                ["talos-cp-1 172.16.1.50:50000", "talos-cp-2 172.16.1.51:50000", "talos-cp-3 172.16.1.52:50000"],
            );
            assert.equal(record.deletedWith, secrets.urn);
            assert.ok(record.secretPaths.includes("/talos"), node);
        }
    });

    it("upgrades versions node by node before any config is pushed, reaching Kubernetes through Talos", () => {
        const upgrade = graph.get("homelab:talos:TalosRollout", "home-talos-upgrade");
        for (const node of nodes) assert.ok(apply(node).dependencies.includes(upgrade.urn), node);
        assert.equal(upgrade.inputs.kubernetes, undefined, "no edge to the kubeconfig, which follows the applies");
        assert.equal(graph.dependsOn(upgrade, graph.get("talos:cluster/kubeconfig:Kubeconfig", "home-talos-kubeconfig")), false);
        assert.deepEqual(upgrade.inputs.order, graph.get("homelab:talos:TalosRollout", "home-talos-rollout").inputs.order);
        assert.ok(upgrade.secretPaths.includes("/talos"));
    });

    it("rolls versions and restarts out after every config is applied, with its secrets secret", () => {
        const rollout = graph.get("homelab:talos:TalosRollout", "home-talos-rollout");
        for (const node of nodes) assert.ok(rollout.dependencies.includes(apply(node).urn), node);
        assert.deepEqual(rollout.inputs.order, [
            "talos-cp-1: Talos v1.13.9, Kubernetes v1.36.4",
            "talos-cp-2: Talos v1.13.9, Kubernetes v1.36.4",
            "talos-cp-3: Talos v1.13.9, Kubernetes v1.36.4",
            "talos-worker-1: Talos v1.13.9, Kubernetes v1.36.4",
        ]);
        assert.match(
            (rollout.inputs.target as { installerImage: string }).installerImage,
            /^factory\.talos\.dev\/nocloud-installer\/[0-9a-f]{64}:v1\.13\.9$/,
        );
        // Each config is staged: its digest tells the rollout when a node holds a new one.
        const triggers = rollout.inputs.restartTriggers as Record<string, { hardware: string; stagedConfig: string }>;
        assert.deepEqual(Object.keys(triggers), nodes);
        for (const node of nodes) {
            assert.equal(triggers[node].hardware, "4 cores, 8192 MiB", node);
            assert.match(triggers[node].stagedConfig, /^[0-9a-f]{16}$/, node);
        }
        assert.deepEqual((rollout.inputs.proxmox as { vms: unknown }).vms, {
            "talos-cp-1": { host: "pve1", vmId: 150 },
            "talos-cp-2": { host: "pve2", vmId: 151 },
            "talos-cp-3": { host: "pve3", vmId: 152 },
            "talos-worker-1": { host: "pve4", vmId: 153 },
        });
        for (const path of ["/talos", "/kubernetes/clientKey", "/proxmox/access/apiToken"])
            assert.ok(rollout.secretPaths.includes(path), path);
        assert.ok(!rollout.secretPaths.includes("/order"));
    });

    it("keeps the machine secrets protected", () => {
        const secrets = graph.get("talos:machine/secrets:Secrets", "home-talos-secrets");
        assert.equal(secrets.protect, true);
        assert.deepEqual(secrets.additionalSecretOutputs.sort(), ["clientConfiguration", "machineSecrets"]);
    });

    it("sends patches that are valid Talos v1.13 documents, the VIP only to control planes", function () {
        const validate = talosDocumentValidator(this);
        const roleConfigs = graph.run.invokes.filter((i) => i.token === "talos:machine/getConfiguration:getConfiguration");
        const patchSets = [
            ...nodes.map((n) => apply(n).inputs.configPatches as string[]),
            ...roleConfigs.map((c) => c.args.configPatches as string[]),
        ];
        for (const patches of patchSets) for (const text of patches) assert.deepEqual(validate(YAML.parse(text)), [], text);
        for (const node of nodes) {
            const kinds = (apply(node).inputs.configPatches as string[]).map((t) => YAML.parse(t).kind);
            assert.equal(kinds.includes("Layer2VIPConfig"), node !== "talos-worker-1", node);
        }
        const cp = roleConfigs.find((c) => c.args.machineType === "controlplane")!;
        const install = (cp.args.configPatches as string[]).map((t) => YAML.parse(t)).find((d) => d.machine?.install)!;
        assert.match(
            install.machine.install.image,
            new RegExp(`^factory\\.talos\\.dev/nocloud-installer/[0-9a-f]{64}:${versions.talos.version}$`),
        );
    });

    it("puts the Talos provider's version and download server on every Talos resource and invoke", () => {
        const talos = [
            ...graph.resources.filter((r) => r.type.startsWith("talos:")),
            ...graph.run.invokes.filter((i) => i.token.startsWith("talos:")),
        ];
        assert.equal(
            talos.length,
            12,
            "8 resources (secrets, schematic, 4 applies, bootstrap, kubeconfig) and 4 invokes (2 configs, urls, talosconfig)",
        );
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
