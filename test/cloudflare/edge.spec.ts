import { strict as assert } from "assert";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import type * as edgeModule from "../../components/cloudflare/edge";
import { edgePlan, tunnelIngressConfig } from "../../components/cloudflare/plan/edge";
import type { TokenTermInputs } from "../../components/cloudflare/token-term";
import { tokenTerm } from "../../provider/token-term";
import { evaluate } from "../../tools/offline/engine";
import { Graph } from "../../tools/offline/graph";
import { canary, homeValues } from "../harness/home";
import { Registration } from "../../tools/offline/record";
import { knownSecrets, stackConfigFromObject } from "../../components/config/stack-file";
import { HomeValues, homeSpec, publishFirstApp } from "../harness/home";

// CloudflareEdge and Cloudflared under the offline engine, through test/cloudflare/edge-program.ts.

const program = path.resolve(__dirname, "edge-program.ts");

async function runEdge(edit: (values: HomeValues) => void = () => undefined): Promise<Graph> {
    const values = homeValues();
    edit(values);
    const stack = stackConfigFromObject(values, canary, knownSecrets(values));
    const graph = new Graph(await evaluate(stack.config, stack.secretKeys, { program }));
    assert.equal(graph.run.error, undefined);
    return graph;
}

const isCloudflare = (r: Registration) => r.type.startsWith("cloudflare:");

describe("CloudflareEdge and Cloudflared, home stack", () => {
    let graph: Graph;
    before(async () => {
        graph = await runEdge();
    });
    const edge = () => graph.get("homelab:cloudflare:CloudflareEdge", "edge");
    const tunnel = () => graph.get("cloudflare:index/zeroTrustTunnelCloudflared:ZeroTrustTunnelCloudflared", "edge-tunnel");
    const tunnelId = () => graph.run.exports.tunnelId.value as string;
    const invoke = (token: string) => graph.run.invokes.filter((i) => i.token === token);

    it("creates the tunnel, its config and the one public record inside the component, all through the given provider, and no token", () => {
        assert.deepEqual(
            graph
                .children(edge())
                .map((r) => [r.type, r.name])
                .sort(),
            [
                ["cloudflare:index/dnsRecord:DnsRecord", "edge-dns-external.ragas.cc"],
                ["cloudflare:index/zeroTrustTunnelCloudflared:ZeroTrustTunnelCloudflared", "edge-tunnel"],
                ["cloudflare:index/zeroTrustTunnelCloudflaredConfig:ZeroTrustTunnelCloudflaredConfig", "edge-tunnel-config"],
            ],
        );
        const provider = graph.get("pulumi:providers:cloudflare", "cloudflare");
        for (const r of graph.children(edge())) assert.equal(Graph.providerUrn(r.provider), provider.urn, r.name);
        assert.deepEqual(provider.secretPaths, ["/apiToken"]);
    });

    it("looks the zone up by the domain and takes the account from it (homelab:cloudflare.accountId is unset)", () => {
        assert.deepEqual(
            invoke("cloudflare:index/getZone:getZone").map((i) => i.args),
            [{ filter: { name: "ragas.cc" } }],
        );
        assert.match(graph.run.exports.accountId.value as string, /^[0-9a-f]{32}$/);
        assert.deepEqual(
            tunnel().inputs,
            { accountId: graph.run.exports.accountId.value, name: "home", configSrc: "cloudflare" },
            "no tunnelSecret: Cloudflare generates it",
        );
    });

    it("configures the tunnel remotely with the ingress rules", () => {
        const config = graph.get(
            "cloudflare:index/zeroTrustTunnelCloudflaredConfig:ZeroTrustTunnelCloudflaredConfig",
            "edge-tunnel-config",
        );
        assert.deepEqual(config.inputs, {
            accountId: graph.run.exports.accountId.value,
            tunnelId: tunnelId(),
            source: "cloudflare",
            config: tunnelIngressConfig("ragas.cc"),
        });
        assert.deepEqual(config.propertyDependencies.tunnelId, [tunnel().urn]);
    });

    it("points external.ragas.cc, proxied, at the tunnel", () => {
        const record = graph.get("cloudflare:index/dnsRecord:DnsRecord", "edge-dns-external.ragas.cc");
        assert.match(tunnelId(), /^[0-9a-f]{8}-0000-4000-8000-[0-9a-f]{12}$/);
        const { zoneId, ...rest } = record.inputs;
        assert.match(zoneId as string, /^[0-9a-f]{32}$/);
        assert.deepEqual(rest, {
            name: "external.ragas.cc",
            type: "CNAME",
            content: `${tunnelId()}.cfargotunnel.com`,
            proxied: true,
            ttl: 1,
            comment: "homelab: managed by Pulumi",
        });
        assert.deepEqual(record.propertyDependencies.content, [tunnel().urn]);
    });

    it("reads the tunnel token for the tunnel and keeps it and the DNS token secret", () => {
        assert.deepEqual(
            invoke("cloudflare:index/getZeroTrustTunnelCloudflaredToken:getZeroTrustTunnelCloudflaredToken").map((i) => i.args),
            [{ accountId: graph.run.exports.accountId.value, tunnelId: tunnelId() }],
        );
        assert.deepEqual(graph.run.exports.tunnelToken, { value: "CANARY-tunnel-token", secret: true });
        // Minting is opt-in: by default the edge makes no token, and nothing asks for a permission to make one.
        assert.deepEqual(graph.run.exports.dnsToken, { value: undefined, secret: false });
        assert.deepEqual(graph.ofType("cloudflare:index/apiToken:ApiToken"), []);
        assert.deepEqual(invoke("cloudflare:index/getApiTokenPermissionGroupsList:getApiTokenPermissionGroupsList"), []);
        assert.deepEqual(graph.leaks("CANARY"), []);
    });

    it("hands the token to cloudflared only through its Secret", () => {
        const secret = graph.get("kubernetes:core/v1:Secret", "cloudflared-token");
        assert.deepEqual(secret.inputs.metadata, { name: "cloudflared-tunnel", namespace: "network" });
        assert.deepEqual(secret.inputs.stringData, { TUNNEL_TOKEN: "CANARY-tunnel-token" });
        assert.ok(
            secret.secretPaths.some((p) => p === "/stringData" || p === "/stringData/TUNNEL_TOKEN"),
            secret.secretPaths.join(),
        );
        const deployment = graph.get("kubernetes:apps/v1:Deployment", "cloudflared-deployment");
        assert.ok(!JSON.stringify(deployment.inputs).includes("CANARY"));
        const spec = deployment.inputs.spec as {
            template: { metadata: { annotations: Record<string, string> }; spec: { containers: { env: unknown }[] } };
        };
        assert.deepEqual(spec.template.spec.containers[0].env, [
            { name: "TUNNEL_TOKEN", valueFrom: { secretKeyRef: { name: "cloudflared-tunnel", key: "TUNNEL_TOKEN" } } },
        ]);
        assert.deepEqual(spec.template.metadata.annotations, { "homelab/tunnel-id": tunnelId() });
        assert.ok(deployment.dependencies.includes(secret.urn), "the Deployment waits for its Secret");
        const namespace = graph.get("kubernetes:core/v1:Namespace", "network");
        for (const r of [secret, deployment]) assert.ok(r.dependencies.includes(namespace.urn), r.name);
        assert.equal(graph.get("homelab:kubernetes:Cloudflared", "cloudflared").urn, deployment.parent);
    });

    it("builds the Cloudflare side without waiting for anything in the cluster", () => {
        const cluster = graph.resources.filter((r) => r.type.startsWith("kubernetes:") || r.type === "pulumi:providers:kubernetes");
        assert.deepEqual(cluster.map((r) => r.type).sort(), [
            "kubernetes:apps/v1:Deployment",
            "kubernetes:cilium.io/v2:CiliumNetworkPolicy",
            "kubernetes:core/v1:Namespace",
            "kubernetes:core/v1:Secret",
            "pulumi:providers:kubernetes",
        ]);
        for (const r of graph.resources.filter(isCloudflare)) {
            for (const k of cluster) assert.ok(!graph.dependsOn(r, k), `${r.name} waits for ${k.name}`);
        }
    });
});

describe("CloudflareEdge, configured account and an external app", () => {
    let graph: Graph;
    before(async () => {
        graph = await runEdge((v) => {
            v["homelab:cloudflare"].accountId = "0123456789abcdef0123456789abcdef";
            publishFirstApp(v);
        });
    });

    it("looks the zone up within the configured account and creates the tunnel there", () => {
        const zone = graph.run.invokes.filter((i) => i.token === "cloudflare:index/getZone:getZone").map((i) => i.args);
        assert.deepEqual(zone, [{ filter: { name: "ragas.cc", account: { id: "0123456789abcdef0123456789abcdef" } } }]);
        const tunnel = graph.get("cloudflare:index/zeroTrustTunnelCloudflared:ZeroTrustTunnelCloudflared", "edge-tunnel");
        assert.equal(tunnel.inputs.accountId, "0123456789abcdef0123456789abcdef");
    });

    it("publishes the app as a proxied CNAME to external.ragas.cc, next to the tunnel's record", () => {
        // Registration order follows when inputs resolve (the tunnel's id comes last), so compare by name.
        const records = graph
            .ofType("cloudflare:index/dnsRecord:DnsRecord")
            .map((r) => [r.name, r.inputs.content, r.inputs.proxied])
            .sort();
        const id = graph.run.exports.tunnelId.value as string;
        assert.deepEqual(records, [
            ["edge-dns-external.ragas.cc", `${id}.cfargotunnel.com`, true],
            ["edge-dns-myapp.ragas.cc", "external.ragas.cc", true],
        ]);
        assert.equal(homeSpec(publishFirstApp).apps[0].hostname, "myapp.ragas.cc");
    });
});

/** Waits for an output's value and whether it is secret, without `done()` inside `apply`. */
function unwrap<T>(output: pulumi.Output<T>): Promise<{ value: T; secret: boolean }> {
    return new Promise((resolve) => output.apply((value) => void pulumi.isSecret(output).then((secret) => resolve({ value, secret }))));
}

describe("CloudflareEdge with mintDnsToken", () => {
    const created: { type: string; name: string; inputs: Record<string, unknown> }[] = [];
    const calls: { token: string; inputs: Record<string, unknown>; provider?: string }[] = [];
    const tokenProviders: (string | undefined)[] = [];
    let edge: typeof edgeModule;
    let cloudflareModule: typeof import("@pulumi/cloudflare");

    before(() => {
        // The permission-group list is not among the harness' invokes, so this suite brings its own mocks.
        pulumi.runtime.setMocks(
            {
                newResource: (args) => {
                    created.push({ type: args.type, name: args.name, inputs: args.inputs });
                    if (args.type === "cloudflare:index/apiToken:ApiToken") tokenProviders.push(args.provider);
                    const outputs =
                        args.type === "cloudflare:index/apiToken:ApiToken"
                            ? { value: "scoped-token-value" }
                            : args.type === "homelab:cloudflare:TokenTerm"
                              ? tokenTerm(args.inputs as TokenTermInputs, Date.parse("2026-01-01T00:00:00Z"))
                              : {};
                    return { id: `${args.name}-id`, state: { ...args.inputs, ...outputs } };
                },
                call: (args) => {
                    calls.push({ token: args.token, inputs: args.inputs, provider: args.provider });
                    switch (args.token) {
                        case "cloudflare:index/getZone:getZone":
                            return { id: "zone-id", account: { id: "account-id" } };
                        case "cloudflare:index/getZeroTrustTunnelCloudflaredToken:getZeroTrustTunnelCloudflaredToken":
                            return { ...args.inputs, token: "tunnel-token" };
                        case "cloudflare:index/getApiTokenPermissionGroupsList:getApiTokenPermissionGroupsList":
                            return {
                                results: [
                                    {
                                        id: "zone-read-id",
                                        name: "Zone Read",
                                        scopes: ["com.cloudflare.api.account.zone"],
                                        category: "dns_and_zones",
                                        isSelectable: true,
                                    },
                                    {
                                        id: "dns-write-id",
                                        name: "DNS Write",
                                        scopes: ["com.cloudflare.api.account.zone"],
                                        category: "dns_and_zones",
                                        isSelectable: true,
                                    },
                                    {
                                        id: "dns-read-id",
                                        name: "DNS Read",
                                        scopes: ["com.cloudflare.api.account.zone"],
                                        category: "dns_and_zones",
                                        isSelectable: true,
                                    },
                                ],
                            };
                    }
                    throw new Error(`the mock engine has no answer for invoke ${args.token}`);
                },
            },
            "homelab",
            "test",
            false,
        );
        edge = require("../../components/cloudflare/edge");
        cloudflareModule = require("@pulumi/cloudflare");
    });

    it("mints, with mintDnsToken, a token with DNS Write and Zone Read on this zone only, expiring with its term, through the minting provider", async () => {
        const spec = homeSpec((v) => {
            v["homelab:cloudflare"].mintDnsToken = true;
            delete v["homelab:cloudflareDnsToken"];
        });
        assert.equal(homeSpec().cloudflare?.mintDnsToken, false, "the default");
        const minter = new cloudflareModule.Provider("minter", {});
        const component = new edge.CloudflareEdge("scoped", { plan: edgePlan(spec)!, tokenMinter: minter });
        assert.deepEqual(await unwrap(component.dnsToken!), { value: "scoped-token-value", secret: true });
        assert.deepEqual(await unwrap(component.tunnelToken), { value: "tunnel-token", secret: true });
        const token = created.find((c) => c.type === "cloudflare:index/apiToken:ApiToken")!;
        assert.equal(token.name, "scoped-dns-token");
        assert.deepEqual(token.inputs, {
            name: "homelab ragas.cc DNS",
            policies: [
                {
                    effect: "allow",
                    permissionGroups: [{ id: "dns-write-id" }, { id: "zone-read-id" }],
                    resources: '{"com.cloudflare.api.account.zone.zone-id":"*"}',
                },
            ],
            expiresOn: "2026-04-01T00:00:00Z",
        });
        const termInputs = created.find((c) => c.type === "homelab:cloudflare:TokenTerm")!.inputs;
        assert.deepEqual(
            termInputs,
            { lifetimeDays: 90, renewBeforeDays: 30 },
            "no date among the inputs: the term's dates are made when it is created",
        );
        const lookups = calls.filter((c) => c.token === "cloudflare:index/getApiTokenPermissionGroupsList:getApiTokenPermissionGroupsList");
        assert.deepEqual(
            lookups.map((c) => [c.inputs, c.provider?.split("::")[3]]),
            [[{ scope: "com.cloudflare.api.account.zone" }, "minter"]],
        );
        assert.equal(tokenProviders[0]?.split("::")[3], "minter", "the token is created by the minting provider, never the main one");
    });
});
