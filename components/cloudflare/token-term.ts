import * as pulumi from "@pulumi/pulumi";
import { customResourceOptions, customResourceTypes } from "../custom-resources";

// The term of a minted DNS token: when it was issued, when Cloudflare stops accepting it, and from when a run
// replaces it (provider/token-term.ts). The dates live in this resource's state, made when it is created: the program's inputs stay
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

export const dnsTokenTerm: TokenTermInputs = { lifetimeDays: 90, renewBeforeDays: 30 };

/** The current term of the minted DNS token; its expiresOn is the token's. */
export class TokenTermResource extends pulumi.CustomResource {
    declare public readonly issuedOn: pulumi.Output<string>;
    declare public readonly expiresOn: pulumi.Output<string>;
    declare public readonly renewAfter: pulumi.Output<string>;

    constructor(name: string, inputs: TokenTermInputs, opts?: pulumi.CustomResourceOptions) {
        super(
            customResourceTypes.TokenTerm,
            name,
            { ...inputs, issuedOn: undefined, expiresOn: undefined, renewAfter: undefined },
            customResourceOptions("TokenTerm", opts),
        );
    }
}
