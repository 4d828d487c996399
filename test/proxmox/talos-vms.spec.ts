import { strict as assert } from "assert";
import { Graph } from "../../tools/offline/graph";
import { homeValues, runStack } from "../harness/home";
import { Registration } from "../../tools/offline/record";
import { deriveMac } from "../../components/config/names";
import * as versions from "../../components/versions";

const VM = "proxmoxve:index/vmLegacy:VmLegacy";
const FILE = "proxmoxve:download/file:File";
const home = [
    { name: "talos-cp-1", host: "pve1", ip: "172.16.1.50", vmId: 150, role: "controlplane" },
    { name: "talos-cp-2", host: "pve2", ip: "172.16.1.51", vmId: 151, role: "controlplane" },
    { name: "talos-cp-3", host: "pve3", ip: "172.16.1.52", vmId: 152, role: "controlplane" },
    { name: "talos-worker-1", host: "pve4", ip: "172.16.1.53", vmId: 153, role: "worker" },
];

/* eslint-disable @typescript-eslint/no-explicit-any */
describe("Proxmox: Talos image and VMs", () => {
    let graph: Graph;
    before(async () => {
        graph = await runStack();
        assert.equal(graph.run.error, undefined);
    });

    it("creates exactly the four VMs of the spec, each on its host with its fixed vmId", () => {
        const vms = graph.ofType(VM).map((r) => [r.inputs.name, r.inputs.nodeName, r.inputs.vmId]);
        assert.deepEqual(
            vms,
            home.map((n) => [n.name, n.host, n.vmId]),
        );
    });

    for (const node of home) {
        it(`gives ${node.name} its static address, MAC, machine type and disk`, () => {
            const vm = graph.get(VM, `home-vms-${node.name}`).inputs as any;
            assert.deepEqual(vm.initialization.ipConfigs, [{ ipv4: { address: `${node.ip}/24`, gateway: "172.16.1.1" } }]);
            assert.deepEqual(vm.initialization.dns.servers, ["172.16.1.11", "172.16.1.10"]);
            assert.equal(vm.networkDevices[0].macAddress, deriveMac(node.name).toUpperCase());
            assert.equal(vm.networkDevices[0].bridge, "vmbr0");
            assert.equal(vm.machine, "q35");
            assert.equal(vm.scsiHardware, "virtio-scsi-pci");
            assert.deepEqual(vm.memory, { dedicated: 8192, floating: 0 });
            assert.equal(vm.agent.enabled, true);
            assert.equal(vm.stopOnDestroy, true);
            assert.equal(vm.onBoot, true);
            assert.deepEqual(vm.tags, ["home", "talos", node.role].sort());
            const image = graph.get(FILE, `home-talos-image-${node.host}`);
            assert.equal(vm.disks[0].interface, "scsi0");
            assert.equal(vm.disks[0].size, 64);
            assert.equal(vm.disks[0].fileId, `local:iso/${image.inputs.fileName}`);
            assert.deepEqual(vm.disks[0].fileFormat, "raw");
        });
    }

    it("replaces a VM (fixed vmId, MAC and address) and its Talos config by deleting first", () => {
        for (const node of home) {
            assert.equal(graph.get(VM, `home-vms-${node.name}`).deleteBeforeReplace, true, node.name);
            assert.equal(
                graph.get("talos:machine/configurationApply:ConfigurationApply", `home-talos-${node.name}`).deleteBeforeReplace,
                true,
                node.name,
            );
        }
    });

    it("boots each VM from the image on its own host, and only that one", () => {
        for (const node of home) {
            const vm = graph.get(VM, `home-vms-${node.name}`);
            for (const other of home) {
                const image = graph.get(FILE, `home-talos-image-${other.host}`);
                assert.equal(vm.propertyDependencies.disks.includes(image.urn), other.host === node.host, `${node.name} / ${other.host}`);
            }
        }
    });

    it("downloads the nocloud image of the schematic once per host in use, never re-downloading, taking over a leftover file", () => {
        const schematic = graph.get("talos:imageFactory/schematic:Schematic", "home-talos-image-schematic");
        assert.equal(
            schematic.inputs.schematic,
            "customization:\n  systemExtensions:\n    officialExtensions:\n      - siderolabs/qemu-guest-agent\n",
        );
        const files = graph.ofType(FILE);
        assert.deepEqual(
            files.map((f) => f.inputs.nodeName),
            ["pve1", "pve2", "pve3", "pve4"],
        );
        for (const file of files) {
            assert.match(
                file.inputs.url as string,
                new RegExp(`^https://factory\\.talos\\.dev/image/[0-9a-f]{64}/${versions.talos.version}/nocloud-amd64\\.raw\\.gz$`),
            );
            assert.match(file.inputs.fileName as string, /\.img$/);
            assert.equal(file.inputs.overwrite, false);
            assert.equal(file.inputs.overwriteUnmanaged, true, "a file left by a lost state must not stop the run");
            assert.equal(file.inputs.contentType, "iso");
            assert.equal(file.inputs.decompressionAlgorithm, "gz");
            assert.equal(file.inputs.datastoreId, "local");
            assert.ok(file.propertyDependencies.url.includes(schematic.urn));
        }
    });

    it("downloads only to hosts that run a node", async () => {
        const values = homeValues();
        values["homelab:nodes"][3].host = "pve1";
        const moved = await runStack(values);
        assert.deepEqual(
            moved.ofType(FILE).map((f) => f.inputs.nodeName),
            ["pve1", "pve2", "pve3"],
        );
    });

    it("uses one Proxmox provider, with the API token and SSH key as secrets and each host's SSH address", () => {
        const [provider] = graph.ofType("pulumi:providers:proxmoxve");
        assert.equal(provider.inputs.endpoint, "https://172.16.1.2:8006");
        assert.ok(provider.secretPaths.includes("/apiToken"));
        const ssh = JSON.parse(provider.inputs.ssh as string);
        assert.deepEqual(
            ssh.nodes,
            home.map((n, i) => ({ name: n.host, address: `172.16.1.${i + 2}` })),
        );
        assert.ok(provider.secretPaths.includes("/ssh"), "the ssh block carries the private key");
        const proxmoxResources = graph.resources.filter((r: Registration) => r.type.startsWith("proxmoxve:"));
        assert.ok(proxmoxResources.length > 0);
        for (const r of proxmoxResources) assert.equal(Graph.providerUrn(r.provider), provider.urn, r.urn);
    });
});
