import type * as cloudflare from "@pulumi/cloudflare";
import type { AppSpec, CloudflareSpec, PlainSpec } from "../../config";
import { envoyGatewayName, networkNamespace, tunnelHostname } from "../../config/facts";

// Pure inputs for the Cloudflare edge: the tunnel's ingress rules, the public DNS records and the
// policy of the DNS-only API token. No resources here; components/cloudflare/edge.ts creates them.

/**
 * Where cloudflared sends every request: envoy-external's Service. Envoy Gateway (deploy type
 * GatewayNamespace) creates it in the Gateway's namespace under the Gateway's name.
 */
export const externalGatewayService = { name: envoyGatewayName("external"), namespace: networkNamespace, port: 443 } as const;

/** `https://envoy-external.network.svc.cluster.local:443` */
export function originServiceUrl(service: { name: string; namespace: string; port: number } = externalGatewayService): string {
    return `https://${service.name}.${service.namespace}.svc.cluster.local:${service.port}`;
}

/** A tunnel id -> the CNAME target Cloudflare routes into that tunnel: `<id>.cfargotunnel.com`. */
export function tunnelTarget(tunnelId: string): string {
    return `${tunnelId}.cfargotunnel.com`;
}

/**
 * The remotely managed tunnel configuration. Every host under the domain goes to envoy-external over
 * TLS, which cloudflared verifies: Envoy serves the Let's Encrypt wildcard certificate, and
 * `originServerName` makes cloudflared send and check the SNI `external.<domain>`, a name that
 * certificate covers. Without it cloudflared checks the certificate against the Service's cluster name
 * and fails (https://github.com/cloudflare/cloudflared/issues/541); `noTLSVerify` would hide a broken or
 * staging certificate instead (https://github.com/onedr0p/cluster-template/pull/1427), so it is not set.
 * Only hostnames with a proxied record in the zone reach the tunnel at all, and envoy-external routes only
 * the HTTPRoutes attached to it, so the wildcard publishes nothing by itself.
 * The last rule must match everything: cloudflared refuses a configuration without a catch-all.
 */
export function tunnelIngressConfig(domain: string) {
    return {
        ingresses: [
            {
                hostname: `*.${domain}`,
                service: originServiceUrl(),
                // Envoy's listener offers h2 (ALPN), so requests are multiplexed instead of one connection each.
                originRequest: { originServerName: tunnelHostname(domain), http2Origin: true },
            },
            { service: "http_status:404" },
        ],
    } satisfies cloudflare.types.input.ZeroTrustTunnelCloudflaredConfigConfig;
}

/** One public record. Content is a plain name, or an Output of one where it is a tunnel's id. */
export interface DnsRecordSpec<Content = string> {
    /** Fully qualified: the API returns names so, and a short name would differ from it on every refresh. */
    name: string;
    type: "CNAME";
    content: Content;
    /** Through Cloudflare's proxy: the only way into a tunnel, and it hides the origin. */
    proxied: true;
    /** 1 = automatic, the only TTL a proxied record has. */
    ttl: 1;
    comment: string;
}

/** What the records need to know of an app. */
export type EdgeApp = Pick<AppSpec, "name" | "hostname" | "gateway">;

/** What the CloudflareEdge component reads. */
export interface EdgePlan {
    /** homelab:domain, the Cloudflare zone everything is published in, e.g. ragas.cc. */
    domain: string;
    /** homelab:cloudflare: tunnel name, account (default: the zone's) and whether to mint a DNS-only token. */
    cloudflare: CloudflareSpec;
    /** Every app; those on the external gateway get a public record, internal ones none. */
    apps: readonly EdgeApp[];
}

/** The edge's plan, or undefined when homelab:cloudflare is not set (no tunnel, no public records). */
export function edgePlan(spec: PlainSpec): EdgePlan | undefined {
    return spec.cloudflare ? { domain: spec.domain, cloudflare: spec.cloudflare, apps: spec.apps } : undefined;
}

const comment = "homelab: managed by Pulumi";

/**
 * The zone's public records: `external.<domain>` as a proxied CNAME into the tunnel, and one proxied
 * CNAME to `external.<domain>` per app on the external gateway (as external-dns does for cluster-template,
 * https://github.com/onedr0p/cluster-template/pull/1897). Internal apps get none: k8s_gateway answers for
 * them inside the house only. Nothing points at an address, so no LAN address can reach public DNS
 * (https://github.com/onedr0p/cluster-template/issues/566).
 */
export function publicDnsRecords<T = string>(domain: string, apps: readonly EdgeApp[], tunnelCname: T): DnsRecordSpec<string | T>[] {
    const external = tunnelHostname(domain);
    const appRecords = apps
        .filter((app) => app.gateway === "external")
        .map((app) => app.hostname)
        .sort()
        .map((name): DnsRecordSpec => ({ name, type: "CNAME", content: external, proxied: true, ttl: 1, comment }));
    const tunnelRecord: DnsRecordSpec<T> = { name: external, type: "CNAME", content: tunnelCname, proxied: true, ttl: 1, comment };
    return [tunnelRecord, ...appRecords];
}

/**
 * The DNS token's zone permissions, named as the API lists them (the dashboard says "Edit" for "Write").
 * DNS Write for the records; Zone Read because a DNS-01 client finds the zone id by name first, and
 * cert-manager documents both (https://cert-manager.io/docs/configuration/acme/dns01/cloudflare/).
 */
export const dnsTokenPermissionGroups = ["DNS Write", "Zone Read"] as const;

/** The scope of zone permission groups, and the prefix of a zone in a token policy's resources. */
export const zoneScope = "com.cloudflare.api.account.zone";

export interface PermissionGroup {
    id: string;
    name: string;
    scopes: readonly string[];
}

/**
 * The ids of the named zone-scoped permission groups, in the order of `names`. The API's docs ask for ids
 * (a group's name is cosmetic); looking them up keeps the program free of copied ids. Throws naming every
 * group the list lacks.
 */
export function permissionGroupIds(groups: readonly PermissionGroup[], names: readonly string[] = dnsTokenPermissionGroups): string[] {
    const zoneGroups = groups.filter((g) => g.scopes.includes(zoneScope));
    const missing = names.filter((n) => !zoneGroups.some((g) => g.name === n));
    if (missing.length) throw new Error(`Cloudflare lists no zone permission group named ${missing.map((n) => `"${n}"`).join(", ")}`);
    return names.map((n) => zoneGroups.find((g) => g.name === n)!.id);
}

/** One policy: these permission groups on this zone and nothing else (`com.cloudflare.api.account.zone.<id>`). */
export function dnsTokenPolicies(zoneId: string, groupIds: readonly string[]) {
    return [
        {
            effect: "allow",
            permissionGroups: groupIds.map((id) => ({ id })),
            // The SDK takes the resources object JSON-encoded.
            resources: JSON.stringify({ [`${zoneScope}.${zoneId}`]: "*" }),
        },
    ] satisfies cloudflare.types.input.ApiTokenPolicy[];
}

/** The scoped token's name as the dashboard lists it. */
export function dnsTokenName(domain: string): string {
    return `homelab ${domain} DNS`;
}
