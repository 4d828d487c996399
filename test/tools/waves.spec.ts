import { strict as assert } from "assert";
import { Registration } from "../../tools/offline/record";
import { durationOf } from "../../tools/durations";
import { buildOrder } from "../../tools/waves";
import { toDot } from "../../tools/graph-dot";

function resource(name: string, type: string, dependencies: string[] = [], extra: Partial<Registration> = {}): Registration {
    return {
        urn: `urn:${name}`,
        type,
        name,
        custom: true,
        remote: false,
        parent: "urn:root",
        dependencies: dependencies.map((d) => `urn:${d}`),
        propertyDependencies: {},
        provider: "",
        protect: false,
        retainOnDelete: false,
        ignoreChanges: [],
        additionalSecretOutputs: [],
        replaceOnChanges: [],
        replaceWith: [],
        deletedWith: "",
        deleteBeforeReplace: false,
        aliases: [],
        version: "",
        pluginDownloadURL: "",
        inputs: {},
        secretPaths: [],
        ...extra,
    };
}

describe("build waves and critical path", () => {
    // A VM (150 s) and a DNS record (3 s) start at once; the staged apply (5 s) needs the VM, the first apply
    // (90 s: install and reboot) the staged one; a chart needs the first apply and the record.
    const root = { ...resource("root", "homelab:index:Homelab"), custom: false, parent: "" };
    const graph = [
        root,
        resource("vm", "proxmoxve:index/vmLegacy:VmLegacy"),
        resource("record", "cloudflare:index/dnsRecord:DnsRecord"),
        resource("apply", "talos:machine/configurationApply:ConfigurationApply", ["vm"]),
        resource("first-apply", "homelab:talos:MaintenanceApply", ["apply"]),
        resource("chart", "kubernetes:helm.sh/v4:Chart", ["first-apply", "record"], { custom: false, remote: true }),
    ];

    it("puts each resource one wave after its latest dependency, components in none", () => {
        const order = buildOrder(graph);
        assert.deepEqual(
            order.waves.map((w) => w.map((s) => s.name)),
            [["record", "vm"], ["apply"], ["first-apply"], ["chart"]],
            "URN order within a wave",
        );
    });

    it("follows the slowest chain for the critical path and its estimate", () => {
        const order = buildOrder(graph);
        assert.deepEqual(
            order.criticalPath.map((s) => s.name),
            ["vm", "apply", "first-apply", "chart"],
        );
        assert.equal(order.estimateSeconds, 150 + 5 + 90 + 90);
    });

    it("counts a provider as a dependency", () => {
        const provider = resource("k8s", "pulumi:providers:kubernetes", ["first-apply"]);
        const ns = resource("ns", "kubernetes:core/v1:Namespace", [], { provider: "urn:k8s::id" });
        assert.deepEqual(buildOrder([...graph, provider, ns]).steps.find((s) => s.name === "ns")!.wave, 4);
    });

    it("writes the install and reboot on the first apply, which applies in maintenance mode, not on the staged apply", () => {
        const of = (type: string) => durationOf(resource("r", type));
        assert.deepEqual(of("talos:machine/configurationApply:ConfigurationApply"), {
            seconds: 5,
            what: "staged config apply: persisted for the next boot, no reboot",
            source: "Talos v1.13.9 ApplyConfiguration (STAGED); estimate",
        });
        assert.deepEqual(of("homelab:talos:MaintenanceApply"), {
            seconds: 90,
            what: "first apply in maintenance mode: install to disk and reboot",
            source: "our estimate",
        });
        assert.equal(of("homelab:talos:TalosRollout").seconds, 0, "a first run records the rollout, dialling no node");
        assert.equal(of("homelab:talos:KubernetesNode").seconds, 0);
        assert.equal(of("homelab:cloudflare:TokenTerm").seconds, 0);
        assert.equal(of("homelab:dns:AdguardForwarder").what, "home DNS server API call");
        assert.equal(of("homelab:dns:TechnitiumForwarder").what, "home DNS server API call");
        assert.equal(of("homelab:talos:MaintenanceApply").what.includes("DNS"), false);
    });

    it("refuses a cycle", () => {
        assert.throws(() => buildOrder([resource("a", "x:y:Z", ["b"]), resource("b", "x:y:Z", ["a"])]), /dependency cycle/);
    });

    it("draws every edge once and the critical path in red", () => {
        const dot = toDot(graph, buildOrder(graph));
        assert.equal((dot.match(/ -> /g) ?? []).length, 4);
        assert.match(dot, /"urn:vm" -> "urn:apply" \[color="#d62728"/);
        assert.match(dot, /"urn:record" -> "urn:chart";/);
    });
});
