// A resource handler (provider/handler.ts) called as the provider calls it, with an operation that records the
// warnings it gives the engine: the unit tests' way in, without a plugin process.
import type { Operation, ResourceHandler } from "../../provider/handler";

/* eslint-disable @typescript-eslint/no-explicit-any */
export interface CalledHandler<I, O> {
    /** Every warning given so far, in order. */
    warnings: string[];
    check(olds: Partial<I>, news: I): Promise<{ property: string; reason: string }[]>;
    create(inputs: I): Promise<{ id: string; outs: O }>;
    read(id: string, props: O): Promise<{ id: string; props: O; inputs?: I }>;
    diff(id: string, olds: O, news: I): Promise<{ changes?: boolean; replaces?: string[]; deleteBeforeReplace?: boolean }>;
    update(id: string, olds: O, news: I): Promise<{ outs: O }>;
    delete(id: string, props: O): Promise<void>;
    /** The warnings `action` gave. */
    warningsOf(action: () => Promise<unknown>): Promise<string[]>;
}

export function called<I = any, O = any>(
    handler: ResourceHandler<I, O>,
    urn = "urn:pulumi:test::homelab::homelab:test:Resource::r",
): CalledHandler<I, O> {
    const warnings: string[] = [];
    const operation: Operation = { urn, warn: async (message) => void warnings.push(message) };
    return {
        warnings,
        check: async (olds, news) => (handler.check ? handler.check(olds, news) : []),
        create: (inputs) => handler.create(inputs, operation),
        read: (id, props) => handler.read!(id, props, operation),
        diff: (id, olds, news) => handler.diff(id, olds, news, operation),
        update: (id, olds, news) => handler.update!(id, olds, news, operation),
        delete: (id, props) => handler.delete!(id, props, operation),
        async warningsOf(action) {
            const before = warnings.length;
            await action();
            return warnings.slice(before);
        },
    };
}
