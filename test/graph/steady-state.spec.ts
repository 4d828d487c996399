import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { Graph } from "../../tools/offline/graph";
import { deleteCalls } from "../../tools/offline/destroy-plan";
import { previewSteps } from "../../tools/offline/preview-steps";
import { evaluate, nodeDialingInvokes } from "../../tools/offline/engine";
import { knownSecrets, projectRoot, stackConfigFromObject } from "../../components/config/stack-file";
import { canary, homeValues, runStack } from "../harness/home";

// A built, unchanged stack: its preview dials no node (so one node down changes nothing), and the end of
// the stack skips the node resets that removing one node still runs.

describe("a built stack in steady state", () => {
    let built: Graph;
    before(async () => {
        built = await runStack();
        assert.equal(built.run.error, undefined);
    });

    async function preview(unreachable: string[] = []): Promise<Graph> {
        const values = homeValues();
        const stack = stackConfigFromObject(values, canary, knownSecrets(values));
        return new Graph(await evaluate(stack.config, stack.secretKeys, { previewAgainst: built.resources, unreachable }));
    }

    it("previews unchanged with no invoke that dials a node", async () => {
        const unchanged = await preview();
        assert.equal(unchanged.run.error, undefined);
        assert.deepEqual([...new Set(unchanged.run.invokes.map((i) => i.token))].sort(), [
            "cloudflare:index/getZeroTrustTunnelCloudflaredToken:getZeroTrustTunnelCloudflaredToken",
            "cloudflare:index/getZone:getZone",
            "talos:client/getConfiguration:getConfiguration",
            "talos:imageFactory/getUrls:getUrls",
            "talos:machine/getConfiguration:getConfiguration",
        ]);
        assert.deepEqual(
            unchanged.run.invokes.filter((i) => nodeDialingInvokes.includes(i.token)),
            [],
        );
        assert.deepEqual(
            previewSteps(built.resources, unchanged.resources).filter((s) => s.op !== "same"),
            [],
        );
    });

    it("previews unchanged with a worker and a control plane down", async () => {
        const down = await preview(["172.16.1.53", "172.16.1.51"]);
        assert.equal(down.run.error, undefined);
        assert.deepEqual(
            previewSteps(built.resources, down.resources).filter((s) => s.op !== "same"),
            [],
        );
    });

    it("would fail that preview if a health invoke still dialed the nodes (the fault is real)", async () => {
        const program = require.resolve("../harness/fixtures/health-invoke.ts");
        const run = await evaluate({}, [], { program, unreachable: ["172.16.1.53"] });
        assert.match(
            String(run.error?.message),
            /talos:cluster\/getHealth:getHealth: dial 172\.16\.1\.53: connection refused \(the node is down\)/,
        );
    });

    it("names in the README the exact URN to unprotect before ending the stack", () => {
        const readme = fs.readFileSync(path.join(projectRoot, "README.md"), "utf8");
        const urn = /pulumi state unprotect '([^']+)'/.exec(readme)?.[1];
        const secrets = built.get("talos:machine/secrets:Secrets", "home-talos-secrets");
        assert.equal(urn, secrets.urn);
        assert.equal(secrets.protect, true);
    });

    it("skips every node reset when the whole stack is destroyed, and resets a node removed alone", async () => {
        const secrets = built.get("talos:machine/secrets:Secrets", "home-talos-secrets");
        const applies = built.ofType("talos:machine/configurationApply:ConfigurationApply");
        assert.deepEqual(
            applies.map((a) => a.deletedWith),
            applies.map(() => secrets.urn),
        );
        const everything = new Set(built.resources.map((r) => r.urn));
        const destroy = deleteCalls(built.resources, everything);
        const nodeRecords = built.ofType("homelab:talos:KubernetesNode");
        assert.deepEqual(
            destroy
                .filter((d) => !d.providerDelete)
                .map((d) => d.name)
                .sort(),
            [...applies, ...nodeRecords].map((a) => a.name).sort(),
            "only the resets and the Node object deletes are skipped",
        );
        assert.ok(
            destroy.some((d) => d.name === "home-vms-talos-worker-1" && d.providerDelete),
            "the VMs are deleted",
        );

        const values = homeValues();
        values["homelab:nodes"] = values["homelab:nodes"].filter((n: { name: string }) => n.name !== "talos-worker-1");
        const shrunk = await runStack(values);
        const removed = new Set(
            previewSteps(built.resources, shrunk.resources)
                .filter((s) => s.op === "delete")
                .map((s) => s.urn),
        );
        assert.deepEqual(
            deleteCalls(built.resources, removed).sort((a, b) => a.name.localeCompare(b.name)),
            [
                { name: "home-talos-image-pve4", type: "proxmoxve:download/file:File", providerDelete: true },
                { name: "home-talos-talos-worker-1", type: "talos:machine/configurationApply:ConfigurationApply", providerDelete: true },
                { name: "home-talos-talos-worker-1-first-apply", type: "homelab:talos:MaintenanceApply", providerDelete: true },
                { name: "home-talos-talos-worker-1-node", type: "homelab:talos:KubernetesNode", providerDelete: true },
                { name: "home-vms-talos-worker-1", type: "proxmoxve:index/vmLegacy:VmLegacy", providerDelete: true },
            ],
        );
        // The engine deletes a resource only after everything that depends on it: the apply (its reset) goes
        // before the Node object's delete, which it depends on.
        const apply = built.get("talos:machine/configurationApply:ConfigurationApply", "home-talos-talos-worker-1");
        assert.ok(apply.dependencies.includes(built.get("homelab:talos:KubernetesNode", "home-talos-talos-worker-1-node").urn));
    });
});
