import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as path from "path";
import { customResourceTypes, dynamicResourceTypes } from "../../components/custom-resources";
import { handlers } from "../../provider/handlers";
import { Graph } from "../../tools/offline/graph";
import { homeValues, runStack } from "../harness/home";

// Our custom resources in the home graph: each a resource of our provider plugin (homelab:<area>:<Name>, served
// by provider/), each aliased to the dynamic type it had until issue 23, with its own name and parent, so a stack
// built with the dynamic providers keeps every one (test/engine/migration.engine.ts shows it with the real engine).

describe("our custom resources", () => {
    let graph: Graph;
    before(async () => {
        // Minting on, so the token term is in the graph too.
        const values = homeValues();
        values["homelab:cloudflare"].mintDnsToken = true;
        delete values["homelab:cloudflareDnsToken"];
        graph = await runStack(values);
    });

    it("are the provider's types, and the provider serves every one", () => {
        const ours = graph.resources.filter((r) => r.custom && r.type.startsWith("homelab:"));
        const counts = Object.fromEntries(
            Object.values(customResourceTypes).map((type) => [type, ours.filter((r) => r.type === type).length]),
        );
        assert.deepEqual(counts, {
            "homelab:talos:TalosRollout": 2,
            "homelab:talos:MaintenanceApply": 4,
            "homelab:talos:KubernetesNode": 4,
            "homelab:kubernetes:ApiReady": 1,
            "homelab:kubernetes:NodesReady": 1,
            "homelab:dns:AdguardForwarder": 1,
            "homelab:dns:TechnitiumForwarder": 1,
            "homelab:cloudflare:TokenTerm": 1,
        });
        assert.equal(ours.length, 15, "no other homelab:* custom resource");
        assert.deepEqual(Object.keys(handlers).sort(), Object.values(customResourceTypes).sort());
        assert.ok(
            ours.every((r) => r.provider === ""),
            "the default provider of package homelab: the plugin Pulumi.yaml names",
        );
    });

    it("each carries one alias: its dynamic type, under the same name and parent", () => {
        const kinds = Object.keys(customResourceTypes) as (keyof typeof customResourceTypes)[];
        for (const kind of kinds) {
            for (const r of graph.ofType(customResourceTypes[kind]))
                assert.deepEqual(r.aliases, [{ type: dynamicResourceTypes[kind] }], r.urn);
        }
        assert.equal(
            graph.get(customResourceTypes.TalosRollout, "home-talos-upgrade").aliases[0].type,
            "pulumi-nodejs:dynamic/talos:TalosRollout",
        );
        assert.equal(
            graph.get(customResourceTypes.KubernetesNodesReady, "home-ready-nodes").aliases[0].type,
            "pulumi-nodejs:dynamic/talos:KubernetesNodesReady",
        );
    });

    it("carry no serialized provider code among their inputs", () => {
        for (const r of graph.resources.filter((x) => x.type.startsWith("homelab:") && x.custom))
            assert.ok(!("__provider" in r.inputs), r.urn);
    });
});

describe("the program's process", () => {
    it("loads none of the libraries our custom resources' operations use: those run in the provider plugin", function () {
        this.timeout(60_000);
        // Every module the program's own files load, as `pulumi up` loads them (transpiled, not run). @grpc/grpc-js is
        // the SDK's own (its engine connection), so the Talos client's protos (protobufjs) stand for the Talos API.
        const script = `require("ts-node").register({ transpileOnly: true }); require("./components/homelab");
            console.log(JSON.stringify(Object.keys(require.cache)))`;
        const loaded: string[] = JSON.parse(
            execFileSync(process.execPath, ["-e", script], { cwd: path.resolve(__dirname, "../.."), encoding: "utf8" }),
        );
        const libraries = loaded
            .map((file) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file)?.[1])
            .filter((name): name is string => Boolean(name));
        assert.deepEqual(
            [...new Set(libraries)].filter((name) => ["protobufjs", "undici"].includes(name)),
            [],
        );
        const ours = loaded
            .filter((file) => !file.includes("node_modules"))
            .map((file) => path.relative(path.resolve(__dirname, "../.."), file));
        const clients = [
            "components/http/client.ts",
            "components/talos/api/client.ts",
            "components/talos/api/kubeconfig.ts",
            "components/talos/rollout/run.ts",
            "components/dns/adguard-api.ts",
            "components/dns/technitium-api.ts",
            "components/proxmox/power-cycle.ts",
        ];
        assert.deepEqual(
            ours.filter((file) => file.startsWith("provider/") || clients.includes(file)),
            [],
        );
        assert.ok(ours.includes("components/talos/rollout/resource.ts"), "the check saw the TalosRollout's own module");
        assert.ok(libraries.includes("@pulumi/pulumi"), "the check saw the program's modules");
    });
});
