import { addressProblems } from "./address-rules";
import { appProblems } from "./app-rules";
import { urlProblems } from "./url-rules";
import { identityProblems } from "./identity-rules";
import { deriveMac, qualifyHostname } from "./names";
import { Problem } from "./problems";
import { ParsedConfig, parseStructure, secretProblems } from "./structure";
import { GatewayName, PlainSpec } from "./types";

export type Validation = { ok: true; spec: PlainSpec } | { ok: false; problems: Problem[] };

/**
 * Checks the raw `homelab:*` config values (keys without the namespace) and the names of the secrets
 * that are set. Returns the frozen spec, or every problem found: shape errors of each key first,
 * then the cross-key rules over whatever parsed.
 */
export function validateConfig(raw: Readonly<Record<string, unknown>>, presentSecrets: ReadonlySet<string>): Validation {
    const { parsed, problems } = parseStructure(raw);
    problems.push(...addressProblems(parsed), ...identityProblems(parsed), ...appProblems(parsed), ...urlProblems(parsed), ...secretProblems(parsed, presentSecrets, raw.cloudflare !== undefined && !parsed.cloudflare));
    if (problems.length > 0) return { ok: false, problems };
    return { ok: true, spec: deepFreeze(buildSpec(parsed as Required<ParsedConfig>)) };
}

function buildSpec(c: Required<ParsedConfig>): PlainSpec {
    const infraAddress = new Map(c.infrastructure.map((h) => [h.name, h.ip]));
    return {
        domain: c.domain,
        network: { ...c.network, prefixLength: Number(c.network.nodeCidr.split("/")[1]) },
        infrastructure: c.infrastructure,
        proxmox: { ...c.proxmox, hosts: c.proxmox.hosts.map((name) => ({ name, address: infraAddress.get(name)! })) },
        talos: c.talos,
        nodes: c.nodes.map((n) => ({ ...n, mac: n.mac ?? deriveMac(n.name) })),
        gateways: c.gateways,
        ...(c.cloudflare ? { cloudflare: c.cloudflare } : {}),
        certificates: c.certificates,
        dnsForwarders: c.dnsForwarders,
        apps: c.apps.map((a) => ({
            name: a.name,
            namespace: a.namespace,
            hostname: qualifyHostname(a.hostname, c.domain),
            gateway: a.gateway as GatewayName,
            service: { name: a.service.name, port: a.service.port, targetPort: a.service.targetPort ?? a.service.port },
            podSelector: a.podSelector ?? { app: a.name },
            allowFrom: a.allowFrom ?? [],
        })),
    };
}

function deepFreeze<T>(value: T): T {
    if (value && typeof value === "object" && !Object.isFrozen(value)) {
        Object.values(value).forEach(deepFreeze);
        Object.freeze(value);
    }
    return value;
}
