// Technitium DNS forwards a domain with a Conditional Forwarder zone: a zone of type "Forwarder"
// whose FWD records name the upstream. Calls, parameters and answers follow
// reference/technitium-dns/v15.2.0/APIDOCS.md (sections "Create Zone", "List Zones", "Delete Zone",
// "Get Records", "Update Record"); the FWD fields of an answer (`priority`, `proxyType`, ...) and
// what `records/update` resets follow DnsServerCore/WebServiceZonesApi.cs of DnsServer v15.2.0.
// Every answer is HTTP 200 with a JSON `status`; anything but "ok" is a failure.
import { ApiServer, baseUrl, defaultTimeoutMs, isObject, normalizeDomain, parseJsonAnswer, sendRequest, validateForwarding } from "./http";
import type { ServerTrust } from "../tls/server-trust";
import { quote } from "./redact";

/** How to reach one Technitium DNS server, and (over https) how it proves itself: a pinned fingerprint or a CA. */
export interface TechnitiumApi extends ServerTrust {
    /** Base URL of the web console, with its port, e.g. "http://172.16.1.10:5380". */
    url: string;
    /** An API token (homelab:technitiumToken), sent as `Authorization: Bearer <token>`. */
    token: string;
    /** How long to wait for each answer, in ms; 10000 when unset. */
    timeoutMs?: number;
}

/** One FWD record at the zone apex, with the settings `records/update` resets unless they are sent again. */
export interface ForwarderRecord {
    forwarder: string;
    /** "Udp", "Tcp", "Tls", "Https" or "Quic". */
    protocol: string;
    /** rData `priority`: lower is asked first (the API calls the parameter `forwarderPriority`). */
    priority: number;
    dnssecValidation: boolean;
    /** "NoProxy", "DefaultProxy", "Http" or "Socks5". */
    proxyType: string;
    disabled: boolean;
    comments?: string;
    /** Seconds after its last change when the server deletes the record; 0 for never. */
    expiryTtl: number;
}

/** What Technitium holds for a domain: no zone, or a zone of some type and what is in it. */
export interface TechnitiumZoneState {
    /** "Forwarder", "Primary", ...; undefined when there is no zone of that name. */
    zoneType?: string;
    /** The FWD records at the apex of a Forwarder zone. */
    forwarders: ForwarderRecord[];
    /** Every other record of a Forwarder zone but the SOA the server keeps at its apex, e.g. "A www.ragas.cc". */
    others: string[];
}

/** The transport we forward over: k8s_gateway answers plain DNS. */
export const forwarderProtocol = "Udp";

/**
 * Our forwarder is on the LAN: no proxy. Without it a record gets "DefaultProxy", so a proxy set in
 * the server's settings would carry queries for the cluster domain.
 */
export const forwarderProxyType = "NoProxy";

/** The request settings for one Technitium server; the token goes only into the header. */
export function technitiumServer(api: TechnitiumApi): ApiServer {
    return {
        product: "Technitium DNS",
        url: api.url,
        authorization: `Bearer ${api.token}`,
        secrets: [api.token],
        credentialKey: "homelab:technitiumToken",
        timeoutMs: api.timeoutMs ?? defaultTimeoutMs,
        trust: { caCertificate: api.caCertificate, fingerprint: api.fingerprint },
        trustKey: "homelab:dnsForwarders.technitium",
    };
}

/** Calls one API path and returns its `response` object; any status but "ok" throws. */
export async function technitiumCall(
    api: TechnitiumApi,
    path: string,
    params: Record<string, string>,
    write: boolean,
): Promise<Record<string, unknown>> {
    const server = technitiumServer(api);
    const what = `${write ? "POST" : "GET"} ${path}`;
    const query = new URLSearchParams(params).toString();
    const text = write
        ? await sendRequest(server, "POST", path, { form: params })
        : await sendRequest(server, "GET", query ? `${path}?${query}` : path);
    const answer = parseJsonAnswer(server, what, text);
    const root = baseUrl(server);
    if (!isObject(answer)) throw new Error(`Technitium DNS at ${root} answered ${what} with JSON that is not an object`);
    if (answer.status === "invalid-token") {
        throw new Error(`Technitium DNS at ${root} refused ${what}: the token is invalid or expired; check homelab:technitiumToken`);
    }
    if (answer.status !== "ok") {
        const reason = typeof answer.errorMessage === "string" ? answer.errorMessage : `status ${JSON.stringify(answer.status)}`;
        throw new Error(`Technitium DNS at ${root} failed ${what}: ${quote(reason, server.secrets, 200)}`);
    }
    const response = answer.response ?? {};
    if (!isObject(response)) throw new Error(`Technitium DNS at ${root} answered ${what} with a "response" that is not an object`);
    return response;
}

function malformed(api: TechnitiumApi, what: string, detail: string): Error {
    return new Error(`Technitium DNS at ${baseUrl(technitiumServer(api))} answered ${what} ${detail}`);
}

function forwarderRecord(api: TechnitiumApi, zone: string, record: Record<string, unknown>): ForwarderRecord {
    const rData = record.rData;
    if (!isObject(rData) || typeof rData.forwarder !== "string") {
        throw malformed(api, "GET /api/zones/records/get", `with an FWD record of ${zone} that has no forwarder`);
    }
    return {
        forwarder: rData.forwarder,
        protocol: typeof rData.protocol === "string" ? rData.protocol : forwarderProtocol,
        priority: typeof rData.priority === "number" ? rData.priority : 0,
        dnssecValidation: rData.dnssecValidation === true,
        proxyType: typeof rData.proxyType === "string" ? rData.proxyType : "DefaultProxy",
        disabled: record.disabled === true,
        ...(typeof record.comments === "string" && record.comments !== "" ? { comments: record.comments } : {}),
        expiryTtl: typeof record.expiryTtl === "number" ? record.expiryTtl : 0,
    };
}

/** Reads the zone named `domain` and, for a Forwarder zone, every record in it (`listZone=true`). */
export async function technitiumReadZone(api: TechnitiumApi, domain: string): Promise<TechnitiumZoneState> {
    const wanted = normalizeDomain(domain);
    const list = await technitiumCall(api, "/api/zones/list", {}, false);
    if (!Array.isArray(list.zones)) throw malformed(api, "GET /api/zones/list", "without a zones list");
    const zone = list.zones.find((z) => isObject(z) && typeof z.name === "string" && normalizeDomain(z.name) === wanted);
    if (!isObject(zone)) return { forwarders: [], others: [] };
    if (typeof zone.type !== "string") throw malformed(api, "GET /api/zones/list", `with a zone ${wanted} that has no type`);
    if (zone.type !== "Forwarder") return { zoneType: zone.type, forwarders: [], others: [] };
    const got = await technitiumCall(api, "/api/zones/records/get", { domain: wanted, zone: wanted, listZone: "true" }, false);
    if (!Array.isArray(got.records)) throw malformed(api, "GET /api/zones/records/get", "without a records list");
    const state: TechnitiumZoneState = { zoneType: zone.type, forwarders: [], others: [] };
    for (const record of got.records) {
        if (!isObject(record) || typeof record.name !== "string" || typeof record.type !== "string") {
            throw malformed(api, "GET /api/zones/records/get", `with a record of ${wanted} that has no name or type`);
        }
        const apex = normalizeDomain(record.name) === wanted;
        if (apex && record.type === "FWD") state.forwarders.push(forwarderRecord(api, wanted, record));
        else if (!(apex && record.type === "SOA")) state.others.push(`${record.type} ${normalizeDomain(record.name)}`);
    }
    return state;
}

/**
 * Where Technitium forwards `domain` now, e.g. "172.16.1.60" ("10.0.0.9 over Tcp" for another transport);
 * undefined when no Forwarder zone does. `known` is what the state says: the wanted address, or what
 * an earlier read reported ("172.16.1.60 with proxy DefaultProxy"); a UDP record to any address in
 * it is ours, and then it alone is the answer: a forwarder someone added beside it is theirs to
 * keep, and reporting it would show a change no update of ours can settle.
 */
export async function technitiumReadForwarder(api: TechnitiumApi, domain: string, known?: string): Promise<string | undefined> {
    const state = await technitiumReadZone(api, domain);
    if (state.zoneType !== "Forwarder" || state.forwarders.length === 0) return undefined;
    const addresses = (known ?? "").split(/\s+/);
    const ours = state.forwarders.find((r) => r.protocol === forwarderProtocol && addresses.includes(r.forwarder));
    // A proxy on our record (a zone made before proxyType was sent has "DefaultProxy") shows as a change, which an update turns off.
    if (ours !== undefined)
        return ours.proxyType === forwarderProxyType ? ours.forwarder : `${ours.forwarder} with proxy ${ours.proxyType}`;
    // A transport other than ours is part of the answer, so a preview shows it: "172.16.1.60 over Tcp".
    return state.forwarders.map((r) => (r.protocol === forwarderProtocol ? r.forwarder : `${r.forwarder} over ${r.protocol}`)).join(" ");
}

/** Whether a record is one we write: our target over UDP (its priority, DNSSEC and proxy settings aside). */
export function isOurForwarder(record: ForwarderRecord, target: string): boolean {
    return record.forwarder === target && record.protocol === forwarderProtocol;
}

/** True for a Forwarder zone that holds our forwarder and nothing else (the server's own SOA aside). */
export function holdsOnlyOurForwarder(state: TechnitiumZoneState, target: string): boolean {
    return (
        state.zoneType === "Forwarder" &&
        state.others.length === 0 &&
        state.forwarders.length === 1 &&
        isOurForwarder(state.forwarders[0], target)
    );
}

/** What a zone holds, for messages: "a Forwarder zone forwarding to 10.0.0.9 (Tcp), with 1 other record (A www.ragas.cc)". */
export function describeZone(state: TechnitiumZoneState): string {
    if (state.zoneType !== "Forwarder") return `a ${state.zoneType} zone`;
    const forwards =
        state.forwarders.length === 0
            ? "with no forwarder"
            : `forwarding to ${state.forwarders.map((r) => `${r.forwarder} (${r.protocol})`).join(" and ")}`;
    const others =
        state.others.length === 0
            ? ""
            : `, with ${state.others.length} other record${state.others.length === 1 ? "" : "s"} (${state.others.join(", ")})`;
    return `a Forwarder zone ${forwards}${others}`;
}

/**
 * The `records/update` parameters that point `record` at `target` over UDP with no proxy. The
 * server resets every FWD setting the call does not carry (priority to 0, DNSSEC validation to
 * false, the record to enabled, comments and expiry to none), so each is sent again as it is.
 */
export function updateParams(zone: string, record: ForwarderRecord, target: string): Record<string, string> {
    return {
        domain: zone,
        zone,
        type: "FWD",
        protocol: record.protocol,
        forwarder: record.forwarder,
        newProtocol: forwarderProtocol,
        newForwarder: target,
        proxyType: forwarderProxyType,
        forwarderPriority: String(record.priority),
        dnssecValidation: String(record.dnssecValidation),
        disable: String(record.disabled),
        expiryTtl: String(record.expiryTtl),
        ...(record.comments !== undefined ? { comments: record.comments } : {}),
    };
}

async function createZone(api: TechnitiumApi, zone: string, target: string): Promise<void> {
    await technitiumCall(
        api,
        "/api/zones/create",
        {
            zone,
            type: "Forwarder",
            initializeForwarder: "true",
            protocol: forwarderProtocol,
            forwarder: target,
            proxyType: forwarderProxyType,
        },
        true,
    );
}

/** Points `record` at `target` with no proxy, unless it already is; returns whether it wrote. */
async function rewriteRecord(api: TechnitiumApi, zone: string, record: ForwarderRecord, target: string): Promise<boolean> {
    if (isOurForwarder(record, target) && record.proxyType === forwarderProxyType) return false;
    await technitiumCall(api, "/api/zones/records/update", updateParams(zone, record, target), true);
    return true;
}

function where(api: TechnitiumApi): string {
    return `Technitium DNS at ${baseUrl(technitiumServer(api))}`;
}

/**
 * Creates the Conditional Forwarder zone for `domain`, or adopts one that already forwards only to
 * `target` over UDP (setting it to no proxy). Anything else there is someone else's: it fails
 * without writing. Returns whether it wrote.
 */
export async function technitiumCreateForwarder(api: TechnitiumApi, domain: string, target: string): Promise<boolean> {
    validateForwarding(domain, target);
    const zone = normalizeDomain(domain);
    const state = await technitiumReadZone(api, zone);
    if (state.zoneType === undefined) {
        await createZone(api, zone, target);
        return true;
    }
    if (!holdsOnlyOurForwarder(state, target)) {
        throw new Error(
            `${where(api)} already has ${zone} as ${describeZone(state)}; refusing to take it over. ` +
                `Delete that zone by hand, or leave in it only a forwarder to ${target} over Udp, then run again`,
        );
    }
    return rewriteRecord(api, zone, state.forwarders[0], target);
}

/**
 * Moves our forwarder from `oldTarget` to `newTarget`, keeping the record's other settings and every
 * other record in the zone. A zone that is gone is made again; a zone whose forwarders are no longer
 * ours fails without writing. Returns whether it wrote.
 */
export async function technitiumUpdateForwarder(
    api: TechnitiumApi,
    domain: string,
    oldTarget: string,
    newTarget: string,
): Promise<boolean> {
    validateForwarding(domain, newTarget);
    const zone = normalizeDomain(domain);
    const state = await technitiumReadZone(api, zone);
    if (state.zoneType === undefined) {
        await createZone(api, zone, newTarget);
        return true;
    }
    const ours = state.forwarders.find((r) => isOurForwarder(r, newTarget)) ?? state.forwarders.find((r) => isOurForwarder(r, oldTarget));
    if (state.zoneType !== "Forwarder" || ours === undefined) {
        throw new Error(
            `${where(api)} has ${zone} as ${describeZone(state)}, not the forwarder to ${oldTarget} this stack wrote; ` +
                "refusing to change it. Run `pulumi refresh` to take what the server holds as the state, or fix the zone by hand, then run again",
        );
    }
    return rewriteRecord(api, zone, ours, newTarget);
}

/**
 * Deletes the zone of `domain` when it still holds our forwarder and nothing else. Otherwise it is
 * left as it is, and the answer says why (undefined when it was deleted or was already gone).
 */
export async function technitiumRemoveForwarder(api: TechnitiumApi, domain: string, target: string): Promise<string | undefined> {
    const zone = normalizeDomain(domain);
    const state = await technitiumReadZone(api, zone);
    if (state.zoneType === undefined) return undefined;
    if (!holdsOnlyOurForwarder(state, target)) {
        return (
            `${where(api)}: left the zone ${zone} in place: it is ${describeZone(state)}, not only the forwarder to ${target} ` +
            "this stack wrote; delete it by hand when nothing needs it"
        );
    }
    await technitiumCall(api, "/api/zones/delete", { zone }, true);
    return undefined;
}
