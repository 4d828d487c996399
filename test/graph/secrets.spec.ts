import { strict as assert } from "assert";
import { Graph } from "../../tools/offline/graph";
import { canary, homeValues, runStack } from "../harness/home";

const mainToken = canary("homelab:cloudflareApiToken");
const userDnsToken = canary("homelab:cloudflareDnsToken");
/** The Kubernetes Secrets whose inputs hold this value anywhere, by name. */
const secretsHolding = (graph: Graph, value: string) =>
    graph.ofType("kubernetes:core/v1:Secret").filter((s) => JSON.stringify(s.inputs).includes(value)).map((s) => s.name);
const certManagerToken = (graph: Graph) =>
    (graph.get("kubernetes:core/v1:Secret", "home-cert-manager-cloudflare-token").inputs.stringData as Record<string, string>)["api-token"];

describe("secrets", () => {
    it("never lets a secret value (config secret or provider-generated) appear outside a secret", async () => {
        const graph = await runStack();
        assert.equal(graph.run.error, undefined);
        assert.deepEqual(graph.leaks("CANARY"), []);
    });

    it("detects a leak when a secret is passed in plain text (the check can fail)", async () => {
        const graph = await runStack();
        const provider = graph.ofType("pulumi:providers:proxmoxve")[0];
        const tampered = { ...graph.run, resources: [{ ...provider, secretPaths: [] }] };
        const leaks = new (graph.constructor as typeof import("../../tools/offline/graph").Graph)(tampered).leaks("CANARY");
        assert.ok(leaks.some((l) => l.endsWith("/apiToken")), leaks.join("\n"));
    });

    describe("the main Cloudflare token (account-wide: it can repoint the tunnel) is in no Kubernetes Secret", () => {
        it("by default cert-manager gets the zone-scoped token the edge mints", async () => {
            const graph = await runStack();
            assert.equal(graph.run.error, undefined);
            assert.deepEqual(secretsHolding(graph, mainToken), []);
            assert.equal(certManagerToken(graph), "CANARY-scoped-cloudflare-token");
            assert.ok(graph.dependsOn(graph.get("kubernetes:core/v1:Secret", "home-cert-manager-cloudflare-token"), graph.get("cloudflare:index/apiToken:ApiToken", "home-edge-dns-token")));
        });

        it("with scopedTokens false cert-manager gets homelab:cloudflareDnsToken, and no token is minted", async () => {
            const values = homeValues();
            values["homelab:cloudflare"].scopedTokens = false;
            values["homelab:cloudflareDnsToken"] = { secure: "v1:dns-only" };
            const graph = await runStack(values);
            assert.equal(graph.run.error, undefined, String(graph.run.error));
            assert.deepEqual(secretsHolding(graph, mainToken), []);
            assert.equal(certManagerToken(graph), userDnsToken);
            assert.deepEqual(graph.ofType("cloudflare:index/apiToken:ApiToken"), []);
            assert.deepEqual(graph.leaks("CANARY"), []);
        });

        it("without homelab:cloudflare there is no edge, and cert-manager gets homelab:cloudflareDnsToken", async () => {
            const values = homeValues();
            delete values["homelab:cloudflare"];
            values["homelab:cloudflareDnsToken"] = { secure: "v1:dns-only" };
            const graph = await runStack(values);
            assert.equal(graph.run.error, undefined, String(graph.run.error));
            assert.deepEqual(graph.resources.filter((r) => r.type.startsWith("cloudflare:")), []);
            assert.deepEqual(secretsHolding(graph, mainToken), []);
            assert.equal(certManagerToken(graph), userDnsToken);
        });

        it("the check finds the main token where it is (it can fail)", async () => {
            const graph = await runStack();
            const tampered = graph.run.resources.map((r) =>
                r.name === "home-cloudflared-token" ? { ...r, inputs: { ...r.inputs, stringData: { TUNNEL_TOKEN: mainToken } } } : r);
            assert.deepEqual(secretsHolding(new Graph({ ...graph.run, resources: tampered }), mainToken), ["home-cloudflared-token"]);
        });
    });
});
