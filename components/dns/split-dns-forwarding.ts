import * as pulumi from "@pulumi/pulumi";
import type { ServerTrust } from "../tls/server-trust";
import { AdguardForwarder } from "./adguard-forwarder";
import { skippedForwarders, SplitDnsForwardingPlan } from "./plan/split-dns-forwarding";
import { TechnitiumForwarder } from "./technitium-forwarder";

/** The trust keys that are set, so a server without them adds nothing to its resource's inputs. */
function trustInputs(trust: ServerTrust): ServerTrust {
    return {
        ...(trust.caCertificate ? { caCertificate: trust.caCertificate } : {}),
        ...(trust.fingerprint ? { fingerprint: trust.fingerprint } : {}),
    };
}

/** The plan, the two servers' secrets, and what must answer first. */
export interface SplitDnsForwardingArgs extends SplitDnsForwardingPlan {
    /** AdGuard's password (homelab:adguardPassword), a secret; needed when adguard.url is set. */
    adguardPassword?: pulumi.Input<string>;
    /** Technitium's API token (homelab:technitiumToken), a secret; needed when technitium.url is set. */
    technitiumToken?: pulumi.Input<string>;
    /** How long to wait for each API answer, in ms; 10000 when unset. */
    timeoutMs?: number;
    /** What must answer on the target before the home servers send the domain there (k8s_gateway). */
    after?: pulumi.Resource[];
}

/** Every missing credential for a server whose URL is set, reported together. */
export function missingCredentials(args: SplitDnsForwardingArgs): string[] {
    const missing: string[] = [];
    if (args.adguard?.url && args.adguardPassword === undefined) {
        missing.push(`homelab:adguardPassword is not set, but homelab:dnsForwarders.adguard.url is (${args.adguard.url})`);
    }
    if (args.technitium?.url && args.technitiumToken === undefined) {
        missing.push(`homelab:technitiumToken is not set, but homelab:dnsForwarders.technitium.url is (${args.technitium.url})`);
    }
    return missing;
}

/**
 * Split DNS at home: AdGuard Home and Technitium forward the cluster domain to k8s_gateway, and
 * everything else keeps going to their usual upstreams.
 */
export class SplitDnsForwarding extends pulumi.ComponentResource {
    /** AdGuard's per-domain upstream; undefined when skipped. */
    public readonly adguard?: AdguardForwarder;
    /** Technitium's Conditional Forwarder zone; undefined when skipped. */
    public readonly technitium?: TechnitiumForwarder;
    /** The servers left alone, e.g. "technitium: homelab:dnsForwarders.technitium.url is not set". */
    public readonly skipped: string[];

    constructor(name: string, args: SplitDnsForwardingArgs, opts?: pulumi.ComponentResourceOptions) {
        super("homelab:dns:SplitDnsForwarding", name, {}, opts);
        const missing = missingCredentials(args);
        if (missing.length > 0) throw new pulumi.ResourceError(`split DNS forwarding ${name}: ${missing.join("; ")}`, this);
        this.skipped = skippedForwarders(args);
        const forwarding = { domain: args.domain, target: args.gatewayAddress, timeoutMs: args.timeoutMs };
        if (args.adguard?.url && args.adguardPassword !== undefined) {
            this.adguard = new AdguardForwarder(
                `${name}-adguard`,
                {
                    url: args.adguard.url,
                    username: args.adguard.username ?? "admin",
                    password: pulumi.secret(args.adguardPassword),
                    ...trustInputs(args.adguard),
                    ...forwarding,
                },
                { parent: this, dependsOn: args.after },
            );
        }
        if (args.technitium?.url && args.technitiumToken !== undefined) {
            this.technitium = new TechnitiumForwarder(
                `${name}-technitium`,
                {
                    url: args.technitium.url,
                    token: pulumi.secret(args.technitiumToken),
                    ...trustInputs(args.technitium),
                    ...forwarding,
                },
                { parent: this, dependsOn: args.after },
            );
        }
        this.registerOutputs({ skipped: this.skipped });
    }
}
