import * as pulumi from "@pulumi/pulumi";
import type { PlainSpec } from "../config";
import type { ServerTrust } from "../tls/server-trust";
import { AdguardForwarder } from "./adguard-forwarder";
import { TechnitiumForwarder } from "./technitium-forwarder";

/** What split DNS reads of the spec: the domain, where k8s_gateway answers, and the home DNS servers. */
export interface SplitDnsForwardingPlan {
    /** The cluster domain the home DNS servers hand to k8s_gateway, e.g. "ragas.cc". */
    domain: string;
    /** k8s_gateway's LoadBalancer address (homelab:gateways.dns), e.g. "172.16.1.60": the DNS server, not an Envoy Gateway. */
    gatewayAddress: string;
    /** AdGuard Home (primary DNS): base URL, login ("admin" when unset) and, over https, its CA or pin; skipped when the URL is unset. */
    adguard?: ServerTrust & { url?: string; username?: string };
    /** Technitium DNS (secondary DNS): base URL with its port and, over https, its CA or pin; skipped when the URL is unset. */
    technitium?: ServerTrust & { url?: string };
}

/** The trust keys that are set, so a server without them adds nothing to its resource's inputs. */
function trustInputs(trust: ServerTrust): ServerTrust {
    return { ...(trust.caCertificate ? { caCertificate: trust.caCertificate } : {}), ...(trust.fingerprint ? { fingerprint: trust.fingerprint } : {}) };
}

export function splitDnsForwardingPlan(spec: PlainSpec): SplitDnsForwardingPlan {
    return { domain: spec.domain, gatewayAddress: spec.gateways.dns, adguard: spec.dnsForwarders.adguard, technitium: spec.dnsForwarders.technitium };
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

/** Which servers this component leaves alone, and why; each reason names the config key to set. */
export function skippedForwarders(args: Pick<SplitDnsForwardingArgs, "adguard" | "technitium">): string[] {
    const skipped: string[] = [];
    if (!args.adguard?.url) skipped.push("adguard: homelab:dnsForwarders.adguard.url is not set");
    if (!args.technitium?.url) skipped.push("technitium: homelab:dnsForwarders.technitium.url is not set");
    return skipped;
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
            this.adguard = new AdguardForwarder(`${name}-adguard`, {
                url: args.adguard.url,
                username: args.adguard.username ?? "admin",
                password: pulumi.secret(args.adguardPassword),
                ...trustInputs(args.adguard),
                ...forwarding,
            }, { parent: this, dependsOn: args.after });
        }
        if (args.technitium?.url && args.technitiumToken !== undefined) {
            this.technitium = new TechnitiumForwarder(`${name}-technitium`, {
                url: args.technitium.url,
                token: pulumi.secret(args.technitiumToken),
                ...trustInputs(args.technitium),
                ...forwarding,
            }, { parent: this, dependsOn: args.after });
        }
        this.registerOutputs({ skipped: this.skipped });
    }
}
