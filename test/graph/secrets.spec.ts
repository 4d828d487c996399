import { strict as assert } from "assert";
import { Graph } from "../../tools/offline/graph";
import { canary, homeValues, runStack } from "../harness/home";

const mainToken = canary("homelab:cloudflareApiToken");
const userDnsToken = canary("homelab:cloudflareDnsToken");
/** The Kubernetes Secrets whose inputs hold this value anywhere, by name. */
const secretsHolding = (graph: Graph, value: string) =>
    graph
        .ofType("kubernetes:core/v1:Secret")
        .filter((s) => JSON.stringify(s.inputs).includes(value))
        .map((s) => s.name);
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
        assert.ok(
            leaks.some((l) => l.endsWith("/apiToken")),
            leaks.join("\n"),
        );
    });

    describe("the main Cloudflare token (account-wide: it can repoint the tunnel) is in no Kubernetes Secret", () => {
        it("by default cert-manager gets homelab:cloudflareDnsToken, no token is minted, and nothing in the graph can create tokens", async () => {
            const graph = await runStack();
            assert.equal(graph.run.error, undefined);
            assert.deepEqual(secretsHolding(graph, mainToken), []);
            assert.equal(certManagerToken(graph), userDnsToken);
            assert.deepEqual(graph.ofType("cloudflare:index/apiToken:ApiToken"), []);
            assert.deepEqual(
                graph.run.invokes.filter((i) => i.token.includes("PermissionGroups")),
                [],
                "no lookup a token needs API Tokens permissions for",
            );
            assert.deepEqual(
                graph.ofType("pulumi:providers:cloudflare").map((p) => p.name),
                ["home-cloudflare"],
            );
        });

        it("with mintDnsToken cert-manager gets a minted token that expires with its term, made by a provider holding no stored token", async () => {
            const values = homeValues();
            values["homelab:cloudflare"].mintDnsToken = true;
            const graph = await runStack(values, ["homelab:cloudflareDnsToken"]);
            assert.equal(graph.run.error, undefined, String(graph.run.error));
            assert.deepEqual(secretsHolding(graph, mainToken), []);
            assert.equal(certManagerToken(graph), "CANARY-scoped-cloudflare-token");
            const token = graph.get("cloudflare:index/apiToken:ApiToken", "home-edge-dns-token");
            const term = graph.get("homelab:cloudflare:TokenTerm", "home-edge-dns-token-term");
            assert.equal(token.inputs.expiresOn, "2026-04-01T00:00:00Z");
            assert.deepEqual(token.propertyDependencies.expiresOn, [term.urn]);
            const minter = graph.get("pulumi:providers:cloudflare", "home-cloudflare-token-minter");
            assert.equal(Graph.providerUrn(token.provider), minter.urn);
            assert.deepEqual(minter.inputs, {}, "no token in the minting provider's inputs: it reads CLOUDFLARE_API_TOKEN itself");
            assert.ok(graph.dependsOn(graph.get("kubernetes:core/v1:Secret", "home-cert-manager-cloudflare-token"), token));
            assert.deepEqual(graph.leaks("CANARY"), []);
        });

        it("without homelab:cloudflare there is no edge, and cert-manager gets homelab:cloudflareDnsToken", async () => {
            const values = homeValues();
            delete values["homelab:cloudflare"];
            const graph = await runStack(values);
            assert.equal(graph.run.error, undefined, String(graph.run.error));
            assert.deepEqual(
                graph.resources.filter((r) => r.type.startsWith("cloudflare:")),
                [],
            );
            assert.deepEqual(secretsHolding(graph, mainToken), []);
            assert.equal(certManagerToken(graph), userDnsToken);
        });

        it("the check finds the main token where it is (it can fail)", async () => {
            const graph = await runStack();
            const tampered = graph.run.resources.map((r) =>
                r.name === "home-cloudflared-token" ? { ...r, inputs: { ...r.inputs, stringData: { TUNNEL_TOKEN: mainToken } } } : r,
            );
            assert.deepEqual(secretsHolding(new Graph({ ...graph.run, resources: tampered }), mainToken), ["home-cloudflared-token"]);
        });
    });
});
