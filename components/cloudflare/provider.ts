import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";

/**
 * The Cloudflare provider, from the secret API token (homelab:cloudflareApiToken). The token needs
 * Zone:Read and DNS:Edit on the zone and Cloudflare Tunnel:Edit on the account; with
 * homelab:cloudflare.scopedTokens also User:API Tokens:Edit, to mint the DNS-only token (a user token:
 * an account-owned token cannot create user tokens).
 */
export function cloudflareProvider(name: string, apiToken: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): cloudflare.Provider {
    return new cloudflare.Provider(name, { apiToken: pulumi.secret(apiToken) }, opts);
}
