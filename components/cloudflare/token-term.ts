import * as pulumi from "@pulumi/pulumi";

// The term of a minted DNS token: when it was issued, when Cloudflare stops accepting it, and from when a run
// replaces it. The dates live in this resource's state, made when it is created: the program's inputs stay
// byte-identical for the same config (no clock in them), and a preview of an unchanged stack shows nothing
// until the stored renewal date has passed. Then the diff asks for a replacement, the new term gets new dates,
// and the token, whose expiresOn follows the term, is replaced with it (new value, old one deleted after).
//
// 90 days, renewed in the last 30: the token sits in a cluster Secret, so it should not outlive a season, and a
// `pulumi up` any time in a 30-day window renews it. Let's Encrypt certificates last 90 days and cert-manager
// renews them 30 days ahead, so a window missed entirely still leaves every certificate's own margin.

export interface TokenTermInputs {
    /** How long a minted token is valid, days. */
    lifetimeDays: number;
    /** How long before its expiry a run replaces it, days. */
    renewBeforeDays: number;
}

export interface TokenTerm extends TokenTermInputs {
    /** RFC 3339, whole seconds, UTC: `2026-11-26T10:00:00Z`. */
    issuedOn: string;
    /** The token's `expiresOn`: Cloudflare refuses it from then on. */
    expiresOn: string;
    /** From this instant a run replaces the token. */
    renewAfter: string;
}

export const dnsTokenTerm: TokenTermInputs = { lifetimeDays: 90, renewBeforeDays: 30 };

const day = 86_400_000;
const rfc3339 = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");

/** The term of a token issued at `nowMs`. */
export function tokenTerm(inputs: TokenTermInputs, nowMs: number): TokenTerm {
    const expires = nowMs + inputs.lifetimeDays * day;
    return {
        lifetimeDays: inputs.lifetimeDays,
        renewBeforeDays: inputs.renewBeforeDays,
        issuedOn: rfc3339(nowMs),
        expiresOn: rfc3339(expires),
        renewAfter: rfc3339(expires - inputs.renewBeforeDays * day),
    };
}

/** Whether a run at `nowMs` must replace the token of this term: its renewal date has passed, or the terms changed. */
export function renewalDue(term: Partial<TokenTerm>, news: TokenTermInputs, nowMs: number): boolean {
    if (term.lifetimeDays !== news.lifetimeDays || term.renewBeforeDays !== news.renewBeforeDays) return true;
    const renewAfter = Date.parse(term.renewAfter ?? "");
    return !Number.isFinite(renewAfter) || nowMs >= renewAfter;
}

export const tokenTermProvider: pulumi.dynamic.ResourceProvider = {
    async create(inputs: TokenTermInputs) {
        return { id: "dns-token-term", outs: tokenTerm(inputs, Date.now()) };
    },
    async diff(_id: string, olds: TokenTerm, news: TokenTermInputs) {
        // Replace, never update: a new term is a new token. The old token is deleted once its successor exists.
        return renewalDue(olds, news, Date.now()) ? { changes: true, replaces: ["renewAfter"], deleteBeforeReplace: false } : { changes: false };
    },
};

/** The current term of the minted DNS token; its expiresOn is the token's. */
export class TokenTermResource extends pulumi.dynamic.Resource {
    declare public readonly issuedOn: pulumi.Output<string>;
    declare public readonly expiresOn: pulumi.Output<string>;
    declare public readonly renewAfter: pulumi.Output<string>;

    constructor(name: string, inputs: TokenTermInputs, opts?: pulumi.CustomResourceOptions) {
        super(tokenTermProvider, name, { ...inputs, issuedOn: undefined, expiresOn: undefined, renewAfter: undefined }, opts, "cloudflare", "TokenTerm");
    }
}
