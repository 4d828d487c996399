import { strict as assert } from "assert";
import * as fc from "fast-check";
import * as YAML from "yaml";
import {
    clusterPatches,
    controlPlanePatches,
    kubePrismPort,
    machinePatches,
    MachineConfigPatch,
    NetworkDocument,
    nodeLinkAlias,
    nodePatches,
    renderPatches,
    TalosClusterPlan,
    TalosDocument,
    TalosNodePlan,
} from "../../../components/talos/plan/patches";
import { talosDocumentValidator, ValidateTalosDocument } from "../../harness/talos-schema";

const home: TalosClusterPlan = {
    clusterName: "home",
    vip: "172.16.1.49",
    nodeCidr: "172.16.1.0/24",
    prefixLength: 24,
    router: "172.16.1.1",
    nameservers: ["172.16.1.11", "172.16.1.10"],
    podCidr: "10.42.0.0/16",
    serviceCidr: "10.43.0.0/16",
    installImage: "factory.talos.dev/nocloud-installer/376567988ad370138ad8b2698212367b8edcb69b5fd68c80be1f2ec7d603b4ba:v1.13.9",
};
const controlPlane: TalosNodePlan = { name: "talos-cp-1", role: "controlplane", ip: "172.16.1.50", mac: "02:a1:b2:c3:d4:e5" };
const worker: TalosNodePlan = { name: "talos-worker-1", role: "worker", ip: "172.16.1.53", mac: "02:a1:b2:c3:d4:f8" };

type Kind = NetworkDocument["kind"];
type OfKind<K extends Kind> = Extract<NetworkDocument, { kind: K }>;

function ofKind<K extends Kind>(docs: readonly TalosDocument[], kind: K): OfKind<K>[] {
    return docs.filter((doc): doc is OfKind<K> => "kind" in doc && doc.kind === kind);
}

function onlyOfKind<K extends Kind>(docs: readonly TalosDocument[], kind: K): OfKind<K> {
    const found = ofKind(docs, kind);
    assert.equal(found.length, 1, `expected exactly one ${kind}, got ${found.length}`);
    return found[0];
}

/** The kind-less v1alpha1 machine-config documents. */
function machineConfigs(docs: readonly TalosDocument[]): MachineConfigPatch[] {
    return docs.filter((doc): doc is MachineConfigPatch => !("kind" in doc));
}

/** The same value with every object's keys in reverse insertion order. */
function reverseKeys(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(reverseKeys);
    if (!value || typeof value !== "object") return value;
    return Object.fromEntries(
        Object.entries(value)
            .reverse()
            .map(([key, inner]) => [key, reverseKeys(inner)]),
    );
}

describe("Talos patches: conformance with the v1.13.9 config schema", function () {
    let validate: ValidateTalosDocument;
    before(function () {
        validate = talosDocumentValidator(this);
    });

    const planDocuments: [string, TalosDocument[]][] = [
        ["clusterPatches", clusterPatches(home)],
        ["controlPlanePatches", controlPlanePatches(home)],
    ];
    for (const [name, docs] of planDocuments) {
        it(`every ${name} document validates with no errors`, function () {
            assert.ok(docs.length >= 1);
            docs.forEach((doc, i) => assert.deepEqual(validate(doc), [], `${name}[${i}]: ${JSON.stringify(doc)}`));
        });
    }
    for (const node of [controlPlane, worker]) {
        for (const [name, produce] of [
            ["nodePatches", nodePatches],
            ["machinePatches", machinePatches],
        ] as const) {
            it(`every ${name} document for ${node.name} validates with no errors`, function () {
                const docs = produce(home, node);
                assert.ok(docs.length >= 3);
                docs.forEach((doc, i) => assert.deepEqual(validate(doc), [], `${name}[${i}]: ${JSON.stringify(doc)}`));
            });
        }
        it(`the rendered YAML for ${node.name} parses back to documents that validate`, function () {
            for (const text of renderPatches(machinePatches(home, node))) {
                assert.deepEqual(validate(YAML.parse(text)), [], text);
            }
        });
    }

    it("validates node documents for any address, MAC and role", function () {
        const octet = fc.integer({ min: 0, max: 255 });
        const node = fc.record({
            name: fc.constantFrom("talos-cp-2", "talos-worker-9"),
            role: fc.constantFrom<TalosNodePlan["role"]>("controlplane", "worker"),
            ip: fc.integer({ min: 2, max: 254 }).map((last) => `172.16.1.${last}`),
            mac: fc
                .array(octet, { minLength: 5, maxLength: 5 })
                .map((rest) => ["02", ...rest.map((b) => b.toString(16).padStart(2, "0"))].join(":")),
        });
        fc.assert(
            fc.property(node, (n) => nodePatches(home, n).every((doc) => validate(doc).length === 0)),
            { numRuns: 100 },
        );
    });

    it("rejects an unknown key (Talos refuses unknown fields)", function () {
        const link = { ...onlyOfKind(nodePatches(home, controlPlane), "LinkConfig"), dhcp: false };
        assert.deepEqual(validate(link), ["network.LinkConfigV1Alpha1 / must NOT have additional properties 'dhcp'"]);
    });

    it("rejects a misspelt nested key in the machine config", function () {
        const doc = { machine: { features: { kubePrism: { enabled: true, prot: 7445 } } } };
        assert.deepEqual(validate(doc), ["v1alpha1.Config /machine/features/kubePrism must NOT have additional properties 'prot'"]);
    });

    it("rejects a sysctl given as a number instead of a string", function () {
        const doc = { machine: { sysctls: { "net.core.rmem_max": 7500000 } } };
        assert.deepEqual(validate(doc), ["v1alpha1.Config /machine/sysctls/net.core.rmem_max must be string"]);
    });

    it("rejects a VIP document without its address, and a value outside an enum", function () {
        assert.deepEqual(validate({ apiVersion: "v1alpha1", kind: "Layer2VIPConfig", link: nodeLinkAlias }), [
            "network.Layer2VIPConfigV1Alpha1 / must have required property 'name'",
        ]);
        assert.deepEqual(validate({ apiVersion: "v1alpha1", kind: "HostnameConfig", auto: "talos-addr" }), [
            'network.HostnameConfigV1Alpha1 /auto must be equal to one of the allowed values ["stable","off"]',
        ]);
    });

    it("rejects the legacy machine.network form, which the v1.13 schema no longer has", function () {
        const legacy = { machine: { network: { interfaces: [{ deviceSelector: { hardwareAddr: controlPlane.mac }, dhcp: false }] } } };
        assert.deepEqual(validate(legacy), ["v1alpha1.Config /machine must NOT have additional properties 'network'"]);
    });

    it("rejects a kind the release does not know, and a document that is neither kind nor machine config", function () {
        assert.deepEqual(validate({ apiVersion: "v1alpha1", kind: "VIPConfig", name: home.vip }), [
            "/ v1alpha1/VIPConfig is not a document kind in talos/v1.13.9/config.schema.json",
        ]);
        assert.deepEqual(validate({ hostname: "talos-cp-1" }), [
            "/ has no kind and is not a v1alpha1 machine config (no version, machine or cluster)",
        ]);
    });
});

describe("Talos patches: cluster-wide values", function () {
    const [machineConfig, ...rest] = clusterPatches(home) as [MachineConfigPatch, ...TalosDocument[]];

    it("leaves the CNI to Cilium and sets the pod and service networks", function () {
        assert.deepEqual(machineConfig.cluster?.network, {
            cni: { name: "none" },
            podSubnets: ["10.42.0.0/16"],
            serviceSubnets: ["10.43.0.0/16"],
        });
    });

    it("installs the factory image on the SCSI disk", function () {
        assert.deepEqual(machineConfig.machine?.install, { disk: "/dev/sda", image: home.installImage });
    });

    it("binds the kubelet to the node network", function () {
        assert.deepEqual(machineConfig.machine?.kubelet, { nodeIP: { validSubnets: ["172.16.1.0/24"] } });
    });

    it("enables KubePrism on port 7445 and keeps hostDNS forwarding CoreDNS to the host", function () {
        assert.equal(kubePrismPort, 7445);
        assert.deepEqual(machineConfig.machine?.features, {
            kubePrism: { enabled: true, port: 7445 },
            hostDNS: { enabled: true, forwardKubeDNSToHost: true },
        });
    });

    it("puts the VIP and 127.0.0.1 in the Talos API certificate", function () {
        assert.deepEqual(machineConfig.machine?.certSANs, ["127.0.0.1", "172.16.1.49"]);
    });

    it("sets cloudflared's UDP buffers and the inotify limits, as strings", function () {
        assert.deepEqual(machineConfig.machine?.sysctls, {
            "fs.inotify.max_user_instances": "8192",
            "fs.inotify.max_user_watches": "1048576",
            "net.core.rmem_max": "7500000",
            "net.core.wmem_max": "7500000",
        });
    });

    it("uses the LAN resolvers, in order, and nothing else", function () {
        assert.deepEqual(rest, [
            { apiVersion: "v1alpha1", kind: "ResolverConfig", nameservers: [{ address: "172.16.1.11" }, { address: "172.16.1.10" }] },
        ]);
    });

    it("leaves control-plane-only settings out", function () {
        assert.equal(machineConfig.cluster?.proxy, undefined);
        assert.equal(machineConfig.cluster?.etcd, undefined);
        assert.equal(machineConfig.cluster?.apiServer, undefined);
    });
});

describe("Talos patches: control-plane values", function () {
    const [patch] = machineConfigs(controlPlanePatches(home));

    it("disables kube-proxy, since Cilium replaces it", function () {
        assert.deepEqual(patch.cluster?.proxy, { disabled: true });
    });

    it("advertises etcd on the node network", function () {
        assert.deepEqual(patch.cluster?.etcd, { advertisedSubnets: ["172.16.1.0/24"] });
    });

    it("puts the VIP in the API server certificate", function () {
        assert.deepEqual(patch.cluster?.apiServer?.certSANs, ["127.0.0.1", "172.16.1.49"]);
    });
});

describe("Talos patches: per-node network", function () {
    const cpDocs = nodePatches(home, controlPlane);
    const workerDocs = nodePatches(home, worker);

    it("gives each node a static hostname with automatic naming off", function () {
        assert.deepEqual(onlyOfKind(cpDocs, "HostnameConfig"), {
            apiVersion: "v1alpha1",
            kind: "HostnameConfig",
            auto: "off",
            hostname: "talos-cp-1",
        });
        assert.equal(onlyOfKind(workerDocs, "HostnameConfig").hostname, "talos-worker-1");
    });

    it("selects the NIC by the node's MAC", function () {
        assert.deepEqual(onlyOfKind(cpDocs, "LinkAliasConfig"), {
            apiVersion: "v1alpha1",
            kind: "LinkAliasConfig",
            name: "net0",
            selector: { match: 'mac(link.hardware_addr) == "02:a1:b2:c3:d4:e5"' },
        });
        assert.equal(onlyOfKind(workerDocs, "LinkAliasConfig").selector.match, 'mac(link.hardware_addr) == "02:a1:b2:c3:d4:f8"');
    });

    it("compares MACs in the lower case Talos prints them in", function () {
        const upper = nodePatches(home, { ...controlPlane, mac: "02:A1:B2:C3:D4:E5" });
        assert.equal(onlyOfKind(upper, "LinkAliasConfig").selector.match, 'mac(link.hardware_addr) == "02:a1:b2:c3:d4:e5"');
    });

    it("puts the static address and default route on that NIC", function () {
        assert.deepEqual(onlyOfKind(cpDocs, "LinkConfig"), {
            apiVersion: "v1alpha1",
            kind: "LinkConfig",
            name: "net0",
            addresses: [{ address: "172.16.1.50/24" }],
            routes: [{ gateway: "172.16.1.1" }],
        });
        assert.deepEqual(onlyOfKind(workerDocs, "LinkConfig").addresses, [{ address: "172.16.1.53/24" }]);
    });

    it("announces the VIP on control planes only, on the MAC-selected NIC", function () {
        assert.deepEqual(ofKind(cpDocs, "Layer2VIPConfig"), [
            { apiVersion: "v1alpha1", kind: "Layer2VIPConfig", name: "172.16.1.49", link: "net0" },
        ]);
        assert.deepEqual(ofKind(workerDocs, "Layer2VIPConfig"), []);
        assert.deepEqual(ofKind(machinePatches(home, worker), "Layer2VIPConfig"), []);
    });

    it("refers to the NIC only through the alias the MAC selector defines", function () {
        const alias = onlyOfKind(cpDocs, "LinkAliasConfig").name;
        assert.equal(alias, nodeLinkAlias);
        assert.equal(onlyOfKind(cpDocs, "LinkConfig").name, alias);
        assert.equal(onlyOfKind(cpDocs, "Layer2VIPConfig").link, alias);
    });

    it("writes no DHCP document, so DHCP stays off once the LinkConfig exists", function () {
        const kinds = machinePatches(home, controlPlane).map((doc) => ("kind" in doc ? doc.kind : "v1alpha1"));
        assert.deepEqual(kinds, [
            "v1alpha1",
            "ResolverConfig",
            "v1alpha1",
            "HostnameConfig",
            "LinkAliasConfig",
            "LinkConfig",
            "Layer2VIPConfig",
        ]);
    });
});

describe("Talos patches: machinePatches", function () {
    it("applies cluster, then control-plane, then node patches", function () {
        assert.deepEqual(machinePatches(home, controlPlane), [
            ...clusterPatches(home),
            ...controlPlanePatches(home),
            ...nodePatches(home, controlPlane),
        ]);
    });

    it("gives workers no control-plane settings", function () {
        assert.deepEqual(machinePatches(home, worker), [...clusterPatches(home), ...nodePatches(home, worker)]);
        for (const patch of machineConfigs(machinePatches(home, worker))) {
            assert.equal(patch.cluster?.proxy, undefined);
            assert.equal(patch.cluster?.etcd, undefined);
        }
    });
});

describe("Talos patches: rendering", function () {
    it("renders the same input to identical strings", function () {
        assert.deepEqual(renderPatches(machinePatches(home, controlPlane)), renderPatches(machinePatches(home, controlPlane)));
    });

    it("renders independently of the order keys were written in", function () {
        const docs = machinePatches(home, controlPlane);
        const reversed = docs.map(reverseKeys) as TalosDocument[];
        assert.notEqual(JSON.stringify(reversed), JSON.stringify(docs));
        assert.deepEqual(renderPatches(reversed), renderPatches(docs));
    });

    it("sorts keys, keeps list order and round-trips to the same documents", function () {
        const docs = machinePatches(home, controlPlane);
        const texts = renderPatches(docs);
        assert.equal(texts.length, docs.length);
        assert.equal(texts[6], "apiVersion: v1alpha1\nkind: Layer2VIPConfig\nlink: net0\nname: 172.16.1.49\n");
        assert.equal(
            texts[1],
            "apiVersion: v1alpha1\nkind: ResolverConfig\nnameservers:\n  - address: 172.16.1.11\n  - address: 172.16.1.10\n",
        );
        assert.deepEqual(
            texts.map((text) => YAML.parse(text)),
            docs,
        );
    });

    it("quotes values a YAML 1.1 reader would turn into booleans or numbers", function () {
        const texts = renderPatches(machinePatches(home, controlPlane));
        assert.equal(texts[3], 'apiVersion: v1alpha1\nauto: "off"\nhostname: talos-cp-1\nkind: HostnameConfig\n');
        assert.match(texts[0], /^ {4}net\.core\.rmem_max: "7500000"$/m);
        assert.match(texts[0], new RegExp(`^ {4}image: ${home.installImage.replace(/[.]/g, "\\.")}$`, "m"));
    });
});
