import type { PlainSpec } from "../../config";
import type { ServerTrust } from "../../tls/server-trust";

// What split DNS forwarding reads of the spec, and which home DNS servers it leaves alone.

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

export function splitDnsForwardingPlan(spec: PlainSpec): SplitDnsForwardingPlan {
    return {
        domain: spec.domain,
        gatewayAddress: spec.gateways.dns,
        adguard: spec.dnsForwarders.adguard,
        technitium: spec.dnsForwarders.technitium,
    };
}

/** Which servers this component leaves alone, and why; each reason names the config key to set. */
export function skippedForwarders(plan: Pick<SplitDnsForwardingPlan, "adguard" | "technitium">): string[] {
    const skipped: string[] = [];
    if (!plan.adguard?.url) skipped.push("adguard: homelab:dnsForwarders.adguard.url is not set");
    if (!plan.technitium?.url) skipped.push("technitium: homelab:dnsForwarders.technitium.url is not set");
    return skipped;
}
