import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";

/**
 * The Cloudflare provider, from the secret main token (homelab:cloudflareApiToken). The token needs, in the
 * dashboard's words, Account > Cloudflare Tunnel > Edit, Zone > DNS > Edit and Zone > Zone > Read; nothing that
 * creates tokens (README: Cloudflare tokens).
 */
export function cloudflareProvider(name: string, apiToken: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): cloudflare.Provider {
    return new cloudflare.Provider(name, { apiToken: pulumi.secret(apiToken) }, opts);
}

/** Where the minting token comes from: the environment of `pulumi`, read by the provider itself. */
export const mintingTokenEnv = "CLOUDFLARE_API_TOKEN";

/**
 * The provider that mints the DNS token (homelab:cloudflare.mintDnsToken), given no token: the Cloudflare provider
 * then reads CLOUDFLARE_API_TOKEN from its own environment (terraform-provider-cloudflare internal/provider.go
 * Configure, bridged by @pulumi/cloudflare 6.x with no config default), so a token that can create tokens is in
 * neither the stack's config nor its state. Throws, naming the variable, when a real run lacks it.
 */
export function tokenMintingProvider(
    name: string,
    env: NodeJS.ProcessEnv,
    opts: pulumi.CustomResourceOptions & { parent: pulumi.Resource },
): cloudflare.Provider {
    if (pulumi.runtime.hasEngine() && !env[mintingTokenEnv]) {
        throw new pulumi.ResourceError(
            `homelab:cloudflare.mintDnsToken is true, but ${mintingTokenEnv} is not set: export a token with User > API Tokens > Edit ` +
                '(the dashboard\'s "Create Additional Tokens" template) for this run, or set mintDnsToken to false and give homelab:cloudflareDnsToken',
            opts.parent,
        );
    }
    return new cloudflare.Provider(name, {}, opts);
}
