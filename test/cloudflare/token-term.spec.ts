import { strict as assert } from "assert";
import { dnsTokenTerm } from "../../components/cloudflare/token-term";
import { renewalDue, tokenTerm, tokenTermHandler } from "../../provider/token-term";
import { called } from "../provider/handler-harness";

const tokenTermProvider = called(tokenTermHandler);

// The minted DNS token's term: dates made once, at create, kept in state; a preview before the renewal date
// shows nothing, one after it replaces the term (and so the token).

const issued = Date.parse("2026-01-01T08:30:15.750Z");
const day = 86_400_000;

describe("the minted DNS token's term", () => {
    it("lasts 90 days and is renewed in the last 30, in whole seconds", () => {
        assert.deepEqual(tokenTerm(dnsTokenTerm, issued), {
            lifetimeDays: 90,
            renewBeforeDays: 30,
            issuedOn: "2026-01-01T08:30:15Z",
            expiresOn: "2026-04-01T08:30:15Z",
            renewAfter: "2026-03-02T08:30:15Z",
        });
    });

    it("is due exactly from its renewal date, not a second before", () => {
        const term = tokenTerm(dnsTokenTerm, issued);
        const renewAfter = Date.parse(term.renewAfter);
        assert.equal(renewalDue(term, dnsTokenTerm, renewAfter - 1000), false);
        assert.equal(renewalDue(term, dnsTokenTerm, renewAfter), true);
        assert.equal(renewalDue(term, dnsTokenTerm, issued + 89 * day), true);
    });

    it("is due when its lifetime or window changes, or the stored term has no date", () => {
        const term = tokenTerm(dnsTokenTerm, issued);
        assert.equal(renewalDue(term, { lifetimeDays: 60, renewBeforeDays: 30 }, issued), true);
        assert.equal(renewalDue(term, { lifetimeDays: 90, renewBeforeDays: 20 }, issued), true);
        assert.equal(renewalDue({ ...dnsTokenTerm }, dnsTokenTerm, issued), true);
    });

    it("diffs to nothing before renewal and to a replacement (never an update) after it", async () => {
        const fresh = tokenTerm(dnsTokenTerm, Date.now());
        assert.deepEqual(await tokenTermProvider.diff("dns-token-term", fresh, dnsTokenTerm), { changes: false });
        const old = tokenTerm(dnsTokenTerm, Date.now() - 61 * day);
        assert.deepEqual(await tokenTermProvider.diff("dns-token-term", old, dnsTokenTerm), {
            changes: true,
            replaces: ["renewAfter"],
            deleteBeforeReplace: false,
        });
    });

    it("takes its dates from the clock at create, never from its inputs", async () => {
        const before = Date.now();
        const { id, outs } = await tokenTermProvider.create(dnsTokenTerm);
        assert.equal(id, "dns-token-term");
        const expires = Date.parse(outs.expiresOn);
        assert.ok(expires >= Math.floor(before / 1000) * 1000 + 90 * day && expires <= Date.now() + 90 * day, outs.expiresOn);
        assert.equal(Date.parse(outs.expiresOn) - Date.parse(outs.renewAfter), 30 * day);
    });
});
