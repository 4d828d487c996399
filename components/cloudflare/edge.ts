import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import { computeFor } from "../resource-error";
import { dnsTokenTerm, TokenTermResource } from "./token-term";
import {
    dnsTokenName,
    dnsTokenPolicies,
    EdgePlan,
    permissionGroupIds,
    publicDnsRecords,
    tunnelIngressConfig,
    tunnelTarget,
    zoneScope,
} from "./plan/edge";

export interface CloudflareEdgeArgs {
    /** edgePlan(spec): the zone, the tunnel settings and the apps. */
    plan: EdgePlan;
    /**
     * With cloudflare.mintDnsToken: the provider that creates the DNS token, holding no token of its own
     * (provider.ts, tokenMintingProvider). Unset: nothing is minted.
     */
    tokenMinter?: cloudflare.Provider;
}

/**
 * The public edge: a remotely managed Cloudflare Tunnel, its ingress rules, the zone's public records and,
 * with mintDnsToken, an API token that can edit only this zone's DNS and expires. Nothing here needs the cluster,
 * so it is built while the VMs boot. The Cloudflare provider comes through opts.providers.
 */
export class CloudflareEdge extends pulumi.ComponentResource {
    public readonly zoneId: pulumi.Output<string>;
    public readonly accountId: pulumi.Output<string>;
    public readonly tunnel: cloudflare.ZeroTrustTunnelCloudflared;
    public readonly tunnelId: pulumi.Output<string>;
    /** What cloudflared runs with (TUNNEL_TOKEN); secret. */
    public readonly tunnelToken: pulumi.Output<string>;
    /**
     * With mintDnsToken: a token that can edit only this zone's DNS, for DNS-01, valid for one term; secret.
     * Otherwise undefined: the user's homelab:cloudflareDnsToken is used, and the main token is never handed on.
     */
    public readonly dnsToken: pulumi.Output<string> | undefined;
    /** With mintDnsToken: the minted token's term (issued, expires, renewed after). */
    public readonly dnsTokenTerm: TokenTermResource | undefined;

    constructor(name: string, args: CloudflareEdgeArgs, opts?: pulumi.ComponentResourceOptions) {
        super("homelab:cloudflare:CloudflareEdge", name, {}, opts);
        const { domain, cloudflare: spec, apps } = args.plan;

        // A configured account narrows the lookup, so a zone in another account fails here instead of
        // ending up as a tunnel in one account behind a record in another.
        const zone = cloudflare.getZoneOutput(
            { filter: { name: domain, ...(spec.accountId ? { account: { id: spec.accountId } } : {}) } },
            { parent: this },
        );
        this.zoneId = zone.id;
        this.accountId = spec.accountId ? pulumi.output(spec.accountId) : zone.account.id;

        // No tunnelSecret: Cloudflare generates one when it is left out, and hands it back only inside the
        // token (https://github.com/cloudflare/terraform-provider-cloudflare/issues/3355). A secret made in the
        // program would have to be random (a RandomString kept in state as one more copy of the secret), and a
        // secret fed in as an input has shown up as tunnel replacements in plans
        // (https://github.com/cloudflare/terraform-provider-cloudflare/issues/5450).
        this.tunnel = new cloudflare.ZeroTrustTunnelCloudflared(
            `${name}-tunnel`,
            { accountId: this.accountId, name: spec.tunnelName, configSrc: "cloudflare" },
            { parent: this },
        );
        this.tunnelId = this.tunnel.id;
        new cloudflare.ZeroTrustTunnelCloudflaredConfig(
            `${name}-tunnel-config`,
            { accountId: this.accountId, tunnelId: this.tunnel.id, source: "cloudflare", config: tunnelIngressConfig(domain) },
            { parent: this },
        );
        // The SDK does not mark the token secret.
        const token = cloudflare.getZeroTrustTunnelCloudflaredTokenOutput(
            { accountId: this.accountId, tunnelId: this.tunnel.id },
            { parent: this },
        );
        this.tunnelToken = pulumi.secret(token.token);

        // Named by hostname: a record's identity is its name, so adding an app renames nothing.
        for (const record of publicDnsRecords(domain, apps, this.tunnel.id.apply(tunnelTarget))) {
            new cloudflare.DnsRecord(`${name}-dns-${record.name}`, { zoneId: zone.id, ...record }, { parent: this });
        }

        if (spec.mintDnsToken && args.tokenMinter) {
            // Through the minting provider, whose token (CLOUDFLARE_API_TOKEN) can list permission groups and
            // create tokens; the main token can do neither.
            const minter = { parent: this, provider: args.tokenMinter };
            const groups = cloudflare.getApiTokenPermissionGroupsListOutput({ scope: zoneScope }, minter);
            this.dnsTokenTerm = new TokenTermResource(`${name}-dns-token-term`, dnsTokenTerm, { parent: this });
            const dnsToken = new cloudflare.ApiToken(
                `${name}-dns-token`,
                {
                    name: dnsTokenName(domain),
                    policies: pulumi
                        .all([zone.id, groups.results])
                        .apply(([zoneId, results]) => computeFor(this, () => dnsTokenPolicies(zoneId, permissionGroupIds(results)))),
                    expiresOn: this.dnsTokenTerm.expiresOn,
                },
                // A new term is a new token (a new secret value), not the old one with a later date; the old one is
                // deleted once its successor exists and cert-manager's Secret holds it.
                { ...minter, replaceOnChanges: ["expiresOn"] },
            );
            this.dnsToken = pulumi.secret(dnsToken.value);
        }

        this.registerOutputs({
            zoneId: this.zoneId,
            accountId: this.accountId,
            tunnelId: this.tunnelId,
            tunnelToken: this.tunnelToken,
            dnsToken: this.dnsToken,
        });
    }
}
