// What the fakes answer once a request has passed the reference checks: the in-memory emulation of
// each API, plus the failure modes a test can switch on.
import type { AdguardFake, Answer, FakeForwarder, FakeServer, FakeZone, LoggedRequest, TechnitiumFake } from "./fake-types";

/** AdGuard's defaults, used when upstream_dns is set to an empty list ("Empty value will reset it"). */
export const adguardDefaultUpstreams = ["https://dns10.quad9.net/dns-query"];

function failureAnswer(fake: FakeServer, write: boolean, malformed: unknown, writeError: Answer): Answer | undefined {
    switch (fake.failure) {
        case "http401":
            return { status: 401, body: "Unauthorized" };
        case "http500":
            return { status: 500, body: "internal server error" };
        case "notJson":
            return { status: 200, body: "<html><body>Sign in</body></html>" };
        case "badShape":
            return { status: 200, body: malformed };
        case "writeError":
            return write ? writeError : undefined;
        default:
            return undefined;
    }
}

function dnsInfo(fake: AdguardFake): Record<string, unknown> {
    return {
        upstream_dns: [...fake.upstreams],
        upstream_dns_file: fake.upstreamFile,
        bootstrap_dns: ["9.9.9.10", "149.112.112.10"],
        fallback_dns: [],
        local_ptr_upstreams: [],
        default_local_ptr_upstreams: ["172.16.1.1"],
        protection_enabled: true,
        ratelimit: 20,
        blocking_mode: "default",
        upstream_mode: "load_balance",
        cache_enabled: true,
        cache_size: 4194304,
        cache_ttl_min: 0,
        cache_ttl_max: 0,
        cache_optimistic: false,
        resolve_clients: true,
        use_private_ptr_resolvers: true,
        dnssec_enabled: false,
        disable_ipv6: false,
        upstream_timeout: 10,
    };
}

/** AdGuard Home's answer to a request that is documented and authenticated. */
export function adguardRoute(fake: AdguardFake, request: LoggedRequest): Answer {
    const write = request.method === "POST";
    const failed = failureAnswer(fake, write, { upstream_dns: "tls://1.1.1.1" }, { status: 500, body: "cannot write config" });
    if (failed) return failed;
    if (request.path === "/control/dns_info") return { status: 200, body: dnsInfo(fake) };
    if (request.path === "/control/dns_config") {
        const upstreams = (request.json as { upstream_dns?: string[] }).upstream_dns;
        if (upstreams) fake.upstreams = upstreams.length > 0 ? [...upstreams] : [...adguardDefaultUpstreams];
        return { status: 200, body: "OK" };
    }
    return { status: 501, body: `the fake does not emulate ${request.path}` };
}

const ok = (response: unknown = {}): Answer => ({ status: 200, body: { response, status: "ok" } });
const error = (errorMessage: string): Answer => ({ status: 200, body: { status: "error", errorMessage, stackTrace: "at DnsServer" } });

function zoneOf(fake: TechnitiumFake, p: Record<string, string>): [string, FakeZone | undefined] {
    const name = (p.zone ?? p.domain ?? "").toLowerCase();
    return [name, fake.zones.get(name)];
}

/** An FWD record with Technitium's defaults for whatever `fields` leaves out. */
export function fakeForwarder(forwarder: string, fields: Partial<FakeForwarder> = {}): FakeForwarder {
    return {
        forwarder,
        protocol: "Udp",
        priority: 0,
        dnssecValidation: false,
        proxyType: "DefaultProxy",
        disabled: false,
        expiryTtl: 0,
        ...fields,
    };
}

/** Records as `records/get` lists them (WebServiceZonesApi.cs WriteRecordAsJson): the SOA, FWDs, then the rest. */
function zoneRecords(name: string, zone: FakeZone): { name: string }[] {
    const soa = {
        disabled: false,
        name,
        type: "SOA",
        ttl: 0,
        rData: {
            primaryNameServer: "dns2",
            responsiblePerson: "invalid",
            serial: 1,
            refresh: 900,
            retry: 300,
            expire: 604800,
            minimum: 900,
        },
        dnssecStatus: "Unknown",
        expiryTtl: 0,
    };
    const fwds = zone.records.map((r) => ({
        disabled: r.disabled,
        name,
        type: "FWD",
        ttl: 0,
        ...(r.comments ? { comments: r.comments } : {}),
        dnssecStatus: "Unknown",
        expiryTtl: r.expiryTtl,
        rData: {
            protocol: r.protocol,
            forwarder: r.forwarder,
            priority: r.priority,
            dnssecValidation: r.dnssecValidation,
            proxyType: r.proxyType,
        },
    }));
    const others = (zone.others ?? []).map((o) => ({ disabled: false, ttl: 3600, dnssecStatus: "Unknown", expiryTtl: 0, ...o }));
    return [soa, ...fwds, ...others];
}

/** Technitium's answer to a request that is documented and carries the right token. */
export function technitiumRoute(fake: TechnitiumFake, request: LoggedRequest): Answer {
    const p = request.params;
    const reads = ["/api/zones/list", "/api/zones/records/get"];
    const failed = failureAnswer(
        fake,
        !reads.includes(request.path),
        { status: "ok", response: { zones: "none" } },
        error("Access to the path 'zones' is denied."),
    );
    if (failed) return failed;
    const [name, zone] = zoneOf(fake, p);
    switch (request.path) {
        case "/api/zones/list":
            return ok({
                zones: [...fake.zones].map(([n, z]) => ({
                    name: n,
                    type: z.type,
                    internal: false,
                    dnssecStatus: "Unsigned",
                    disabled: false,
                })),
            });
        case "/api/zones/create":
            if (zone) return error(`Zone already exists: ${name}`);
            if (p.type === "Forwarder" && p.initializeForwarder !== "false" && !p.forwarder) return error("Parameter 'forwarder' missing.");
            fake.zones.set(name, {
                type: p.type,
                records:
                    p.type === "Forwarder" && p.forwarder
                        ? [
                              fakeForwarder(p.forwarder, {
                                  protocol: p.protocol ?? "Udp",
                                  dnssecValidation: p.dnssecValidation === "true",
                                  proxyType: p.proxyType ?? "DefaultProxy",
                              }),
                          ]
                        : [],
            });
            return ok({ domain: name });
        case "/api/zones/delete":
            if (!zone) return error(`No such zone was found: ${name}`);
            fake.zones.delete(name);
            return ok();
        case "/api/zones/records/get": {
            if (!zone) return error(`No authoritative zone was not found for domain: ${name}`);
            const domain = (p.domain ?? "").toLowerCase();
            const records = zoneRecords(name, zone).filter((r) => p.listZone === "true" || r.name === domain);
            return ok({ zone: { name, type: zone.type, internal: false, dnssecStatus: "Unsigned", disabled: false }, records });
        }
        case "/api/zones/records/update": {
            if (!zone) return error(`No such zone was found: ${name}`);
            if (p.type !== "FWD") return error(`the fake emulates only FWD records, not ${p.type}`);
            const protocol = p.protocol ?? "Udp";
            const index = zone.records.findIndex((r) => r.forwarder === p.forwarder && r.protocol === protocol);
            if (index < 0 || !p.forwarder) return error("Cannot update record: no such record exists.");
            // As the server does: every setting the call leaves out takes its default again.
            zone.records[index] = {
                forwarder: p.newForwarder ?? p.forwarder,
                protocol: p.newProtocol ?? protocol,
                priority: Number(p.forwarderPriority ?? 0),
                dnssecValidation: p.dnssecValidation === "true",
                proxyType: p.proxyType ?? "DefaultProxy",
                disabled: p.disable === "true",
                ...(p.comments !== undefined ? { comments: p.comments } : {}),
                expiryTtl: Number(p.expiryTtl ?? 0),
            };
            return ok({
                zone: { name, type: zone.type },
                updatedRecord: zoneRecords(name, { type: zone.type, records: [zone.records[index]] })[1],
            });
        }
    }
    return { status: 200, body: { status: "error", errorMessage: `the fake does not emulate ${request.path}` } };
}
