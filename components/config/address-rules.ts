import { entryKey, ParsedConfig } from "./structure";
import { Problem } from "./problems";
import {
    AddressRange,
    Cidr,
    IPv4,
    cidrsOverlap,
    compareAddresses,
    inCidr,
    inRange,
    networkMeant,
    parseAddress,
    parseCidr,
    reservedAddresses,
    showRange,
} from "./addresses";

// The IP plan's rules: every address parses, sits in its network, on the right side of the
// load-balancer range, and is used once. Each rule adds problems and never stops the others.

interface Claim {
    key: string;
    addr: IPv4;
    /** What holds the address, when its key does not say (`Kubernetes API VIP`; a node keyed by its position: its name). */
    what?: string;
}

/** ` (what)`, or nothing when the key already names it: `homelab:nodes[talos-cp-1].ip` needs no `(talos-cp-1)`. */
const aside = (key: string, what: string | undefined) => (what && !key.includes(`[${what}]`) ? ` (${what})` : "");

export function addressProblems(c: ParsedConfig): Problem[] {
    const problems: Problem[] = [];
    const report = (key: string, message: string, fix: string) => problems.push({ key, message, fix });

    const cidr = (key: string, text: string | undefined): Cidr | undefined => {
        if (text === undefined) return undefined;
        const parsed = parseCidr(text);
        const meant = parsed ? undefined : networkMeant(text);
        if (meant) report(key, `${text} has host bits set; did you mean ${meant}?`, `write the network's own address: ${meant}`);
        else if (!parsed)
            report(key, `${text} is not an IPv4 network in CIDR form`, "write the network address and prefix, e.g. 172.16.1.0/24");
        return parsed;
    };
    const address = (key: string, text: string | undefined): IPv4 | undefined => {
        if (text === undefined) return undefined;
        const parsed = parseAddress(text);
        if (!parsed) report(key, `${text} is not an IPv4 address`, "write a dotted-quad address such as 172.16.1.50");
        return parsed;
    };

    const net = c.network;
    const nodeCidr = cidr("homelab:network.nodeCidr", net?.nodeCidr);
    const podCidr = cidr("homelab:network.podCidr", net?.podCidr);
    const serviceCidr = cidr("homelab:network.serviceCidr", net?.serviceCidr);
    const networks: [string, Cidr | undefined][] = [
        ["homelab:network.nodeCidr", nodeCidr],
        ["homelab:network.podCidr", podCidr],
        ["homelab:network.serviceCidr", serviceCidr],
    ];
    networks.forEach(([keyA, a], i) =>
        networks.slice(i + 1).forEach(([keyB, b]) => {
            if (a && b && cidrsOverlap(a, b))
                report(keyB, `${b[0]}/${b[1]} overlaps ${keyA} ${a[0]}/${a[1]}`, "give the node, pod and service networks disjoint ranges");
        }),
    );
    net?.nameservers.forEach((ns, i) => address(`homelab:network.nameservers[${i}]`, ns));

    const nodeNet = nodeCidr ? `homelab:network.nodeCidr ${net!.nodeCidr}` : "";
    const reserved: string[] = nodeCidr ? reservedAddresses(nodeCidr) : [];
    const mustBeHost = (key: string, addr: IPv4 | undefined): boolean => {
        if (!addr || !nodeCidr) return false;
        if (!inCidr(addr, nodeCidr)) {
            report(key, `${addr} is outside ${nodeNet}`, `use an address inside ${net!.nodeCidr}`);
            return false;
        }
        if (reserved.includes(addr.toString())) {
            report(key, `${addr} is the network or broadcast address of ${nodeNet}`, "use a host address");
            return false;
        }
        return true;
    };

    const router = address("homelab:network.gateway", net?.gateway);
    const routerOk = mustBeHost("homelab:network.gateway", router);

    const start = address("homelab:network.loadBalancerRange.start", net?.loadBalancerRange.start);
    const stop = address("homelab:network.loadBalancerRange.stop", net?.loadBalancerRange.stop);
    const rangeOk =
        mustBeHost("homelab:network.loadBalancerRange.start", start) && mustBeHost("homelab:network.loadBalancerRange.stop", stop);
    const range: AddressRange | undefined =
        rangeOk && start && stop && compareAddresses(start, stop) <= 0 ? { first: start, last: stop } : undefined;
    if (rangeOk && !range) report("homelab:network.loadBalancerRange", `start ${start} comes after stop ${stop}`, "swap them");
    const rangeText = range ? `homelab:network.loadBalancerRange ${showRange(range)}` : "";

    const claims: Claim[] = [];
    // Fixed hosts, the VIP and nodes must stay out of the pool, or Cilium could hand their address to a Service.
    const outsidePool = (key: string, text: string | undefined, what?: string) => {
        const addr = address(key, text);
        if (!mustBeHost(key, addr) || !addr) return;
        claims.push({ key, addr, what });
        if (range && inRange(addr, range)) {
            report(
                key,
                `${addr}${aside(key, what)} is inside ${rangeText}`,
                "move the address or the load-balancer range so they do not overlap",
            );
        }
    };
    c.infrastructure?.forEach((h, i) => outsidePool(`${entryKey(c, "infrastructure", i)}.ip`, h.ip, h.name));
    // The router is usually listed as an infrastructure host too; then that entry is its claim.
    if (routerOk && router && !c.infrastructure?.some((h) => h.ip === router.toString())) {
        claims.push({ key: "homelab:network.gateway", addr: router, what: "default gateway" });
        if (range && inRange(router, range)) {
            report(
                "homelab:network.gateway",
                `${router} (default gateway) is inside ${rangeText}`,
                "move the address or the load-balancer range so they do not overlap",
            );
        }
    }
    outsidePool("homelab:talos.vip", c.talos?.vip, "Kubernetes API VIP");
    c.nodes?.forEach((n, i) => outsidePool(`${entryKey(c, "nodes", i)}.ip`, n.ip, n.name));

    // Gateways are LoadBalancer Services: their pinned address must come from the pool.
    for (const name of ["dns", "internal", "external"] as const) {
        const key = `homelab:gateways.${name}`;
        const addr = address(key, c.gateways?.[name]);
        if (!mustBeHost(key, addr) || !addr) continue;
        claims.push({ key, addr, what: `${name} gateway` });
        if (range && !inRange(addr, range)) {
            report(key, `${addr} is outside ${rangeText}`, "pick an address inside the load-balancer range");
        }
    }

    const firstClaim = new Map<string, Claim>();
    for (const claim of claims) {
        const prior = firstClaim.get(claim.addr.toString());
        if (prior)
            report(
                claim.key,
                `${claim.addr} is already used by ${prior.key}${aside(prior.key, prior.what)}`,
                "give every host, node, VIP and gateway its own address",
            );
        else firstClaim.set(claim.addr.toString(), claim);
    }
    return problems;
}
