// Our provider: each custom resource type's handler (handlers.ts) behind @pulumi/pulumi's provider server
// (provider/server.js), which calls these methods with each request's values as the engine sent them. Secrets are
// unwrapped for the handlers and marked again on what goes back (wire.ts); check hands the engine back the new
// inputs untouched, so the secrets the program marked stay secret in the state.
import type * as provider from "@pulumi/pulumi/provider";
import type { ResourceHandler, Operation } from "./handler";
import { PartialUpdateError } from "./handler";
import { jsonProps, plainProps, withSecretsOf } from "./wire";

/* eslint-disable @typescript-eslint/no-explicit-any */
type Props = Record<string, any>;

/** A warning the engine shows on the resource of that URN. */
export type Warn = (urn: string, message: string) => Promise<void>;

/** The type token of a URN: its last `$`-separated part (`homelab:talos:TalosCluster$homelab:talos:TalosRollout`). */
export function typeOfUrn(urn: string): string {
    const qualified = urn.split("::")[2] ?? "";
    return qualified.slice(qualified.lastIndexOf("$") + 1);
}

export class HomelabProvider implements provider.Provider {
    constructor(
        public readonly version: string,
        private readonly handlers: Readonly<Record<string, ResourceHandler>>,
        private readonly warn: Warn,
    ) {}

    private handler(urn: string): ResourceHandler {
        const type = typeOfUrn(urn);
        const handler = this.handlers[type];
        if (!handler)
            throw new Error(
                `the homelab provider has no resource type ${type} (it serves ${Object.keys(this.handlers).sort().join(", ")})`,
            );
        return handler;
    }

    private operation(urn: string): Operation {
        return { urn, warn: (message) => this.warn(urn, message) };
    }

    async check(urn: string, olds: Props, news: Props): Promise<provider.CheckResult> {
        const handler = this.handler(urn);
        const failures = handler.check ? await handler.check(plainProps(olds), plainProps(news)) : [];
        return { inputs: news, failures };
    }

    async diff(id: string, urn: string, olds: Props, news: Props): Promise<provider.DiffResult> {
        return this.handler(urn).diff(id, plainProps(olds), plainProps(news), this.operation(urn));
    }

    async create(urn: string, inputs: Props): Promise<provider.CreateResult> {
        const { id, outs } = await this.handler(urn).create(plainProps(inputs), this.operation(urn));
        return { id, outs: withSecretsOf(jsonProps(outs), inputs) };
    }

    async read(id: string, urn: string, props: Props): Promise<provider.ReadResult> {
        const handler = this.handler(urn);
        if (!handler.read) return { id, props };
        const result = await handler.read(id, plainProps(props), this.operation(urn));
        return {
            id: result.id,
            props: withSecretsOf(jsonProps(result.props), props),
            ...(result.inputs ? { inputs: withSecretsOf(jsonProps(result.inputs), props) } : {}),
        };
    }

    async update(id: string, urn: string, olds: Props, news: Props): Promise<provider.UpdateResult> {
        const handler = this.handler(urn);
        if (!handler.update) throw new Error(`${typeOfUrn(urn)} is replaced, never updated`);
        try {
            const { outs } = await handler.update(id, plainProps(olds), plainProps(news), this.operation(urn));
            return { outs: withSecretsOf(jsonProps(outs), news) };
        } catch (error) {
            // What the engine keeps of a partial update is outputs too: as secret as what they came from.
            if (error instanceof PartialUpdateError)
                throw Object.assign(error, { properties: withSecretsOf(jsonProps(error.properties), olds) });
            throw error;
        }
    }

    async delete(id: string, urn: string, props: Props): Promise<void> {
        await this.handler(urn).delete?.(id, plainProps(props), this.operation(urn));
    }
}
