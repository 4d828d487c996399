import { strict as assert } from "assert";
import { Registration } from "../../tools/offline/record";
import { buildPlan } from "../../tools/waves";
import { toDot } from "../../tools/graph-dot";

function resource(name: string, type: string, dependencies: string[] = [], extra: Partial<Registration> = {}): Registration {
    return {
        urn: `urn:${name}`, type, name, custom: true, remote: false, parent: "urn:root", dependencies: dependencies.map((d) => `urn:${d}`),
        propertyDependencies: {}, provider: "", protect: false, retainOnDelete: false, ignoreChanges: [], additionalSecretOutputs: [],
        replaceOnChanges: [], replaceWith: [], deletedWith: "", deleteBeforeReplace: false, aliases: [], version: "", pluginDownloadURL: "", inputs: {}, secretPaths: [], ...extra,
    };
}

describe("build waves and critical path", () => {
    // A VM (150 s) and a DNS record (3 s) start at once; the apply (90 s) needs the VM; a chart needs both.
    const root = { ...resource("root", "homelab:index:Homelab"), custom: false, parent: "" };
    const graph = [
        root,
        resource("vm", "proxmoxve:index/vmLegacy:VmLegacy"),
        resource("record", "cloudflare:index/dnsRecord:DnsRecord"),
        resource("apply", "talos:machine/configurationApply:ConfigurationApply", ["vm"]),
        resource("chart", "kubernetes:helm.sh/v4:Chart", ["apply", "record"], { custom: false, remote: true }),
    ];

    it("puts each resource one wave after its latest dependency, components in none", () => {
        const plan = buildPlan(graph);
        assert.deepEqual(plan.waves.map((w) => w.map((s) => s.name)), [["record", "vm"], ["apply"], ["chart"]], "URN order within a wave");
    });

    it("follows the slowest chain for the critical path and its estimate", () => {
        const plan = buildPlan(graph);
        assert.deepEqual(plan.criticalPath.map((s) => s.name), ["vm", "apply", "chart"]);
        assert.equal(plan.estimateSeconds, 150 + 90 + 90);
    });

    it("counts a provider as a dependency", () => {
        const provider = resource("k8s", "pulumi:providers:kubernetes", ["apply"]);
        const ns = resource("ns", "kubernetes:core/v1:Namespace", [], { provider: "urn:k8s::id" });
        assert.deepEqual(buildPlan([...graph, provider, ns]).steps.find((s) => s.name === "ns")!.wave, 3);
    });

    it("refuses a cycle", () => {
        assert.throws(() => buildPlan([resource("a", "x:y:Z", ["b"]), resource("b", "x:y:Z", ["a"])]), /dependency cycle/);
    });

    it("draws every edge once and the critical path in red", () => {
        const dot = toDot(graph, buildPlan(graph));
        assert.equal((dot.match(/ -> /g) ?? []).length, 3);
        assert.match(dot, /"urn:vm" -> "urn:apply" \[color="#d62728"/);
        assert.match(dot, /"urn:record" -> "urn:chart";/);
    });
});
