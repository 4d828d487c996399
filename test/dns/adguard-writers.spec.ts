import * as assert from "assert";
import {
    AdguardApi,
    adguardEnsureForwarder,
    adguardRemoveForwarder,
    ensureForwarding,
    writeAttempts,
    writeHeld,
} from "../../components/dns/adguard-api";
import { useAdguardFake } from "./adguard-fixture";
import { AdguardFake, failure, LoggedRequest, writeRequests } from "./fake-servers";

const password = "s3cret-Adguard-pw";
const others = ["https://dns10.quad9.net/dns-query", "# the router knows the LAN", "[/lan/]172.16.1.1", "tls://1.1.1.1"];
const ours = "[/ragas.cc/]172.16.1.60";
const sentLines = (r: LoggedRequest) => (r.json as { upstream_dns: string[] }).upstream_dns;

/** A hook that holds the first `count` requests of `method` until all of them have arrived, then lets them through together. */
function barrier(method: string, count: number): (r: LoggedRequest) => Promise<boolean> {
    const waiting: (() => void)[] = [];
    return async (r) => {
        if (r.method !== method || waiting.length >= count) return false;
        await new Promise<void>((resolve) => {
            waiting.push(resolve);
            if (waiting.length === count) waiting.forEach((release) => release());
        });
        return false;
    };
}

describe("AdGuard Home forwarder with other writers (against the fake)", function () {
    const adguard = useAdguardFake(password, others);
    let fake: AdguardFake;
    let api: AdguardApi;
    beforeEach(() => ({ fake, api } = adguard));

    it("two writers at once: both read the same list, the second write replaces the first, and the first writes again", async () => {
        const gets = barrier("GET", 2);
        const posts = barrier("POST", 2);
        fake.hook = async (r) => (await gets(r)) || posts(r);
        const [first, second] = await Promise.all([
            adguardEnsureForwarder(api, "ragas.cc", "172.16.1.60"),
            adguardEnsureForwarder(api, "lab.example.org", "172.16.1.70"),
        ]);
        assert.deepStrictEqual([first, second], [true, true]);
        assert.deepStrictEqual(new Set(fake.upstreams), new Set([...others, ours, "[/lab.example.org/]172.16.1.70"]));
        assert.strictEqual(fake.upstreams.length, others.length + 2);
        const writes = writeRequests(fake.log);
        assert.strictEqual(writes.length, 3, "the writer whose line was lost writes once more");
        for (const write of writes)
            assert.deepStrictEqual(sentLines(write).slice(0, others.length), others, "a write dropped someone's line");
    });

    it("a change saved between our write and our read-back (from a list read before our write) is kept, and our line is written again", async () => {
        let gets = 0;
        fake.hook = (r) => {
            // The second GET is our read-back: just before it, an admin saves the list they loaded earlier, plus a line of theirs.
            if (r.method === "GET" && ++gets === 2) fake.upstreams = [...others, "[/corp.example/]10.9.9.9"];
            return false;
        };
        assert.strictEqual(await adguardEnsureForwarder(api, "ragas.cc", "172.16.1.60"), true);
        assert.deepStrictEqual(fake.upstreams, [...others, "[/corp.example/]10.9.9.9", ours]);
        assert.deepStrictEqual(
            fake.log.map((r) => r.method),
            ["GET", "POST", "GET", "GET", "POST", "GET"],
        );
    });

    it("a removal undone by another writer is made again, keeping their line", async () => {
        fake.upstreams = [...others, ours];
        let gets = 0;
        fake.hook = (r) => {
            if (r.method === "GET" && ++gets === 2) fake.upstreams = [...others, ours, "[/corp.example/]10.9.9.9"];
            return false;
        };
        assert.strictEqual(await adguardRemoveForwarder(api, "ragas.cc", "172.16.1.60"), true);
        assert.deepStrictEqual(fake.upstreams, [...others, "[/corp.example/]10.9.9.9"]);
    });

    it("gives up after a bounded number of writes when another writer keeps replacing the list, never dropping its lines", async () => {
        let gets = 0;
        fake.hook = (r) => {
            // Every read-back (the even GETs) finds the list replaced by a writer that knows nothing of our line.
            if (r.method === "GET" && ++gets % 2 === 0) fake.upstreams = [...others, `[/corp.example/]10.9.9.${gets}`];
            return false;
        };
        const message = await failure(() => adguardEnsureForwarder(api, "ragas.cc", "172.16.1.60"));
        assert.strictEqual(
            message,
            `AdGuard Home at ${fake.url}: another writer replaced the upstream list after each of our ${writeAttempts} writes, ` +
                "so the line [/ragas.cc/]172.16.1.60 did not hold (no line of theirs was dropped); run again when nothing else is saving AdGuard's DNS settings",
        );
        const writes = writeRequests(fake.log);
        assert.strictEqual(writes.length, writeAttempts);
        writes
            .slice(1)
            .forEach((write, i) => assert.deepStrictEqual(sentLines(write), [...others, `[/corp.example/]10.9.9.${2 * (i + 1)}`, ours]));
    });

    it("waits a second before the read-back unless told otherwise", async () => {
        const started = Date.now();
        await adguardEnsureForwarder({ ...api, settleMs: undefined }, "ragas.cc", "172.16.1.60");
        const took = Date.now() - started;
        assert.ok(took >= 1000 && took < 5000, `took ${took} ms`);
    });

    describe("writeHeld", () => {
        const reedit = (lines: readonly string[]) => ensureForwarding(lines, "ragas.cc", "172.16.1.60");
        it("holds when every line sent is back and nothing is left to do", () => {
            assert.strictEqual(writeHeld([...others, ours], [...others, ours], reedit), true);
            assert.strictEqual(writeHeld([...others, ours], ["[/new/]10.0.0.1", ...others, ours], reedit), true);
        });
        it("does not hold when our line or a line we carried is gone", () => {
            assert.strictEqual(writeHeld([...others, ours], [...others], reedit), false);
            assert.strictEqual(writeHeld([...others, ours], [others[0], ours], reedit), false);
        });
    });
});
