import type * as pulumi from "@pulumi/pulumi";
import { normalizeDomain } from "./http";
import { redact } from "./redact";

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

/** What a server must offer to be managed by {@link forwarderProvider}. */
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
export function diffForwarder(olds: Record<string, unknown>, news: Record<string, unknown>, keys: readonly string[]): pulumi.dynamic.DiffResult {
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

/**
 * A dynamic provider built from one server's read/create/update/remove. It runs in the provider
 * host, loaded there from its module's text (self-contained.ts), never serialized itself.
 */
export function forwarderProvider<P extends ForwarderProps>(ops: ForwarderOps<P>, keys: readonly string[]): pulumi.dynamic.ResourceProvider {
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
        async create(inputs: P): Promise<pulumi.dynamic.CreateResult> {
            await guarded(inputs, () => ops.create(inputs));
            return { id: forwarderId(inputs), outs: inputs };
        },
        async read(id: string, props: P): Promise<pulumi.dynamic.ReadResult> {
            const live = { ...props, target: (await guarded(props, () => ops.read(props))) ?? "" };
            // Returning the live target as both state and inputs makes the next preview show
            // `target: "<live>" => "<wanted>"` when someone changed the server by hand.
            return { id, props: live, inputs: live };
        },
        async diff(_id: string, olds: P, news: P): Promise<pulumi.dynamic.DiffResult> {
            const result = diffForwarder(olds as unknown as Record<string, unknown>, news as unknown as Record<string, unknown>, keys);
            if (result.changes) return result;
            // A plain `pulumi preview` calls diff, not read: ask the server what it holds now, so a change
            // made by hand shows as an update. When the server cannot be asked, the stored state decides.
            const live = await ops.read(olds).then((target) => target ?? "", () => undefined);
            return live === undefined || live === news.target ? result : { ...result, changes: true };
        },
        async update(_id: string, olds: P, news: P): Promise<pulumi.dynamic.UpdateResult> {
            await guarded(news, () => ops.update(olds, news));
            return { outs: news };
        },
        async delete(_id: string, props: P): Promise<void> {
            // The provider host has no engine connection, so pulumi.log.warn would print to stderr too
            // (its fallback); the engine shows a provider's stderr with the resource's operation.
            const left = await guarded(props, () => ops.remove(props));
            if (left !== undefined) console.warn(`warning: ${redact(left, ops.secrets(props))}`);
        },
    };
}
