// Technitium DNS forwards a domain with a Conditional Forwarder zone: a zone of type "Forwarder"
// whose FWD records name the upstream. Calls, parameters and answers follow
// reference/technitium-dns/v15.2.0/APIDOCS.md (sections "Create Zone", "List Zones", "Delete Zone",
// "Get Records", "Add Record", "Update Record", "Delete Record"). Every answer is HTTP 200 with a
// JSON `status`; anything but "ok" is a failure.
import { ApiServer, baseUrl, defaultTimeoutMs, isObject, normalizeDomain, parseJsonAnswer, sendRequest, validateForwarding } from "./http";
import { quote } from "./redact";

/** How to reach one Technitium DNS server. */
export interface TechnitiumApi {
    /** Base URL of the web console, with its port, e.g. "http://172.16.1.10:5380". */
    url: string;
    /** An API token (homelab:technitiumToken), sent as `Authorization: Bearer <token>`. */
    token: string;
    /** How long to wait for each answer, in ms; 10000 when unset. */
    timeoutMs?: number;
}

/** One FWD record: where it forwards and over which transport ("Udp", "Tcp", ...). */
export interface ForwarderRecord {
    forwarder: string;
    protocol: string;
}

/** What Technitium holds for a domain: no zone, or a zone of some type and its FWD records. */
export interface TechnitiumZoneState {
    /** "Forwarder", "Primary", ...; undefined when there is no zone of that name. */
    zoneType?: string;
    /** The zone apex's FWD records (only for Forwarder zones). */
    records: ForwarderRecord[];
}

/** The transport we forward over: k8s_gateway answers plain DNS. */
export const forwarderProtocol = "Udp";

/** The request settings for one Technitium server; the token goes only into the header. */
export function technitiumServer(api: TechnitiumApi): ApiServer {
    return {
        product: "Technitium DNS",
        url: api.url,
        authorization: `Bearer ${api.token}`,
        secrets: [api.token],
        credentialKey: "homelab:technitiumToken",
        timeoutMs: api.timeoutMs ?? defaultTimeoutMs,
    };
}

/** Calls one API path and returns its `response` object; any status but "ok" throws. */
export async function technitiumCall(api: TechnitiumApi, path: string, params: Record<string, string>, write: boolean): Promise<Record<string, unknown>> {
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

/** Reads the zone named `domain` and, for a Forwarder zone, its FWD records. */
export async function technitiumReadZone(api: TechnitiumApi, domain: string): Promise<TechnitiumZoneState> {
    const wanted = normalizeDomain(domain);
    const list = await technitiumCall(api, "/api/zones/list", {}, false);
    if (!Array.isArray(list.zones)) throw malformed(api, "GET /api/zones/list", "without a zones list");
    const zone = list.zones.find((z) => isObject(z) && typeof z.name === "string" && normalizeDomain(z.name) === wanted);
    if (!isObject(zone)) return { records: [] };
    if (typeof zone.type !== "string") throw malformed(api, "GET /api/zones/list", `with a zone ${wanted} that has no type`);
    if (zone.type !== "Forwarder") return { zoneType: zone.type, records: [] };
    const got = await technitiumCall(api, "/api/zones/records/get", { domain: wanted, zone: wanted }, false);
    if (!Array.isArray(got.records)) throw malformed(api, "GET /api/zones/records/get", "without a records list");
    const records = got.records.filter((r) => isObject(r) && r.type === "FWD" && typeof r.name === "string" && normalizeDomain(r.name) === wanted)
        .map((r) => {
            const rData = (r as Record<string, unknown>).rData;
            if (!isObject(rData) || typeof rData.forwarder !== "string") {
                throw malformed(api, "GET /api/zones/records/get", `with an FWD record of ${wanted} that has no forwarder`);
            }
            return { forwarder: rData.forwarder, protocol: typeof rData.protocol === "string" ? rData.protocol : forwarderProtocol };
        });
    return { zoneType: zone.type, records };
}

/** Where Technitium forwards `domain` now, e.g. "172.16.1.60"; undefined when no Forwarder zone does. */
export async function technitiumReadForwarder(api: TechnitiumApi, domain: string): Promise<string | undefined> {
    const state = await technitiumReadZone(api, domain);
    if (state.zoneType !== "Forwarder" || state.records.length === 0) return undefined;
    return state.records.map((r) => r.forwarder).join(" ");
}

function fwdParams(domain: string, record: ForwarderRecord): Record<string, string> {
    return { domain, zone: domain, type: "FWD", protocol: record.protocol, forwarder: record.forwarder };
}

/**
 * Makes a Conditional Forwarder zone forward `domain` to `target` and only there. No zone: create
 * it. A Forwarder zone that already says so: adopt it. A Forwarder zone pointing elsewhere: rewrite
 * its first FWD record and delete the rest. A zone of another type is someone else's: refuse.
 * Returns whether it wrote.
 */
export async function technitiumEnsureForwarder(api: TechnitiumApi, domain: string, target: string): Promise<boolean> {
    validateForwarding(domain, target);
    const wanted = normalizeDomain(domain);
    const state = await technitiumReadZone(api, wanted);
    if (state.zoneType === undefined) {
        await technitiumCall(api, "/api/zones/create", {
            zone: wanted, type: "Forwarder", initializeForwarder: "true", protocol: forwarderProtocol, forwarder: target,
        }, true);
        return true;
    }
    if (state.zoneType !== "Forwarder") {
        throw new Error(`Technitium DNS at ${baseUrl(technitiumServer(api))} already has ${wanted} as a ${state.zoneType} zone; ` +
            `refusing to replace it with a Conditional Forwarder zone (delete it by hand to hand it over)`);
    }
    const isOurs = (r: ForwarderRecord) => r.forwarder === target && r.protocol === forwarderProtocol;
    const keep = state.records.find(isOurs) ?? state.records[0];
    if (keep === undefined) {
        await technitiumCall(api, "/api/zones/records/add", fwdParams(wanted, { forwarder: target, protocol: forwarderProtocol }), true);
        return true;
    }
    let wrote = false;
    if (!isOurs(keep)) {
        await technitiumCall(api, "/api/zones/records/update", {
            ...fwdParams(wanted, keep), newForwarder: target, newProtocol: forwarderProtocol,
        }, true);
        wrote = true;
    }
    for (const extra of state.records.filter((r) => r !== keep)) {
        await technitiumCall(api, "/api/zones/records/delete", fwdParams(wanted, extra), true);
        wrote = true;
    }
    return wrote;
}

/** Deletes the Conditional Forwarder zone of `domain`; leaves zones of other types alone. Returns whether it wrote. */
export async function technitiumRemoveForwarder(api: TechnitiumApi, domain: string): Promise<boolean> {
    const wanted = normalizeDomain(domain);
    const state = await technitiumReadZone(api, wanted);
    if (state.zoneType !== "Forwarder") return false;
    await technitiumCall(api, "/api/zones/delete", { zone: wanted }, true);
    return true;
}
