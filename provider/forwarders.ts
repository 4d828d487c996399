// The AdGuard and Technitium forwarders: each keeps one domain forwarded to one target on one home DNS server,
// through the server's API (components/dns/adguard-api.ts, technitium-api.ts), adopting an entry that already
// says the same and never touching what is someone else's.
import type * as provider from "@pulumi/pulumi/provider";
import { adguardEnsureForwarder, adguardReadForwarder, adguardRemoveForwarder } from "../components/dns/adguard-api";
import { normalizeDomain } from "../components/dns/http";
import { basicAuthSecrets, redact } from "../components/dns/redact";
import {
    technitiumCreateForwarder,
    technitiumReadForwarder,
    technitiumRemoveForwarder,
    technitiumUpdateForwarder,
} from "../components/dns/technitium-api";
import type { Operation, ResourceHandler } from "./handler";

/** The state every forwarder resource keeps, on top of its credential. */
export interface ForwarderProps {
    /** Base URL of the DNS server's API. */
    url: string;
    /** The domain forwarded, e.g. "ragas.cc". */
    domain: string;
    /** Where it is forwarded, e.g. "172.16.1.60"; after a refresh, what the server really says ("" for nothing). */
    target: string;
    /** How long to wait for each answer, in ms. */
    timeoutMs?: number;
    /** Over https: the CA that issued the server's certificate (PEM). */
    caCertificate?: string;
    /** Over https: the SHA-256 fingerprint of the server's certificate, `AB:CD:...`. */
    fingerprint?: string;
}

/** The state of an AdGuard forwarder: where to reach AdGuard Home and what to forward. */
export interface AdguardForwarderProps extends ForwarderProps {
    /** Login name for HTTP basic auth. */
    username: string;
    /** Password for HTTP basic auth; a secret output. */
    password: string;
    /** The pause before a write is read back, in ms; never set by the program (1000), only shortened by tests. */
    settleMs?: number;
}

/** The state of a Technitium forwarder: where to reach Technitium DNS and what to forward. */
export interface TechnitiumForwarderProps extends ForwarderProps {
    /** API token sent as a bearer token; a secret output. */
    token: string;
}

/** What a server must offer to be managed by {@link forwarderHandler}. */
export interface ForwarderOps<P extends ForwarderProps> {
    /** Where the server forwards the domain now; undefined when it does not. */
    read(props: P): Promise<string | undefined>;
    /** Makes the server forward the domain, failing rather than taking over what is someone else's. */
    create(props: P): Promise<unknown>;
    /** Moves our forwarding from the old state to the new inputs. */
    update(olds: P, news: P): Promise<unknown>;
    /** Removes our forwarding; returns why something was left in place, or undefined. */
    remove(props: P): Promise<string | undefined>;
    /** Every spelling of the credential in `props` that must never appear in a message. */
    secrets(props: P): string[];
}

/** A stable id: the server and the domain, e.g. "http://172.16.1.11|ragas.cc". */
export function forwarderId(props: ForwarderProps): string {
    return `${props.url.replace(/\/+$/, "")}|${normalizeDomain(props.domain)}`;
}

/**
 * Decides what a change of inputs means. Another server or another domain is another object, so it
 * is replaced, deleting first: with create-before-delete, a replacement that adopts the same line
 * (the URL spelt differently) would then lose it to the old resource's delete.
 */
export function diffForwarder(olds: Record<string, unknown>, news: Record<string, unknown>, keys: readonly string[]): provider.DiffResult {
    const same = (key: string) => {
        const [a, b] = [olds[key], news[key]];
        if (key === "domain" && typeof a === "string" && typeof b === "string") return normalizeDomain(a) === normalizeDomain(b);
        if (key === "url" && typeof a === "string" && typeof b === "string") return a.replace(/\/+$/, "") === b.replace(/\/+$/, "");
        return a === b;
    };
    const changed = keys.filter((key) => !same(key));
    const replaces = changed.filter((key) => key === "url" || key === "domain");
    return { changes: changed.length > 0, replaces, deleteBeforeReplace: true };
}

/** A forwarder resource built from one server's read/create/update/remove. */
export function forwarderHandler<P extends ForwarderProps>(ops: ForwarderOps<P>, keys: readonly string[]): ResourceHandler<P, P> {
    // Every message that leaves the provider, thrown or warned, is redacted here: a server can echo the credential
    // in any field it returns (a Technitium forwarder record, an AdGuard upstream line), and those fields end up in
    // messages far from the request helpers that redact what they quote.
    const guarded = async <T>(props: P, work: () => Promise<T>): Promise<T> => {
        try {
            return await work();
        } catch (error) {
            throw new Error(redact(error instanceof Error ? error.message : String(error), ops.secrets(props)));
        }
    };
    return {
        async create(inputs) {
            await guarded(inputs, () => ops.create(inputs));
            return { id: forwarderId(inputs), outs: inputs };
        },
        async read(id, props) {
            const live = { ...props, target: (await guarded(props, () => ops.read(props))) ?? "" };
            // Returning the live target as both state and inputs makes the next preview show
            // `target: "<live>" => "<wanted>"` when someone changed the server by hand.
            return { id, props: live, inputs: live };
        },
        async diff(_id, olds, news) {
            const result = diffForwarder(olds as unknown as Record<string, unknown>, news as unknown as Record<string, unknown>, keys);
            if (result.changes) return result;
            // A plain `pulumi preview` calls diff, not read: ask the server what it holds now, so a change
            // made by hand shows as an update. When the server cannot be asked, the stored state decides.
            const live = await ops.read(olds).then(
                (target) => target ?? "",
                () => undefined,
            );
            return live === undefined || live === news.target ? result : { ...result, changes: true };
        },
        async update(_id, olds, news) {
            await guarded(news, () => ops.update(olds, news));
            return { outs: news };
        },
        async delete(_id, props, operation: Operation) {
            // A warning on the resource, through the engine (provider/serve.ts): the provider's stderr would show as
            // plain debug text of the stack, not as this resource's warning.
            const left = await guarded(props, () => ops.remove(props));
            if (left !== undefined) await operation.warn(redact(left, ops.secrets(props)));
        },
    };
}

/** Keeps `[/domain/]target` in AdGuard Home's upstream list; every other line stays as it is. */
export const adguardForwarder = forwarderHandler<AdguardForwarderProps>(
    {
        read: (p) => adguardReadForwarder(p, p.domain),
        create: (p) => adguardEnsureForwarder(p, p.domain, p.target),
        update: (_olds, news) => adguardEnsureForwarder(news, news.domain, news.target),
        remove: async (p) => {
            await adguardRemoveForwarder(p, p.domain, p.target);
            return undefined;
        },
        secrets: (p) => basicAuthSecrets(p.username, p.password),
    },
    ["url", "username", "password", "domain", "target", "timeoutMs", "caCertificate", "fingerprint"],
);

/**
 * Keeps a Conditional Forwarder zone for the domain on Technitium DNS: made when absent or adopted
 * when it forwards only to the target, and deleted only while it still does.
 */
export const technitiumForwarder = forwarderHandler<TechnitiumForwarderProps>(
    {
        read: (p) => technitiumReadForwarder(p, p.domain, p.target),
        create: (p) => technitiumCreateForwarder(p, p.domain, p.target),
        update: (olds, news) => technitiumUpdateForwarder(news, news.domain, olds.target, news.target),
        remove: (p) => technitiumRemoveForwarder(p, p.domain, p.target),
        secrets: (p) => [p.token],
    },
    ["url", "token", "domain", "target", "timeoutMs", "caCertificate", "fingerprint"],
);
