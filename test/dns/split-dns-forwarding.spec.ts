import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import type * as component from "../../components/dns/split-dns-forwarding";
import { skippedForwarders } from "../../components/dns/plan/split-dns-forwarding";

/** Waits for an output's value (and whether it is secret) without `done()` inside `apply`. */
function unwrap<T>(output: pulumi.Output<T>): Promise<{ value: T; secret: boolean }> {
    return new Promise((resolve) =>
        output.apply((value) => {
            void pulumi.isSecret(output).then((secret) => resolve({ value, secret }));
        }),
    );
}

describe("SplitDnsForwarding component", function () {
    const created: { type: string; name: string; inputs: Record<string, unknown> }[] = [];
    let dns: typeof component;

    before(() => {
        pulumi.runtime.setMocks(
            {
                newResource: (args) => {
                    created.push({ type: args.type, name: args.name, inputs: args.inputs });
                    return { id: `mocked::${args.type}::${args.name}-id`, state: args.inputs };
                },
                call: (args) => {
                    throw new Error(`the mock engine has no answer for invoke ${args.token}`);
                },
            },
            "homelab",
            "test",
            false,
        );
        // Mocks first, then the component (module node16 keeps `import()` as ESM, which skips ts-node).
        dns = require("../../components/dns/split-dns-forwarding");
    });
    beforeEach(() => {
        created.length = 0;
    });

    const inputsOf = (name: string) => created.find((c) => c.name === name)!.inputs;

    /** Waits until the component and its children have reached the mock engine. */
    async function registered(forwarding: component.SplitDnsForwarding): Promise<void> {
        await Promise.all([forwarding, forwarding.adguard, forwarding.technitium].filter((r) => r !== undefined).map((r) => unwrap(r.urn)));
    }

    const base = { domain: "ragas.cc", gatewayAddress: "172.16.1.60" };

    it("creates one child per server, named after the component and parented to it", async () => {
        const forwarding = new dns.SplitDnsForwarding("split-dns", {
            ...base,
            adguard: { url: "http://172.16.1.11", username: "admin" },
            adguardPassword: pulumi.secret("pw"),
            technitium: { url: "http://172.16.1.10:5380" },
            technitiumToken: pulumi.secret("tok"),
        });
        assert.deepStrictEqual(forwarding.skipped, []);
        await registered(forwarding);
        assert.deepStrictEqual(created.map((c) => [c.type, c.name]).sort(), [
            ["homelab:dns:AdguardForwarder", "split-dns-adguard"],
            ["homelab:dns:SplitDnsForwarding", "split-dns"],
            ["homelab:dns:TechnitiumForwarder", "split-dns-technitium"],
        ]);
        const adguardUrn = (await unwrap(forwarding.adguard!.urn)).value;
        assert.match(adguardUrn, /::homelab:dns:SplitDnsForwarding\$homelab:dns:AdguardForwarder::split-dns-adguard$/);
        const adguard = inputsOf("split-dns-adguard");
        assert.deepStrictEqual(
            [adguard.url, adguard.username, adguard.domain, adguard.target],
            ["http://172.16.1.11", "admin", "ragas.cc", "172.16.1.60"],
        );
        assert.deepStrictEqual(await unwrap(forwarding.adguard!.target), { value: "172.16.1.60", secret: false });
        assert.strictEqual(inputsOf("split-dns-technitium").url, "http://172.16.1.10:5380");
    });

    it("keeps the credentials secret, even when given as plain strings", async () => {
        const forwarding = new dns.SplitDnsForwarding("plain", {
            ...base,
            adguard: { url: "http://172.16.1.11" },
            adguardPassword: "pw",
            technitium: { url: "http://172.16.1.10:5380" },
            technitiumToken: "tok",
        });
        await registered(forwarding);
        const password = (forwarding.adguard as unknown as { password: pulumi.Output<string> }).password;
        const token = (forwarding.technitium as unknown as { token: pulumi.Output<string> }).token;
        assert.deepStrictEqual(await unwrap(password), { value: "pw", secret: true });
        assert.deepStrictEqual(await unwrap(token), { value: "tok", secret: true });
        assert.strictEqual(inputsOf("plain-adguard").username, "admin");
    });

    it("skips a server without a URL and says which config key to set", async () => {
        const forwarding = new dns.SplitDnsForwarding("adguard-only", {
            ...base,
            adguard: { url: "http://172.16.1.11", username: "admin" },
            adguardPassword: pulumi.secret("pw"),
        });
        assert.deepStrictEqual(forwarding.skipped, ["technitium: homelab:dnsForwarders.technitium.url is not set"]);
        assert.strictEqual(forwarding.technitium, undefined);
        await registered(forwarding);
        assert.deepStrictEqual(created.map((c) => c.name).sort(), ["adguard-only", "adguard-only-adguard"]);
        assert.deepStrictEqual(skippedForwarders({}), [
            "adguard: homelab:dnsForwarders.adguard.url is not set",
            "technitium: homelab:dnsForwarders.technitium.url is not set",
        ]);
    });

    it("names every missing credential at once", () => {
        assert.throws(
            () =>
                new dns.SplitDnsForwarding("no-secrets", {
                    ...base,
                    adguard: { url: "http://172.16.1.11" },
                    technitium: { url: "http://172.16.1.10:5380" },
                }),
            {
                message:
                    "split DNS forwarding no-secrets: homelab:adguardPassword is not set, but homelab:dnsForwarders.adguard.url is (http://172.16.1.11); " +
                    "homelab:technitiumToken is not set, but homelab:dnsForwarders.technitium.url is (http://172.16.1.10:5380)",
            },
        );
    });
});
