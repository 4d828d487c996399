import { strict as assert } from "assert";
import { engineAddress } from "../../provider/serve-args";
import type { ResourceHandler } from "../../provider/handler";
import { PartialUpdateError } from "../../provider/handler";
import { HomelabProvider, typeOfUrn } from "../../provider/provider";
import { plainProps, withSecretsOf } from "../../provider/wire";

// The provider between the SDK's server and our handlers: secrets as the engine sends them (it accepts them),
// the old dynamic state's `__provider`, the type from the URN, warnings tied to the resource's URN.

const sig = "4dabf18193072939515e22adb298388d";
const secret = (value: unknown) => ({ [sig]: "1b47061264138c4ac30d75fd1eb44270", value });
const urn = "urn:pulumi:home::homelab::homelab:index:Homelab$homelab:dns:SplitDnsForwarding$homelab:test:Echo::home-dns-echo";

describe("the homelab provider", () => {
    const seen: unknown[] = [];
    const warned: [string, string][] = [];
    const echo: ResourceHandler = {
        async check(olds, news) {
            seen.push(["check", olds, news]);
            return news.bad ? [{ property: "bad", reason: "no" }] : [];
        },
        async diff(_id, olds, news) {
            seen.push(["diff", olds, news]);
            return { changes: false };
        },
        async create(inputs, operation) {
            await operation.warn("made");
            return { id: "e", outs: { ...inputs, undefinedDropped: undefined } };
        },
        async update(_id, olds) {
            throw new PartialUpdateError("half way", "e", { password: olds.password, note: "x" });
        },
    };
    const provider = new HomelabProvider("0.1.0", { "homelab:test:Echo": echo }, async (u, m) => void warned.push([u, m]));

    it("takes the type from the URN's last part", () => {
        assert.equal(typeOfUrn(urn), "homelab:test:Echo");
        assert.equal(typeOfUrn("urn:pulumi:home::homelab::homelab:talos:TalosRollout::x"), "homelab:talos:TalosRollout");
    });

    it("hands the handlers plain values, without the dynamic provider host's __provider, and the engine the inputs as sent", async () => {
        const news = { url: "http://127.0.0.1:1", password: secret("pw"), nested: { key: secret("k"), plain: 1 } };
        const olds = { url: "http://127.0.0.1:1", __provider: "exports.handler = ..." };
        assert.deepEqual(await provider.check(urn, olds, news), { inputs: news, failures: [] });
        assert.deepEqual(seen.pop(), [
            "check",
            { url: "http://127.0.0.1:1" },
            { url: "http://127.0.0.1:1", password: "pw", nested: { key: "k", plain: 1 } },
        ]);
        assert.deepEqual((await provider.check(urn, {}, { bad: true })).failures, [{ property: "bad", reason: "no" }]);
        await provider.diff("e", urn, olds, news);
        assert.deepEqual(seen.pop(), [
            "diff",
            { url: "http://127.0.0.1:1" },
            { url: "http://127.0.0.1:1", password: "pw", nested: { key: "k", plain: 1 } },
        ]);
    });

    it("marks outputs secret where their inputs were, drops undefined, and warns on the resource's URN", async () => {
        const created = await provider.create(urn, { password: secret("pw"), nested: { key: secret("k"), plain: 1 }, url: "u" });
        assert.deepEqual(created, { id: "e", outs: { password: secret("pw"), nested: { key: secret("k"), plain: 1 }, url: "u" } });
        assert.deepEqual(warned, [[urn, "made"]]);
    });

    it("keeps a partial update's properties as secret as the state they came from", async () => {
        await assert.rejects(
            provider.update("e", urn, { password: secret("pw") }, { password: secret("pw2") }),
            (error: PartialUpdateError) => {
                assert.deepEqual(
                    [error.message, error.id, error.reasons, error.properties],
                    ["half way", "e", ["half way"], { password: secret("pw"), note: "x" }],
                );
                return true;
            },
        );
    });

    it("names the types it serves when asked for another, and keeps the state on a refresh when a type has no read", async () => {
        await assert.rejects(provider.create("urn:pulumi:home::homelab::homelab:test:Other::o", {}), {
            message: "the homelab provider has no resource type homelab:test:Other (it serves homelab:test:Echo)",
        });
        assert.deepEqual(await provider.read("e", urn, { a: secret(1) }), { id: "e", props: { a: secret(1) } });
    });

    it("unwraps and wraps as the engine's annotateSecrets does, nested objects included", () => {
        assert.deepEqual(plainProps({ a: [secret(1), { b: secret("x") }] }), { a: [1, { b: "x" }] });
        assert.deepEqual(withSecretsOf({ a: 1, b: { c: 2, d: 3 }, e: 4 }, { a: secret(0), b: { c: secret(0) } }), {
            a: secret(1),
            b: { c: secret(2), d: 3 },
            e: 4,
        });
    });

    it("finds the engine's address among the plugin's arguments as the SDK's server does", () => {
        assert.equal(engineAddress(["--logtostderr", "-v=9", "--tracing", "127.0.0.1:9", "127.0.0.1:4501"]), "127.0.0.1:4501");
        assert.equal(engineAddress([]), undefined);
    });
});
