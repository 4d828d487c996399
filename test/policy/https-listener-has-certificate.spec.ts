import { strict as assert } from "assert";
import { httpsListenerHasCertificate as policy } from "../../policy/policies/https-listener-has-certificate";
import { envoyExternal, envoyInternal } from "./fixtures";
import { edit, violations } from "./harness";

describe("policy https-listener-has-certificate", () => {
    it("passes both Gateways, whose HTTPS listeners carry the wildcard certificate", async () => {
        assert.deepEqual(await violations(policy, envoyInternal), []);
        assert.deepEqual(await violations(policy, envoyExternal), []);
    });

    it("refuses an HTTPS listener without certificateRefs", async () => {
        const bare = edit(envoyInternal, (p) => delete p.spec.listeners[1].tls.certificateRefs);
        assert.deepEqual(await violations(policy, bare), [
            "Gateway network/envoy-internal: HTTPS listener https has no tls.certificateRefs",
        ]);
    });

    it("refuses an HTTPS listener with an empty certificateRefs list", async () => {
        const empty = edit(envoyExternal, (p) => (p.spec.listeners[0].tls.certificateRefs = []));
        assert.deepEqual(await violations(policy, empty), [
            "Gateway network/envoy-external: HTTPS listener https has no tls.certificateRefs",
        ]);
    });

    it("refuses a terminating TLS listener without certificate, and passes a passthrough one", async () => {
        const terminating = edit(envoyExternal, (p) => (p.spec.listeners[0] = { name: "tls", protocol: "TLS", port: 8443, tls: {} }));
        assert.deepEqual(await violations(policy, terminating), [
            "Gateway network/envoy-external: TLS listener tls has no tls.certificateRefs",
        ]);
        const passthrough = edit(
            envoyExternal,
            (p) => (p.spec.listeners[0] = { name: "tls", protocol: "TLS", port: 8443, tls: { mode: "Passthrough" } }),
        );
        assert.deepEqual(await violations(policy, passthrough), []);
    });
});
