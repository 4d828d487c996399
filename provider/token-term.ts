// The term of a minted DNS token (components/cloudflare/token-term.ts says why it is a resource): its dates are
// made when it is created, and its diff replaces it once the stored renewal date has passed.
import type { TokenTermInputs } from "../components/cloudflare/token-term";
import type { ResourceHandler } from "./handler";

export interface TokenTerm extends TokenTermInputs {
    /** RFC 3339, whole seconds, UTC: `2026-11-26T10:00:00Z`. */
    issuedOn: string;
    /** The token's `expiresOn`: Cloudflare refuses it from then on. */
    expiresOn: string;
    /** From this instant a run replaces the token. */
    renewAfter: string;
}

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

export const tokenTermHandler: ResourceHandler<TokenTermInputs, TokenTerm> = {
    async create(inputs) {
        return { id: "dns-token-term", outs: tokenTerm(inputs, Date.now()) };
    },
    async diff(_id, olds, news) {
        // Replace, never update: a new term is a new token. The old token is deleted once its successor exists.
        return renewalDue(olds, news, Date.now())
            ? { changes: true, replaces: ["renewAfter"], deleteBeforeReplace: false }
            : { changes: false };
    },
};
