import { strict as assert } from "assert";
import { httpRouteInDomain as policy, isUnderDomain } from "../../policy/policies/httproute-in-domain";
import { route } from "./fixtures";
import { edit, violations } from "./harness";

describe("policy httproute-in-domain", () => {
    it("passes the app route on envoy-internal", async () => {
        assert.deepEqual(await violations(policy, route), []);
    });

    it("refuses a hostname outside the domain", async () => {
        const foreign = edit(route, (p) => (p.spec.hostnames[0] = "app.example.com"));
        assert.deepEqual(await violations(policy, foreign), ["HTTPRoute default/my-app: app.example.com is not under the domain ragas.cc"]);
    });

    it("tells a subdomain from a look-alike suffix", () => {
        assert.deepEqual(
            ["ragas.cc", "*.ragas.cc", "a.b.ragas.cc", "MyApp.Ragas.CC", "notragas.cc", "ragas.cc.example.com"].map((h) =>
                isUnderDomain(h, "ragas.cc"),
            ),
            [true, true, true, true, false, false],
        );
    });

    it("refuses a parent that is not a planned Gateway", async () => {
        const dmz = edit(route, (p) => (p.spec.parentRefs[0].name = "envoy-dmz"));
        assert.deepEqual(await violations(policy, dmz), [
            "HTTPRoute default/my-app: parent network/envoy-dmz is not one of the gateways network/envoy-internal, network/envoy-external",
        ]);
    });

    it("resolves a parentRef without namespace in the route's own namespace", async () => {
        const local = edit(route, (p) => delete p.spec.parentRefs[0].namespace);
        assert.deepEqual(await violations(policy, local), [
            "HTTPRoute default/my-app: parent default/envoy-internal is not one of the gateways network/envoy-internal, network/envoy-external",
        ]);
    });

    it("refuses a parent of another kind with the right name", async () => {
        const service = edit(route, (p) => Object.assign(p.spec.parentRefs[0], { kind: "Service", group: "" }));
        assert.deepEqual(await violations(policy, service), [
            "HTTPRoute default/my-app: parent Service network/envoy-internal is not one of the gateways network/envoy-internal, network/envoy-external",
        ]);
    });

    it("passes a route on envoy-external and a route with no hostnames", async () => {
        assert.deepEqual(
            await violations(
                policy,
                edit(route, (p) => (p.spec.parentRefs[0].name = "envoy-external")),
            ),
            [],
        );
        assert.deepEqual(
            await violations(
                policy,
                edit(route, (p) => delete p.spec.hostnames),
            ),
            [],
        );
    });

    it("follows the configured domain and gateway names", async () => {
        assert.deepEqual(
            await violations(policy, route, {
                domain: "example.com",
                gatewayNames: { namespace: "edge", internal: "lan", external: "wan" },
            }),
            [
                "HTTPRoute default/my-app: myapp.ragas.cc is not under the domain example.com",
                "HTTPRoute default/my-app: parent network/envoy-internal is not one of the gateways edge/lan, edge/wan",
            ],
        );
    });
});
