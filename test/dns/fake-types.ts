import * as http from "http";

// The shapes of the fake DNS servers, apart from the servers, so the routes can use them without a cycle.
/** One request as the fake saw it. */
export interface LoggedRequest {
    method: string;
    path: string;
    /** Query and form fields (Technitium) merged; empty for AdGuard. */
    params: Record<string, string>;
    /** The parsed JSON body (AdGuard), or undefined. */
    json?: unknown;
}

/** How the fake misbehaves: every request gets this answer instead of the emulated one. */
export type FailureMode = "http401" | "http500" | "notJson" | "hang" | "badShape" | "writeError";

/** An answer the routes hand back: a status and a body (objects are sent as JSON). */
export interface Answer {
    status: number;
    body: unknown;
}

export interface FakeServer {
    /** Base URL, e.g. "http://127.0.0.1:40123". */
    url: string;
    log: LoggedRequest[];
    /** Requests that broke the reference (undocumented path, parameter or body): must stay empty. */
    violations: string[];
    /** Set to make the server fail; undefined to emulate normally. */
    failure?: FailureMode;
    /**
     * A test's hand in a request, called once it is logged and before anything else: it may answer
     * (return true), or wait, change the fake's state, and let the emulation answer (return false).
     */
    hook?: (request: LoggedRequest, res: http.ServerResponse) => boolean | Promise<boolean>;
    close(): Promise<void>;
}

export interface AdguardFake extends FakeServer {
    /** The live `upstream_dns` list. */
    upstreams: string[];
    /** The live `upstream_dns_file` ("" when upstreams come from the list). */
    upstreamFile: string;
}

/**
 * An FWD record as Technitium keeps it (rData and the record's own settings). Written apart from the client's
 * ForwarderRecord on purpose: the fake models the server, so a field the client names wrongly fails here.
 */
export interface FakeForwarder {
    forwarder: string;
    protocol: string;
    priority: number;
    dnssecValidation: boolean;
    proxyType: string;
    disabled: boolean;
    comments?: string;
    expiryTtl: number;
}

export interface FakeZone {
    type: string;
    /** The FWD records at the apex. */
    records: FakeForwarder[];
    /** Records someone else added to the zone, e.g. {name: "www.ragas.cc", type: "A", rData: {ipAddress: "10.0.0.5"}}. */
    others?: { name: string; type: string; rData: Record<string, unknown> }[];
}

export interface TechnitiumFake extends FakeServer {
    /** Zones by name. */
    zones: Map<string, FakeZone>;
}
